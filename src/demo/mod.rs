//! `zkdemo demo`: the original scripts' three scenarios in one command, with real participants.
//!
//! Every participant is a separate process of this same binary running a real subcommand
//! with `--json` (`lock`, `elect`, `config watch`, `config set`, `inspect`): separate
//! sessions, the same code paths a user runs by hand. The demo reads their JSON lines, prints
//! them prefixed (`[worker 1]`, `[node 2]`, `[watcher 3]`, `[updater]`) for people, or, with
//! `--json`, passes them through as one stream with a `participant` field added, plus its own
//! events (`demo`, `server`, `scenario`, `step`, `spawned`, `exited`, `summary`, `cleanup`).
//!
//! It works under a base znode of its own, `/zkdemo-demo-<16 hex>`, created at the start
//! (refusing one that exists) and deleted with everything under it at the end, so it never
//! touches a user's data, not even the `/demo-lock` of `zkdemo lock`. Without `--zk` (neither the option
//! nor ZKDEMO_ZK) it starts a local standalone ZooKeeper on a free port and stops it at the end.
//!
//! One module per part: `hub` (the event log and what is printed), `participants` (starting,
//! reading and stopping the processes), one per scenario (`lock`, `elect`, `config`),
//! `checks` (what the summary checks) and `present` (events as sentences, prefixes, colours).

mod checks;
mod config;
mod elect;
mod hub;
mod lock;
mod participants;
mod present;

use std::fs::File;
use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::sync::mpsc;
use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

use crate::cli::Context;
use crate::exit::{self, Error};
use crate::server::{self, LocalError};
use crate::session::{self, ConnectString, NodeKind, Session};
use crate::signals;
use crate::timeline;
use checks::Checks;
use hub::{Hub, Incoming, Stop};

const EXAMPLES: &str = "\
Examples:
  # Everything, on a local ZooKeeper started (and stopped) for the occasion:
  zkdemo demo

  # Only the lock workers (or: elect, config)
  zkdemo demo --scenario lock

  # On your own server (it works under /zkdemo-demo-<random>, deleted after)
  zkdemo --zk 127.0.0.1:2181 demo

  # Every event as a JSON line, each with its \"participant\"
  zkdemo --json demo | jq -c 'select(.participant == \"node 1\")'

  # A picture: a lane per participant, a bar per hold and per term
  zkdemo demo --timeline demo.svg

Exit codes:
  0        every scenario played and every check held (one lock holder at a
           time, one leader at a time, every watcher saw every update)
  1        a check failed, a participant misbehaved, or the --timeline file
           could not be written
  69       no ZooKeeper (none reachable with --zk, or none installed to start)
  130/143  interrupted (everything started is stopped and removed first)";

/// Which of the original scripts' stories to play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Three workers take turns holding a lock.
    Lock,
    /// Three nodes elect a leader; leaders are stopped and others take over.
    Elect,
    /// Three watchers receive three updates from an updater.
    Config,
    /// All three, one after the other.
    All,
}

/// Play the original scripts' scenarios (lock, election, config) with real participants, in one command.
#[derive(Debug, Args)]
#[command(
    long_about = "Play the original scripts' three scenarios in one terminal: three lock workers taking \
turns; three election nodes where the leader is stopped (SIGINT) and another takes over; three \
config watchers receiving three updates from an updater; then an `inspect` summary.\n\n\
The participants are real: each is a separate zkdemo process with its own session, running \
the same subcommand you would type (`zkdemo lock`, `zkdemo elect`, `zkdemo config watch`, \
`zkdemo config set`, `zkdemo inspect`). Their lines are shown prefixed with who said them.\n\n\
Without --zk (and without ZKDEMO_ZK) a local standalone ZooKeeper is started on a free port \
for the demo and stopped at the end (this needs Java and ZooKeeper: see `zkdemo server`). \
The demo works under its own znode, /zkdemo-demo-<random>, and deletes it and everything \
under it at the end; nothing else is touched.",
    after_help = EXAMPLES
)]
pub struct DemoArgs {
    /// Which scenario to play.
    #[arg(long, value_enum, default_value_t = Scenario::All)]
    pub scenario: Scenario,

