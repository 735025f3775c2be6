//! SIGINT, SIGTERM and SIGHUP, delivered to whoever subscribed, on a normal thread.
//!
//! We do not use `ctrlc`: it reports every signal as the same "Ctrl-C", and zkdemo must forward
//! exactly the signal it received to a guarded command and exit with 130 or 143 accordingly.
//! The handler only writes the signal number into a pipe (async-signal-safe); a dispatcher
//! thread reads it and calls the subscribers. With nobody subscribed, the process exits at once
//! with 128 + signal, which is what a user expects from a command that holds nothing yet.

use std::io;
use std::sync::atomic::{AtomicBool, AtomicI32, AtomicU64, Ordering};
use std::sync::Mutex;
use std::time::Duration;

static PIPE_WRITE: AtomicI32 = AtomicI32::new(-1);
static NEXT_ID: AtomicU64 = AtomicU64::new(1);
static LAST: AtomicI32 = AtomicI32::new(0);
/// After a signal, exit this many ms later even if the clean shutdown has not finished
/// (0: never). A call to a hung server may take seconds; Ctrl-C should not.
static FORCE_EXIT_MS: AtomicU64 = AtomicU64::new(0);
/// While a guarded command runs, never force: zkdemo must outlive it to stop it.
static CHILD_RUNNING: AtomicBool = AtomicBool::new(false);
static WATCHDOG: AtomicBool = AtomicBool::new(false);

type Handler = Box<dyn Fn(i32) + Send>;
static SUBSCRIBERS: Mutex<Vec<(u64, Handler)>> = Mutex::new(Vec::new());

extern "C" fn on_signal(sig: libc::c_int) {
    let fd = PIPE_WRITE.load(Ordering::Relaxed);
    if fd >= 0 {
        let b = sig as u8;
        // SAFETY: write(2) is async-signal-safe; the buffer is a local byte.
        unsafe {
            libc::write(fd, &b as *const u8 as *const libc::c_void, 1);
        }
    }
}

/// Install the handlers once, early in `main`.
pub fn install() -> io::Result<()> {
    let mut fds = [0 as libc::c_int; 2];
    // SAFETY: plain libc calls with valid pointers; O_CLOEXEC keeps the pipe out of children.
    unsafe {
        if libc::pipe2(fds.as_mut_ptr(), libc::O_CLOEXEC) != 0 {
            return Err(io::Error::last_os_error());
        }
    }
    PIPE_WRITE.store(fds[1], Ordering::Relaxed);
    let read_fd = fds[0];
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || loop {
            let mut b = 0u8;
            // SAFETY: reading one byte into a local.
            let n = unsafe { libc::read(read_fd, &mut b as *mut u8 as *mut libc::c_void, 1) };
            if n == 1 {
                dispatch(b as i32);
            } else if n < 0 && io::Error::last_os_error().kind() == io::ErrorKind::Interrupted {
                continue;
            } else {
                return;
            }
        })?;
    for sig in [libc::SIGINT, libc::SIGTERM, libc::SIGHUP] {
        // SAFETY: a zeroed sigaction with a valid handler; SA_RESTART keeps blocking calls going.
        unsafe {
            let mut sa: libc::sigaction = std::mem::zeroed();
            sa.sa_sigaction = on_signal as extern "C" fn(libc::c_int) as usize;
            sa.sa_flags = libc::SA_RESTART;
            libc::sigemptyset(&mut sa.sa_mask);
            if libc::sigaction(sig, &sa, std::ptr::null_mut()) != 0 {
                return Err(io::Error::last_os_error());
            }
        }
    }
    Ok(())
}

fn dispatch(sig: i32) {
    LAST.store(sig, Ordering::SeqCst);
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

/// Exit at most `d` after a signal, whatever is still waiting on ZooKeeper.
pub fn force_exit_after(d: Duration) {
    FORCE_EXIT_MS.store(d.as_millis() as u64, Ordering::SeqCst);
}

/// Set while a guarded command runs (the forced exit waits for it to end).
pub fn set_child_running(running: bool) {
    CHILD_RUNNING.store(running, Ordering::SeqCst);
}

/// The exit code for a process stopped by `sig`: 128 + the signal number.
pub fn exit_code(sig: i32) -> i32 {
    128 + sig
}

/// The last signal received, if any.
pub fn received() -> Option<i32> {
    match LAST.load(Ordering::SeqCst) {
        0 => None,
        s => Some(s),
    }
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
