//! The session layer: the only code that touches the `zookeeper` crate's handle.
//!
//! It hides the crate's sharp edges (DESIGN.md §2) behind a small, honest interface:
//! - `Session::connect` waits for a real session, with a deadline, and turns every failure
//!   (nothing listening, a wrong port, an unknown host, a server that never answers, the
//!   crate's panic on an address the OS rejects) into one clear error with exit code 69.
//! - Every call has a deadline: it fails with `Error::Timeout` after at most
//!   [`Session::call_timeout`] (2/3 of the negotiated session timeout, as the Java client's
//!   read timeout), never hangs.
//! - The session's health arrives as [`SessionEvent`]s through the callback given to
//!   `connect`: `Suspended` (disconnected, or the server stopped answering — see `probe`),
//!   `Reconnected` (same session again: digest auth replayed, watches fired so that their
//!   owners re-read and re-arm them), `Lost` (expired, no contact for a whole session timeout,
//!   or the crate gave up). A lost session never comes back: connect a new one.
//! - Watch callbacks run on the crate's event thread; ours catch panics (a panic there would
//!   kill the client silently) and only forward to their owner.
//! - `close` deletes our ephemeral nodes at once when the server answers, and returns within
//!   its deadline when it does not.

mod helpers;
mod params;
mod probe;
mod supervisor;
mod tap;

use std::collections::HashMap;
use std::fmt;
use std::net::{SocketAddr, ToSocketAddrs};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, AtomicI64, AtomicU64, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError, Sender};
use std::sync::{Arc, Mutex, Weak};
use std::thread;
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use zookeeper::{WatchedEvent, WatchedEventType, ZooKeeper};

pub use params::{parse_path_arg, validate_path, AclMode, Auth, ConnectString};
pub use tap::init_logging;
pub use zookeeper::{Acl, CreateMode, Permission, Stat, ZkError};

use crate::exit;
use supervisor::{Health, Link, Msg};

/// What a session is made from (the global command-line options).
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub connect: ConnectString,
    pub session_timeout: Duration,
    pub connect_timeout: Duration,
    pub auth: Option<Auth>,
    /// The ACL of the nodes we create.
    pub acl: AclMode,
}

impl SessionConfig {
    pub fn from_args(g: &crate::cli::GlobalArgs) -> SessionConfig {
        SessionConfig {
            connect: g.zk.clone(),
            session_timeout: g.session_timeout,
            connect_timeout: g.connect_timeout,
            auth: g.auth.clone(),
            acl: g.acl,
        }
    }
}

/// A change in the session's health, for the code that owns the session.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum SessionEvent {
    /// No contact with the server right now. The session may come back (`Reconnected`); the
    /// server cannot expire it before `deadline` (our last contact + the session timeout).
    Suspended { reason: String, deadline: Instant },
    /// In contact again, with the same session: our ephemeral nodes are still there.
    Reconnected,
    /// The session is gone for good; connect a new one.
    Lost { reason: String },
}

/// What a watch callback is told.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WatchEvent {
    Created,
    Deleted,
    DataChanged,
    ChildrenChanged,
    /// Not a change: the session reconnected and the server forgot this watch. Re-read (and
    /// so re-arm); something may have changed while we were away.
    Reconnected,
    /// The session is lost; this watch will never fire.
    SessionLost,
}

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The server (or the crate) answered with an error.
    Zk(ZkError),
    /// No answer within the call deadline.
    Timeout(Duration),
    /// The session is lost or closed.
    Lost,
}

impl Error {
    /// True when the server answered with exactly this error.
    pub fn is(&self, e: ZkError) -> bool {
        *self == Error::Zk(e)
    }

    /// True for the errors that say nothing about the node, only about the connection.
    pub fn is_connection(&self) -> bool {
        matches!(
            self,
            Error::Timeout(_)
                | Error::Lost
                | Error::Zk(ZkError::ConnectionLoss)
                | Error::Zk(ZkError::SessionExpired)
                | Error::Zk(ZkError::OperationTimeout)
        )
    }

