//! `inspect --watch`: the live loop. Every read arms watches; a firing watch, a session event
//! or a signal arrives in one inbox, and the state is read again and shown when it changed.

use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, SystemTime};

use super::read::{Reader, Watches};
use super::view::View;
use super::{not_found, Ctx};
use crate::exit;
use crate::inbox::{self, Wake};
use crate::session::{SessionConfig, SessionEvent};
use crate::signals;

pub(super) fn run(ctx: &Ctx, cfg: &SessionConfig) -> exit::Result<i32> {
    let (mut tx, rx, _sub) = inbox::channel();
    // SAFETY: isatty only looks at the descriptor.
    let tty = !ctx.out.json && !ctx.out.quiet && unsafe { libc::isatty(1) } == 1;
    let mut session = Some(inbox::connect(cfg, &tx)?);
    let mut watches = Watches::default();
    let mut status: Option<String> = None;
    let mut shown: Shown = None;
    let mut state = 0u64;
    let mut first = true;
    let mut retry = false;
    // While the connection is suspended, reads would only wait out their deadline: show the
    // last state with the status, until the session says Reconnected or Lost.
    let mut suspended = false;
    loop {
        match &session {
            Some(s) if !suspended => {
                let read = ctx.read(&mut Reader {
                    session: s,
                    watches: &mut watches,
                    waker: Some(&tx),
                });
                match read {
                    Ok(views) => {
                        if first {
                            // A path the user named must exist when we start; after that, its
                            // going away is a change worth watching.
                            let missing = ctx.missing(&views);
                            if !missing.is_empty() {
                                return Err(not_found(&missing));
                            }
                            first = false;
                        }
                        status = None;
                        show(ctx, tty, &mut shown, &mut state, &status, views);
                    }
                    Err(e) if e.is_connection() => {
                        // The session will say Suspended/Reconnected or Lost; in case it says
                        // nothing, try again in a second.
                        retry = true;
                        status = Some(format!("cannot read: {e}; trying again"));
                        let last = shown.as_ref().map(|(_, v)| v.clone()).unwrap_or_default();
                        show(ctx, tty, &mut shown, &mut state, &status, last);
                    }
                    Err(e) => return Err(e.to_exit("reading")),
                }
            }
            _ => {
                // Show the status with what we saw last.
                let last = shown.as_ref().map(|(_, v)| v.clone()).unwrap_or_default();
                show(ctx, tty, &mut shown, &mut state, &status, last);
            }
        }
        // Wait for something to happen; take everything that came at once in one go.
        let mut wait = if session.is_none() || std::mem::take(&mut retry) {
            Some(Duration::from_secs(1))
        } else {
            None
        };
        loop {
            let msg = match wait {
                None => rx.recv().map_err(|_| RecvTimeoutError::Disconnected),
                Some(d) => rx.recv_timeout(d),
            };
            let msg = match msg {
                Ok(m) => m,
                Err(RecvTimeoutError::Timeout) => break,
                Err(RecvTimeoutError::Disconnected) => return Ok(exit::OK),
            };
            // A firing unarms its recipe's watch: the next read arms it again.
            watches.on_wake(&msg);
            match msg {
                Wake::Signal(sig) => {
                    drop(session.take());
                    return Ok(signals::exit_code(sig));
                }
                Wake::Watch(tag, ev) => log::debug!("inspect: {ev:?} on {tag}"),
                Wake::Session(SessionEvent::Suspended { reason, .. }) => {
                    suspended = true;
                    status = Some(format!("connection suspended: {reason}"));
                }
                // The server forgot our watches; the session fired them all (they arrived
                // here as watches, before this), and we re-arm as we re-read.
                Wake::Session(SessionEvent::Reconnected) => {
                    suspended = false;
                    status = None;
                }
                // The recipes arm anew on the next session.
                Wake::Session(SessionEvent::Lost { reason }) => {
                    suspended = false;
                    status = Some(format!("session lost ({reason}); reconnecting"));
                    session = None;
                }
                Wake::ChildExit { .. } | Wake::Timer(_) => {}
            }
            // Let a burst of changes settle into one redraw, briefly (the 1 s promise).
            wait = Some(Duration::from_millis(20));
        }
        if session.is_none() {
            // Show that it is lost before trying (connecting can take --connect-timeout).
            let last = shown.as_ref().map(|(_, v)| v.clone()).unwrap_or_default();
            show(ctx, tty, &mut shown, &mut state, &status, last);
            // From now on, what the old session still sends is dropped.
            tx = inbox::next_generation(&tx, &rx);
            match inbox::connect(cfg, &tx) {
                Ok(s) => session = Some(s),
                Err(e) => status = Some(format!("session lost; reconnecting: {e}")),
            }
        }
    }
}

type Shown = Option<(Option<String>, Vec<View>)>;

/// Print the state when it differs from the one shown last (ages aside: they are computed when
/// printing, so a watch that fired without a visible change prints nothing).
fn show(
    ctx: &Ctx,
    tty: bool,
    shown: &mut Shown,
    state: &mut u64,
    status: &Option<String>,
    views: Vec<View>,
) {
    let now = (status.clone(), views);
    if shown.as_ref() == Some(&now) {
        return;
    }
    draw(ctx, tty, *state, status, &now.1);
    *state += 1;
    *shown = Some(now);
}

fn draw(ctx: &Ctx, tty: bool, state: u64, status: &Option<String>, views: &[View]) {
    let ev = ctx.event(state, status.as_deref(), views);
    if tty {
        // Home, clear the screen, then the state: redrawn in place.
        crate::output::print(&format!(
            "\x1b[H\x1b[2Jzkdemo inspect — {} (Ctrl-C to stop)\n\n",
            humantime::format_rfc3339_seconds(SystemTime::now())
        ));
    } else if !ctx.out.json && state > 0 {
        crate::output::print(&format!(
            "--- {}\n",
            humantime::format_rfc3339_millis(SystemTime::now())
        ));
    }
    ctx.out.emit(&ev);
}
