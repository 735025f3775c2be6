//! `zkdemo bench`: how fast a lock changes hands, a new leader takes over and a config change
//! reaches every watcher, measured against the raw round trip of the same session layer to the
//! same server (the "floor"), and what a process costs to start and to keep running.
//!
//! Sub-benches, one module each: `floor`, `lock`, `elect`, `config`, `cost`. The floor always
//! runs first: every other latency is printed with its ratio to the floor's write+read (one
//! delete and one get-children, back to back: the least work a handoff can do).
//!
//! It measures the server given with `--zk`, or a local standalone one (`--local`).

mod config;
mod cost;
mod elect;
mod floor;
mod lock;
pub mod report;
mod stats;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, ValueEnum};

use crate::cli::parse_path;
use crate::cli::Context;
use crate::exit::{self, Error};
use crate::server::{self, LocalError};
use crate::session::{ConnectString, Session, SessionConfig};
use report::{Figure, Report};

const EXAMPLES: &str = "\
Examples:
  zkdemo bench --local                    everything, against a local standalone server
  zkdemo bench lock --contenders 3,10     lock handoff against 127.0.0.1:2181
  zkdemo --zk zk1:2181,zk2:2181 bench config --watchers 100
  zkdemo --json bench floor               one JSON line per figure

Targets (checked and shown in the table; a 2-core machine, standalone server):
  lock handoff p50 <= 2x floor, >= 300 acquisitions/s with 3 contenders,
  failover p50 <= 2x floor, config propagation p99 to 100 watchers <= 3x floor,
  cold start <= 20 ms, idle watcher <= 6 MiB resident.

A server limits the connections from one address (maxClientCnxns, 60 by default): the config
bench with 100 or 1000 watchers needs it raised (0 = no limit), as `zkdemo server` does.";

/// Measure lock handoff, failover, config propagation and process cost against the raw round trip.
#[derive(Debug, Args)]
#[command(after_help = EXAMPLES)]
pub struct BenchArgs {
    /// Which sub-benches to run (the floor always runs: it is what the others are divided by).
    #[arg(value_enum, default_values_t = [Which::All])]
    pub which: Vec<Which>,

    /// Start a local standalone ZooKeeper for the run (ignores --zk).
    #[arg(long)]
    pub local: bool,

    /// lock: contenders (separate sessions), one run per number.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "3,10",
        value_name = "N,…"
    )]
    pub contenders: Vec<usize>,

    /// floor: samples per figure; lock: acquisitions per contender; elect: failovers.
    #[arg(long, default_value_t = 100, value_name = "N")]
    pub rounds: usize,

    /// elect: candidate processes.
    #[arg(long, default_value_t = 3, value_name = "N")]
    pub candidates: usize,

    /// config: watching sessions, one run per number.
    #[arg(
        long,
        value_delimiter = ',',
        default_value = "3,100,1000",
        value_name = "N,…"
    )]
    pub watchers: Vec<usize>,

    /// config: writes per run.
    #[arg(long, default_value_t = 50, value_name = "N")]
    pub sets: usize,

    /// cost: process starts to time.
    #[arg(long, default_value_t = 20, value_name = "N")]
    pub starts: usize,

    /// Work under this znode (a fresh child per run, removed afterwards).
    #[arg(long, default_value = "/zkdemo-bench", value_parser = parse_path)]
    pub path: String,

    /// The zkdemo binary that elect and cost run [default: this one].
    #[arg(long, value_name = "FILE")]
    pub exe: Option<PathBuf>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Which {
    Floor,
    Lock,
    Elect,
    Config,
    Cost,
    All,
}

/// What every sub-bench gets.
pub struct Ctx {
    pub cfg: SessionConfig,
    /// The connect string, for child processes.
    pub zk: String,
    /// This run's own znode.
    pub base: String,
    pub exe: PathBuf,
    pub progress: Progress,
    /// The floor's write+read p50, in ms.
    pub floor_ms: f64,
}

impl Ctx {
    pub fn connect(&self) -> exit::Result<Session> {
        Ok(Session::connect(&self.cfg, |_| {})?)
    }
}

