//! `zkdemo lock`: a fair distributed lock, compatible with kazoo's `Lock`.
//!
//! Worker mode (no command) retells the original `lock_worker.py`: wait, hold for `--hold`,
//! release, pause, again. Command mode runs one command while holding, like `flock` or
//! `etcdctl lock`, and exits with its code. Waiting, holding and guarding are the
//! `contender`'s; what is lock's own: the deadline (-n/-w), worker rounds, and that a lost
//! hold ends a command run with exit 79.

use std::time::{Duration, Instant};

mod args;
mod voice;

pub use args::{LockArgs, LockFormat};
use voice::{contender_name, Voice, Who};

use crate::cli::Context;
use crate::contender::{hold_event, Contender, Ended, Guarded, Progress, Turn};
use crate::exit::{self, Error};
use crate::output::{Event, Output};
use crate::queue::OwnNode;
use crate::signals;
use crate::text::escape_invalid;

pub fn run(args: &LockArgs, ctx: &Context) -> exit::Result<i32> {
    args.check()?;
    let command = &args.contender.command;
    // A worker waits out an outage once it has been in the queue, as the original scripts'
    // workers do, and so does a command queued without a time limit (a cron job queued behind
    // another should not die of a ZooKeeper restart; an `elect` node with a command waits it
    // out too). The forms with a limit (-n, -w) fail with exit 69.
    let patient = !args.nonblock && args.wait.is_none();
    let c = Contender::new(
        &args.path,
        args.contender.id.as_deref(),
        args.recipe(),
        args.max_leases,
        ctx.session.clone(),
        patient,
    );
    // Command mode leaves stdout to the command: our lines go to stderr, and speak of the
    // lock, not of a worker.
    let (out, who) = if command.is_empty() {
        let id = c.id().to_owned();
        (ctx.out, Who::Worker(id))
    } else {
        (ctx.out.leaving_stdout(), Who::Command(args.path.clone()))
    };
    let voice = Voice {
        who,
        semaphore: args.max_leases.is_some(),
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
                let Some(pred) = w.pos.blocker.as_ref() else {
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
            .map_err(|e| e.to_exit(&format!("the lock {}", self.args.path)))
    }

    fn gave_up(&self, started: Instant, holder: Option<String>) -> i32 {
        let why = match (self.args.gives_up_at_once(), holder) {
            (true, Some(h)) if self.args.max_leases.is_some() => {
                format!("every lease is taken (one by {h})")
            }
            (true, Some(h)) => format!("the lock is held by {h}"),
            (true, None) => "the lock is held by someone else".to_owned(),
            (false, _) => "waited too long".to_owned(),
        };
        let text = match &self.voice.who {
            Who::Worker(id) => format!("worker {id} gave up: {why}"),
            // The line below says it (once).
            Who::Command(_) => String::new(),
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
                .text(self.voice.released(&self.args.path, held)),
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
