//! The session's health, decided on one thread of its own.
//!
//! Inputs: the crate's state changes (forwarded from its I/O thread with the session facts the
//! tap saw), and time. Outputs: `SessionEvent`s to the owner.
//!
//! - Up → Suspended when the crate disconnects, when a call times out, or when the probe finds
//!   the server silent. While up and idle, the server is probed every timeout/10.
//! - Suspended → Up (`Reconnected`) when the crate reconnects *with the same session id*
//!   (auth is replayed, watches fired so their owners re-read), or, when only the probe or a
//!   call had failed, when the probe answers again.
//! - Suspended → Lost when a whole session timeout has passed since we last heard from the
//!   server (the server may have expired us by then: act as if it had, as Curator does), when
//!   the crate reconnects with a *new* session id (the old one expired), or when the crate
//!   closes itself.

use std::collections::HashMap;
use std::net::SocketAddr;
use std::sync::atomic::Ordering;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::{Arc, Mutex, OnceLock};
use std::thread;
use std::time::{Duration, Instant};

use zookeeper::ZkState;

use super::tap::Established;
use super::{fmt_duration, fmt_session_id, probe, Inner, SessionEvent, WatchEvent};

pub(super) enum Msg {
    State(ZkState, Option<Established>),
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Link {
    Up,
    Suspended { by_probe: bool },
    Lost,
    Closed,
}

pub(super) struct Health {
    pub link: Link,
    /// Our last contact with the session: an answer to one of our calls or to the crate's
    /// ping (both renew the session at the server). Never a probe: a `ruok` answer proves the
    /// server runs, not that it renewed our session, and the expiry bound is reckoned from
    /// this.
    pub last_heard: Instant,
    /// The last probe answered (paces the probes while up).
    pub last_probe: Instant,
}

pub(super) fn start(inner: Arc<Inner>, rx: Receiver<Msg>) {
    let _ = thread::Builder::new()
        .name("zk-session".into())
        .spawn(move || run(&inner, rx));
}

/// The crate pings only after 2/3 of the session timeout without traffic, so the server may
/// expire an idle session a third of the timeout after it hangs. A hang must be seen well
/// within that (a probe's wait plus its own time-out: 2 intervals = timeout/5), so that a
/// guarded command is stopped before the session can expire.
fn probe_interval(timeout: Duration) -> Duration {
    (timeout / 10).max(Duration::from_millis(50))
}

fn run(inner: &Inner, rx: Receiver<Msg>) {
    loop {
        let wait = {
            let h = inner.health();
            let next = match h.link {
                Link::Up => h.last_heard.max(h.last_probe) + probe_interval(inner.timeout()),
                Link::Suspended { .. } => Instant::now() + probe_interval(inner.timeout()),
                Link::Lost | Link::Closed => return,
            };
            next.saturating_duration_since(Instant::now())
                .max(Duration::from_millis(5))
        };
        match rx.recv_timeout(wait) {
            Ok(Msg::State(state, est)) => on_state(inner, state, est),
            Ok(Msg::Stop) | Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        tick(inner);
    }
}

#[allow(deprecated)] // NotConnected: the crate still sends it when a session expires
fn on_state(inner: &Inner, state: ZkState, est: Option<Established>) {
    log::debug!("crate state {state:?} ({est:?})");
    match state {
        ZkState::Connected | ZkState::ConnectedReadOnly => {
            let ours = inner.id();
            if let Some(e) = est {
                if ours != 0 && e.session_id != ours {
                    lose(
                        inner,
                        format!(
                            "session {} expired (the server gave the client a new one, {})",
                            fmt_session_id(ours),
                            fmt_session_id(e.session_id)
                        ),
                    );
                    return;
                }
                inner.timeout_ms.store(e.timeout_ms, Ordering::SeqCst);
            }
            // The crate reconnected: its connect request renewed the session.
            resume(inner, true);
        }
        ZkState::Connecting | ZkState::NotConnected => {
            inner.suspend("disconnected from the server".into(), false)
        }
        ZkState::Closed => lose(inner, "the client gave up reconnecting".into()),
        ZkState::AuthFailed => lose(inner, "the server refused our credentials".into()),
        ZkState::Associating => {}
    }
}

fn tick(inner: &Inner) {
    inner.fold_pings();
    let (link, last_heard, last_probe) = {
        let h = inner.health();
        (h.link, h.last_heard, h.last_probe)
    };
    let timeout = inner.timeout();
    match link {
        Link::Up if last_heard.max(last_probe).elapsed() >= probe_interval(timeout) => {
            // Nothing to probe (no connection found): no news is no bad news.
            if server_alive(inner, timeout) != Some(false) {
                inner.health().last_probe = Instant::now();
            } else {
                inner.suspend(
                    "the server does not answer (hung or overloaded?)".into(),
                    true,
                );
            }
        }
        Link::Suspended { by_probe } => {
            if last_heard.elapsed() >= timeout {
                lose(
                    inner,
                    format!(
                        "no contact with the server for the session timeout ({})",
                        fmt_duration(timeout)
                    ),
                );
            } else if by_probe && server_alive(inner, timeout) == Some(true) {
                // The server answers again; our session has not been renewed by that.
                resume(inner, false);
            }
        }
        _ => {}
    }
}

/// Suspended → Up: replay the auth the crate dropped, fire the watches the server forgot.
fn resume(inner: &Inner, renewed: bool) {
    {
        let mut h = inner.health();
        if renewed {
            h.last_heard = Instant::now();
        }
        match h.link {
            Link::Suspended { .. } => h.link = Link::Up,
            _ => return,
        }
    }
    if let Some(auth) = &inner.cfg.auth {
        let bytes = auth.digest_bytes();
        if let Err(e) = inner.call(move |zk| zk.add_auth("digest", bytes)) {
            log::warn!("could not add the credentials again after a reconnect: {e}");
        }
    }
    log::info!("session {} reconnected", fmt_session_id(inner.id()));
    inner.fire_all_watches(WatchEvent::Reconnected);
    inner.notify(SessionEvent::Reconnected);
}

fn lose(inner: &Inner, reason: String) {
    {
        let mut h = inner.health();
        if matches!(h.link, Link::Lost | Link::Closed) {
            return;
        }
        h.link = Link::Lost;
    }
    log::info!("session {} lost: {reason}", fmt_session_id(inner.id()));
    inner.fire_all_watches(WatchEvent::SessionLost);
    inner.notify(SessionEvent::Lost { reason });
}

/// Probe the server(s) this session uses. Answers are shared between the sessions of one
/// process (a benchmark may hold a thousand), so each server is asked at most once per
/// interval. None when there is nothing to probe: on an ensemble, while the crate has no
/// connection (it is connecting elsewhere), or where /proc cannot tell which server it uses.
/// That must never read as "alive": a session suspended by a probe would then read as
/// reconnected while the crate has no connection at all.
fn server_alive(inner: &Inner, timeout: Duration) -> Option<bool> {
    static RECENT: OnceLock<Mutex<HashMap<SocketAddr, Instant>>> = OnceLock::new();
    let recent = RECENT.get_or_init(Default::default);
    let interval = probe_interval(timeout);
    let limit = interval.min(Duration::from_secs(2));
    let targets = probe::targets(&inner.hosts);
    if targets.is_empty() {
        return None;
    }
    let all = targets.iter().all(|addr| {
        let fresh = recent
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .get(addr)
            .is_some_and(|t| t.elapsed() < interval);
        if fresh {
            return true;
        }
        let ok = probe::alive(addr, limit);
        if ok {
            recent
                .lock()
                .unwrap_or_else(|e| e.into_inner())
                .insert(*addr, Instant::now());
        }
        ok
    });
    Some(all)
}