    /// The command-level error, with `what` saying what we were doing (e.g. "reading /a").
    pub fn to_exit(&self, what: &str) -> exit::Error {
        let code = match self {
            Error::Zk(ZkError::NoNode) => exit::NOT_FOUND,
            Error::Zk(ZkError::NoAuth) | Error::Zk(ZkError::AuthFailed) => exit::NO_PERMISSION,
            Error::Zk(ZkError::BadArguments) => exit::DATA,
            e if e.is_connection() => exit::UNAVAILABLE,
            _ => exit::FAILURE,
        };
        exit::Error::new(code, format!("{what}: {self}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Zk(ZkError::NoNode) => write!(f, "no such node"),
            Error::Zk(ZkError::NodeExists) => write!(f, "the node exists already"),
            Error::Zk(ZkError::BadVersion) => write!(f, "the node's version changed meanwhile"),
            Error::Zk(ZkError::NoAuth) => {
                write!(
                    f,
                    "not allowed (NoAuth): the node's ACL does not grant it; see --auth"
                )
            }
            Error::Zk(ZkError::NotEmpty) => write!(f, "the node has children"),
            Error::Zk(ZkError::NoChildrenForEphemerals) => {
                write!(
                    f,
                    "the parent is an ephemeral node and cannot have children"
                )
            }
            Error::Zk(ZkError::ConnectionLoss) => write!(f, "connection to ZooKeeper lost"),
            Error::Zk(e) => write!(f, "ZooKeeper error {e:?}"),
            Error::Timeout(d) => write!(f, "no answer from ZooKeeper in {}", fmt_duration(*d)),
            Error::Lost => write!(f, "the ZooKeeper session is lost"),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// `1.5s`, `250ms`: short, for messages.
pub fn fmt_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else if d.as_millis().is_multiple_of(1000) {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// The session id as zkCli prints it: `0x1000a2b3c4d0000`.
pub fn fmt_session_id(id: i64) -> String {
    format!("0x{id:x}")
}

type EventFn = Box<dyn Fn(SessionEvent) + Send + Sync>;
type WatchFn = Box<dyn Fn(WatchEvent) + Send + Sync>;

/// One armed watch. One-shot: it fires once, whatever fires it first (the server's event, or
/// our own reconnect/lost notice), and later firings are ignored.
struct WatchSlot {
    fired: AtomicBool,
    f: WatchFn,
}

impl WatchSlot {
    fn fire(&self, ev: WatchEvent) {
        if self.fired.swap(true, Ordering::SeqCst) {
            return;
        }
        if catch_unwind(AssertUnwindSafe(|| (self.f)(ev))).is_err() {
            log::error!("a watch callback panicked; the session goes on");
        }
    }
}

struct Inner {
    zk: Arc<ZooKeeper>,
    cfg: SessionConfig,
    hosts: Vec<SocketAddr>,
    /// 0 when unknown (no tap: another logger was installed first).
    session_id: AtomicI64,
    /// The crate's I/O thread of this session (its ping answers are seen there); None
    /// without the tap.
    io_thread: Option<thread::ThreadId>,
    /// The negotiated session timeout in ms.
    timeout_ms: AtomicU64,
    health: Mutex<Health>,
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
    /// Connect and wait for a session, within `cfg.connect_timeout`. `on_event` receives the
    /// session's health changes; it runs on the session's own threads, so it must only
    /// forward (to a channel, say), never call the session back and wait.
    pub fn connect(
        cfg: &SessionConfig,
        on_event: impl Fn(SessionEvent) + Send + Sync + 'static,
    ) -> std::result::Result<Session, exit::Error> {
        tap::ensure_installed();
        let deadline = Instant::now() + cfg.connect_timeout;
        let hosts = resolve(&cfg.connect, deadline)?;
        let (zk, est, io_thread) = open(cfg, &hosts, deadline)?;
        let (sup_tx, sup_rx) = mpsc::channel();
        let timeout_ms = est.map_or(cfg.session_timeout.as_millis() as u64, |e| e.timeout_ms);
        let inner = Arc::new(Inner {
            zk: Arc::new(zk),
            cfg: cfg.clone(),
            hosts,
            session_id: AtomicI64::new(est.map_or(0, |e| e.session_id)),
            io_thread,
            timeout_ms: AtomicU64::new(timeout_ms),
            health: Mutex::new(Health {
                link: Link::Up,
                last_heard: Instant::now(),
                last_probe: Instant::now(),
            }),
            watches: Mutex::new(HashMap::new()),
            next_watch: AtomicU64::new(1),
            on_event: Box::new(on_event),
            supervisor: Mutex::new(sup_tx.clone()),
        });
        // The listener runs on the crate's I/O thread: it only forwards (a call from there
        // would deadlock the client).
        inner.zk.add_listener(move |state| {
            let _ = sup_tx.send(Msg::State(state, tap::last_established()));
        });
        let session = Session { inner };
        if let Some(auth) = &cfg.auth {
            session
                .add_auth(auth)
                .map_err(|e| e.to_exit("adding --auth credentials"))?;
        }
        supervisor::start(session.inner.clone(), sup_rx);
        log::debug!(
            "session {} with {} (timeout {} ms)",
            session.id_hex(),
            cfg.connect,
            timeout_ms
        );
        Ok(session)
    }

    /// Connect a new session with the same configuration and a new event callback.
    pub fn config(&self) -> &SessionConfig {
        &self.inner.cfg
    }

    /// The session id, 0 if unknown.
    pub fn id(&self) -> i64 {
        self.inner.session_id.load(Ordering::SeqCst)
    }

    /// The session id as zkCli prints it.
    pub fn id_hex(&self) -> String {
        fmt_session_id(self.id())
    }

    /// The session timeout the server granted.
    pub fn timeout(&self) -> Duration {
        Duration::from_millis(self.inner.timeout_ms.load(Ordering::SeqCst))
    }

    /// How long one call may take before it fails with `Error::Timeout`.
    pub fn call_timeout(&self) -> Duration {
        self.inner.call_timeout()
    }

    /// The server cannot expire this session before this instant: our last contact with it
    /// plus the session timeout. A holder must have stopped acting on its lock by then.
    pub fn expiry_bound(&self) -> Instant {
        self.inner.expiry_bound()
    }

    /// True while the session is connected and the server answers.
    pub fn is_healthy(&self) -> bool {
        matches!(self.inner.health().link, Link::Up)
    }

    /// True once the session is lost or closed.
    pub fn is_lost(&self) -> bool {
        matches!(self.inner.health().link, Link::Lost | Link::Closed)
    }

    /// After a connection error: wait until the session is in contact again (true), or is
    /// lost or `limit` has passed (false).
    pub fn wait_healthy(&self, limit: Duration) -> bool {
        let end = Instant::now() + limit;
        loop {
            if self.is_healthy() {
                return true;
            }
            if self.is_lost() || Instant::now() >= end {
                return false;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
    }

    /// The ACL for nodes we create (`--acl`): by default open without `--auth`; with it, all
    /// rights for our identity and read for everyone.
    pub fn default_acl(&self) -> Vec<Acl> {
        let cfg = &self.inner.cfg;
        match (cfg.acl, &cfg.auth) {
            (AclMode::Open, _) | (AclMode::Creator, None) => Acl::open_unsafe().clone(),
            (AclMode::Creator, Some(_)) => {
                let mut acl = Acl::creator_all().clone();
                acl.extend(Acl::read_unsafe().iter().cloned());
                acl
            }
            // Without --auth the server refuses this (InvalidACL): nothing is created open.
            (AclMode::Private, _) => Acl::creator_all().clone(),
        }
    }

    fn add_auth(&self, auth: &Auth) -> Result<()> {
        let bytes = auth.digest_bytes();
        self.call(move |zk| zk.add_auth("digest", bytes))
    }

    pub fn create(&self, path: &str, data: Vec<u8>, mode: CreateMode) -> Result<String> {
        self.create_with_acl(path, data, self.default_acl(), mode)
    }

    pub fn create_with_acl(
        &self,
        path: &str,
        data: Vec<u8>,
        acl: Vec<Acl>,
        mode: CreateMode,
    ) -> Result<String> {
        let path = checked(path)?;
        self.call(move |zk| zk.create(&path, data, acl, mode))
    }

    /// Create `path` and its missing parents as persistent nodes (like `mkdir -p`).
    pub fn ensure_path(&self, path: &str) -> Result<()> {
        checked(path)?;
        if path == "/" {
            return Ok(());
        }
        let ends = path
            .match_indices('/')
            .skip(1)
            .map(|(i, _)| i)
            .chain([path.len()]);
        for end in ends {
            match self.create(&path[..end], Vec::new(), CreateMode::Persistent) {
                Ok(_) | Err(Error::Zk(ZkError::NodeExists)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    pub fn delete(&self, path: &str, version: Option<i32>) -> Result<()> {
        let path = checked(path)?;
        self.call(move |zk| zk.delete(&path, version))
    }

    pub fn exists(&self, path: &str) -> Result<Option<Stat>> {
        let path = checked(path)?;
        self.call(move |zk| zk.exists(&path, false))
    }

    pub fn get_data(&self, path: &str) -> Result<(Vec<u8>, Stat)> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_data(&path, false))
    }

    pub fn set_data(&self, path: &str, data: Vec<u8>, version: Option<i32>) -> Result<Stat> {
        let path = checked(path)?;
        self.call(move |zk| zk.set_data(&path, data, version))
    }

    pub fn get_children(&self, path: &str) -> Result<Vec<String>> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_children(&path, false))
    }

    pub fn get_acl(&self, path: &str) -> Result<(Vec<Acl>, Stat)> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_acl(&path))
    }

    /// `exists` with a watch that fires on create, delete or data change of `path`.
    pub fn exists_w(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<Option<Stat>> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| zk.exists_w(&path, w))
    }

    /// `get_data` with a watch that fires on a data change or delete of `path`.
    pub fn get_data_w(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<(Vec<u8>, Stat)> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| zk.get_data_w(&path, w))
    }

    /// `get_children` with a watch that fires when a child comes or goes, or `path` is deleted.
    pub fn get_children_w(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<Vec<String>> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| zk.get_children_w(&path, w))
    }

    /// Arm a watch, then make the call that sets it. The slot is registered before the call,
    /// so a reconnect during the call still reaches the owner.
    fn watched<T: Send + 'static>(
        &self,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
        f: impl FnOnce(&ZooKeeper, Box<dyn Fn(WatchedEvent) + Send>) -> zookeeper::ZkResult<T>
            + Send
            + 'static,
    ) -> Result<T> {
        let id = self.inner.next_watch.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(WatchSlot {
            fired: AtomicBool::new(false),
            f: Box::new(watch),
        });
        self.inner.lock_watches().insert(id, slot.clone());
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        let fired = slot.clone();
        let crate_watcher: Box<dyn Fn(WatchedEvent) + Send> = Box::new(move |ev: WatchedEvent| {
            if let Some(inner) = weak.upgrade() {
                inner.lock_watches().remove(&id);
            }
            fired.fire(map_event(ev.event_type));
        });
        let result = self.call(move |zk| f(zk, crate_watcher));
        if result.is_err() {
            // The server set no watch (or we do not know): make sure a late one is ignored.
            slot.fired.store(true, Ordering::SeqCst);
            self.inner.lock_watches().remove(&id);
        }
        result
    }

    /// Run one crate call on a helper thread and wait at most `call_timeout` for it: the crate
    /// itself never times out, and a hung server would block the caller forever.
    fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&ZooKeeper) -> zookeeper::ZkResult<T> + Send + 'static,
    ) -> Result<T> {
        self.inner.call(f)
    }

    /// Close the session: the server deletes our ephemeral nodes at once. Returns within
    /// `limit` even when the server does not answer (the nodes then go at expiry).
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
        // The crate's own Drop calls close() again and blocks on a hung server: let the last
        // reference go on a thread of its own.
        let inner = self.inner.clone();
        let _ = thread::Builder::new()
            .name("zk-drop".into())
            .spawn(move || drop(inner));
    }
}

