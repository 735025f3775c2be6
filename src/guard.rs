//! Hold a lock (or leadership) while a command runs, and stop the command in time when the
//! hold is lost. Shared by `lock -- CMD` and `elect -- CMD`.
//!
//! The safety rule: the command is dead before the server could expire our session and let
//! someone else in. The server cannot expire us before `last contact + session timeout`
//! (`Session::expiry_bound`). So when contact is lost, zkdemo schedules SIGKILL for the group
//! at that bound less a margin, and SIGTERM `--kill-grace` before it (at once, when that is
//! already past). If contact comes back first, with our node intact, nothing is sent and the
//! command goes on: a server restart shorter than the session timeout costs nothing. Once
//! SIGTERM is sent, the hold is lost whatever happens next.
//! Someone deleting our node, or a lost session, stops the command at once (SIGTERM, the
//! grace, SIGKILL).

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use crate::child::Child;
use crate::queue::{Inbox, Queue, Wake, Waker};
use crate::session::{Session, SessionEvent, WatchEvent};

/// How a hold without a command ended.
#[derive(Debug)]
pub enum Held {
    /// The time was up.
    Done,
    Signal(i32),
    Lost(String),
}

/// Hold (a lock, or leadership) without a command, until `until` (None: until a signal or a
/// loss). A short disconnect does not end it; but once out of contact, the hold is given up
/// (`Lost`) at the expiry bound less the margin, before the server could expire our session
/// and let someone else in — the same rule `run` applies to a command.
pub fn hold(s: &Session, queue: &Queue, rx: &Inbox, tx: &Waker, until: Option<Instant>) -> Held {
    let own = queue.mine().map(|m| m.name.clone()).unwrap_or_default();
    // A connection error is not a loss: the session's events say what follows.
    if let Ok(false) = queue.watch(s, &own, tx.clone()) {
        return Held::Lost("our node vanished".into());
    }
    let mut give_up_at: Option<Instant> = None;
    loop {
        let wake = match (until, give_up_at) {
            (Some(u), Some(g)) => Some(u.min(g)),
            (u, g) => u.or(g),
        };
        let msg = match wake {
            Some(w) => match rx.recv_timeout(w.saturating_duration_since(Instant::now())) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) if give_up_at.is_some_and(|g| g <= w) => {
                    return Held::Lost(
                        "contact with ZooKeeper lost; given up before the session can expire"
                            .into(),
                    )
                }
                Err(RecvTimeoutError::Timeout) => return Held::Done,
                Err(RecvTimeoutError::Disconnected) => return Held::Lost("no events".into()),
            },
            None => match rx.recv() {
                Ok(m) => m,
                Err(_) => return Held::Lost("no events".into()),
            },
        };
        match msg {
            Wake::Signal(sig) => return Held::Signal(sig),
            // A watch left from the wait (on our predecessor): not about our hold.
            Wake::Watch(node, _) if node != own => {}
            Wake::Session(SessionEvent::Lost { reason }) => {
                return Held::Lost(format!("session lost: {reason}"))
            }
            Wake::Session(SessionEvent::Suspended { reason, deadline }) => {
                log::info!("contact lost ({reason}); holding on while the session can live");
                give_up_at = Some(deadline - margin(s.timeout()));
            }
            Wake::Watch(_, WatchEvent::SessionLost) => {}
            // Reconnected, a delete (perhaps a late echo of an earlier watch), or our node's
            // data changed: only the node itself tells. Watch it again.
            Wake::Session(SessionEvent::Reconnected) | Wake::Watch(..) => match queue.still_mine(s)
            {
                Ok(true) => {
                    if let Ok(false) = queue.watch(s, &own, tx.clone()) {
                        return Held::Lost("our node is gone".into());
                    }
                    give_up_at = None;
                }
                Ok(false) => return Held::Lost("our node was deleted by someone else".into()),
                Err(_) => {} // no answer: the session events that follow decide
            },
            Wake::ChildExit(_) | Wake::Timer(_) => {}
        }
    }
}

/// How a guarded run ended.
#[derive(Debug)]
pub enum End {
    /// The command exited by itself (or after a signal we forwarded): its exit code.
    Exited(i32),
    /// The hold was lost; the command's group has been stopped.
    Lost(String),
}

/// Safety margin kept before the expiry bound: the time a request takes to reach the server,
/// and the server's tick granularity, with room to spare.
pub fn margin(timeout: Duration) -> Duration {
    (timeout / 10).max(Duration::from_millis(100))
}

