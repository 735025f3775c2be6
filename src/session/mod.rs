//! The session layer: the only code that touches the `zookeeper` crate's handle.
//!
//! It hides the crate's sharp edges (DESIGN.md §2) behind a small, honest interface:
//! - `Session::connect` makes a real session, with a deadline, and turns every failure
//!   (nothing listening, a wrong port, an unknown host, a server that never answers) into one
//!   clear error (`Error::Unreachable`).
//! - The session's one TCP connection is the relay's (`relay`), not the crate's: the crate
//!   talks to the relay on 127.0.0.1. So the session id is the server's own answer, the
//!   session's own connection is judged (every request and heartbeat answered within a third
//!   of the timeout, or the session is suspended), and a session we give up can never be
//!   revived by the crate; the reaper closes it on the server (`reaper`).
//! - Every call has a deadline: it fails with `Error::Timeout` after at most
//!   [`Session::call_timeout`] (2/3 of the negotiated session timeout, as the Java client's
//!   read timeout), never hangs.
//! - The session's health arrives as [`SessionEvent`]s through the callback given to
//!   `connect`: `Suspended` (the connection dropped or went silent), `Reconnected` (the same
//!   session again on a new connection: digest auth replayed, watches fired so that their
//!   owners re-read and re-arm them), `Lost` (expired, or no contact for a whole session
//!   timeout). A lost session never comes back: connect a new one. A closed session says
//!   nothing more.
//! - Watch callbacks run on the crate's event thread; ours catch panics (a panic there would
//!   kill the client silently) and only forward to their owner.
//! - `close` deletes our ephemeral nodes at once when the server answers, and returns within
//!   its deadline when it does not (the reaper then closes the session when a server answers).

mod call_pool;
mod calls;
mod error;
mod events;
mod handshake;
mod open;
mod params;
mod reaper;
mod relay;
mod supervisor;
mod types;
mod wire;

use std::collections::HashMap;
use std::net::SocketAddr;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::AtomicU64;
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use zookeeper::ZooKeeper;

pub use error::{fmt_duration, Error, Result};
pub use events::{SessionEvent, WatchEvent};
pub use params::{validate_path, AclMode, Auth, ConnectString, SessionConfig};
pub use types::{Health, NodeKind, NodeStat, SessionId};

use calls::WatchSlot;
use supervisor::{Link, Msg};

type EventFn = Box<dyn Fn(SessionEvent) + Send + Sync>;
type WatchFn = Box<dyn Fn(WatchEvent) + Send + Sync>;

struct Inner {
    zk: Arc<ZooKeeper>,
    relay: Arc<relay::Relay>,
    cfg: SessionConfig,
    hosts: Vec<SocketAddr>,
    session_id: i64,
    /// The negotiated session timeout.
    timeout: Duration,
    link: Mutex<Link>,
    watches: Mutex<HashMap<u64, Arc<WatchSlot>>>,
    next_watch: AtomicU64,
    on_event: EventFn,
    supervisor: Mutex<Sender<Msg>>,
}

/// A ZooKeeper session. Share it between threads by reference (it is `Sync`).
pub struct Session {
    inner: Arc<Inner>,
}