impl Inner {
    fn health(&self) -> std::sync::MutexGuard<'_, Health> {
        self.health.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn lock_watches(&self) -> std::sync::MutexGuard<'_, HashMap<u64, Arc<WatchSlot>>> {
        self.watches.lock().unwrap_or_else(|e| e.into_inner())
    }

    fn timeout(&self) -> Duration {
        Duration::from_millis(self.timeout_ms.load(Ordering::SeqCst))
    }

    fn call_timeout(&self) -> Duration {
        self.timeout() * 2 / 3
    }

    fn expiry_bound(&self) -> Instant {
        self.fold_pings();
        self.health().last_heard + self.timeout()
    }

    /// Count the crate's answered pings as contact: they renew the session as our calls do.
    fn fold_pings(&self) {
        if let Some(ping) = self.io_thread.and_then(tap::last_ping) {
            let mut h = self.health();
            if ping > h.last_heard {
                h.last_heard = ping;
            }
        }
    }

    /// Note that the server answered.
    fn heard(&self) {
        self.health().last_heard = Instant::now();
    }

    fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&ZooKeeper) -> zookeeper::ZkResult<T> + Send + 'static,
    ) -> Result<T> {
        if matches!(self.health().link, Link::Lost | Link::Closed) {
            return Err(Error::Lost);
        }
        let zk = self.zk.clone();
        let (tx, rx) = mpsc::sync_channel(1);
        let spawned = helpers::run(move || {
            let _ = tx.send(f(&zk));
        });
        if spawned.is_err() {
            return Err(Error::Zk(ZkError::SystemError));
        }
        let limit = self.call_timeout();
        match rx.recv_timeout(limit) {
            Ok(Ok(v)) => {
                self.heard();
                Ok(v)
            }
            Ok(Err(e)) => {
                if e != ZkError::ConnectionLoss {
                    self.heard();
                }
                Err(Error::Zk(e))
            }
            Err(RecvTimeoutError::Timeout) => {
                self.suspend(
                    format!("a call got no answer in {}", fmt_duration(limit)),
                    true,
                );
                Err(Error::Timeout(limit))
            }
            // The helper thread died: the crate panicked inside the call.
            Err(RecvTimeoutError::Disconnected) => Err(Error::Zk(ZkError::SystemError)),
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
        if catch_unwind(AssertUnwindSafe(|| (self.on_event)(ev))).is_err() {
            log::error!("a session event callback panicked");
        }
    }

    /// Up → Suspended (and tell the owner). `by_probe`: the connection itself is still open,
    /// so a later successful probe (not only a reconnect) ends the suspension.
    fn suspend(&self, reason: String, by_probe: bool) {
        self.fold_pings();
        let deadline = {
            let mut h = self.health();
            match h.link {
                Link::Up => {}
                // Suspended by a silent probe, and now the connection itself is down: only
                // the crate's reconnect may end this suspension. (A probe answering from a
                // server the crate is not connected to must not read as "reconnected": the
                // owner would retry its calls on a dead connection and then wait for a
                // Reconnected that had already been sent.)
                Link::Suspended { by_probe: true } if !by_probe => {
                    h.link = Link::Suspended { by_probe: false };
                    return;
                }
                _ => return,
            }
            h.link = Link::Suspended { by_probe };
            h.last_heard + self.timeout()
        };
        log::info!("session {} suspended: {reason}", fmt_session_id(self.id()));
        self.notify(SessionEvent::Suspended { reason, deadline });
    }

    fn id(&self) -> i64 {
        self.session_id.load(Ordering::SeqCst)
    }

    fn close_within(&self, limit: Duration) {
        let was = std::mem::replace(&mut self.health().link, Link::Closed);
        let _ = self
            .supervisor
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .send(Msg::Stop);
        if matches!(was, Link::Closed) {
            return;
        }
        self.fire_all_watches(WatchEvent::SessionLost);
        if matches!(was, Link::Lost) {
            return;
        }
        let zk = self.zk.clone();
        let (tx, rx) = mpsc::channel();
        let _ = thread::Builder::new()
            .name("zk-close".into())
            .spawn(move || {
                let _ = tx.send(zk.close());
            });
        match rx.recv_timeout(limit) {
            Ok(Ok(())) => log::debug!("session {} closed", fmt_session_id(self.id())),
            Ok(Err(e)) => log::debug!("closing session: {e:?}"),
            Err(_) => log::warn!(
                "the server did not answer the close within {}: our ephemeral nodes go when \
                 the session expires",
                fmt_duration(limit)
            ),
        }
    }
}

