//! `zkdemo lock`: a fair distributed lock, compatible with kazoo's `Lock`.
//!
//! Worker mode (no command) retells the original `lock_worker.py`: wait, hold for `--hold`,
//! release, pause, again. Command mode runs one command while holding, like `flock` or
//! `etcdctl lock`, and exits with its code. Waiting, holding and guarding are the
//! `contender`'s; what is lock's own: the deadline (-n/-w), worker rounds, and that a lost
//! hold ends a command run with exit 79.

use std::time::{Duration, Instant};

use clap::Args;

use crate::cli::{parse_duration_or_zero, ContenderArgs, Context};
use crate::contender::{hold_event, Contender, Ended, Guarded, Progress, Turn};
use crate::exit::{self, Error};
use crate::output::{Event, Output};
use crate::queue::OwnNode;
use crate::session::fmt_duration;
use crate::signals;
use crate::text::{escape_display, escape_invalid};

const EXAMPLES: &str = "\
Examples:
  # Three workers taking turns, as the original lock_worker.py (run each in its own terminal):
  zkdemo lock --id 1
  zkdemo lock --id 2
  zkdemo lock --id 3

  # Guard a job: only one backup runs at a time across all hosts
  zkdemo lock --path /jobs/backup -- ./backup.sh --full

  # Give up at once if someone holds it (exit code 75), or after waiting 30s
  zkdemo lock -n --path /jobs/backup -- ./backup.sh
  zkdemo lock -w 30s --path /jobs/backup -- ./backup.sh

The command gets ZKDEMO_LOCK_PATH, ZKDEMO_LOCK_NODE, ZKDEMO_SESSION_ID and
ZKDEMO_FENCING_TOKEN (a number that grows with every acquisition: pass it to the storage
you write to, and have it refuse smaller ones).

A signal to zkdemo (SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1/2, SIGALRM) is passed on to the
command's process group; zkdemo waits for it (SIGKILL after --kill-grace), then releases.
Whatever the command leaves running is stopped before the lock is released.

Exit codes: the command's own code in command mode (after a signal too); 0 in worker mode;
75 lock not acquired (-n/-w, see -E); 76 the directory's sequence counter reached its limit;
77 not allowed (NoAuth); 79 lock lost while held (the command was stopped); 69 ZooKeeper
unreachable; 130/143 interrupted by SIGINT/SIGTERM while waiting.";

const LONG_ABOUT: &str = "Take a distributed lock: one holder at a time, in the order of arrival, \
without a herd effect (each waiter watches only the one ahead of it). The lock node is \
kazoo's (`<uuid>__lock__<seq>`), so a kazoo Lock on the same path and zkdemo exclude each \
other.\n\nWithout a command, act as the original lock_worker.py: wait, hold for --hold, release, pause \
for --pause, again (until --count or Ctrl-C). With a command after `--`, run it once while \
holding the lock. If contact with ZooKeeper is lost and not back in time, the command's \
whole process group is stopped (SIGTERM, --kill-grace, SIGKILL) before the session can \
expire and the lock pass to someone else.";

/// Take a distributed lock, one holder at a time, in queue order (kazoo-compatible).
#[derive(Debug, Args)]
#[command(
    long_about = LONG_ABOUT,
    after_help = EXAMPLES
)]
pub struct LockArgs {
    /// The lock's znode.
    #[arg(long, default_value = "/demo-lock", value_parser = crate::cli::parse_node_path)]
    pub path: String,

    #[command(flatten)]
    pub contender: ContenderArgs,

    /// Worker mode: how long to hold the lock each time; 0s releases it at once [default: 2s].
    #[arg(long, value_parser = parse_duration_or_zero, conflicts_with = "command",
          value_name = "DURATION")]
    pub hold: Option<Duration>,

    /// Worker mode: how long to wait after releasing before queueing again; 0s queues again at
    /// once [default: 1s].
    #[arg(long, value_parser = parse_duration_or_zero, conflicts_with = "command",
          value_name = "DURATION")]
    pub pause: Option<Duration>,

    /// Worker mode: stop after this many acquisitions [default: until Ctrl-C].
    #[arg(long, conflicts_with = "command", value_parser = clap::value_parser!(u64).range(1..),
          value_name = "N")]
    pub count: Option<u64>,

    /// Give up after waiting this long for the lock (0s: the same as -n).
    #[arg(short, long, value_parser = parse_duration_or_zero, value_name = "DURATION")]
    pub wait: Option<Duration>,

    /// Give up at once if someone holds the lock.
    #[arg(short, long, conflicts_with = "wait")]
    pub nonblock: bool,

    /// Exit code when giving up (-n, -w).
    #[arg(short = 'E', long, default_value_t = exit::CONFLICT, value_name = "N")]
    pub conflict_exit_code: i32,
}

