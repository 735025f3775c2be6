//! `zkdemo lock`: a fair distributed lock, compatible with kazoo's `Lock`.
//!
//! Worker mode (no command) retells the seed's `lock_worker.py`: wait, hold for `--hold`,
//! release, pause, again. Command mode runs one command while holding, like `flock` or
//! `etcdctl lock`, and exits with its code. The recipe is in `queue`, the guarding of the
//! command in `guard`.

use std::time::{Duration, Instant};

use clap::Args;

use crate::cli::{parse_duration, GlobalArgs};
use crate::exit::{self, Error};
use crate::guard::{self, End, Held};
use crate::output::{Event, Output};
use crate::queue::{Contender, Mine, Waited};
use crate::session::{self, SessionConfig};
use crate::signals;

const EXAMPLES: &str = "\
Examples:
  # The seed's three workers taking turns (run each in its own terminal):
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

/// Take a distributed lock, one holder at a time, in queue order (kazoo-compatible).
#[derive(Debug, Args)]
#[command(
    long_about = "Take a distributed lock: one holder at a time, in the order of arrival, \
without a herd effect (each waiter watches only the one ahead of it). The lock node is \
kazoo's (`<uuid>__lock__<seq>`), so a kazoo Lock on the same path and zkdemo exclude each \
other.\n\nWithout a command, act as the seed's worker: wait, hold for --hold, release, pause \
for --pause, again (until --count or Ctrl-C). With a command after `--`, run it once while \
holding the lock. If contact with ZooKeeper is lost and not back in time, the command's \
whole process group is stopped (SIGTERM, --kill-grace, SIGKILL) before the session can \
expire and the lock pass to someone else.",
    after_help = EXAMPLES
)]
pub struct LockArgs {
    /// The lock's znode.
    #[arg(long, default_value = "/demo-lock", value_parser = crate::session::parse_node_path_arg)]
    pub path: String,

    /// This worker's id, stored as the lock node's data [default: <hostname>-<pid>].
    #[arg(long)]
    pub id: Option<String>,

    /// Worker mode: how long to hold the lock each time [default: 2s].
    #[arg(long, value_parser = parse_duration, conflicts_with = "command")]
    pub hold: Option<Duration>,

    /// Worker mode: how long to wait after releasing before queueing again [default: 1s].
    #[arg(long, value_parser = parse_duration, conflicts_with = "command")]
    pub pause: Option<Duration>,

    /// Worker mode: stop after this many acquisitions [default: until Ctrl-C].
    #[arg(long, conflicts_with = "command", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Give up after waiting this long for the lock.
    #[arg(short, long, value_parser = parse_duration, value_name = "DURATION")]
    pub wait: Option<Duration>,

    /// Give up at once if someone holds the lock.
    #[arg(short, long, conflicts_with = "wait")]
    pub nonblock: bool,

    /// Exit code when giving up (-n, -w).
    #[arg(short = 'E', long, default_value_t = exit::CONFLICT, value_name = "N")]
    pub conflict_exit_code: i32,

    /// After SIGTERM, how long the command may take to stop before SIGKILL.
    #[arg(long, default_value = "5s", value_parser = parse_duration, value_name = "DURATION")]
    pub kill_grace: Duration,

