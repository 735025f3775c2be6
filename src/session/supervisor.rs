//! The session's health, decided on one thread of its own from what the relay sees on the
//! session's own connection.
//!
//! - Up: while nothing is in flight, a heartbeat goes out after `heartbeat(T)` of quiet; a
//!   request (ours or the crate's) unanswered for `silence(T)` means this connection is silent
//!   (a hung server, or a half-open flow that no `ruok` on a new connection would reveal), so
//!   the relay drops it. Either way: Up → Suspended. So a session reads as up only while its
//!   own connection answers within T/3, and is suspended at most T/2 after its last contact.
//! - Suspended: the supervisor resumes the session on a new connection (any server of the
//!   connect string, with backoff): Suspended → Up (`Reconnected`), auth replayed by the
//!   handshake, watches fired so that their owners re-read and re-arm them. The server saying
//!   the session expired, or a whole session timeout passed since our last contact (the server
//!   may have expired us by then: act as if it had, as Curator does): → Lost.
//! - A lost session is given up for good: the relay forwards nothing more, and the reaper
//!   closes it on the server as soon as one answers, so it can never come back to life.

use std::net::SocketAddr;
use std::sync::mpsc::{Receiver, RecvTimeoutError};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::handshake::{self, AttemptError, Hello};
use super::relay::News;
use super::{fmt_duration, reaper, Inner, SessionEvent, SessionId, WatchEvent};

