//! How a wait in the queue ends: what each event in the inbox means to a waiter.

use std::sync::mpsc::RecvTimeoutError;
use std::time::Instant;

use super::Position;
use crate::inbox::{Inbox, Wake};
use crate::session::{SessionEvent, WatchEvent};

/// How `wait_first` ended.
#[derive(Debug)]
pub enum Waited {
    First(Position),
    TimedOut,
    Signal(i32),
    /// The session (or our node) is gone: join again with a new session.
    Lost(String),
}

/// Coalesce wake-ups already queued behind the one that woke us (a reconnect fires both the
/// watch and the session event): one listing answers them all. A signal or a loss among
/// them ends the wait.
pub(super) fn drain(rx: &Inbox) -> Option<Waited> {
    while let Ok(msg) = rx.try_recv() {
        match msg {
            Wake::Session(SessionEvent::Lost { reason }) => return Some(Waited::Lost(reason)),
            Wake::Signal(sig) => return Some(Waited::Signal(sig)),
            _ => {}
        }
    }
    None
}

/// Block until something worth listing the queue again happens. None: list again.
pub(super) fn next_wake(rx: &Inbox, deadline: Option<Instant>) -> Option<Waited> {
    loop {
        let msg = match deadline {
            Some(d) => match rx.recv_timeout(d.saturating_duration_since(Instant::now())) {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => return Some(Waited::TimedOut),
                Err(RecvTimeoutError::Disconnected) => {
                    return Some(Waited::Lost("no events".into()))
                }
            },
            None => match rx.recv() {
                Ok(m) => m,
                Err(_) => return Some(Waited::Lost("no events".into())),
            },
        };
        match msg {
            // The session event that follows says what to do.
            Wake::Watch(_, WatchEvent::SessionLost) => {}
            Wake::Watch(_, ev) => {
                log::debug!("woke up: {ev:?}");
                return None;
            }
            Wake::Session(SessionEvent::Reconnected) => return None,
            Wake::Session(SessionEvent::Suspended { reason, .. }) => {
                log::info!("waiting on: {reason}")
            }
            Wake::Session(SessionEvent::Lost { reason }) => return Some(Waited::Lost(reason)),
            Wake::Signal(sig) => return Some(Waited::Signal(sig)),
            Wake::ChildExit { .. } | Wake::Timer(_) => {}
        }
    }
}
