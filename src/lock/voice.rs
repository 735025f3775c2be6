//! What `lock` says to people, in worker mode and in command mode.

use std::time::Duration;

use crate::session::fmt_duration;
use crate::text::escape_display;

/// Who the lines for people speak of: a worker (worker mode, on stdout), or the lock a command
/// runs under (command mode, on stderr: stdout is the command's).
#[derive(Clone)]
pub(super) enum Voice {
    Worker(String),
    Command(String),
}

impl Voice {
    pub(super) fn queued(&self, position: usize, ahead: &str) -> String {
        match self {
            Voice::Worker(id) => {
                format!("worker {id} waits for the lock (position {position}, behind {ahead})")
            }
            Voice::Command(path) => {
                format!("waiting for the lock {path} (position {position}, behind {ahead})")
            }
        }
    }

    pub(super) fn acquired(&self, path: &str, token: i64) -> String {
        match self {
            Voice::Worker(id) => {
                format!("worker {id} holds the lock {path} (fencing token {token})")
            }
            Voice::Command(_) => format!("holding the lock {path} (fencing token {token})"),
        }
    }

    pub(super) fn released(&self, held: Duration) -> String {
        match self {
            Voice::Worker(id) => {
                format!("worker {id} released the lock after {}", fmt_duration(held))
            }
            Voice::Command(path) => {
                format!("released the lock {path} after {}", fmt_duration(held))
            }
        }
    }

    pub(super) fn lost(&self, why: &str) -> String {
        match self {
            Voice::Worker(id) => format!("worker {id} LOST the lock: {why}"),
            Voice::Command(path) => format!("LOST the lock {path}: {why}; stopping the command"),
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