/// Refuse a bad path before the crate sees it (it lets `a/b` escape a chroot).
fn checked(path: &str) -> Result<String> {
    validate_path(path).map_err(|_| Error::Zk(ZkError::BadArguments))?;
    Ok(path.to_owned())
}

fn map_event(t: WatchedEventType) -> WatchEvent {
    match t {
        WatchedEventType::NodeCreated => WatchEvent::Created,
        WatchedEventType::NodeDeleted => WatchEvent::Deleted,
        WatchedEventType::NodeDataChanged => WatchEvent::DataChanged,
        WatchedEventType::NodeChildrenChanged => WatchEvent::ChildrenChanged,
        _ => WatchEvent::Reconnected,
    }
}

/// Resolve every host of the connect string, on a helper thread so a slow resolver cannot
/// outlast the connect deadline.
fn resolve(
    cs: &ConnectString,
    deadline: Instant,
) -> std::result::Result<Vec<SocketAddr>, exit::Error> {
    let hosts = cs.hosts.clone();
    let (tx, rx) = mpsc::channel();
    let _ = thread::Builder::new()
        .name("zk-resolve".into())
        .spawn(move || {
            let mut addrs = Vec::new();
            let mut failures = Vec::new();
            for (h, p) in &hosts {
                match (h.as_str(), *p).to_socket_addrs() {
                    Ok(found) => addrs.extend(found),
                    Err(e) => failures.push(format!("{h}: {e}")),
                }
            }
            let _ = tx.send((addrs, failures));
        });
    let unavailable = |why: String| {
        exit::Error::new(
            exit::UNAVAILABLE,
            format!("cannot connect to ZooKeeper at {cs}: {why}; check the host names in --zk"),
        )
    };
    let (mut addrs, failures) = rx
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .map_err(|_| unavailable("resolving the host names took too long".into()))?;
    addrs.sort();
    addrs.dedup();
    if !addrs.is_empty() {
        for f in &failures {
            log::warn!("cannot resolve {f}; using the other servers");
        }
    }
    if addrs.is_empty() {
        return Err(unavailable(format!(
            "cannot resolve {}",
            failures.join(", ")
        )));
    }
    Ok(addrs)
}

