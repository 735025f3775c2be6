//! `zkdemo elect`: leader election on the same queue as `lock` (kazoo's `Election` is a kazoo
//! `Lock` underneath, so kazoo and zkdemo nodes share one election).
//!
//! Node mode retells the original `leader_node.py`: join, lead or follow, print every change
//! seen, resign on Ctrl-C (our node deleted at once, so the next node leads within
//! milliseconds). With a command, the command runs only while this process leads, and is
//! stopped (as `lock` stops it) before anyone else can lead. `--observe` only watches.

use std::time::{Duration, Instant};

use clap::{Args, ValueEnum};

mod observe;

use crate::cli::{parse_lead, ContenderArgs, Context};
use crate::contender::{hold_event, Contender, Ended, Guarded, Progress, Turn};
use crate::exit;
use crate::output::{Event, Output};
use crate::queue::Recipe;
use crate::signals;
use crate::text::{escape_display, escape_invalid};

const EXAMPLES: &str = "\
Examples:
  # Three nodes, as the original leader_node.py (each in its own terminal);
  # stop the leader with Ctrl-C and watch another take over at once:
  zkdemo elect --id 1
  zkdemo elect --id 2
  zkdemo elect --id 3

  # Rotate leadership for a demo: each leader resigns after 3s and queues again
  zkdemo elect --id 1 --lead 3s

  # Run the scheduler only on the leader; it is stopped if leadership is lost
  zkdemo elect --path /services/cron -- ./scheduler

  # Who leads? (does not campaign)
  zkdemo elect --observe

  # Join the election of a Java service that runs Curator's LeaderLatch
  zkdemo elect --format curator --path /services/leader -- ./standby-tasks

The leader command gets ZKDEMO_ELECTION_PATH, ZKDEMO_LEADER_NODE, ZKDEMO_SESSION_ID and
ZKDEMO_FENCING_TOKEN (grows with every new leadership).

Exit codes: the leader command's own code when it exits (by itself, or after a signal zkdemo
passed on to it); 0 after --count; 2 bad usage, or a directory of another --format's nodes
(nothing written); 69 ZooKeeper unreachable; 76 the directory's sequence counter reached its
limit; 130/143 interrupted by SIGINT/SIGTERM while following.";

/// Compete for leadership (kazoo- or Curator-compatible), or observe who leads.
#[derive(Debug, Args)]
#[command(
    long_about = "Compete for leadership: the node with the lowest sequence leads; each other \
node waits for the one ahead of it, and watches the leader to say whom it follows after every \
change. When the leader stops (Ctrl-C, SIGTERM, --lead elapsed) its node is deleted at once \
and the next one leads within milliseconds; when it dies, the next one leads once its session \
expires. Nodes are kazoo's, so a kazoo Election on the same path takes part in the same election; \
--format curator joins a Curator LeaderLatch instead, --format curator-selector a LeaderSelector.\n\nWith a command after `--`, the command \
runs only while this process leads; when leadership is lost it is stopped (SIGTERM, \
--kill-grace, SIGKILL) before another node can lead, and this node queues again.",
    after_help = EXAMPLES,
    mut_arg("command", |a| a.help("The command to run while this node leads (after `--`)"))
)]
pub struct ElectArgs {
    /// The election's znode.
    #[arg(long, default_value = "/demo-election", value_parser = crate::cli::parse_node_path)]
    pub path: String,

    /// Whose election to join: kazoo's Election (`<uuid>__lock__<seq>`), Curator's
    /// LeaderLatch (`_c_<uuid>-latch-<seq>`), or Curator's LeaderSelector (which stands on
    /// Curator's mutex, `-lock-`). A directory of another format's nodes is refused (exit 2).
    /// `--observe` reads the format from the nodes it finds.
    #[arg(long, value_enum, default_value_t = ElectFormat::Kazoo, value_name = "FORMAT",
          conflicts_with = "observe")]
    pub format: ElectFormat,

    #[command(flatten)]
    pub contender: ContenderArgs,

    /// Resign after leading this long, and queue again at the back.
    #[arg(long, value_parser = parse_lead, value_name = "DURATION")]
    pub lead: Option<Duration>,

    /// Exit after leading this many times.
    #[arg(long, value_name = "N", value_parser = crate::cli::parse_count)]
    pub count: Option<u64>,

    /// Do not campaign: print the current leader (with its node's creation time: when it began
    /// to lead is not known) and every change (dated when it was seen).
    #[arg(long, conflicts_with_all = ["lead", "count", "command", "id"])]
    pub observe: bool,
}

/// The election recipe to join (`--format`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum ElectFormat {
    /// kazoo's Election (a kazoo Lock underneath).
    Kazoo,
    /// Curator's LeaderLatch.
    Curator,
    /// Curator's LeaderSelector: the leader is the holder of Curator's InterProcessMutex.
    CuratorSelector,
}

impl ElectFormat {
    fn recipe(self) -> Recipe {
        match self {
            ElectFormat::Kazoo => Recipe::Kazoo,
            ElectFormat::Curator => Recipe::CuratorLatch,
            ElectFormat::CuratorSelector => Recipe::CuratorMutex,
        }
    }
}