    /// Also draw what happened as an SVG timeline in this file (as `zkdemo timeline` draws a
    /// saved `--json` log).
    #[arg(long, value_name = "FILE.svg")]
    pub timeline: Option<PathBuf>,
}

/// tickTime of the server the demo starts: sessions of 0.5–5 s.
const TICK_MS: u32 = 250;
/// How long one step may take before the demo gives up on it.
const STEP: Duration = Duration::from_secs(10);

pub fn run(args: &DemoArgs, ctx: &Context) -> exit::Result<i32> {
    let out = ctx.out;
    let started = Instant::now();
    // The picture's file first: a path that cannot be written fails before anything is started.
    let mut picture = match &args.timeline {
        Some(p) if p == Path::new("-") => {
            return Err(Error::usage(
                "--timeline needs a file: stdout carries the demo's own lines",
            ))
        }
        Some(p) => Some(Picture {
            file: timeline::create(p)?,
            path: p,
            drawn: false,
        }),
        None => None,
    };
    let (tx, rx) = mpsc::channel();
    let sig_tx = tx.clone();
    let _sub = signals::subscribe(move |sig| {
        let _ = sig_tx.send(Incoming::Signal(sig));
    });
    let color =
        !out.json && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut hub = Hub {
        exe: std::env::current_exe()
            .map_err(|e| Error::failure(format!("cannot find our own executable: {e}")))?,
        cfg: ctx.session.clone(),
        out,
        color,
        tx,
        rx,
        procs: Vec::new(),
        log: Vec::new(),
        story: Vec::new(),
    };

    // The server: the user's, or our own.
    let local = server::local_unless_given(ctx.zk_given, TICK_MS, || {
        hub.say(
            "server",
            "starting",
            "starting a local ZooKeeper for the demo…",
            |e| e,
        )
    })
    .map_err(|e| match e {
        LocalError::NotInstalled(e) => Error::new(
            exit::UNAVAILABLE,
            format!("{e}\n(or run the demo against a server you have: zkdemo --zk HOST:PORT demo)"),
        ),
        LocalError::CannotStart(e) => {
            Error::failure(format!("cannot start a local ZooKeeper: {e}"))
        }
    })?;
    if let Some(l) = &local {
        hub.cfg.connect = ConnectString::parse(&l.connect_string()).map_err(Error::failure)?;
        let connect = hub.cfg.connect.to_string();
        let pid = l.pid().unwrap_or(0);
        hub.say(
            "server",
            "started",
            &format!(
                "local ZooKeeper ready on {connect} in {} (pid {pid}, stopped at the end)",
                session::fmt_duration(l.startup()),
            ),
            |e| {
                e.with("connect", connect.clone())
                    .with("pid", pid)
                    .with("tick_ms", TICK_MS)
            },
        );
    }

    let mut own = hub.session()?;
    let base = make_base(&own)?;
    let connect = hub.cfg.connect.to_string();
    hub.say(
        "demo",
        "start",
        &format!("working under {base} on {connect} (deleted at the end)"),
        |e| {
            e.with("base", base.clone())
                .with("zk", connect.clone())
                .with("own_server", local.is_some())
        },
    );

    let scenarios: &[Scenario] = match args.scenario {
        Scenario::All => &[Scenario::Lock, Scenario::Elect, Scenario::Config],
        Scenario::Lock => &[Scenario::Lock],
        Scenario::Elect => &[Scenario::Elect],
        Scenario::Config => &[Scenario::Config],
    };
    let paths = Paths::new(&base);
    let mut played = Ok(());
    for s in scenarios {
        played = match s {
            Scenario::Lock => lock::play(&mut hub, &paths),
            Scenario::Elect => elect::play(&mut hub, &paths),
            Scenario::Config => config::play(&mut hub, &paths),
            Scenario::All => unreachable!(),
        };
        if played.is_err() {
            break;
        }
    }
    if played.is_ok() {
        let shown: Vec<String> = scenarios.iter().map(|s| paths.of(*s)).collect();
        played = hub.inspect("what is left, as `zkdemo inspect` shows it", &shown);
    }

    // Whatever happened: stop every participant, delete what we made, stop our server.
    hub.stop_all();
    if matches!(
        own.health(),
        session::Health::Lost | session::Health::Closed
    ) {
        if let Ok(s) = hub.session() {
            own = s;
        }
    }
    let deleted = own.delete_tree(&base);
    let gone = matches!(own.exists(&base), Ok(None));
    own.close_within(Duration::from_secs(1));
    match &deleted {
        Ok(n) => hub.say(
            "cleanup",
            if gone { "done" } else { "incomplete" },
            &format!("deleted {base} and the {n} znode(s) under it"),
            |e| {
                e.with("path", base.clone())
                    .with("deleted", *n)
                    .with("gone", gone)
            },
        ),
        Err(e) => hub.say(
            "cleanup",
            "failed",
            &format!("could not delete {base}: {e}"),
            |ev| ev.with("path", base.clone()).with("error", e.to_string()),
        ),
    }
    if let Some(l) = local {
        l.stop();
        hub.say("server", "stopped", "local ZooKeeper stopped", |e| e);
    }

    let result = match played {
        Err(Stop::Signal(sig)) => Ok(signals::exit_code(sig)),
        Err(Stop::Failed(why)) => Err(Error::failure(format!("demo failed: {why}"))),
        Ok(()) => {
            let checks = Checks::of(&hub.log, scenarios);
            let ok = checks.ok && gone;
            let text = format!(
                "{} in {}: {}",
                if ok {
                    "all checks passed"
                } else {
                    "CHECKS FAILED"
                },
                session::fmt_duration(started.elapsed()),
                checks.lines.join("; ")
            );
            let elapsed = started.elapsed().as_millis() as u64;
            hub.say("summary", if ok { "ok" } else { "failed" }, &text, |e| {
                let mut e = e.with("ok", ok).with("elapsed_ms", elapsed);
                for (k, v) in &checks.fields {
                    e = e.with(k, v.clone());
                }
                e
            });
            Ok(if ok { exit::OK } else { exit::FAILURE })
        }
    };
    // The picture of whatever happened, a failed or interrupted run's too.
    let drawn = match &mut picture {
        Some(p) => p.draw(&hub),
        None => Ok(()),
    };
    result.and_then(|code| drawn.map(|()| code))
}