/// Create the crate's handle and wait until it has a session.
fn open(
    cfg: &SessionConfig,
    hosts: &[SocketAddr],
    deadline: Instant,
) -> std::result::Result<
    (
        ZooKeeper,
        Option<tap::Established>,
        Option<thread::ThreadId>,
    ),
    exit::Error,
> {
    // Spread clients over the ensemble, as the Java client does.
    let mut order = hosts.to_vec();
    order.shuffle(&mut rand::thread_rng());
    let crate_connect = format!(
        "{}{}",
        order
            .iter()
            .map(|a| a.to_string())
            .collect::<Vec<_>>()
            .join(","),
        cfg.connect.chroot.as_deref().unwrap_or("")
    );
    let _one_at_a_time = tap::CONNECTING.lock().unwrap_or_else(|e| e.into_inner());
    let (tx, rx) = mpsc::channel();
    if tap::installed() {
        tap::claim_next(tx);
    }
    // The crate panics inside connect when the OS rejects the address at once.
    let made = catch_unwind(|| ZooKeeper::connect(&crate_connect, cfg.session_timeout, |_| {}));
    let zk = match made {
        Ok(Ok(zk)) => zk,
        Ok(Err(e)) => {
            tap::cancel_claim();
            return Err(unreachable(
                cfg,
                &order,
                &format!("the client refused it ({e:?})"),
            ));
        }
        Err(_) => {
            tap::cancel_claim();
            return Err(unreachable(cfg, &order, "the system refused the address"));
        }
    };
    if !tap::installed() {
        // No way to learn the session id; wait for any answer instead.
        while Instant::now() < deadline {
            if zk.exists("/", false).is_ok() {
                return Ok((zk, None, None));
            }
            thread::sleep(Duration::from_millis(20));
        }
        abandon(zk);
        return Err(unreachable(cfg, &order, "no answer"));
    }
    match rx.recv_timeout(deadline.saturating_duration_since(Instant::now())) {
        Ok((io_thread, est)) => Ok((zk, Some(est), Some(io_thread))),
        Err(_) => {
            tap::cancel_claim();
            abandon(zk);
            Err(unreachable(cfg, &order, &diagnose(&order)))
        }
    }
}

