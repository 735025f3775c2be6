//! A guarded command: run in its own process group, stopped as a whole.
//!
//! The command is the group leader (`setpgid(0, 0)`), so a shell and everything it starts
//! (`sh -c 'work & wait'`) get our signals together, and a terminal's Ctrl-C reaches only
//! zkdemo, which decides what to forward. No shell is involved unless the user writes one.
//!
//! Nothing of the command may run once the lock could pass on, so when the command itself
//! exits, what it left behind in its group (`sh -c 'daemon & exit 0'`) is stopped too (SIGTERM,
//! the grace, SIGKILL) before the lock is released. On Linux zkdemo is also a child subreaper
//! (`PR_SET_CHILD_SUBREAPER`): a descendant that left the group (`setsid`, a double fork) is
//! re-parented to zkdemo instead of init when its parent dies, and is stopped the same way.

use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

/// A running command. Its exit arrives as a message on the channel given to `spawn`.
pub struct Child {
    pid: i32,
    exited: bool,
}

/// The exit code a shell would report: the code, or 128 + the signal that killed it.
pub fn exit_code(status: ExitStatus) -> i32 {
    status
        .code()
        .or_else(|| status.signal().map(|s| 128 + s))
        .unwrap_or(1)
}

impl Child {
    /// Start `argv` in a new process group with `env` added. `on_exit` receives its pid and
    /// its exit code (from a waiter thread) when it ends.
    pub fn spawn(
        argv: &[String],
        env: &[(String, String)],
        on_exit: impl FnOnce(i32, i32) + Send + 'static,
    ) -> io::Result<Child> {
        let (prog, args) = argv
            .split_first()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no command given"))?;
        let mut cmd = Command::new(prog);
        cmd.args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .process_group(0);
        become_subreaper();
        let mut child = cmd.spawn()?;
        crate::signals::set_child_running(true);
        let pid = child.id() as i32;
        thread::Builder::new()
            .name("child-wait".into())
            .spawn(move || {
                let code = child.wait().map(exit_code).unwrap_or(1);
                on_exit(pid, code);
            })?;
        Ok(Child { pid, exited: false })
    }

    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Send `sig` to the whole group (the command and everything it started).
    pub fn signal_group(&self, sig: i32) {
        crate::signals::send(-self.pid, sig);
    }

    /// The command itself has exited: stop whatever it left running, in its group or (Linux)
    /// re-parented to us (SIGTERM, then SIGKILL after `grace`). Returns what had to be stopped,
    /// for a line on stderr; None when nothing was left.
    pub fn reap_group(&mut self, grace: Duration) -> Option<String> {
        self.exited = true;
        let leftover = self.anything_alive();
        let what = leftover.then(|| {
            let killed = self.stop_all(Instant::now() + grace);
            if killed {
                "processes it left behind ignored SIGTERM and were killed (SIGKILL)".to_owned()
            } else {
                "processes it left behind were stopped (SIGTERM)".to_owned()
            }
        });
        crate::signals::set_child_running(false);
        what
    }

    /// True while anything of the command lives: its group, or a descendant that left it.
    /// (Orphans are looked at first: that reaps the dead ones, which would otherwise keep the
    /// group reading as alive.)
    fn anything_alive(&self) -> bool {
        let orphans = orphans(self.pid);
        !orphans.is_empty() || self.group_alive()
    }

    /// True while anything in the group is alive.
    pub fn group_alive(&self) -> bool {
        crate::signals::send(-self.pid, 0)
    }

    /// SIGTERM to the group, then SIGKILL at `kill_at`; returns once the group is gone (or
    /// `kill_at` + 2 s have passed, which only a process stuck in the kernel survives).
    pub fn stop_group(&mut self, kill_at: Instant) {
        self.stop_all(kill_at);
        crate::signals::set_child_running(false);
    }

    /// Send `sig` to the group and to the descendants that left it (re-parented to us).
    pub fn signal_all(&self, sig: i32) {
        self.signal_group(sig);
        for p in orphans(self.pid) {
            crate::signals::send(p, sig);
        }
    }

    /// Stop the group and our orphaned descendants; true when SIGKILL was needed.
    fn stop_all(&mut self, kill_at: Instant) -> bool {
        self.signal_all(libc::SIGTERM);
        let poll = Duration::from_millis(5);
        while self.anything_alive() && Instant::now() < kill_at {
            thread::sleep(poll);
        }
        let killed = self.anything_alive();
        if killed {
            self.signal_all(libc::SIGKILL);
        }
        let give_up = Instant::now() + Duration::from_secs(2);
        while self.anything_alive() && Instant::now() < give_up {
            thread::sleep(poll);
        }
        killed
    }
}

/// Make zkdemo the reaper of its orphaned descendants (Linux; elsewhere nothing: there a
/// descendant that leaves the group is not followed).
fn become_subreaper() {
    #[cfg(target_os = "linux")]
    // SAFETY: prctl with an integer option and argument.
    unsafe {
        libc::prctl(libc::PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);
    }
}

/// Our living child processes other than the command `leader` (which its waiter thread reaps):
/// descendants re-parented to us. Dead ones are reaped here, so that a zombie never reads as
/// alive.
#[cfg(target_os = "linux")]
fn orphans(leader: i32) -> Vec<i32> {
    let mut out = Vec::new();
    let Ok(tasks) = std::fs::read_dir("/proc/self/task") else {
        return out;
    };
    for t in tasks.flatten() {
        let Ok(text) = std::fs::read_to_string(t.path().join("children")) else {
            continue;
        };
        for pid in text
            .split_whitespace()
            .filter_map(|p| p.parse::<i32>().ok())
        {
            if pid == leader || out.contains(&pid) {
                continue;
            }
            let mut status = 0;
            // SAFETY: waitpid on our own child, without blocking.
            let reaped = unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG) };
            if reaped == 0 {
                out.push(pid);
            }
        }
    }
    out
}

/// Elsewhere zkdemo is no subreaper: a descendant that left the group is re-parented to init
/// (launchd), which reaps it, and is not followed.
#[cfg(not(target_os = "linux"))]
fn orphans(_leader: i32) -> Vec<i32> {
    Vec::new()
}