    /// The command to run while holding the lock (after `--`).
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

pub fn run(args: &LockArgs, g: &GlobalArgs, out: Output) -> exit::Result<i32> {
    let c = Contender::new(&args.path, args.id.as_deref(), SessionConfig::from_args(g));
    let mut w = Worker {
        args,
        out,
        c,
        holding_since: None,
        patient: false,
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
    c: Contender,
    /// Set while we hold the lock.
    holding_since: Option<Instant>,
    /// Worker mode, once connected: wait for ZooKeeper rather than exit.
    patient: bool,
}

/// How one attempt to take the lock ended.
enum Took {
    Held {
        mine: Mine,
        waited: Duration,
    },
    GaveUp,
    Signal(i32),
    /// The session was lost while waiting: try again with a new one.
    Retry,
}

impl Worker<'_> {
    fn main(&mut self) -> exit::Result<i32> {
        let mut acquired = 0u64;
        loop {
            let took = self.take()?;
            let (mine, waited) = match took {
                Took::Held { mine, waited } => (mine, waited),
                Took::GaveUp => return Ok(self.args.conflict_exit_code),
                Took::Signal(sig) => return Ok(signals::exit_code(sig)),
                Took::Retry => continue,
            };
            acquired += 1;
            self.emit_acquired(&mine, waited);
            self.holding_since = Some(Instant::now());
            if !self.args.command.is_empty() {
                return self.guard_command(&mine);
            }
            match self.hold(self.args.hold.unwrap_or(Duration::from_secs(2))) {
                Held::Done => self.release(),
                Held::Signal(sig) => return Ok(signals::exit_code(sig)),
                Held::Lost(why) => {
                    self.holding_since = None;
                    self.emit_lost(&why);
                    self.drop_session_if_lost();
                }
            }
            if self.args.count.is_some_and(|n| acquired >= n) {
                return Ok(exit::OK);
            }
            if let Some(sig) = self
                .c
                .sleep(self.args.pause.unwrap_or(Duration::from_secs(1)))
            {
                return Ok(signals::exit_code(sig));
            }
        }
    }

    /// A lost session is replaced on the next round.
    fn drop_session_if_lost(&mut self) {
        if self.c.session.as_ref().is_some_and(|s| s.is_lost()) {
            self.c.replace_session();
        }
    }

    /// Join the queue and wait to be first (or give up as -n/-w say).
    fn take(&mut self) -> exit::Result<Took> {
        let started = Instant::now();
        // -n: a deadline of now; whatever is already known decides.
        let deadline = if self.args.nonblock {
            Some(started)
        } else {
            self.args.wait.map(|w| started + w)
        };
        // A worker that has had a session waits out an outage, as the seed's workers do; a
        // first connect, and the one-shot forms, fail with exit 69.
        if self.patient {
            if let Some(sig) = self.c.session_patiently()? {
                return Ok(Took::Signal(sig));
            }
        } else {
            self.c.session()?;
            self.patient =
                self.args.command.is_empty() && !self.args.nonblock && self.args.wait.is_none();
        }
        let s = self.c.session.as_ref().expect("connected");
        let joined = self.c.queue.join(s);
        let mine = match joined {
            Ok(m) => m,
            Err(_) if s.is_lost() => {
                self.drop_session_if_lost();
                return Ok(Took::Retry);
            }
            Err(e) => return Err(e.to_exit(&format!("joining the queue at {}", self.args.path))),
        };
        let (out, id, nonblock) = (self.out, self.c.id.clone(), self.args.nonblock);
        let queue_path = self.args.path.clone();
        let waited = self
            .c
            .queue
            .wait_first(s, &self.c.rx, &self.c.tx, deadline, |pos| {
                if nonblock {
                    return;
                }
                let ahead = pos
                    .predecessor
                    .as_ref()
                    .map(|n| n.name.clone())
                    .unwrap_or_default();
                out.emit(
                    &Event::new("queued")
                        .with("id", id.clone())
                        .with("path", queue_path.clone())
                        .with("position", pos.index)
                        .with("waiting_on", ahead.clone())
                        .text(format!(
                            "worker {id} waits for the lock (position {}, behind {ahead})",
                            pos.index
                        )),
                );
            });
        match waited {
            Ok(Waited::First(_)) => Ok(Took::Held {
                mine,
                waited: started.elapsed(),
            }),
            Ok(Waited::TimedOut) => {
                let why = if nonblock {
                    "the lock is held by someone else"
                } else {
                    "waited too long"
                };
                self.out.emit(
                    &Event::new("gave_up")
                        .with("id", self.c.id.clone())
                        .with("reason", why)
                        .with("waited_ms", started.elapsed().as_millis() as u64)
                        .text(format!("worker {} gave up: {why}", self.c.id)),
                );
                eprintln!("zkdemo: lock {} not acquired: {why}", self.args.path);
                Ok(Took::GaveUp)
            }
            Ok(Waited::Signal(sig)) => Ok(Took::Signal(sig)),
            Ok(Waited::Lost(why)) => {
                log::info!("lost our place in the queue ({why}); queueing again");
                self.c.queue.forget();
                self.drop_session_if_lost();
                Ok(Took::Retry)
            }
            Err(e) => Err(e.to_exit(&format!("waiting for the lock {}", self.args.path))),
        }
    }

    fn emit_acquired(&self, mine: &Mine, waited: Duration) {
        self.out.emit(
            &Event::new("acquired")
                .with("id", self.c.id.clone())
                .with("path", self.args.path.clone())
                .with("node", mine.name.clone())
                .with("seq", mine.seq)
                .with("fencing_token", mine.czxid)
                .with("session", session::fmt_session_id(mine.session_id))
                .with("waited_ms", waited.as_millis() as u64)
                .text(format!(
                    "worker {} holds the lock {} (fencing token {})",
                    self.c.id, self.args.path, mine.czxid
                )),
        );
    }

    fn emit_lost(&self, why: &str) {
        self.out.emit(
            &Event::new("lost")
                .with("id", self.c.id.clone())
                .with("reason", why)
                .text(format!("worker {} LOST the lock: {why}", self.c.id)),
        );
    }

    /// Worker mode: end the critical section, then delete our node and go on with the same
    /// session. `released` is emitted first: it marks the end of our hold, before the next
    /// waiter can possibly start (histories from several workers can be checked for overlap).
    /// If that fails, the node goes with the session (`Contender::leave_or_replace`; the next
    /// round makes a new one).
    fn release(&mut self) {
        if let Some(since) = self.holding_since.take() {
            self.emit_released(since);
        }
        self.c.leave_or_replace();
    }

    fn emit_released(&self, held_since: Instant) {
        let held = held_since.elapsed();
        self.out.emit(
            &Event::new("released")
                .with("id", self.c.id.clone())
                .with("held_ms", held.as_millis() as u64)
                .text(format!(
                    "worker {} released the lock after {}",
                    self.c.id,
                    session::fmt_duration(held)
                )),
        );
    }

    /// Worker mode: the critical section, `d` long.
    fn hold(&mut self, d: Duration) -> Held {
        let s = self.c.session.as_ref().expect("connected");
        guard::hold(
            s,
            &self.c.queue,
            &self.c.rx,
            &self.c.tx,
            Some(Instant::now() + d),
        )
    }

    /// Command mode: run it while holding. On its exit, `run` closes the session (which frees
    /// the lock) and reports the release.
    fn guard_command(&mut self, mine: &Mine) -> exit::Result<i32> {
        let s = self.c.session.as_ref().expect("connected");
        let env = vec![
            ("ZKDEMO_LOCK_PATH".to_owned(), self.args.path.clone()),
            ("ZKDEMO_LOCK_NODE".to_owned(), mine.path.clone()),
            (
                "ZKDEMO_SESSION_ID".to_owned(),
                session::fmt_session_id(mine.session_id),
            ),
            ("ZKDEMO_FENCING_TOKEN".to_owned(), mine.czxid.to_string()),
        ];
        let (out, id) = (self.out, self.c.id.clone());
        let mut on_lost = |why: &str| {
            out.emit(
                &Event::new("lost")
                    .with("id", id.clone())
                    .with("reason", why)
                    .text(format!(
                        "worker {id} LOST the lock: {why}; stopping the command"
                    )),
            );
        };
        let end = guard::run(
            s,
            &self.c.queue,
            &self.c.rx,
            &self.c.tx,
            &self.args.command,
            &env,
            self.args.kill_grace,
            &mut on_lost,
        )
        .map_err(|e| Error::new(127, format!("cannot run {:?}: {e}", self.args.command[0])))?;
        match end {
            End::Exited(code) => Ok(code),
            End::Lost(_) => {
                self.holding_since = None;
                Ok(exit::LOST)
            }
        }
    }
}