impl LockArgs {
    /// -n, or -w 0s (the same thing): whatever is already known decides.
    fn gives_up_at_once(&self) -> bool {
        self.nonblock || self.wait.is_some_and(|w| w.is_zero())
    }
}

pub fn run(args: &LockArgs, ctx: &Context) -> exit::Result<i32> {
    let command = &args.contender.command;
    // A worker waits out an outage once it has been in the queue, as the original scripts'
    // workers do; a command run and the one-shot forms (-n, -w) fail with exit 69.
    let patient = command.is_empty() && !args.nonblock && args.wait.is_none();
    let c = Contender::new(
        &args.path,
        args.contender.id.as_deref(),
        ctx.session.clone(),
        patient,
    );
    // Command mode leaves stdout to the command: our lines go to stderr, and speak of the
    // lock, not of a worker.
    let (out, voice) = if command.is_empty() {
        let id = c.id().to_owned();
        (ctx.out, Voice::Worker(id))
    } else {
        (ctx.out.leaving_stdout(), Voice::Command(args.path.clone()))
    };
    let mut w = Worker {
        args,
        out,
        voice,
        c,
        holding_since: None,
    };
    let code = w.main();
    if let Some(since) = w.holding_since.take() {
        w.emit_released(since); // before the close that frees the lock: see `release`
    }
    w.c.close();
    code
}

struct Worker<'a> {
    args: &'a LockArgs,
    out: Output,
    voice: Voice,
    c: Contender,
    /// Set while we hold the lock.
    holding_since: Option<Instant>,
}

/// Who the lines for people speak of: a worker (worker mode, on stdout), or the lock a command
/// runs under (command mode, on stderr: stdout is the command's).
#[derive(Clone)]
enum Voice {
    Worker(String),
    Command(String),
}

impl Voice {
    fn queued(&self, position: usize, ahead: &str) -> String {
        match self {
            Voice::Worker(id) => {
                format!("worker {id} waits for the lock (position {position}, behind {ahead})")
            }
            Voice::Command(path) => {
                format!("waiting for the lock {path} (position {position}, behind {ahead})")
            }
        }
    }

    fn acquired(&self, path: &str, token: i64) -> String {
        match self {
            Voice::Worker(id) => {
                format!("worker {id} holds the lock {path} (fencing token {token})")
            }
            Voice::Command(_) => format!("holding the lock {path} (fencing token {token})"),
        }
    }

    fn released(&self, held: Duration) -> String {
        match self {
            Voice::Worker(id) => {
                format!("worker {id} released the lock after {}", fmt_duration(held))
            }
            Voice::Command(path) => {
                format!("released the lock {path} after {}", fmt_duration(held))
            }
        }
    }

    fn lost(&self, why: &str) -> String {
        match self {
            Voice::Worker(id) => format!("worker {id} LOST the lock: {why}"),
            Voice::Command(path) => format!("LOST the lock {path}: {why}; stopping the command"),
        }
    }
}

/// "worker 3": another contender, by the id it stored (escaped: another client may store
/// anything), or by its node's name when it stored none.
fn contender_name(id: &[u8], node: &str) -> String {
    if id.is_empty() {
        node.to_owned()
    } else {
        format!("worker {}", escape_display(id, true))
    }
}

