//! `zkdemo inspect`: who holds, who leads, who waits, and what the configs say — once, as a
//! tree, or live.
//!
//! - `read` reads a path into a `view::View` through the watch recipes (`crate::watch`),
//!   which arm watches with `--watch`;
//! - `view` decides what it is (a lock/election queue, a kazoo semaphore, a config, a plain
//!   node, a tree), who holds and what is wrong, and prints it;
//! - `live` is the `--watch` loop;
//! - `servers` asks each server with four-letter words (`--servers`).
//!
//! JSON (`--json`): one `inspect` event per state, `{"event":"inspect","ts":…,"state":N,
//! "status":null|"…","paths":[VIEW…]}`, where each VIEW has `path` and `kind` (`queue`,
//! `semaphore`, `config`, `node`, `tree`, `absent`, `denied`); `--servers` prints one `server` event
//! per server.
//!
//! `--watch` is driven by watches, not polling: every read arms a watch on what it read, a
//! firing watch (or a session event, or a signal) arrives in one inbox (`crate::inbox`), and
//! the loop reads again and prints the new state if anything shown changed.

mod live;
mod read;
mod servers;
pub mod view;

use std::time::{SystemTime, UNIX_EPOCH};

use clap::Args;
use serde_json::Value;

use crate::cli::Context;
use crate::exit;
use crate::output::{Event, Output};
use crate::session::{self, Session, SessionConfig};
use read::{Reader, Target, Watches};
use view::{RoleHint, View};

/// The paths shown when none is given.
pub const DEFAULT_LOCK: &str = "/demo-lock";
pub const DEFAULT_ELECTION: &str = "/demo-election";
pub const DEFAULT_CONFIGS: &str = "/configs";