pub fn run(args: &ElectArgs, ctx: &Context) -> exit::Result<i32> {
    if args.observe {
        return observe::observe(args, &ctx.session, ctx.out);
    }
    // A node waits out an outage once it has been in the election, as the original scripts'
    // nodes do.
    let c = Contender::new(
        &args.path,
        args.contender.id.as_deref(),
        args.format.recipe(),
        None,
        ctx.session.clone(),
        true,
    )
    .watching_the_head();
    // With a command, stdout is the command's: our lines go to stderr.
    let out = if args.contender.command.is_empty() {
        ctx.out
    } else {
        ctx.out.leaving_stdout()
    };
    let mut n = Node {
        args,
        out,
        c,
        leading_since: None,
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
}

impl Node<'_> {
    fn main(&mut self) -> exit::Result<i32> {
        let mut led = 0u64;
        loop {
            let mine = match self.wait_turn()? {
                Turn::First(mine) => mine,
                Turn::Signal(sig) => return Ok(signals::exit_code(sig)),
                Turn::TimedOut => continue, // no deadline: not reached
            };
            led += 1;
            self.leading_since = Some(Instant::now());
            self.out.emit(
                &hold_event("leader", self.c.id(), &self.args.path, &mine)
                    .text(format!("node {} is the leader", self.c.id())),
            );
            match self.lead()? {
                Ended::Signal(sig) => return Ok(signals::exit_code(sig)),
                // After a signal too: the command's own code (it was passed the signal).
                Ended::Exited(code) => return Ok(code),
                // `resigned` first: once the node is deleted the next one may lead.
                Ended::Done => {
                    self.leading_since = None;
                    self.emit_resigned();
                }
                // `lost` was said as the hold was given up; campaign again.
                Ended::Lost(_) => self.leading_since = None,
            }
            self.c.release();
            if self.args.count.is_some_and(|c| led >= c) {
                return Ok(exit::OK);
            }
        }
    }

    fn emit_resigned(&self) {
        self.out.emit(
            &Event::new("resigned")
                .with("id", self.c.id())
                .text(format!("node {} resigned", self.c.id())),
        );
    }

    /// Join and follow until we lead, saying whom we follow whenever the leader changes.
    fn wait_turn(&mut self) -> exit::Result<Turn> {
        let (out, id, path) = (self.out, self.c.id().to_owned(), self.args.path.clone());
        let mut last_leader = String::new();
        self.c
            .wait_turn(None, |p| match p {
                Progress::Joined(mine) => {
                    last_leader.clear();
                    out.emit(
                        &Event::new("joined")
                            .with("id", id.clone())
                            .with("node", mine.name.clone())
                            .with("seq", mine.seq)
                            .text(format!(
                                "node {id} joined the election {path} ({})",
                                mine.name
                            )),
                    )
                }
                Progress::Waiting(w) => {
                    let pos = w.pos;
                    if pos.head.name == last_leader {
                        return;
                    }
                    last_leader = pos.head.name.clone();
                    // Another client may store control bytes or invalid UTF-8: show it with
                    // `escape_display`, put it in JSON with `escape_invalid`, as `inspect` does.
                    let raw = w.id_of(&pos.head);
                    let followed = pos
                        .blocker
                        .as_ref()
                        .map(|n| n.name.clone())
                        .unwrap_or_default();
                    out.emit(
                        &Event::new("follower")
                            .with("id", id.clone())
                            .with("leader", escape_invalid(&raw))
                            .with("leader_node", pos.head.name.clone())
                            .with("following", followed)
                            .with("position", pos.index + 1)
                            .text(format!(
                                "node {} follows node {}",
                                escape_display(id.as_bytes(), true),
                                escape_display(&raw, true)
                            )),
                    );
                }
            })
            .map_err(|e| e.to_exit(&format!("the election at {}", self.args.path)))
    }

    /// One term as leader: with a command, until it exits; without, until --lead elapses.
    fn lead(&mut self) -> exit::Result<Ended> {
        let (out, id) = (self.out, self.c.id().to_owned());
        let mut on_lost = |why: &str| {
            out.emit(
                &Event::new("lost")
                    .with("id", id.clone())
                    .with("reason", why)
                    .text(format!("node {id} LOST leadership: {why}")),
            )
        };
        let argv = &self.args.contender.command;
        if argv.is_empty() {
            let until = self.args.lead.map(|d| Instant::now() + d);
            return Ok(self.c.hold(until, &mut on_lost));
        }
        let cmd = Guarded {
            argv,
            kill_grace: self.args.contender.kill_grace,
            path_var: "ZKDEMO_ELECTION_PATH",
            node_var: "ZKDEMO_LEADER_NODE",
        };
        match self.c.guard(&cmd, &mut on_lost) {
            Ok(ended) => Ok(ended),
            Err(e) => {
                eprintln!("zkdemo: cannot run {:?}: {e}", argv[0]);
                Ok(Ended::Exited(127))
            }
        }
    }
}
