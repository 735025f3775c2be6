//! What the owner of a session is told.

use std::time::Instant;

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
