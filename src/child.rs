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
//! Stopping is done in rounds (`child/tree.rs`): a process killed leaves its own children
//! behind (re-parented to us, perhaps in a group of their own), so each round looks again and
//! signals what it finds, and the lock is released only once a round finds nothing.

use std::io;
use std::os::unix::process::{CommandExt, ExitStatusExt};
use std::process::{Command, ExitStatus};
use std::thread;
use std::time::{Duration, Instant};

use tree::Sweep;

mod tree;

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
        let what = self.stop_all(Instant::now() + grace).describe();
        crate::signals::set_child_running(false);
        what
    }

    /// True while anything in the group is alive.
    pub fn group_alive(&self) -> bool {
        crate::signals::send(-self.pid, 0)
    }

    /// SIGTERM to the group and all that is left of the command, then SIGKILL at `kill_at`;
    /// returns once nothing is left (or `kill_at` + 2 s have passed, which only a process
    /// stuck in the kernel survives).
    pub fn stop_group(&mut self, kill_at: Instant) {
        self.stop_all(kill_at);
        crate::signals::set_child_running(false);
    }

    /// Send `sig` to the group and to the descendants that left it (re-parented to us).
    pub fn signal_all(&self, sig: i32) {
        self.signal_group(sig);
        for p in tree::orphans(self.pid) {
            crate::signals::send(p, sig);
        }
    }

    /// Stop the command and everything it started, round after round: a process killed
    /// leaves its children to us, so each round looks again (`tree::Sweep`) and signals what
    /// it finds: SIGTERM to what had none yet, until `kill_at`; from then on SIGKILL. It ends
    /// when a round finds nothing, or 2 s after `kill_at`.
    fn stop_all(&mut self, kill_at: Instant) -> Stopped {
        let poll = Duration::from_millis(5);
        let give_up = kill_at.max(Instant::now()) + Duration::from_secs(2);
        let mut sweep = Sweep::new(self.pid);
        let mut st = Stopped::default();
        loop {
            let live = sweep.scan();
            if sweep.clear(&live) {
                return st;
            }
            let any = !live.is_empty() || sweep.has_groups();
            st.found |= any;
            let now = Instant::now();
            if now >= give_up {
                st.left = Sweep::pids(&live);
                st.groups_left = sweep.groups();
                return st;
            }
            if now >= kill_at {
                sweep.kill(&live);
                st.killed |= any;
                thread::sleep(poll);
            } else {
                sweep.term(&live);
                thread::sleep(poll.min(kill_at - now));
            }
        }
    }
}

/// What stopping the command's leftovers took.
#[derive(Default)]
struct Stopped {
    /// Something was left.
    found: bool,
    /// SIGKILL was needed.
    killed: bool,
    /// Still alive when we gave up: processes, and groups with a member.
    left: Vec<i32>,
    groups_left: Vec<i32>,
}

impl Stopped {
    /// A line for stderr; None when nothing was left.
    fn describe(&self) -> Option<String> {
        if !self.left.is_empty() || !self.groups_left.is_empty() {
            let list = |v: &[i32]| v.iter().map(i32::to_string).collect::<Vec<_>>().join(", ");
            let what = match (self.left.is_empty(), self.groups_left.is_empty()) {
                (false, true) => format!("pid {}", list(&self.left)),
                (true, false) => format!("process group {}", list(&self.groups_left)),
                _ => format!(
                    "pid {}; process group {}",
                    list(&self.left),
                    list(&self.groups_left)
                ),
            };
            return Some(format!(
                "processes it left behind were still alive 2 s after SIGKILL ({what}); \
                 releasing anyway"
            ));
        }
        self.found.then(|| {
            if self.killed {
                "processes it left behind ignored SIGTERM and were killed (SIGKILL)".to_owned()
            } else {
                "processes it left behind were stopped (SIGTERM)".to_owned()
            }
        })
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
