//! What `lock` says to people, in worker mode and in command mode.

use std::time::Duration;

use crate::session::fmt_duration;
use crate::text::escape_display;

/// Who the lines for people speak of: a worker (worker mode, on stdout), or the lock a command
/// runs under (command mode, on stderr: stdout is the command's); and of what: the lock, or a
/// lease of a semaphore (`--max-leases`).
#[derive(Clone)]
pub(super) struct Voice {
    pub who: Who,
    pub semaphore: bool,
}

#[derive(Clone)]
pub(super) enum Who {
    Worker(String),
    Command(String),
}

impl Voice {
    /// What is waited for and held: "the lock", or "a lease of the semaphore".
    fn thing(&self) -> &'static str {
        if self.semaphore {
            "a lease of the semaphore"
        } else {
            "the lock"
        }
    }

    /// What is given back: "the lock", or "its lease".
    fn given_back(&self) -> &'static str {
        if self.semaphore {
            "its lease of"
        } else {
            "the lock"
        }
    }

    pub(super) fn queued(&self, position: usize, ahead: &str) -> String {
        let thing = self.thing();
        match &self.who {
            Who::Worker(id) => {
                format!("worker {id} waits for {thing} (position {position}, behind {ahead})")
            }
            Who::Command(path) => {
                format!("waiting for {thing} {path} (position {position}, behind {ahead})")
            }
        }
    }

    pub(super) fn acquired(&self, path: &str, token: i64) -> String {
        let thing = self.thing();
        match &self.who {
            Who::Worker(id) => format!("worker {id} holds {thing} {path} (fencing token {token})"),
            Who::Command(_) => format!("holding {thing} {path} (fencing token {token})"),
        }
    }

    pub(super) fn released(&self, path: &str, held: Duration) -> String {
        let (thing, held) = (self.given_back(), fmt_duration(held));
        match &self.who {
            Who::Worker(id) if !self.semaphore => {
                format!("worker {id} released {thing} after {held}")
            }
            Who::Worker(id) => format!("worker {id} released {thing} {path} after {held}"),
            Who::Command(_) => format!("released {thing} {path} after {held}"),
        }
    }

    pub(super) fn lost(&self, why: &str) -> String {
        let thing = self.given_back();
        match &self.who {
            Who::Worker(id) if self.semaphore => format!("worker {id} LOST its lease: {why}"),
            Who::Worker(id) => format!("worker {id} LOST {thing}: {why}"),
            Who::Command(path) => format!("LOST {thing} {path}: {why}; stopping the command"),
        }
    }
}

/// "worker 3": another contender, by the id it stored (escaped: another client may store
/// anything), or by its node's name when it stored none.
pub(super) fn contender_name(id: &[u8], node: &str) -> String {
    if id.is_empty() {
        node.to_owned()
    } else {
        format!("worker {}", escape_display(id, true))
    }
}
