//! A guarded command: run in its own process group, stopped as a whole.
//!
//! The command is the group leader (`setpgid(0, 0)`), so a shell and everything it starts
//! (`sh -c 'work & wait'`) get our signals together, and a terminal's Ctrl-C reaches only
//! zkdemo, which decides what to forward. No shell is involved unless the user writes one.

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
    /// Start `argv` in a new process group with `env` added. `on_exit` receives its exit code
    /// (from a waiter thread) when it ends.
    pub fn spawn(
        argv: &[String],
        env: &[(String, String)],
        on_exit: impl FnOnce(i32) + Send + 'static,
    ) -> io::Result<Child> {
        let (prog, args) = argv
            .split_first()
            .ok_or_else(|| io::Error::new(io::ErrorKind::InvalidInput, "no command given"))?;
        let mut cmd = Command::new(prog);
        cmd.args(args)
            .envs(env.iter().map(|(k, v)| (k, v)))
            .process_group(0);
        let mut child = cmd.spawn()?;
        let pid = child.id() as i32;
        thread::Builder::new()
            .name("child-wait".into())
            .spawn(move || {
                let code = child.wait().map(exit_code).unwrap_or(1);
                on_exit(code);
            })?;
        Ok(Child { pid, exited: false })
    }

    pub fn pid(&self) -> i32 {
        self.pid
    }

    /// Send `sig` to the whole group (the command and everything it started).
    pub fn signal_group(&self, sig: i32) {
        // SAFETY: kill(2) with a negative pid addresses the process group; ESRCH is harmless.
        unsafe {
            libc::kill(-self.pid, sig);
        }
    }

    /// Record that the command itself has exited. Whatever it left running in its group is
    /// stopped too: nothing of a guarded command may go on working once the lock is released.
    pub fn reap_group(&mut self) {
        if !self.exited {
            self.exited = true;
            self.signal_group(libc::SIGTERM);
        }
    }

    /// True while anything in the group is alive.
    pub fn group_alive(&self) -> bool {
        // SAFETY: signal 0 only checks for existence.
        unsafe { libc::kill(-self.pid, 0) == 0 }
    }

    /// SIGTERM to the group, then SIGKILL at `kill_at`; returns once the group is gone (or
    /// `kill_at` + 2 s have passed, which only a process stuck in the kernel survives).
    pub fn stop_group(&mut self, kill_at: Instant) {
        self.signal_group(libc::SIGTERM);
        let poll = Duration::from_millis(5);
        while self.group_alive() && Instant::now() < kill_at {
            thread::sleep(poll);
        }
        if self.group_alive() {
            self.signal_group(libc::SIGKILL);
        }
        let give_up = Instant::now() + Duration::from_secs(2);
        while self.group_alive() && Instant::now() < give_up {
            thread::sleep(poll);
        }
    }
}
