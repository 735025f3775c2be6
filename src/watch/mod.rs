//! Watch recipes: keep up with one node's data (`DataWatch`) or one node's children
//! (`ChildrenWatch`), in the spirit of kazoo's `DataWatch` and `ChildrenWatch`
//! (`kazoo/recipe/watchers.py`). What every watcher of zkdemo (`config watch`,
//! `elect --observe`, `inspect --watch`, the config bench) needs, done once:
//!
//! - **read and arm**: every read that finds no watch of ours armed arms one (a data watch
//!   while the node exists, an existence watch while it does not, so its creation is seen);
//! - **one watch at a time**: ZooKeeper watches fire once, and the session keeps each armed
//!   callback until it fires. A read while our watch is still armed does not arm another (that
//!   would pile up one more callback per read); the owner tells the recipe when it fired
//!   (`on_wake`). A watch armed on a session that was replaced is gone: the next read arms
//!   anew on the new session;
//! - **after a reconnect, read again**: the crate drops every watch when it reconnects
//!   (DESIGN.md §2.4); the session layer then fires each armed watch with `Reconnected`, and
//!   says `Reconnected` itself. Both make `on_wake` ask for a read, which re-arms;
//! - **report changes only**: between a firing and the read more writes can land, so a read
//!   always takes the latest state and compares it with the last one seen: data by `mzxid`
//!   (a `version` restarts when the node is deleted and created again), children by the list.
//!
//! The callbacks run on the crate's event thread and only forward: each sends
//! `Wake::Watch(tag, event)` through the owner's `Waker`, so the firing lands in the owner's
//! `Inbox` with its session events and signals, tagged with the session's generation. The
//! owner's loop reads its inbox, hands each wake to `on_wake`, and calls `refresh` when asked:
//!
//! ```text
//! let mut w = DataWatch::new("/configs/demo");
//! loop {
//!     if let Some(update) = w.refresh(&session, &waker)? { show(update) }
//!     while !w.on_wake(&inbox.recv()?) {}   // (signals, a lost session: the owner's)
//! }
//! ```

mod children;
mod data;

pub use children::ChildrenWatch;
pub use data::{DataWatch, Node};

use crate::inbox::{Wake, Waker};
use crate::session::{Session, WatchEvent};

pub use crate::session::NodeStat;

/// A change seen by a recipe: the state before (None at the first read) and now.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Update<T> {
    pub was: Option<T>,
    pub now: T,
}

/// Which watch of a recipe is armed, and on which session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Armed<K> {
    session: i64,
    kind: K,
}

/// The callback of a watch: forwards the firing to the owner's inbox, nothing else (it runs on
/// the crate's event thread; DESIGN.md §2.5).
fn forward(waker: &Waker, tag: &str) -> impl Fn(WatchEvent) + Send + Sync + 'static {
    let (w, tag) = (waker.clone(), tag.to_owned());
    move |ev| {
        let _ = w.send(Wake::Watch(tag.clone(), ev));
    }
}

/// Does `wake` call for a read of the recipe whose watches are tagged `tag`? A firing of one of
/// its watches (not the session's end: the owner replaces the session, and the next read arms
/// anew) or a reconnect of the session.
fn wants_read(wake: &Wake, tag: &str) -> bool {
    match wake {
        Wake::Watch(t, ev) => t == tag && *ev != WatchEvent::SessionLost,
        Wake::Session(crate::session::SessionEvent::Reconnected) => true,
        _ => false,
    }
}

/// The session a recipe arms on, for `Armed`.
fn session_of(s: &Session) -> i64 {
    s.id().0
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::SessionEvent;

    #[test]
    fn wakes_that_call_for_a_read() {
        let t = "data /a";
        assert!(wants_read(
            &Wake::Watch(t.into(), WatchEvent::DataChanged),
            t
        ));
        assert!(wants_read(
            &Wake::Watch(t.into(), WatchEvent::Reconnected),
            t
        ));
        assert!(!wants_read(
            &Wake::Watch(t.into(), WatchEvent::SessionLost),
            t
        ));
        assert!(!wants_read(
            &Wake::Watch("data /b".into(), WatchEvent::Deleted),
            t
        ));
        assert!(wants_read(&Wake::Session(SessionEvent::Reconnected), t));
        assert!(!wants_read(
            &Wake::Session(SessionEvent::Lost { reason: "x".into() }),
            t
        ));
        assert!(!wants_read(&Wake::Signal(2), t));
    }
}
