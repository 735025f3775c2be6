//! `zkdemo elect`: leader election on the same queue as `lock` (kazoo's `Election` is a kazoo
//! `Lock` underneath, so kazoo and zkdemo nodes share one election).
//!
//! Node mode retells the seed's `leader_node.py`: join, lead or follow, print every change
//! seen, resign on Ctrl-C (our node deleted at once, so the next node leads within
//! milliseconds). With a command, the command runs only while this process leads, and is
//! stopped (as `lock` stops it) before anyone else can lead. `--observe` only watches.

use std::time::{Duration, Instant};

use clap::Args;

mod observe;

use crate::cli::{parse_duration, GlobalArgs};
use crate::exit;
use crate::guard::{self, End, Held};
use crate::inspect::view::{escape_display, escape_invalid};
use crate::output::{Event, Output};
use crate::queue::{self, Contender, Mine, Waited};
use crate::session::{self, Session, SessionConfig};
use crate::signals;

const EXAMPLES: &str = "\
Examples:
  # The seed's three nodes (each in its own terminal); stop the leader with Ctrl-C and
  # watch another take over at once:
  zkdemo elect --id 1
  zkdemo elect --id 2
  zkdemo elect --id 3

  # Rotate leadership for a demo: each leader resigns after 3s and queues again
  zkdemo elect --id 1 --lead 3s

  # Run the scheduler only on the leader; it is stopped if leadership is lost
  zkdemo elect --path /services/cron -- ./scheduler

  # Who leads? (does not campaign)
  zkdemo elect --observe

The leader command gets ZKDEMO_ELECTION_PATH, ZKDEMO_LEADER_NODE, ZKDEMO_SESSION_ID and
ZKDEMO_FENCING_TOKEN (grows with every new leadership).

Exit codes: the leader command's own code when it exits (by itself, or after a signal zkdemo
passed on to it); 0 after --count; 69 ZooKeeper unreachable; 76 the directory's sequence
counter reached its limit; 130/143 interrupted by SIGINT/SIGTERM while following.";

/// Compete for leadership (kazoo-compatible), or observe who leads.
#[derive(Debug, Args)]
#[command(
    long_about = "Compete for leadership: the node with the lowest sequence leads; each other \
node watches only the one ahead of it. When the leader stops (Ctrl-C, SIGTERM, --lead \
elapsed) its node is deleted at once and the next one leads within milliseconds; when it \
dies, the next one leads once its session expires. Nodes are kazoo's, so a kazoo Election \
on the same path takes part in the same election.\n\nWith a command after `--`, the command \
runs only while this process leads; when leadership is lost it is stopped (SIGTERM, \
--kill-grace, SIGKILL) before another node can lead, and this node queues again.",
    after_help = EXAMPLES
)]
pub struct ElectArgs {
    /// The election's znode.
    #[arg(long, default_value = "/demo-election", value_parser = crate::session::parse_node_path_arg)]
    pub path: String,

    /// This node's id, stored as its node's data [default: <hostname>-<pid>].
    #[arg(long)]
    pub id: Option<String>,

    /// Resign after leading this long, and queue again at the back.
    #[arg(long, value_parser = parse_duration, value_name = "DURATION")]
    pub lead: Option<Duration>,

    /// Exit after leading this many times.
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Do not campaign: print the current leader and every change.
    #[arg(long, conflicts_with_all = ["lead", "count", "command", "id"])]
    pub observe: bool,

    /// After SIGTERM, how long the leader command may take to stop before SIGKILL.
    #[arg(long, default_value = "5s", value_parser = parse_duration, value_name = "DURATION")]
    pub kill_grace: Duration,

