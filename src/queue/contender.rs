//! What a lock worker and an election node share: an id, one inbox, a session made on first
//! use (and again after it is given up), and a place in the queue.

use std::time::Duration;

use super::Queue;
use crate::exit;
use crate::inbox::{self, Inbox, Waker};
use crate::session::{Session, SessionConfig};

/// The default id: `<hostname>-<pid>`.
pub fn default_id() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes.
    let host = unsafe {
        if libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            String::from_utf8_lossy(&buf[..end]).into_owned()
        } else {
            "host".into()
        }
    };
    format!("{host}-{}", std::process::id())
}

/// What a lock worker and an election node share: an id, one event channel, a session made
/// on first use (and again after `replace_session`), and our place in the queue.
pub struct Contender {
    pub id: String,
    pub cfg: SessionConfig,
    /// Sends tagged with the current session's generation.
    pub tx: Waker,
    pub rx: Inbox,
    pub session: Option<Session>,
    pub queue: Queue,
    _signals: crate::signals::Subscription,
}

impl Contender {
    /// On `path`, as `id` (default: `<hostname>-<pid>`).
    pub fn new(path: &str, id: Option<&str>, cfg: SessionConfig) -> Contender {
        let id = id.map(str::to_owned).unwrap_or_else(default_id);
        let (tx, rx, sub) = inbox::channel();
        let queue = Queue::new(path, &id);
        Contender {
            id,
            cfg,
            tx,
            rx,
            session: None,
            queue,
            _signals: sub,
        }
    }

    /// The session, connected now if there is none. A new session is a new generation: the
    /// inbox drops whatever the earlier sessions still send.
    pub fn session(&mut self) -> exit::Result<&Session> {
        if self.session.is_none() {
            self.tx = inbox::next_generation(&self.tx, &self.rx);
            self.session = Some(inbox::connect(&self.cfg, &self.tx)?);
        }
        Ok(self.session.as_ref().expect("just set"))
    }

    /// `session`, waiting for ZooKeeper as long as it takes, as the seed's workers do: tries
    /// again with backoff (1 s, then every 2 s) while no server answers, saying so once per
    /// outage. `Ok(Some(sig))` when a signal came meanwhile. Other errors (a refused
    /// `--auth`, say) are returned.
    pub fn session_patiently(&mut self) -> exit::Result<Option<i32>> {
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
                Err(e) if e.code == exit::UNAVAILABLE => {
                    if !said {
                        eprintln!(
                            "zkdemo: {}: {}; trying again until a server answers",
                            self.id, e.message
                        );
                        said = true;
                    }
                    log::debug!("{}: {e}", self.id);
                    if let Some(sig) = self.sleep(pause) {
                        return Ok(Some(sig));
                    }
                    pause = (pause * 2).min(Duration::from_secs(2));
                }
                Err(e) => return Err(e),
            }
        }
    }

    /// Sleep for `d`, but wake for a signal (returned).
    pub fn sleep(&self, d: Duration) -> Option<i32> {
        let until = std::time::Instant::now() + d;
        loop {
            match self
                .rx
                .recv_timeout(until.saturating_duration_since(std::time::Instant::now()))
            {
                Ok(super::Wake::Signal(sig)) => return Some(sig),
                Ok(_) => continue,
                Err(_) => return None,
            }
        }
    }

    /// Give up the session, and with it our node: the next `session()` connects a new one.
    pub fn replace_session(&mut self) {
        self.queue.forget();
        if let Some(s) = self.session.take() {
            s.close_within(Duration::from_millis(300));
        }
    }

    /// Leave the queue (and stay ready to join again): delete our node; when the session is
    /// not in contact or the delete fails, give up the session instead, which takes the node
    /// with it (rather than wait out call deadlines), and the next `session()` connects anew.
    /// Forgetting the node is not enough while the session lives: a node we gave up on (our
    /// command stopped while the server was out of reach, say) would stay at the head and we
    /// would queue behind our own ghost for ever.
    pub fn leave_or_replace(&mut self) {
        if let Some(s) = self.session.as_ref().filter(|s| s.is_healthy()) {
            match self.queue.leave(s) {
                Ok(()) => return,
                Err(e) => log::warn!("could not delete our node ({e}); closing the session"),
            }
        }
        self.replace_session();
    }

    /// Leave for good: closing the session deletes our node at once (no separate delete a
    /// hung server could stall), within a deadline, so Ctrl-C exits within a second.
    pub fn close(&mut self) {
        // Near the sequence limit, leave first: an empty directory can then be reset.
        let near_limit = self
            .queue
            .mine()
            .is_some_and(|m| m.seq >= super::name::NEAR_LIMIT);
        if let Some(s) = self
            .session
            .as_ref()
            .filter(|s| near_limit && s.is_healthy())
        {
            let _ = self.queue.leave(s);
        }
        if let Some(s) = self.session.take() {
            s.close_within(Duration::from_millis(600));
        }
    }
}
