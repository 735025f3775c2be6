//! A contender: what a lock worker and an election node are, once, for both (as kazoo's
//! Election is its Lock, and Curator's mutex and latch share `LockInternals`).
//!
//! It owns an id, one inbox (session, watches, signals, the command's exit), a session made
//! on first use and again after it is given up, and a place in the queue (`queue`). It
//! joins, waits its turn, holds (with or without a guarded command), and leaves. The rules
//! that are the same for lock and elect are written here once:
//! - **A join or a wait that fails on the connection, or finds the session lost or our node
//!   gone, starts over with a new session.** Once in the queue, a contender that
//!   `waits_out_outages` also waits for an unreachable ZooKeeper (saying so once per
//!   outage); otherwise the first connect that fails is the caller's error.
//! - **Holding ends by the loss clock** (`clock.rs`): out of contact, the hold is given up
//!   before the server could expire the session; `on_lost` hears why before a command is
//!   stopped.
//! - **After a hold, `release`** deletes our node, or gives up the session when it is not in
//!   contact (the node goes with it); the next `wait_turn` joins again.
//!
//! What differs, the caller decides: `lock` exits after a lost command (79), `elect` joins
//! again and leads again.

mod clock;
mod hold;
mod types;

use std::time::{Duration, Instant};

pub use hold::Ended;
pub use types::{default_id, hold_event, Guarded, Progress, Turn, Waiting};

use crate::child::Child;
use crate::inbox::{self, Inbox, Wake, Waker};
use crate::queue::{self, Leasing, Queue, Recipe, Waited};
use crate::session::{self, Health, Session, SessionConfig};
use hold::Ground;

pub struct Contender {
    id: String,
    cfg: SessionConfig,
    /// Sends tagged with the current session's generation.
    tx: Waker,
    rx: Inbox,
    session: Option<Session>,
    queue: Queue,
    /// Once in the queue, wait out an unreachable ZooKeeper rather than fail.
    waits_out_outages: bool,
    /// Set once we have joined: from then on `waits_out_outages` applies.
    joined_once: bool,
    _signals: crate::signals::Subscription,
}

impl Contender {
    /// On `path`, as `id` (default: `<hostname>-<pid>`), by `recipe`'s rules (kazoo's,
    /// Curator's: `queue::recipe`); with `leases`, a semaphore of that many (kazoo's recipe:
    /// `queue::lease`). `waits_out_outages`: once joined, an unreachable ZooKeeper
    /// is waited out (as the original scripts' workers do).
    pub fn new(
        path: &str,
        id: Option<&str>,
        recipe: Recipe,
        leases: Option<u32>,
        cfg: SessionConfig,
        waits_out_outages: bool,
    ) -> Contender {
        let id = id.map(str::to_owned).unwrap_or_else(default_id);
        let (tx, rx, sub) = inbox::channel();
        let queue = Queue::new(path, &id, recipe);
        let queue = match leases {
            Some(max) => queue.with_leases(max),
            None => queue,
        };
        Contender {
            id,
            cfg,
            tx,
            rx,
            session: None,
            queue,
            waits_out_outages,
            joined_once: false,
            _signals: sub,
        }
    }

    /// While waiting, hear of every change of the head too, not only of the one ahead
    /// (`Queue::watch_the_head`): an election's followers say whom they follow.
    pub fn watching_the_head(mut self) -> Contender {
        self.queue.watch_the_head();
        self
    }

    pub fn id(&self) -> &str {
        &self.id
    }