const EXAMPLES: &str = "\
Examples:
  zkdemo inspect
      /demo-lock, /demo-election and every config under /configs.
  zkdemo inspect /demo-lock
      What `zkCli ls /demo-lock` and a `get /demo-lock/<node>` of each child told you by
      hand: the contenders in queue order (the lowest sequence holds), each one's id,
      session and age, and anything wrong (a persistent contender, two of one session,
      one id in two sessions: a stuck old session of a restarted worker, kazoo and
      Curator nodes mixed).
  zkdemo inspect /demo-election
      The same for an election: the lowest sequence leads (`get /demo-election/<node>`
      shows its id).
  zkdemo inspect /demo-sem
      A kazoo Semaphore: its limit (the data of /demo-sem), the leases in use (each
      holder's id, session and since when), how many are free, and who is queued for one
      at /demo-sem-__lock__ (the first is acquiring a lease; more leases than the limit,
      or one that is not ephemeral, is flagged).
  zkdemo inspect --watch /demo-lock
      Like `ls /demo-lock true`, but redrawn on every change until Ctrl-C.
  zkdemo inspect -R /
      The whole tree, with child counts and data sizes.
  zkdemo inspect --servers --zk h1:2181,h2:2181,h3:2181
      Each server's mode (leader/follower/standalone), version, latency, connections.

A lock or election is any path whose children are kazoo, Curator or go-zookeeper contender
nodes, or whose name contains lock, mutex, elect, leader or latch. Its head is called the
leader when the name contains elect, leader or latch (or a Curator LeaderLatch node is
there), the holder otherwise; --role says it outright. Who holds follows each recipe's
own rule: readers of a read/write lock share it while no writer is ahead of them.
A semaphore is a path whose data is a number (the limit) with a PATH-__lock__ sibling, or
with children that are all leases (32 hex digits); --role shows it as a queue instead.
A config is a node under /configs or one whose data is key=value lines. Anything else is
shown like `zkCli get -s`. A node whose ACL does not let this session read it is named
(\"not readable\") among the others; see --auth.

Exit codes: 0; 3 when a path given does not exist; 77 when a path given may not be read;
69 when no server can be reached
(with --servers: when no server tells its state); 130/143 after Ctrl-C/SIGTERM in --watch.";

/// Show locks, elections and configs as they are: once, as a tree, or live.
#[derive(Debug, Args)]
#[command(after_help = "Examples and what counts as a lock, an election or a config: --help", after_long_help = EXAMPLES)]
pub struct InspectArgs {
    /// The paths to show (default: /demo-lock, /demo-election and each child of /configs,
    /// where a missing one is reported, not an error).
    #[arg(value_name = "PATH", value_parser = crate::cli::parse_path)]
    pub paths: Vec<String>,

    /// Show the subtree under each path, indented, with child counts and data sizes.
    #[arg(short = 'R', long)]
    pub tree: bool,

    /// Stay, and show the new state whenever something shown changes (watches, not polling)
    /// until Ctrl-C. On a terminal the screen is redrawn in place.
    #[arg(short, long)]
    pub watch: bool,

    /// What the head of a lock/election queue is called (auto: guessed from the path).
    #[arg(long, value_enum, default_value_t = RoleHint::Auto)]
    pub role: RoleHint,

    /// Ask each server of --zk for its mode, version, latency, connections and znode count
    /// (four-letter words srvr/mntr); needs no session.
    #[arg(long, conflicts_with_all = ["paths", "tree", "watch", "role"])]
    pub servers: bool,
}

pub fn run(a: &InspectArgs, ctx: &Context) -> exit::Result<i32> {
    let (cfg, out) = (&ctx.session, ctx.out);
    if a.servers {
        return servers::run(cfg, out);
    }
    let explicit = !a.paths.is_empty();
    let targets: Vec<Target> = if explicit {
        a.paths.iter().cloned().map(Target::Path).collect()
    } else if a.tree {
        [DEFAULT_LOCK, DEFAULT_ELECTION, DEFAULT_CONFIGS]
            .map(|p| Target::Path(p.into()))
            .to_vec()
    } else {
        vec![
            Target::Path(DEFAULT_LOCK.into()),
            Target::Path(DEFAULT_ELECTION.into()),
            Target::EachChild(DEFAULT_CONFIGS.into()),
        ]
    };
    let ctx = Ctx {
        targets,
        hint: a.role,
        tree: a.tree,
        explicit,
        watching: a.watch,
        out,
    };
    if a.watch {
        live::run(&ctx, cfg)
    } else {
        once(&ctx, cfg)
    }
}

struct Ctx {
    targets: Vec<Target>,
    hint: RoleHint,
    tree: bool,
    /// Paths named by the user: a missing one is an error (exit 3), not a line of the report.
    explicit: bool,
    watching: bool,
    out: Output,
}

impl Ctx {
    fn read(&self, r: &mut Reader) -> session::Result<Vec<View>> {
        let mut views = Vec::new();
        for t in &self.targets {
            views.extend(r.target(t, self.hint, self.tree)?);
        }
        Ok(views)
    }

    fn missing(&self, views: &[View]) -> Vec<String> {
        self.named(views, |v| matches!(v, View::Absent { .. }))
    }

    /// The paths of the views that are `which`, when the user named the paths (none for the
    /// default listing: it shows what it can, a private node among the others by its name).
    fn named(&self, views: &[View], which: impl Fn(&View) -> bool) -> Vec<String> {
        if !self.explicit {
            return Vec::new();
        }
        views
            .iter()
            .filter(|v| which(v))
            .map(|v| v.path().to_owned())
            .collect()
    }

    /// The state as one event: JSON with every view, or the text of each (a missing or
    /// unreadable path the user named is left to the error message, in text).
    fn event(&self, state: u64, status: Option<&str>, views: &[View]) -> Event {
        let now = now_ms();
        let json: Vec<Value> = views.iter().map(|v| view::to_json(v, now)).collect();
        let mut text = String::new();
        if let Some(s) = status {
            text.push_str(&format!("({s})\n\n"));
        }
        let mut first = true;
        for v in views {
            if self.explicit
                && !self.watching
                && matches!(v, View::Absent { .. } | View::Denied { .. })
            {
                continue;
            }
            if !first {
                text.push('\n');
            }
            first = false;
            text.push_str(&view::to_text(v, now));
        }
        Event::new("inspect")
            .with("state", state)
            .with("status", status)
            .with("paths", json)
            .text(text.trim_end().to_owned())
    }
}

fn now_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis() as i64)
}

pub(super) fn not_found(missing: &[String]) -> exit::Error {
    exit::Error::new(
        exit::NOT_FOUND,
        format!(
            "no such node: {} (list what exists with `zkdemo inspect -R /`)",
            missing.join(", ")
        ),
    )
}

fn once(ctx: &Ctx, cfg: &SessionConfig) -> exit::Result<i32> {
    let s = Session::connect(cfg, |_| {})?;
    let views = ctx
        .read(&mut Reader {
            session: &s,
            watches: &mut Watches::default(),
            waker: None,
        })
        .map_err(|e| e.to_exit("reading"))?;
    ctx.out.emit(&ctx.event(0, None, &views));
    s.close();
    let missing = ctx.missing(&views);
    if !missing.is_empty() {
        return Err(not_found(&missing));
    }
    let denied = ctx.named(&views, |v| matches!(v, View::Denied { .. }));
    if !denied.is_empty() {
        return Err(exit::Error::new(
            exit::NO_PERMISSION,
            format!(
                "not allowed to read {}: its ACL does not grant this session READ; see --auth",
                denied.join(", ")
            ),
        ));
    }
    Ok(exit::OK)
}