impl Session {
    /// Connect and wait for a session, within `cfg.connect_timeout` (every server refusing
    /// the connection fails at once). `on_event` receives the session's health changes; it
    /// runs on the session's own threads, so it must only forward (to a channel, say), never
    /// call the session back and wait. Errors: `Unreachable` or `Unresolved` when no server
    /// gives a session, `AuthFailed` when the server refuses the credentials, `NoChroot` when
    /// the connect string's chroot does not exist.
    pub fn connect(
        cfg: &SessionConfig,
        on_event: impl Fn(SessionEvent) + Send + Sync + 'static,
    ) -> Result<Session> {
        let deadline = Instant::now() + cfg.connect_timeout;
        let hosts = open::resolve(&cfg.connect, deadline)?;
        let (sup_tx, sup_rx) = mpsc::channel();
        // The relay's news (a dropped connection, an acknowledged close) goes to the
        // supervisor directly.
        let (zk, relay) = open::open(cfg, &hosts, deadline, sup_tx.clone())?;
        let granted = relay.granted();
        let inner = Arc::new(Inner {
            zk: Arc::new(zk),
            relay,
            cfg: cfg.clone(),
            hosts,
            session_id: granted.session_id,
            timeout: Duration::from_millis(granted.timeout_ms as u64),
            link: Mutex::new(Link::Up),
            watches: Mutex::new(HashMap::new()),
            next_watch: AtomicU64::new(1),
            on_event: Box::new(on_event),
            supervisor: Mutex::new(sup_tx),
        });
        supervisor::start(inner.clone(), sup_rx);
        let session = Session { inner };
        if let Some(chroot) = &cfg.connect.chroot {
            // Every path would read as "no such node": name the chroot instead.
            match session.exists("/") {
                Ok(Some(_)) => {}
                Ok(None) => {
                    return Err(Error::NoChroot(format!(
                        "the chroot {chroot} of {} does not exist: create it first \
                         (zkCli.sh create {chroot})",
                        cfg.connect
                    )))
                }
                Err(e) => return Err(e),
            }
        }
        log::debug!(
            "session {} with {} (timeout {} ms)",
            SessionId(granted.session_id),
            cfg.connect,
            granted.timeout_ms
        );
        let (asked, given) = (cfg.session_timeout, session.timeout());
        if given.abs_diff(asked) >= Duration::from_millis(1) {
            // The server bounds it (2 to 20 ticks by default): everything that depends on it
            // (the loss clock, heartbeats) uses what it granted. Said once per process, with
            // -v (a test server's 4 s ceiling would otherwise add a line to every error).
            static SAID: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);
            if !SAID.swap(true, std::sync::atomic::Ordering::Relaxed) {
                log::info!(
                    "the server granted a session timeout of {} (asked: {}): it keeps session \
                     timeouts within its minSessionTimeout and maxSessionTimeout",
                    fmt_duration(given),
                    fmt_duration(asked)
                );
            }
        }
        Ok(session)
    }

    /// The session id, as the server granted it.
    pub fn id(&self) -> SessionId {
        SessionId(self.inner.session_id)
    }

    /// The session timeout the server granted. A call fails with `Error::Timeout` after 2/3
    /// of it.
    pub fn timeout(&self) -> Duration {
        self.inner.timeout
    }

    /// The server cannot expire this session before this instant: the time the latest
    /// answered request was sent (the server renewed the session no earlier) plus the session
    /// timeout. A holder must have stopped acting on its lock by then.
    pub fn expiry_bound(&self) -> Instant {
        self.inner.expiry_bound()
    }

    /// How the session stands now. The same news arrives as [`SessionEvent`]s through the
    /// callback given to `connect`.
    pub fn health(&self) -> Health {
        match self.inner.link() {
            Link::Up if self.inner.relay.current().is_some() => Health::Up,
            Link::Up | Link::Suspended => Health::Suspended {
                deadline: self.inner.expiry_bound(),
            },
            Link::Lost => Health::Lost,
            Link::Closed => Health::Closed,
        }
    }

    /// After a connection error: wait until the session is in contact again (true), or is
    /// lost or `limit` has passed (false).
    pub fn wait_healthy(&self, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        loop {
            match self.health() {
                Health::Up => return true,
                Health::Lost | Health::Closed => return false,
                Health::Suspended { .. } if Instant::now() >= end => return false,
                Health::Suspended { .. } => {}
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// Close the session: the server deletes our ephemeral nodes at once. Returns within
    /// `limit` even when the server does not answer; the session is then closed by the reaper
    /// as soon as a server answers (or expires), and never revived. After `close`, the owner's
    /// callback and watches hear nothing more from this session.
    pub fn close_within(&self, limit: Duration) {
        self.inner.close_within(limit);
    }

    /// `close_within` one second.
    pub fn close(&self) {
        self.close_within(Duration::from_secs(1));
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.inner.close_within(Duration::from_millis(500));
    }
}

impl Inner {
    fn link(&self) -> Link {
        *self.link.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Move to `to` if the link is one of `from`; false otherwise.
    fn transition(&self, from: &[Link], to: Link) -> bool {
        let mut l = self.link.lock().unwrap_or_else(|e| e.into_inner());
        if from.contains(&l) {
            *l = to;
            true
        } else {
            false
        }
    }

    fn lock_watches(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<WatchSlot>>> {
        self.watches.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn id(&self) -> i64 {
        self.session_id
    }

    fn timeout(&self) -> Duration {
        self.timeout
    }

    fn call_timeout(&self) -> Duration {
        self.timeout * 2 / 3
    }

    fn expiry_bound(&self) -> Instant {
        self.relay.last_heard() + self.timeout
    }

    /// "server 127.0.0.1:2181", for messages.
    fn server_name(&self) -> String {
        match self.relay.server() {
            Some(a) => format!("server {a}"),
            None if self.hosts.len() == 1 => format!("server {}", self.hosts[0]),
            None => format!("servers {}", self.cfg.connect),
        }
    }

    fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&ZooKeeper) -> zookeeper::ZkResult<T> + Send + 'static,
    ) -> Result<T> {
        if matches!(self.link(), Link::Lost | Link::Closed) {
            return Err(Error::Lost);
        }
        let zk = self.zk.clone();
        let (tx, rx) = mpsc::sync_channel(1);
        if call_pool::run(move || {
            let _ = tx.send(f(&zk));
        })
        .is_err()
        {
            return Err(Error::Server("SystemError".into()));
        }
        let limit = self.call_timeout();
        match rx.recv_timeout(limit) {
            Ok(Ok(v)) => Ok(v),
            Ok(Err(e)) => Err(Error::from_zk(e)),
            Err(RecvTimeoutError::Timeout) => {
                // The relay drops a silent connection sooner than this; should it not have,
                // drop it now, so that the call in flight ends with ConnectionLoss.
                if let Some(conn) = self.relay.current() {
                    let reason = format!(
                        "a call got no answer in {} ({})",
                        fmt_duration(limit),
                        self.server_name()
                    );
                    self.drop_and_suspend(conn, reason);
                }
                Err(Error::Timeout(limit))
            }
            // The helper thread died: the crate panicked inside the call.
            Err(RecvTimeoutError::Disconnected) => Err(Error::Server("SystemError".into())),
        }
    }

    /// Fire every armed watch with `ev` (they are one-shot: the registry empties).
    fn fire_all_watches(&self, ev: WatchEvent) {
        let slots: Vec<_> = self.lock_watches().drain().map(|(_, s)| s).collect();
        for s in slots {
            s.fire(ev);
        }
    }

    fn notify(&self, ev: SessionEvent) {
        if self.link() == Link::Closed {
            return;
        }
        if catch_unwind(AssertUnwindSafe(|| (self.on_event)(ev))).is_err() {
            log::error!("a session event callback panicked");
        }
    }

    /// Drop upstream connection `conn` (if it is still the current one) and suspend the
    /// session. Suspended first: a caller whose call the drop answers with ConnectionLoss must
    /// find the session suspended, not up, or it would retry at once on no connection.
    fn drop_and_suspend(&self, conn: u64, reason: String) -> bool {
        if self.relay.current() != Some(conn) {
            return false;
        }
        self.suspend(reason);
        self.relay.drop_conn(conn, "no contact");
        true
    }

    /// Up → Suspended (and tell the owner).
    fn suspend(&self, reason: String) {
        if !self.transition(&[Link::Up], Link::Suspended) {
            return;
        }
        let deadline = self.expiry_bound();
        log::info!("session {} suspended: {reason}", SessionId(self.id()));
        self.notify(SessionEvent::Suspended { reason, deadline });
    }

    fn close_within(&self, limit: Duration) {
        let was = std::mem::replace(
            &mut *self.link.lock().unwrap_or_else(|e| e.into_inner()),
            Link::Closed,
        );
        let _ = self
            .supervisor
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(Msg::Stop);
        if was == Link::Closed {
            return;
        }
        // Silence the watches: a closed session tells its owner nothing more.
        for (_, s) in self.lock_watches().drain() {
            s.fired.store(true, std::sync::atomic::Ordering::SeqCst);
        }
        // The crate's close ends its handle: the relay forwards closeSession while it has a
        // connection, and answers it itself otherwise.
        let zk = self.zk.clone();
        let (tx, rx) = mpsc::channel();
        let _ = thread::Builder::new()
            .name("zk-close".into())
            .spawn(move || {
                let _ = tx.send(zk.close());
            });
        let acknowledged = rx.recv_timeout(limit).is_ok() && self.relay.close_acknowledged();
        if acknowledged {
            log::debug!("session {} closed", SessionId(self.id()));
            return;
        }
        self.relay.give_up();
        if was != Link::Lost {
            // (A lost session was handed to the reaper already.)
            reaper::adopt(self);
            log::debug!(
                "session {} not closed within {}: closed as soon as a server answers",
                SessionId(self.id()),
                fmt_duration(limit)
            );
        }
    }
}
