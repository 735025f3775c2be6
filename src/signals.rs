//! The terminating signals, delivered to whoever subscribed, on a normal thread.
//!
//! Ctrl-C (SIGINT) comes through the `ctrlc` crate; SIGTERM, SIGHUP, SIGQUIT (Ctrl-\\), SIGUSR1,
//! SIGUSR2 and SIGALRM through `signal-hook`'s iterator: each is caught, so that zkdemo, not the
//! kernel, decides what happens, and a guarded command in its own process group is never left
//! running unguarded because zkdemo died of a signal it did not expect. Both crates do the
//! async-signal-safe part (a self-pipe) and call us on a thread of their own.
//! With nobody subscribed, the process exits at once with 128 + signal, which is what a user
//! expects from a command that holds nothing yet.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

use signal_hook::consts::{SIGALRM, SIGHUP, SIGINT, SIGQUIT, SIGTERM, SIGUSR1, SIGUSR2};

static NEXT_ID: AtomicU64 = AtomicU64::new(1);
/// After a signal, exit this many ms later even if the clean shutdown has not finished
/// (0: never). A call to a hung server may take seconds; Ctrl-C should not.
static FORCE_EXIT_MS: AtomicU64 = AtomicU64::new(0);
/// While a guarded command runs, never force: zkdemo must outlive it to stop it.
static CHILD_RUNNING: AtomicBool = AtomicBool::new(false);
static WATCHDOG: AtomicBool = AtomicBool::new(false);

type Handler = Box<dyn Fn(i32) + Send>;
static SUBSCRIBERS: Mutex<Vec<(u64, Handler)>> = Mutex::new(Vec::new());

/// The signals zkdemo catches: every one whose default action ends the process and that a
/// terminal, a service manager or a script sends in practice.
pub const CAUGHT: [i32; 7] = [SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGALRM];

/// Install the handlers once, early in `main`.
pub fn install() -> io::Result<()> {
    ctrlc::set_handler(|| dispatch(SIGINT)).map_err(io::Error::other)?;
    let mut others = signal_hook::iterator::Signals::new(&CAUGHT[1..])?;
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            for sig in others.forever() {
                dispatch(sig);
            }
        })?;
    Ok(())
}

fn dispatch(sig: i32) {
    let subs = SUBSCRIBERS.lock().unwrap_or_else(|e| e.into_inner());
    if subs.is_empty() {
        std::process::exit(exit_code(sig));
    }
    for (_, f) in subs.iter() {
        f(sig);
    }
    drop(subs);
    let ms = FORCE_EXIT_MS.load(Ordering::SeqCst);
    if ms > 0 && !WATCHDOG.swap(true, Ordering::SeqCst) {
        let _ = std::thread::Builder::new()
            .name("exit-watchdog".into())
            .spawn(move || {
                std::thread::sleep(Duration::from_millis(ms));
                if !CHILD_RUNNING.load(Ordering::SeqCst) {
                    log::warn!("ZooKeeper did not answer in time: exiting without a clean close");
                    std::process::exit(exit_code(sig));
                }
            });
    }
}

/// Stdout's reader went away (`zkdemo config watch | head -1`): end as SIGPIPE would end us
/// (128 + 13), but through the subscribers, so that a lock or a node we hold is let go first.
/// Once: later writes to the closed pipe change nothing.
pub fn stdout_closed() {
    static SAID: AtomicBool = AtomicBool::new(false);
    if !SAID.swap(true, Ordering::SeqCst) {
        dispatch(libc::SIGPIPE);
    }
}

/// Exit at most `d` after a signal, whatever is still waiting on ZooKeeper.
pub fn force_exit_after(d: Duration) {
    FORCE_EXIT_MS.store(d.as_millis() as u64, Ordering::SeqCst);
}

/// Set while a guarded command runs (the forced exit waits for it to end).
pub fn set_child_running(running: bool) {
    CHILD_RUNNING.store(running, Ordering::SeqCst);
}

/// Send `sig` to the process `pid`, or to the process group `-pid` when negative (kill(2));
/// `sig` 0 only checks that it exists. False when there is no such process (or group).
pub fn send(pid: i32, sig: i32) -> bool {
    // SAFETY: kill(2) takes any pid and signal number; it fails (ESRCH, EINVAL) rather than
    // misbehaving. Callers pass processes they started and have not reaped.
    unsafe { libc::kill(pid, sig) == 0 }
}

/// The exit code for a process stopped by `sig`: 128 + the signal number.
pub fn exit_code(sig: i32) -> i32 {
    128 + sig
}

/// While this lives, signals go to `f` instead of ending the process.
pub struct Subscription(u64);

pub fn subscribe(f: impl Fn(i32) + Send + 'static) -> Subscription {
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    SUBSCRIBERS
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .push((id, Box::new(f)));
    Subscription(id)
}

impl Drop for Subscription {
    fn drop(&mut self) {
        SUBSCRIBERS
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .retain(|(id, _)| *id != self.0);
    }
}