/// The file `--timeline` draws in, made at the start; removed when the demo ends before
/// anything is drawn (no server, say).
struct Picture<'a> {
    path: &'a Path,
    file: File,
    drawn: bool,
}

impl Picture<'_> {
    /// Every event shown, drawn as `zkdemo timeline` draws a saved `--json` log.
    fn draw(&mut self, hub: &Hub) -> exit::Result<()> {
        let (t, svg) = timeline::picture(&timeline::records_of(&hub.story))?;
        timeline::write(&mut self.file, &svg, &self.path.display().to_string())?;
        self.drawn = true;
        if !hub.out.json && !hub.out.quiet {
            let prefix = hub.paint("1", &present::pad("[demo]"));
            present::print_line(&format!("{prefix} {}", timeline::summary(&t, self.path)));
        }
        Ok(())
    }
}

impl Drop for Picture<'_> {
    fn drop(&mut self) {
        if !self.drawn {
            let _ = std::fs::remove_file(self.path);
        }
    }
}

/// The znodes of one run.
struct Paths {
    lock: String,
    election: String,
    config: String,
}

impl Paths {
    fn new(base: &str) -> Paths {
        Paths {
            lock: format!("{base}/lock"),
            election: format!("{base}/election"),
            config: format!("{base}/configs/demo"),
        }
    }
    fn of(&self, s: Scenario) -> String {
        match s {
            Scenario::Lock => self.lock.clone(),
            Scenario::Elect => self.election.clone(),
            _ => self.config.clone(),
        }
    }
}

/// Create our base node; a random name that already exists is never reused.
fn make_base(s: &Session) -> exit::Result<String> {
    for _ in 0..5 {
        let base = format!("/zkdemo-demo-{:016x}", rand::random::<u64>());
        match s.create(&base, b"zkdemo demo".to_vec(), NodeKind::Persistent) {
            Ok(_) => return Ok(base),
            Err(session::Error::NodeExists) => continue,
            Err(e) => return Err(e.to_exit(&format!("creating {base}"))),
        }
    }
    Err(Error::failure(
        "cannot find a free name for the demo's znode",
    ))
}
