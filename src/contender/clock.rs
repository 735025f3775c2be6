//! The loss clock: when a hold that is out of contact with ZooKeeper must end.
//!
//! The server cannot expire our session before `last contact + session timeout`
//! (`Session::expiry_bound`); after that, another contender may hold. So everything we do
//! under the hold (a guarded command included) must have stopped by then, less a margin for
//! the time a request takes to reach the server and the server's tick. With a command: SIGKILL
//! for its group at that instant, SIGTERM `kill_grace` before it (at once, when that is already
//! past). Pure arithmetic on instants, so it is unit-tested here.

use std::time::{Duration, Instant};

/// When to stop: SIGTERM at `term_at`, SIGKILL at `kill_at` (a hold without a command ends at
/// `term_at`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Stop {
    pub term_at: Instant,
    pub kill_at: Instant,
}

/// The loss rule for one session timeout and one grace.
#[derive(Debug, Clone, Copy)]
pub struct LossClock {
    margin: Duration,
    grace: Duration,
}

impl LossClock {
    /// For a session of `timeout`, a command given `grace` between SIGTERM and SIGKILL (zero
    /// for a hold without a command). Out of contact, the grace is at most a quarter of the
    /// timeout (`loss_grace`).
    pub fn new(timeout: Duration, grace: Duration) -> LossClock {
        LossClock {
            margin: margin(timeout),
            grace: loss_grace(timeout, grace),
        }
    }

    /// Contact lost; the server cannot expire us before `deadline`. If contact comes back
    /// before `term_at`, nothing is stopped.
    pub fn suspended(&self, deadline: Instant, now: Instant) -> Stop {
        let kill_at = deadline.checked_sub(self.margin).unwrap_or(now).max(now);
        let term_at = kill_at.checked_sub(self.grace).unwrap_or(now).max(now);
        Stop { term_at, kill_at }
    }

    /// The session is lost (expired, or no contact for a whole timeout): stop now, with the
    /// grace, but never later than the expiry bound allows.
    pub fn lost(&self, expiry_bound: Instant, now: Instant) -> Stop {
        let bound = expiry_bound.checked_sub(self.margin).unwrap_or(now);
        Stop {
            term_at: now,
            kill_at: bound.min(now + self.grace).max(now),
        }
    }

    /// Our node is gone (deleted by someone else): someone may hold already. Stop now, with
    /// the grace.
    pub fn gone(&self, now: Instant) -> Stop {
        Stop {
            term_at: now,
            kill_at: now + self.grace,
        }
    }
}

/// The grace a command gets after a loss of contact: `--kill-grace`, but at most a quarter of
/// the session timeout. A longer one would move SIGTERM to the very moment contact is lost
/// (SIGKILL must come a margin before the session can expire), so that no reconnection could
/// ever save the command: with the default 5 s and a 4 s session, every reset connection
/// stopped it (found by a fault trial). A quarter leaves at least 0.15 of the timeout to
/// reconnect after the latest a loss is noticed (half the timeout) and 0.65 after a reset.
pub fn loss_grace(timeout: Duration, grace: Duration) -> Duration {
    grace.min(timeout / 4)
}

/// Safety margin kept before the expiry bound: a tenth of the session timeout, 100 ms at least.
pub fn margin(timeout: Duration) -> Duration {
    (timeout / 10).max(Duration::from_millis(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    const S: Duration = Duration::from_secs(1);

    #[test]
    fn suspended_stops_before_the_session_can_expire() {
        let now = Instant::now();
        let clock = LossClock::new(10 * S, 2 * S);
        // Last contact just now: the server cannot expire us for 10 s.
        let stop = clock.suspended(now + 10 * S, now);
        assert_eq!(stop.kill_at, now + 9 * S, "the margin is a tenth");
        assert_eq!(stop.term_at, now + 7 * S, "SIGTERM a grace before SIGKILL");
    }

    #[test]
    fn a_grace_longer_than_the_time_left_means_sigterm_now() {
        let now = Instant::now();
        let clock = LossClock::new(4 * S, 5 * S);
        let stop = clock.suspended(now + S, now);
        assert_eq!(stop.term_at, now);
        assert_eq!(stop.kill_at, now + S - Duration::from_millis(400));
    }

    #[test]
    fn out_of_contact_the_grace_is_at_most_a_quarter_of_the_timeout() {
        let now = Instant::now();
        // The default 5 s grace with a 4 s session: a reset noticed at once leaves 2.6 s to
        // reconnect before SIGTERM (it was none: SIGTERM at once).
        let stop = LossClock::new(4 * S, 5 * S).suspended(now + 4 * S, now);
        assert_eq!(stop.kill_at, now + 4 * S - Duration::from_millis(400));
        assert_eq!(stop.term_at, stop.kill_at - S);
        assert_eq!(loss_grace(10 * S, 5 * S), Duration::from_millis(2500));
        assert_eq!(loss_grace(10 * S, S), S, "a shorter grace is kept");
    }

    #[test]
    fn a_bound_already_past_stops_at_once() {
        let now = Instant::now() + 100 * S;
        let clock = LossClock::new(2 * S, S);
        let stop = clock.suspended(now - S, now);
        assert_eq!(
            stop,
            Stop {
                term_at: now,
                kill_at: now
            }
        );
        let stop = clock.lost(now - S, now);
        assert_eq!(
            stop,
            Stop {
                term_at: now,
                kill_at: now
            }
        );
    }

    #[test]
    fn lost_keeps_the_grace_only_within_the_bound() {
        let now = Instant::now();
        let clock = LossClock::new(10 * S, 2 * S);
        assert_eq!(clock.lost(now + 10 * S, now).kill_at, now + 2 * S);
        assert_eq!(clock.lost(now + 2 * S, now).kill_at, now + S);
        assert_eq!(
            clock.gone(now),
            Stop {
                term_at: now,
                kill_at: now + 2 * S
            }
        );
    }

    #[test]
    fn the_margin_is_never_under_100ms() {
        assert_eq!(
            margin(Duration::from_millis(500)),
            Duration::from_millis(100)
        );
        assert_eq!(margin(20 * S), 2 * S);
    }
}