    /// The command to run while leading (after `--`).
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

pub fn run(args: &ElectArgs, g: &GlobalArgs, out: Output) -> exit::Result<i32> {
    let cfg = SessionConfig::from_args(g);
    if args.observe {
        let (tx, rx, _signals) = queue::channel();
        return observe::observe(args, &cfg, out, rx, tx);
    }
    let c = Contender::new(&args.path, args.id.as_deref(), cfg);
    let mut n = Node {
        args,
        out,
        c,
        leading_since: None,
        rejoining: false,
    };
    let code = n.main();
    // Say so before our node goes: the moment it is deleted another node may lead, and the
    // histories of `leader` .. `resigned` must never overlap. (A leader command has exited
    // by now: `lead` returns only once it has.)
    if n.leading_since.take().is_some() {
        n.emit_resigned();
    }
    // Resign: closing the session deletes our node at once, within a deadline.
    n.c.close();
    code
}

struct Node<'a> {
    args: &'a ElectArgs,
    out: Output,
    c: Contender,
    leading_since: Option<Instant>,
    /// Set once we have been in the election: from then on an unreachable ZooKeeper is
    /// waited out (the node keeps trying), not an error.
    rejoining: bool,
}

/// How a term as leader ended.
enum Term {
    /// `--lead` elapsed: resign and queue again.
    Resign,
    Signal(i32),
    /// The leader command exited by itself with this code.
    CommandExited(i32),
    Lost(String),
}

