//! Holding: the time between "we are first" and the release, with or without a guarded
//! command. One loop for both: it watches our own node, and ends the hold by the loss clock
//! (`clock.rs`) when contact is lost, at once when the session is lost or the node deleted.
//!
//! A short disconnect costs nothing: if contact comes back before the clock runs out, with our
//! node intact (the same session), the hold goes on. Once the hold is given up (SIGTERM sent),
//! it is lost whatever happens next.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use super::clock::{LossClock, Stop};
use crate::child::Child;
use crate::inbox::{Inbox, Wake, Waker};
use crate::queue::Queue;
use crate::session::{Health, Session, SessionEvent, WatchEvent};

/// How a hold ended.
#[derive(Debug)]
pub enum Ended {
    /// Without a command: the time was up.
    Done,
    /// The command exited by itself (or after a signal we passed on): its exit code.
    Exited(i32),
    /// Without a command: a signal came (with a command it is passed on instead).
    Signal(i32),
    /// The hold was lost (the command, if any, has been stopped): why.
    Lost(String),
}

/// What a hold stands on: the contender's session, its place, its inbox.
pub(super) struct Ground<'a> {
    pub s: &'a Session,
    pub queue: &'a Queue,
    pub rx: &'a Inbox,
    pub tx: &'a Waker,
}

/// Hold until `until` (None: until a signal, a loss, or the command's exit), with `child`
/// when a command runs. `on_lost` hears why, the moment the hold is given up, before the
/// command is stopped.
pub(super) fn hold(
    g: &Ground,
    mut child: Option<Child>,
    until: Option<Instant>,
    grace: Duration,
    on_lost: &mut dyn FnMut(&str),
) -> Ended {
    let clock = LossClock::new(
        g.s.timeout(),
        if child.is_some() {
            grace
        } else {
            Duration::ZERO
        },
    );
    let own = g.queue.mine().map(|m| m.name.clone()).unwrap_or_default();
    let watch = || g.queue.watch_own(g.s, g.tx.clone());
    let mut lose = |child: &mut Option<Child>, why: String, stop: Stop| {
        on_lost(&why);
        if let Some(c) = child.as_mut() {
            c.stop_group(stop.kill_at);
        }
        Ended::Lost(why)
    };
    let healthy = || g.s.health() == Health::Up;
    // Ok(false): our node is gone. An error while out of contact says only that the server
    // did not answer: the session's events say what follows. In contact, we could not watch
    // our node, so we would not notice its delete: give up.
    let first = watch();
    if matches!(first, Ok(false)) || (first.is_err() && healthy()) {
        let stop = clock.gone(Instant::now());
        return lose(&mut child, "our node vanished as we took hold".into(), stop);
    }
    // Contact lost: (why, when the hold ends).
    let mut pending: Option<(String, Stop)> = None;
    // A signal was passed on to the command: SIGKILL for its group at this time, unless it
    // has exited by then (we still hold meanwhile).
    let mut sig_kill_at: Option<Instant> = None;
    loop {
        let next = [until, pending.as_ref().map(|p| p.1.term_at), sig_kill_at]
            .into_iter()
            .flatten()
            .min();
        let msg = match next {
            Some(at) => match g
                .rx
                .recv_timeout(at.saturating_duration_since(Instant::now()))
            {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => {
                    let now = Instant::now();
                    if let (Some(k), Some(c)) = (sig_kill_at, child.as_ref()) {
                        if k <= now {
                            eprintln!(
                                "zkdemo: the command did not stop within --kill-grace ({}) of \
                                 the signal: killing it (SIGKILL)",
                                crate::session::fmt_duration(grace)
                            );
                            c.signal_all(libc::SIGKILL);
                            sig_kill_at = None;
                            continue;
                        }
                    }
                    if let Some((why, stop)) = pending.take_if(|p| p.1.term_at <= now) {
                        // What becomes of the command is the caller's to say (`lock`: "LOST
                        // the lock …; stopping the command"), once.
                        // Past the SIGKILL time already: zkdemo itself did not run meanwhile
                        // (SIGSTOP, a suspended machine), and the session may be gone.
                        let why = if now > stop.kill_at {
                            format!(
                                "{why}; noticed {} late (zkdemo was not running: stopped, \
                                 or the machine asleep?): the session may have expired and \
                                 another may hold already",
                                crate::session::fmt_duration(now - stop.kill_at)
                            )
                        } else {
                            format!("{why}; given up before the session can expire")
                        };
                        return lose(&mut child, why, stop);
                    }
                    if until.is_some_and(|u| u <= now) {
                        return Ended::Done;
                    }
                    continue;
                }
                Err(RecvTimeoutError::Disconnected) => return Ended::Lost("no events".into()),
            },
            None => match g.rx.recv() {
                Ok(m) => m,
                Err(_) => return Ended::Lost("no events".into()),
            },
        };
        match msg {
            // An earlier command's exit, late (it was stopped as an earlier hold ended).
            Wake::ChildExit { pid, .. } if !matches!(&child, Some(c) if c.pid() == pid) => {}
            Wake::ChildExit { code, .. } => {
                if let Some(c) = child.as_mut() {
                    // Nothing of the command may outlive it while we still hold.
                    if let Some(what) = c.reap_group(grace) {
                        eprintln!("zkdemo: the command exited ({code}); {what}");
                    }
                }
                return Ended::Exited(code);
            }
            Wake::Signal(sig) => match child.as_ref() {
                Some(c) => {
                    c.signal_all(sig);
                    sig_kill_at.get_or_insert(Instant::now() + grace);
                }
                None => return Ended::Signal(sig),
            },
            // A watch left from the wait (on our predecessor): not about our hold.
            Wake::Watch(node, _) if node != own => {}
            Wake::Watch(_, WatchEvent::SessionLost) => {}
            Wake::Session(SessionEvent::Suspended { reason, deadline }) => {
                let stop = clock.suspended(deadline, Instant::now());
                log::info!(
                    "contact lost ({reason}); the hold ends unless it is back in {:?}",
                    stop.term_at.saturating_duration_since(Instant::now())
                );
                pending = Some((format!("contact with ZooKeeper lost: {reason}"), stop));
            }
            Wake::Session(SessionEvent::Lost { reason }) => {
                let stop = clock.lost(g.s.expiry_bound(), Instant::now());
                return lose(&mut child, format!("session lost: {reason}"), stop);
            }
            // Reconnected, a delete (perhaps a late echo of an earlier watch), or our node's
            // data changed: only the node itself tells. Watch it again.
            Wake::Session(SessionEvent::Reconnected) | Wake::Watch(..) => {
                match g.queue.still_mine(g.s) {
                    Ok(true) => {
                        if matches!(watch(), Ok(true)) {
                            pending = None;
                        } else if healthy() {
                            let stop = clock.gone(Instant::now());
                            return lose(&mut child, "our node is gone".into(), stop);
                        }
                    }
                    Ok(false) => {
                        let stop = clock.gone(Instant::now());
                        return lose(
                            &mut child,
                            "our node was deleted by someone else".into(),
                            stop,
                        );
                    }
                    // No answer: the session's events that follow decide.
                    Err(_) => {}
                }
            }
            Wake::Timer(_) => {}
        }
    }
}