/// Run `argv` while we hold; `on_lost` is called the moment the hold is given up (before the
/// command is stopped), so the user sees why at once.
#[allow(clippy::too_many_arguments)]
pub fn run(
    s: &Session,
    queue: &Queue,
    rx: &Inbox,
    tx: &Waker,
    argv: &[String],
    env: &[(String, String)],
    kill_grace: Duration,
    on_lost: &mut dyn FnMut(&str),
) -> std::io::Result<End> {
    let exit_tx = tx.untagged();
    let mut child = Child::spawn(argv, env, move |code| {
        let _ = exit_tx.send(Wake::ChildExit(code));
    })?;
    let own = queue.mine().map(|m| m.name.clone()).unwrap_or_default();
    // Ok(false): our node is gone. An error says only that the server did not answer: the
    // session's events say what follows.
    let first = queue.watch(s, &own, tx.clone());
    let mut watching = matches!(first, Ok(true));
    // Contact lost: (why, when to send SIGTERM, when to send SIGKILL).
    let mut pending: Option<(String, Instant, Instant)> = None;
    let mut lose = |child: &mut Child, why: String, kill_at: Instant| {
        on_lost(&why);
        child.stop_group(kill_at);
        End::Lost(why)
    };
    if !watching {
        return Ok(lose(
            &mut child,
            "our node vanished as we took hold".into(),
            Instant::now() + kill_grace,
        ));
    }
    // A signal was passed on to the command: SIGKILL for its group at this time, unless it
    // has exited by then (the session stays open meanwhile: we still hold).
    let mut sig_kill_at: Option<Instant> = None;
    loop {
        let next = [pending.as_ref().map(|p| p.1), sig_kill_at]
            .into_iter()
            .flatten()
            .min();
        let msg = match next {
            Some(at) => match rx.recv_timeout(at.saturating_duration_since(Instant::now())) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => {
                    if sig_kill_at.is_some_and(|k| k <= Instant::now()) {
                        eprintln!(
                            "zkdemo: the command did not stop within --kill-grace ({}) of the \
                             signal: killing it (SIGKILL)",
                            crate::session::fmt_duration(kill_grace)
                        );
                        child.signal_all(libc::SIGKILL);
                        sig_kill_at = None;
                        continue;
                    }
                    if let Some((why, _, kill_at)) = pending.take() {
                        let why =
                            format!("{why}; stopping the command before the session can expire");
                        return Ok(lose(&mut child, why, kill_at));
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return Ok(End::Exited(1)),
            },
            None => match rx.recv() {
                Ok(m) => m,
                Err(_) => return Ok(End::Exited(1)),
            },
        };
        match msg {
            Wake::ChildExit(code) => {
                // Nothing of the command may outlive it while we still hold.
                if let Some(what) = child.reap_group(kill_grace) {
                    eprintln!("zkdemo: the command exited ({code}); {what}");
                }
                return Ok(End::Exited(code));
            }
            Wake::Signal(sig) => {
                child.signal_all(sig);
                sig_kill_at.get_or_insert(Instant::now() + kill_grace);
            }
            // A watch left from the wait (on our predecessor): nothing to do with our hold.
            Wake::Watch(node, _) if node != own => {}
            Wake::Session(SessionEvent::Suspended { reason, deadline }) => {
                let kill_at = deadline - margin(s.timeout());
                let term_at = kill_at
                    .checked_sub(kill_grace)
                    .unwrap_or(kill_at)
                    .max(Instant::now());
                log::info!(
                    "contact lost ({reason}); the command is stopped unless it is back in {:?}",
                    term_at.saturating_duration_since(Instant::now())
                );
                pending = Some((
                    format!("contact with ZooKeeper lost: {reason}"),
                    term_at,
                    kill_at,
                ));
            }
            Wake::Session(SessionEvent::Reconnected) | Wake::Watch(_, WatchEvent::Reconnected) => {
                // Back with the same session: our node must still be there, and watched again.
                if queue.still_mine(s).unwrap_or(false) {
                    if !watching || matches!(msg, Wake::Watch(..)) {
                        watching = queue.watch(s, &own, tx.clone()).unwrap_or(false);
                    }
                    if watching {
                        pending = None;
                        continue;
                    }
                }
                if s.is_healthy() {
                    return Ok(lose(
                        &mut child,
                        "our node is gone".into(),
                        Instant::now() + kill_grace,
                    ));
                }
            }
            Wake::Session(SessionEvent::Lost { reason }) => {
                let kill_at =
                    (s.expiry_bound() - margin(s.timeout())).min(Instant::now() + kill_grace);
                return Ok(lose(&mut child, format!("session lost: {reason}"), kill_at));
            }
            // Only the node itself tells whether a delete was ours (a late echo) or a loss.
            Wake::Watch(_, WatchEvent::Deleted) if !matches!(queue.still_mine(s), Ok(false)) => {
                watching = matches!(queue.watch(s, &own, tx.clone()), Ok(true));
            }
            Wake::Watch(_, WatchEvent::Deleted) => {
                return Ok(lose(
                    &mut child,
                    "our node was deleted by someone else".into(),
                    Instant::now() + kill_grace,
                ));
            }
            Wake::Watch(_, WatchEvent::SessionLost) => {}
            Wake::Watch(..) => {
                // Our node's data changed (a watch is one-shot): watch it again.
                watching = queue.watch(s, &own, tx.clone()).unwrap_or(false);
                if !watching && s.is_healthy() {
                    return Ok(lose(
                        &mut child,
                        "our node was deleted by someone else".into(),
                        Instant::now() + kill_grace,
                    ));
                }
            }
            Wake::Timer(_) => {}
        }
    }
}