impl Node<'_> {
    fn main(&mut self) -> exit::Result<i32> {
        let mut led = 0u64;
        loop {
            let mine = match self.join_and_wait()? {
                Ok(mine) => mine,
                Err(code) => return Ok(code),
            };
            led += 1;
            self.leading_since = Some(Instant::now());
            self.out.emit(
                &Event::new("leader")
                    .with("id", self.c.id.clone())
                    .with("path", self.args.path.clone())
                    .with("node", mine.name.clone())
                    .with("seq", mine.seq)
                    .with("fencing_token", mine.czxid)
                    .with("session", session::fmt_session_id(mine.session_id))
                    .text(format!("node {} is the leader", self.c.id)),
            );
            match self.lead(&mine) {
                Term::Signal(sig) => return Ok(signals::exit_code(sig)),
                Term::CommandExited(code) => return Ok(code),
                Term::Resign => {
                    // `resigned` first: once the node is deleted the next one may lead.
                    self.leading_since = None;
                    self.emit_resigned();
                    self.c.leave_or_replace();
                }
                Term::Lost(why) => {
                    self.leading_since = None;
                    self.out.emit(
                        &Event::new("lost")
                            .with("id", self.c.id.clone())
                            .with("reason", why.clone())
                            .text(format!("node {} LOST leadership: {why}", self.c.id)),
                    );
                    self.c.leave_or_replace();
                }
            }
            if self.args.count.is_some_and(|c| led >= c) {
                return Ok(exit::OK);
            }
        }
    }

    fn emit_resigned(&self) {
        self.out.emit(
            &Event::new("resigned")
                .with("id", self.c.id.clone())
                .text(format!("node {} resigned", self.c.id)),
        );
    }

    /// Join (with a new session when needed) and follow until we lead. `Err(code)`: exit.
    fn join_and_wait(&mut self) -> exit::Result<Result<Mine, i32>> {
        loop {
            // A node that was in the election keeps trying, as the seed's nodes do.
            if !self.rejoining {
                self.c.session()?;
            } else if let Some(sig) = self.c.session_patiently()? {
                return Ok(Err(signals::exit_code(sig)));
            }
            let s = self.c.session.as_ref().expect("connected");
            let mine = match self.c.queue.join(s) {
                Ok(m) => m,
                // No answer (or no session): a new session, and join again.
                Err(queue::Error::Session(e)) if e.is_connection() || s.is_lost() => {
                    log::info!("node {}: cannot join ({e}); with a new session", self.c.id);
                    self.c.replace_session();
                    continue;
                }
                Err(e) => {
                    return Err(e.to_exit(&format!("joining the election at {}", self.args.path)))
                }
            };
            self.rejoining = true;
            self.out.emit(
                &Event::new("joined")
                    .with("id", self.c.id.clone())
                    .with("node", mine.name.clone())
                    .with("seq", mine.seq)
                    .text(format!(
                        "node {} joined the election {} ({})",
                        self.c.id, self.args.path, mine.name
                    )),
            );
            let (out, id, path) = (self.out, self.c.id.clone(), self.args.path.clone());
            let mut last_leader = String::new();
            let queue = &mut self.c.queue;
            let waited = queue.wait_first(s, &self.c.rx, &self.c.tx, None, |pos| {
                if pos.head.name == last_leader {
                    return;
                }
                last_leader = pos.head.name.clone();
                let raw = read_id(s, &format!("{path}/{}", pos.head.name));
                let leader_id = escape_invalid(&raw);
                let shown = escape_display(&raw, true);
                let followed = pos
                    .predecessor
                    .as_ref()
                    .map(|n| n.name.clone())
                    .unwrap_or_default();
                out.emit(
                    &Event::new("follower")
                        .with("id", id.clone())
                        .with("leader", leader_id.clone())
                        .with("leader_node", pos.head.name.clone())
                        .with("following", followed)
                        .with("position", pos.index)
                        .text(format!(
                            "node {} follows node {shown}",
                            escape_display(id.as_bytes(), true)
                        )),
                );
            });
            match waited {
                Ok(Waited::First(_)) => {
                    return Ok(Ok(self.c.queue.mine().cloned().expect("joined")))
                }
                Ok(Waited::Signal(sig)) => return Ok(Err(signals::exit_code(sig))),
                Ok(Waited::TimedOut) => continue,
                Ok(Waited::Lost(why)) => {
                    log::info!("node {}: lost our place ({why}); joining again", self.c.id);
                    self.c.leave_or_replace();
                }
                Err(queue::Error::Session(e)) if e.is_connection() => {
                    log::info!("node {}: {e}; joining again with a new session", self.c.id);
                    self.c.replace_session();
                }
                Err(e) => {
                    return Err(e.to_exit(&format!("following the election at {}", self.args.path)))
                }
            }
        }
    }

    /// One term as leader.
    fn lead(&mut self, mine: &Mine) -> Term {
        let s = self.c.session.as_ref().expect("connected");
        if !self.args.command.is_empty() {
            let env = vec![
                ("ZKDEMO_ELECTION_PATH".to_owned(), self.args.path.clone()),
                ("ZKDEMO_LEADER_NODE".to_owned(), mine.path.clone()),
                (
                    "ZKDEMO_SESSION_ID".to_owned(),
                    session::fmt_session_id(mine.session_id),
                ),
                ("ZKDEMO_FENCING_TOKEN".to_owned(), mine.czxid.to_string()),
            ];
            let mut on_lost = |_: &str| {};
            return match guard::run(
                s,
                &self.c.queue,
                &self.c.rx,
                &self.c.tx,
                &self.args.command,
                &env,
                self.args.kill_grace,
                &mut on_lost,
            ) {
                // After a signal too: the command's own code (it was passed the signal).
                Ok(End::Exited(code)) => Term::CommandExited(code),
                Ok(End::Lost(why)) => Term::Lost(why),
                Err(e) => {
                    eprintln!("zkdemo: cannot run {:?}: {e}", self.args.command[0]);
                    Term::CommandExited(127)
                }
            };
        }
        let until = self.args.lead.map(|d| Instant::now() + d);
        match guard::hold(s, &self.c.queue, &self.c.rx, &self.c.tx, until) {
            Held::Done => Term::Resign,
            Held::Signal(sig) => Term::Signal(sig),
            Held::Lost(why) => Term::Lost(why),
        }
    }
}

/// A contender's id as stored (another client may store control bytes or invalid UTF-8: show
/// it with `escape_display`, put it in JSON with `escape_invalid`, as `inspect` does).
fn read_id(s: &Session, path: &str) -> Vec<u8> {
    s.get_data(path).map(|(d, _)| d).unwrap_or_default()
}