pub fn run(args: &BenchArgs, ctx: &Context) -> exit::Result<i32> {
    let out = ctx.out;
    let want = |w: Which| args.which.contains(&Which::All) || args.which.contains(&w);
    if args.rounds < 2 || args.sets < 2 || args.starts < 1 || args.candidates < 2 {
        return Err(Error::usage(
            "--rounds and --sets must be at least 2, --candidates 2, --starts 1",
        ));
    }
    if args.contenders.iter().any(|&p| p < 2) || args.watchers.contains(&0) {
        return Err(Error::usage(
            "--contenders must be at least 2, --watchers at least 1",
        ));
    }
    let progress = Progress::new(!out.quiet);
    let mut cfg = ctx.session.clone();
    let local = server::local_unless_given(!args.local, 2000, || {
        progress.show("starting a local ZooKeeper")
    })
    .map_err(|e| match e {
        LocalError::NotInstalled(e) => Error::new(exit::UNAVAILABLE, e),
        LocalError::CannotStart(e) => {
            Error::new(exit::UNAVAILABLE, format!("cannot start ZooKeeper: {e}"))
        }
    })?;
    if let Some(l) = &local {
        cfg.connect = ConnectString::parse(&l.connect_string()).map_err(Error::usage)?;
    }
    let exe = match &args.exe {
        Some(p) => p.clone(),
        None => std::env::current_exe()
            .map_err(|e| Error::new(exit::FAILURE, format!("cannot find zkdemo itself: {e}")))?,
    };
    let base = format!("{}/run-{:08x}", args.path, rand::random::<u32>());
    let mut ctx = Ctx {
        zk: cfg.connect.to_string(),
        cfg,
        base,
        exe,
        progress,
        floor_ms: f64::NAN,
    };
    let admin = ctx.connect()?;
    admin
        .ensure_path(&ctx.base)
        .map_err(|e| e.to_exit(&format!("creating {}", ctx.base)))?;

    let mut report = Report::new(&ctx.zk);
    let result = (|| -> exit::Result<()> {
        let f = floor::run(&ctx, &admin, args.rounds.max(20))?;
        ctx.floor_ms = f.floor_ms;
        report.add_all(f.figures, ctx.floor_ms);
        if want(Which::Lock) {
            for &p in &args.contenders {
                report.add_all(lock::run(&ctx, p, args.rounds)?, ctx.floor_ms);
            }
        }
        if want(Which::Elect) {
            report.add_all(
                elect::run(&ctx, &admin, args.candidates, args.rounds)?,
                ctx.floor_ms,
            );
        }
        if want(Which::Config) {
            for &w in &args.watchers {
                report.add_all(config::run(&ctx, w, args.sets)?, ctx.floor_ms);
            }
        }
        if want(Which::Cost) {
            report.add_all(cost::run(&ctx, args.starts)?, ctx.floor_ms);
        }
        Ok(())
    })();
    ctx.progress.clear();
    // Best effort: a benchmark must not leave litter, nor fail for it.
    let _ = admin.delete_tree(&ctx.base);
    admin.close();
    result?;
    report.print(out);
    // Missed targets are figures, not failures: the table says which.
    Ok(exit::OK)
}

/// A one-line progress indicator on stderr, only when stderr is a terminal.
pub struct Progress {
    on: bool,
}

impl Progress {
    fn new(wanted: bool) -> Progress {
        Progress {
            on: wanted && std::io::stderr().is_terminal(),
        }
    }

    pub fn show(&self, msg: &str) {
        if self.on {
            eprint!("\r\x1b[K{msg}");
        }
    }

    /// `what: i/n`, shown every `n/20` steps (the terminal is slower than the bench).
    pub fn step(&self, what: &str, i: usize, n: usize) {
        if self.on && (i % (n / 20).max(1) == 0 || i == n) {
            self.show(&format!("{what}: {i}/{n}"));
        }
    }

    pub fn clear(&self) {
        if self.on {
            eprint!("\r\x1b[K");
        }
    }
}

/// Turn a failed wait into an error that says which bench stalled.
pub fn stalled(what: &str, waited: Duration) -> Error {
    Error::new(
        exit::FAILURE,
        format!(
            "{what}: nothing happened for {}; is the server overloaded?",
            crate::session::fmt_duration(waited)
        ),
    )
}

/// A figure from samples in ms: p50 and p99 as two figures.
pub fn p50_p99(name: &str, samples: &[f64]) -> Vec<Figure> {
    vec![
        Figure::ms(&format!("{name} p50"), stats::percentile(samples, 50.0)),
        Figure::ms(&format!("{name} p99"), stats::percentile(samples, 99.0)),
    ]
}