impl Worker<'_> {
    fn main(&mut self) -> exit::Result<i32> {
        let mut acquired = 0u64;
        loop {
            let started = Instant::now();
            let mut holder = None;
            let mine = match self.wait_turn(started, &mut holder)? {
                Turn::First(mine) => mine,
                Turn::TimedOut => return Ok(self.gave_up(started, holder)),
                Turn::Signal(sig) => return Ok(signals::exit_code(sig)),
            };
            acquired += 1;
            self.emit_acquired(&mine, started.elapsed());
            self.holding_since = Some(Instant::now());
            if !self.args.contender.command.is_empty() {
                return self.guard_command();
            }
            let hold = self.args.hold.unwrap_or(Duration::from_secs(2));
            let (out, id, voice) = (self.out, self.c.id().to_owned(), self.voice.clone());
            let ended = self.c.hold(Some(Instant::now() + hold), &mut |why| {
                emit_lost(out, &id, why, &voice)
            });
            match ended {
                Ended::Signal(sig) => return Ok(signals::exit_code(sig)),
                Ended::Lost(_) => self.holding_since = None,
                // `released` first: it marks the end of our hold, before the next waiter can
                // possibly start (histories from several workers can be checked for overlap).
                Ended::Done | Ended::Exited(_) => {
                    if let Some(since) = self.holding_since.take() {
                        self.emit_released(since);
                    }
                }
            }
            self.c.release();
            if self.args.count.is_some_and(|n| acquired >= n) {
                return Ok(exit::OK);
            }
            if let Some(sig) = self
                .c
                .pause(self.args.pause.unwrap_or(Duration::from_secs(1)))
            {
                return Ok(signals::exit_code(sig));
            }
        }
    }

    /// Join the queue and wait to be first, within -n/-w. `holder` learns who held the lock
    /// the last time we looked (for -n's answer).
    fn wait_turn(&mut self, started: Instant, holder: &mut Option<String>) -> exit::Result<Turn> {
        // -n: a deadline of now; whatever is already known decides.
        let deadline = if self.args.gives_up_at_once() {
            Some(started)
        } else {
            self.args.wait.map(|w| started + w)
        };
        let (out, id, path, nonblock, voice) = (
            self.out,
            self.c.id().to_owned(),
            self.args.path.clone(),
            self.args.gives_up_at_once(),
            self.voice.clone(),
        );
        self.c
            .wait_turn(deadline, |p| {
                let Progress::Waiting(w) = p else { return };
                if nonblock {
                    // Only -n (and -w 0s) says who holds: one read, and no `queued` line.
                    let head = &w.pos.head;
                    *holder = Some(contender_name(&w.id_of(head), &head.name));
                    return;
                }
                let Some(pred) = w.pos.predecessor.as_ref() else {
                    return;
                };
                let raw = w.id_of(pred);
                // One meaning of position everywhere, as `inspect` shows it: 1 = the holder.
                let position = w.pos.index + 1;
                out.emit(
                    &Event::new("queued")
                        .with("id", id.clone())
                        .with("path", path.clone())
                        .with("position", position)
                        .with("waiting_on", pred.name.clone())
                        .with("waiting_on_id", escape_invalid(&raw))
                        .text(voice.queued(position, &contender_name(&raw, &pred.name))),
                );
            })
            .map_err(|e| e.to_exit(&format!("waiting for the lock {}", self.args.path)))
    }

    fn gave_up(&self, started: Instant, holder: Option<String>) -> i32 {
        let why = match (self.args.gives_up_at_once(), holder) {
            (true, Some(h)) => format!("the lock is held by {h}"),
            (true, None) => "the lock is held by someone else".to_owned(),
            (false, _) => "waited too long".to_owned(),
        };
        let text = match &self.voice {
            Voice::Worker(id) => format!("worker {id} gave up: {why}"),
            // The line below says it (once).
            Voice::Command(_) => String::new(),
        };
        self.out.emit(
            &Event::new("gave_up")
                .with("id", self.c.id())
                .with("reason", why.clone())
                .with("waited_ms", started.elapsed().as_millis() as u64)
                .text(text),
        );
        eprintln!("zkdemo: lock {} not acquired: {why}", self.args.path);
        self.args.conflict_exit_code
    }

    fn emit_acquired(&self, mine: &OwnNode, waited: Duration) {
        self.out.emit(
            &hold_event("acquired", self.c.id(), &self.args.path, mine)
                .with("waited_ms", waited.as_millis() as u64)
                .text(self.voice.acquired(&self.args.path, mine.czxid)),
        );
    }

    fn emit_released(&self, held_since: Instant) {
        let held = held_since.elapsed();
        self.out.emit(
            &Event::new("released")
                .with("id", self.c.id())
                .with("held_ms", held.as_millis() as u64)
                .text(self.voice.released(held)),
        );
    }

    /// Command mode: run it while holding. On its exit, `run` closes the session (which frees
    /// the lock) and reports the release; a lost hold ends with exit 79.
    fn guard_command(&mut self) -> exit::Result<i32> {
        let argv = &self.args.contender.command;
        let cmd = Guarded {
            argv,
            kill_grace: self.args.contender.kill_grace,
            path_var: "ZKDEMO_LOCK_PATH",
            node_var: "ZKDEMO_LOCK_NODE",
        };
        let (out, id, voice) = (self.out, self.c.id().to_owned(), self.voice.clone());
        let ended = self
            .c
            .guard(&cmd, &mut |why| emit_lost(out, &id, why, &voice))
            .map_err(|e| Error::new(127, format!("cannot run {:?}: {e}", argv[0])))?;
        match ended {
            Ended::Lost(_) => {
                self.holding_since = None;
                Ok(exit::LOST)
            }
            Ended::Exited(code) | Ended::Signal(code) => Ok(code),
            Ended::Done => Ok(exit::OK),
        }
    }
}

fn emit_lost(out: Output, id: &str, why: &str, voice: &Voice) {
    out.emit(
        &Event::new("lost")
            .with("id", id)
            .with("reason", why)
            .text(voice.lost(why)),
    );
}
