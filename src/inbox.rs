//! One event channel for a loop (a contender, a watcher): its session's health, its watches,
//! signals and a command's exit all arrive on it, each tagged with the session (generation) it
//! belongs to.
//!
//! A contender replaces its session when the old one is lost or given up; events of the old
//! one may still be queued, or still be on their way (a watch firing as the session closes). An
//! old session's `Lost` must not end the new session's hold, nor its watch wake a wait that
//! belongs to the new node. So the `Inbox` drops every event of a generation that is not the
//! current one before anyone sees it.

use std::cell::Cell;
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, SendError, Sender, TryRecvError};
use std::time::Duration;

use crate::session::{self, Session, SessionConfig, SessionEvent, WatchEvent};

/// What wakes a lock or election loop.
#[derive(Debug)]
pub enum Wake {
    Session(SessionEvent),
    /// A watch fired, on this node name (or path).
    Watch(String, WatchEvent),
    Signal(i32),
    /// A guarded command exited: its pid (an earlier command's exit can still be on its way
    /// when the next one runs) and its exit code.
    ChildExit {
        pid: i32,
        code: i32,
    },
    Timer(u64),
}

/// Events not about a session (signals, a command's exit) are never stale.
const ANY: u64 = 0;

/// The sending side, for one session generation.
#[derive(Clone)]
pub struct Waker {
    tx: Sender<(u64, Wake)>,
    gen: u64,
}

impl Waker {
    pub fn send(&self, w: Wake) -> Result<(), SendError<(u64, Wake)>> {
        self.tx.send((self.gen, w))
    }

    /// The same channel, for events that belong to no session.
    pub fn untagged(&self) -> Waker {
        Waker {
            tx: self.tx.clone(),
            gen: ANY,
        }
    }
}

/// The receiving side: only the current generation's session and watch events come out.
pub struct Inbox {
    rx: Receiver<(u64, Wake)>,
    current: Cell<u64>,
}

impl Inbox {
    fn fresh(&self, (gen, w): (u64, Wake)) -> Option<Wake> {
        if gen == ANY || gen == self.current.get() {
            Some(w)
        } else {
            log::debug!("dropped an event of a replaced session: {w:?}");
            None
        }
    }

    pub fn recv(&self) -> Result<Wake, mpsc::RecvError> {
        loop {
            if let Some(w) = self.fresh(self.rx.recv()?) {
                return Ok(w);
            }
        }
    }

    pub fn recv_timeout(&self, d: Duration) -> Result<Wake, RecvTimeoutError> {
        let end = std::time::Instant::now() + d;
        loop {
            let left = end.saturating_duration_since(std::time::Instant::now());
            if let Some(w) = self.fresh(self.rx.recv_timeout(left)?) {
                return Ok(w);
            }
        }
    }

    pub fn try_recv(&self) -> Result<Wake, TryRecvError> {
        loop {
            if let Some(w) = self.fresh(self.rx.try_recv()?) {
                return Ok(w);
            }
        }
    }
}

/// A new channel, its first generation current.
pub fn pair() -> (Waker, Inbox) {
    let (tx, rx) = mpsc::channel();
    let inbox = Inbox {
        rx,
        current: Cell::new(1),
    };
    (Waker { tx, gen: 1 }, inbox)
}

/// `pair`, with the signals (Ctrl-C, SIGTERM, …) subscribed to it. Keep the subscription
/// alive as long as the inbox.
pub fn channel() -> (Waker, Inbox, crate::signals::Subscription) {
    let (waker, inbox) = pair();
    let sig = waker.untagged();
    let sub = crate::signals::subscribe(move |s| {
        let _ = sig.send(Wake::Signal(s));
    });
    (waker, inbox, sub)
}

/// Start the next generation: from now on only events sent through the returned waker (and
/// untagged ones) come out of `inbox`.
pub fn next_generation(waker: &Waker, inbox: &Inbox) -> Waker {
    let gen = inbox.current.get() + 1;
    inbox.current.set(gen);
    Waker {
        tx: waker.tx.clone(),
        gen,
    }
}

/// A session whose events arrive through `waker`, tagged with its generation.
pub fn connect(cfg: &SessionConfig, waker: &Waker) -> session::Result<Session> {
    let w = waker.clone();
    Session::connect(cfg, move |ev| {
        let _ = w.send(Wake::Session(ev));
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_of_a_replaced_session_are_dropped_signals_never() {
        let (w1, inbox) = pair();
        w1.send(Wake::Session(SessionEvent::Reconnected)).unwrap();
        let w2 = next_generation(&w1, &inbox);
        // Queued before and sent after the replacement: both stale.
        w1.send(Wake::Session(SessionEvent::Lost {
            reason: "old".into(),
        }))
        .unwrap();
        w1.untagged().send(Wake::Signal(15)).unwrap();
        w2.send(Wake::Watch("n".into(), WatchEvent::Deleted))
            .unwrap();
        assert!(matches!(inbox.try_recv(), Ok(Wake::Signal(15))));
        assert!(matches!(
            inbox.recv_timeout(Duration::from_millis(10)),
            Ok(Wake::Watch(_, WatchEvent::Deleted))
        ));
        assert!(inbox.try_recv().is_err());
    }
}