/// Let go of a handle that never got a session. The crate's Drop blocks until its I/O loop
/// gives up (after a session timeout), so drop it elsewhere.
fn abandon(zk: ZooKeeper) {
    let _ = thread::Builder::new()
        .name("zk-abandon".into())
        .spawn(move || drop(zk));
}

fn unreachable(cfg: &SessionConfig, _hosts: &[SocketAddr], why: &str) -> exit::Error {
    exit::Error::new(
        exit::UNAVAILABLE,
        format!(
            "cannot connect to ZooKeeper at {} within {}: {why}. Is a server running there? \
             Check --zk (or ZKDEMO_ZK); `zkdemo server` starts a local one",
            cfg.connect,
            fmt_duration(cfg.connect_timeout)
        ),
    )
}

/// Say why no session came: nothing listening, a silent server, or one that hangs up.
fn diagnose(hosts: &[SocketAddr]) -> String {
    let mut seen = Vec::new();
    for a in hosts.iter().take(5) {
        let what = match std::net::TcpStream::connect_timeout(a, Duration::from_millis(300)) {
            Err(e) if e.kind() == std::io::ErrorKind::ConnectionRefused => "nothing listens",
            Err(_) => "no TCP connection",
            Ok(_) => {
                if probe::alive(a, Duration::from_millis(300)) {
                    "a server answers but gave us no session (too many connections from this \
                     address? see maxClientCnxns)"
                } else {
                    "it accepts connections but does not answer as ZooKeeper"
                }
            }
        };
        seen.push(format!("{a}: {what}"));
    }
    seen.join("; ")
}
