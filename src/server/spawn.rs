//! Spawning children that die with this process, even when it is killed with SIGKILL.
//!
//! Linux's `PR_SET_PDEATHSIG` signals the child when the *thread* that forked it exits, not the
//! process: a server started from a short-lived thread (a test, a helper) would be killed the
//! moment that thread returns. So every tied child is forked by one spawner thread that lives as
//! long as the process, and callers hand it their `Command` over a channel.
//!
//! On other systems there is no such call; `Cluster`'s `Drop` still kills its servers, but a
//! SIGKILLed zkdemo leaves them running there.

use std::io;
use std::process::{Child, Command};
use std::sync::mpsc;
use std::sync::{Mutex, OnceLock};

type Reply = mpsc::Sender<io::Result<Child>>;

static SPAWNER: OnceLock<Mutex<mpsc::Sender<(Command, Reply)>>> = OnceLock::new();

/// Spawn `cmd` so that the child gets SIGKILL when this process dies (Linux).
pub fn spawn_tied(cmd: Command) -> io::Result<Child> {
    let tx = SPAWNER.get_or_init(|| {
        let (tx, rx) = mpsc::channel::<(Command, Reply)>();
        let started = std::thread::Builder::new()
            .name("zkdemo-spawner".into())
            .spawn(move || {
                // Never returns while the process lives: the senders sit in a static.
                for (mut cmd, reply) in rx {
                    tie_to_parent(&mut cmd);
                    let _ = reply.send(cmd.spawn());
                }
            });
        if let Err(e) = started {
            // Without the thread every request below fails with a clear error instead.
            log::error!("cannot start the spawner thread: {e}");
        }
        Mutex::new(tx)
    });
    let (reply_tx, reply_rx) = mpsc::channel();
    tx.lock()
        .unwrap_or_else(|e| e.into_inner())
        .send((cmd, reply_tx))
        .map_err(|_| io::Error::other("the spawner thread is gone"))?;
    reply_rx
        .recv()
        .map_err(|_| io::Error::other("the spawner thread is gone"))?
}

#[cfg(target_os = "linux")]
fn tie_to_parent(cmd: &mut Command) {
    use std::os::unix::process::CommandExt;
    let parent = std::process::id() as libc::pid_t;
    // SAFETY: prctl and getppid are async-signal-safe; nothing is allocated after fork.
    unsafe {
        cmd.pre_exec(move || {
            if libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL, 0, 0, 0) != 0 {
                return Err(io::Error::last_os_error());
            }
            // The parent may have died between fork and prctl: then nobody would signal us.
            if libc::getppid() != parent {
                return Err(io::Error::from_raw_os_error(libc::ESRCH));
            }
            Ok(())
        });
    }
}

#[cfg(not(target_os = "linux"))]
fn tie_to_parent(_cmd: &mut Command) {}

/// After SIGSTOP: wait (up to 2 s) until every thread of `pid` has stopped. kill(2) returns
/// before a busy multi-threaded process has stopped, and a server that still answers for a few
/// milliseconds after "pause" makes tests of hung servers flaky.
pub fn wait_stopped(pid: u32) {
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(2);
    while std::time::Instant::now() < deadline {
        if all_threads_stopped(pid) {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(2));
    }
}

#[cfg(target_os = "linux")]
fn all_threads_stopped(pid: u32) -> bool {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return true;
    };
    tasks.flatten().all(|t| {
        let stat = std::fs::read_to_string(t.path().join("stat")).unwrap_or_default();
        // The state follows the ")" closing the command name: T = stopped, Z/X = gone.
        match stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.trim_start().chars().next())
        {
            Some(state) => matches!(state, 'T' | 't' | 'Z' | 'X'),
            None => true,
        }
    })
}

#[cfg(not(target_os = "linux"))]
fn all_threads_stopped(_pid: u32) -> bool {
    std::thread::sleep(std::time::Duration::from_millis(50));
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn child_outlives_the_spawning_caller_thread() {
        // Spawned from a thread that ends at once: the child must still run (PDEATHSIG is tied
        // to the spawner thread, not to ours).
        let mut child = std::thread::spawn(|| {
            let mut c = Command::new("sleep");
            c.arg("30");
            spawn_tied(c).unwrap()
        })
        .join()
        .unwrap();
        std::thread::sleep(std::time::Duration::from_millis(200));
        assert!(
            child.try_wait().unwrap().is_none(),
            "child died with the caller thread"
        );
        child.kill().unwrap();
        child.wait().unwrap();
    }

    #[test]
    fn spawn_errors_are_returned() {
        let e = spawn_tied(Command::new("/nonexistent/zkdemo-no-such-binary")).unwrap_err();
        assert_eq!(e.kind(), io::ErrorKind::NotFound);
    }
}