    /// Join the queue (connecting first when needed) and wait until we are first, the
    /// `deadline` passes (None: no deadline; now: whatever is known decides, as `-n`), or a
    /// signal comes. Errors: a first connect that fails, a join refused (NoAuth, a sequence
    /// counter at its limit).
    pub fn wait_turn(
        &mut self,
        deadline: Option<Instant>,
        mut on: impl FnMut(Progress),
    ) -> queue::Result<Turn> {
        let mut again = false;
        loop {
            // Starting over (a new session) does not extend the deadline; the first round
            // always runs, so that `-n` (a deadline of now) still looks.
            if again && deadline.is_some_and(|d| Instant::now() >= d) {
                return Ok(Turn::TimedOut);
            }
            again = true;
            if self.joined_once && self.waits_out_outages {
                if let Some(sig) = self.session_patiently()? {
                    return Ok(Turn::Signal(sig));
                }
            } else {
                self.session()?;
            }
            let Contender {
                session,
                queue,
                rx,
                tx,
                ..
            } = self;
            let s = session.as_ref().expect("connected above");
            let mine = match queue.join(s) {
                Ok(m) => m,
                Err(queue::Error::Session(e)) if e.is_connection() => {
                    log::info!("{}: cannot join ({e}); with a new session", self.id);
                    self.replace_session();
                    continue;
                }
                Err(e) => return Err(e),
            };
            self.joined_once = true;
            on(Progress::Joined(&mine));
            let waited = queue.wait_first(s, rx, tx, deadline, |pos| {
                on(Progress::Waiting(&Waiting { pos, s, queue }))
            });
            // A semaphore's first in line takes a lease, which is our node from then on.
            let waited = match waited {
                Ok(Waited::First(pos)) if queue.leases().is_some() => queue
                    .take_lease(s, rx, tx, deadline, |pos| {
                        on(Progress::Waiting(&Waiting { pos, s, queue }))
                    })
                    .and_then(|leasing| match leasing {
                        Leasing::Leased(path, czxid) => {
                            queue.adopt_lease(s, &path, czxid)?;
                            Ok(Waited::First(pos))
                        }
                        Leasing::Waited(w) => Ok(w),
                    }),
                w => w,
            };
            match waited {
                Ok(Waited::First(_)) => {
                    let mine = queue.mine().cloned().unwrap_or(mine);
                    return Ok(Turn::First(mine));
                }
                Ok(Waited::TimedOut) => return Ok(Turn::TimedOut),
                Ok(Waited::Signal(sig)) => return Ok(Turn::Signal(sig)),
                Ok(Waited::Lost(why)) => {
                    log::info!("{}: lost our place ({why}); joining again", self.id);
                    self.release();
                }
                Err(queue::Error::Session(e)) if e.is_connection() => {
                    log::info!("{}: {e}; joining again with a new session", self.id);
                    self.replace_session();
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Hold (we are first) until `until` (None: until a signal or a loss). `on_lost` hears why
    /// the moment the hold is given up.
    pub fn hold(&mut self, until: Option<Instant>, on_lost: &mut dyn FnMut(&str)) -> Ended {
        match self.ground() {
            Some(g) => hold::hold(&g, None, until, Duration::ZERO, on_lost),
            None => Ended::Lost("no session".into()),
        }
    }

    /// Run `cmd` while we hold (we are first), and stop it in time if the hold is lost;
    /// `on_lost` hears why before the command is stopped. Error: the command cannot start.
    pub fn guard(
        &mut self,
        cmd: &Guarded,
        on_lost: &mut dyn FnMut(&str),
    ) -> std::io::Result<Ended> {
        let mine = self
            .queue
            .mine()
            .ok_or_else(|| std::io::Error::new(std::io::ErrorKind::NotFound, "not in the queue"))?;
        let env = [
            (cmd.path_var, self.queue.path.clone()),
            (cmd.node_var, mine.path.clone()),
            ("ZKDEMO_SESSION_ID", mine.session_id.to_string()),
            ("ZKDEMO_FENCING_TOKEN", mine.czxid.to_string()),
        ]
        .map(|(k, v)| (k.to_owned(), v));
        let exit_tx = self.tx.untagged();
        let child = Child::spawn(cmd.argv, &env, move |pid, code| {
            let _ = exit_tx.send(Wake::ChildExit { pid, code });
        })?;
        let Some(g) = self.ground() else {
            return Ok(Ended::Lost("no session".into()));
        };
        Ok(hold::hold(&g, Some(child), None, cmd.kill_grace, on_lost))
    }

    fn ground(&self) -> Option<Ground<'_>> {
        Some(Ground {
            s: self.session.as_ref()?,
            queue: &self.queue,
            rx: &self.rx,
            tx: &self.tx,
        })
    }

    /// Sleep for `d`, but wake for a signal (returned).
    pub fn pause(&self, d: Duration) -> Option<i32> {
        let until = Instant::now() + d;
        loop {
            match self
                .rx
                .recv_timeout(until.saturating_duration_since(Instant::now()))
            {
                Ok(Wake::Signal(sig)) => return Some(sig),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// After a hold (or a lost place): leave the queue and stay ready to join again. Delete
    /// our node; when the session is not in contact or the delete fails, give up the session
    /// instead, which takes the node with it (rather than wait out call deadlines). Forgetting
    /// the node is not enough while the session lives: a node we gave up on (our command
    /// stopped while the server was out of reach, say) would stay at the head, and we would
    /// queue behind our own ghost for ever.
    pub fn release(&mut self) {
        if let Some(s) = self.session.as_ref().filter(|s| s.health() == Health::Up) {
            match self.queue.leave(s) {
                Ok(()) => return,
                Err(e) => log::warn!("could not delete our node ({e}); closing the session"),
            }
        }
        self.replace_session();
    }

    /// Leave for good: closing the session deletes our node at once (no separate delete a
    /// hung server could stall), within a deadline, so Ctrl-C exits within a second.
    pub fn close(mut self) {
        // Near the sequence limit, leave first: an empty directory can then be reset.
        let near_limit = self
            .queue
            .mine()
            .is_some_and(|m| m.seq >= queue::name::NEAR_LIMIT);
        if let Some(s) = self
            .session
            .as_ref()
            .filter(|s| near_limit && s.health() == Health::Up)
        {
            let _ = self.queue.leave(s);
        }
        if let Some(s) = self.session.take() {
            s.close_within(Duration::from_millis(600));
        }
    }

    /// The session, connected now if there is none. A new session is a new generation: the
    /// inbox drops whatever the earlier sessions still send.
    fn session(&mut self) -> session::Result<&Session> {
        if self.session.is_none() {
            self.tx = inbox::next_generation(&self.tx, &self.rx);
            self.session = Some(inbox::connect(&self.cfg, &self.tx)?);
        }
        Ok(self.session.as_ref().expect("just set"))
    }

    /// `session`, waiting for ZooKeeper as long as it takes: tries again with backoff (1 s,
    /// then every 2 s) while no server answers, saying so once per outage. `Ok(Some(sig))`
    /// when a signal came meanwhile. Other errors (refused credentials, say) are returned.
    fn session_patiently(&mut self) -> session::Result<Option<i32>> {
        let mut pause = Duration::from_secs(1);
        let mut said = false;
        loop {
            match self.session() {
                Ok(_) => {
                    if said {
                        log::info!("{}: connected to ZooKeeper again", self.id);
                    }
                    return Ok(None);
                }
                Err(e @ (session::Error::Unreachable(_) | session::Error::Unresolved(_))) => {
                    if !said {
                        eprintln!(
                            "zkdemo: {}: {e}; trying again until a server answers",
                            self.id
                        );
                        said = true;
                    }
                    log::debug!("{}: {e}", self.id);
                    if let Some(sig) = self.pause(pause) {
                        return Ok(Some(sig));
                    }
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Give up the session, and with it our node: the next `session()` connects a new one.
    fn replace_session(&mut self) {
        self.queue.forget();
        if let Some(s) = self.session.take() {
            s.close_within(Duration::from_millis(300));
        }
    }
}