pub(super) enum Msg {
    Relay(News),
    Stop,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Link {
    Up,
    Suspended,
    Lost,
    Closed,
}

/// After this much quiet on the connection, a heartbeat.
pub(super) fn heartbeat(timeout: Duration) -> Duration {
    timeout / 6
}

/// A request unanswered this long: the connection is silent. The Java client allows 2/3 of
/// the timeout; a third leaves a guarded command time to stop before the session can expire.
pub(super) fn silence(timeout: Duration) -> Duration {
    timeout / 3
}

fn tick_interval(timeout: Duration) -> Duration {
    (timeout / 20).clamp(Duration::from_millis(20), Duration::from_millis(500))
}

/// Wait before the next attempt to resume: 50 ms, doubling, at most T/6 (so that a server
/// back within the timeout is found in time) and 1 s.
fn backoff(tries: u32, timeout: Duration) -> Duration {
    let cap = (timeout / 6).min(Duration::from_secs(1));
    (Duration::from_millis(50) * 2u32.saturating_pow(tries.min(10))).min(cap)
}

pub(super) fn start(inner: Arc<Inner>, rx: Receiver<Msg>) {
    let _ = thread::Builder::new()
        .name("zk-session".into())
        .spawn(move || run(&inner, rx));
}

fn run(inner: &Inner, rx: Receiver<Msg>) {
    let mut tries = 0u32;
    let mut next_try = Instant::now();
    // The server of the last connection: a resume tries the others first (it may be hung).
    let mut last_server = inner.relay.server();
    loop {
        if matches!(inner.link(), Link::Lost | Link::Closed) {
            return;
        }
        if let Some(a) = inner.relay.server() {
            last_server = Some(a);
        }
        match rx.recv_timeout(tick_interval(inner.timeout())) {
            Ok(Msg::Relay(News::Dropped { conn, reason })) => {
                let reason = format!("{reason} ({})", inner.server_name());
                if inner.drop_and_suspend(conn, reason) {
                    tries = 0;
                    next_try = Instant::now();
                }
            }
            Ok(Msg::Relay(News::Closed)) | Ok(Msg::Stop) => return,
            Err(RecvTimeoutError::Disconnected) => return,
            Err(RecvTimeoutError::Timeout) => {}
        }
        let timeout = inner.timeout();
        match inner.link() {
            Link::Up => {
                let waited = inner.relay.oldest_wait();
                if inner.relay.current().is_none() {
                    // Dropped without news reaching us (a failed write): no contact now.
                    inner.suspend(format!(
                        "no connection to ZooKeeper ({})",
                        inner.server_name()
                    ));
                    tries = 0;
                    next_try = Instant::now();
                } else if waited.is_some_and(|w| w >= silence(timeout)) {
                    let reason = format!(
                        "the server did not answer for {} ({}: hung, overloaded, or the \
                         connection is cut)",
                        fmt_duration(silence(timeout)),
                        inner.server_name()
                    );
                    if inner
                        .relay
                        .current()
                        .is_some_and(|c| inner.drop_and_suspend(c, reason))
                    {
                        tries = 0;
                        next_try = Instant::now();
                    }
                } else {
                    inner.relay.heartbeat_if_idle(heartbeat(timeout));
                }
            }
            Link::Suspended => {
                if inner.relay.last_heard().elapsed() >= timeout {
                    lose(
                        inner,
                        format!(
                            "no contact with ZooKeeper for the session timeout ({})",
                            fmt_duration(timeout)
                        ),
                    );
                } else if Instant::now() >= next_try {
                    match try_resume(inner, tries, last_server) {
                        Ok(()) => resume(inner),
                        Err(AttemptError::Expired) => {
                            lose(inner, "the server says the session has expired".into())
                        }
                        Err(AttemptError::AuthFailed) => {
                            lose(inner, "the server refused our credentials".into())
                        }
                        Err(e) => {
                            log::debug!("resuming session {}: {e}", SessionId(inner.id()));
                            next_try = Instant::now() + backoff(tries, timeout);
                            tries += 1;
                        }
                    }
                }
            }
            Link::Lost | Link::Closed => return,
        }
    }
}

/// One attempt to resume the session on a new connection, to the next server in turn: the
/// one we lost contact with last (a hung member of an ensemble keeps accepting connections
/// but answers nothing, and trying it first spent the time a guarded command had left).
/// Each attempt waits at most T/6 for an answer: a healthy server answers in milliseconds.
fn try_resume(inner: &Inner, tries: u32, last: Option<SocketAddr>) -> Result<(), AttemptError> {
    let addr = resume_order(&inner.hosts, last, tries);
    let g = inner.relay.granted();
    let timeout = inner.timeout();
    let left = (inner.relay.last_heard() + timeout).saturating_duration_since(Instant::now());
    let auth = inner.cfg.auth.as_ref().map(|a| a.digest_bytes());
    let hello = Hello {
        timeout_ms: g.timeout_ms,
        session_id: g.session_id,
        passwd: &g.passwd,
        last_zxid: inner.relay.last_zxid(),
        auth: auth.as_deref(),
    };
    let c = handshake::handshake(addr, &hello, heartbeat(timeout).min(left))?;
    if c.granted.session_id != g.session_id {
        return Err(AttemptError::Expired);
    }
    inner
        .relay
        .install(c.stream, c.addr, c.sent)
        .map_err(|e| AttemptError::Io(e.to_string()))
}

/// The server for attempt `tries` (0, 1, …): the hosts in turn, starting after `last`, so
/// that `last` comes last.
fn resume_order(hosts: &[SocketAddr], last: Option<SocketAddr>, tries: u32) -> SocketAddr {
    let start = last
        .and_then(|l| hosts.iter().position(|&h| h == l))
        .map_or(0, |i| i + 1);
    hosts[(start + tries as usize) % hosts.len()]
}

/// Suspended → Up: the watches the server forgot are fired so that their owners re-arm them.
fn resume(inner: &Inner) {
    if !inner.transition(&[Link::Suspended], Link::Up) {
        return;
    }
    log::info!(
        "session {} reconnected ({})",
        SessionId(inner.id()),
        inner.server_name()
    );
    inner.fire_all_watches(WatchEvent::Reconnected);
    inner.notify(SessionEvent::Reconnected);
}

/// → Lost, for good: the relay forwards nothing more and the reaper closes the session on the
/// server as soon as one answers.
pub(super) fn lose(inner: &Inner, reason: String) {
    if !inner.transition(&[Link::Up, Link::Suspended], Link::Lost) {
        return;
    }
    inner.relay.give_up();
    reaper::adopt(inner);
    log::info!("session {} lost: {reason}", SessionId(inner.id()));
    inner.fire_all_watches(WatchEvent::SessionLost);
    inner.notify(SessionEvent::Lost { reason });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_resume_tries_the_last_server_last() {
        let h: Vec<SocketAddr> = (1..=3)
            .map(|p| SocketAddr::from(([127, 0, 0, 1], p)))
            .collect();
        let order = |last, n: u32| -> Vec<u16> {
            (0..n).map(|t| resume_order(&h, last, t).port()).collect()
        };
        assert_eq!(order(Some(h[0]), 4), [2, 3, 1, 2]);
        assert_eq!(order(Some(h[2]), 3), [1, 2, 3]);
        assert_eq!(order(None, 3), [1, 2, 3]);
        let one = [h[1]];
        assert_eq!(resume_order(&one, Some(h[1]), 0), h[1]);
    }
}
