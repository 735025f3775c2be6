//! What is left of a guarded command, looked for again on every round while it is stopped.
//!
//! Stopping a process does not stop its children: on Linux they are re-parented to zkdemo
//! (the subreaper), still in whatever process group they were in. So one pass of signals is
//! not enough. Each round looks again at zkdemo's children and all their descendants (from
//! /proc) and at every process group one of them was ever seen in, and the caller signals what
//! is found, until a round finds nothing.
//!
//! A group is signalled whole (`kill(-pgid)`), which also reaches a member that is no
//! descendant; but only a group the command made: its own, one led by a descendant, or one in
//! a session a descendant made (`setsid`). Never zkdemo's own group, nor another group of the
//! terminal's session that a descendant joined (setpgid). A group found empty is forgotten:
//! its number may be handed out again.
//!
//! Elsewhere (no /proc) only the command's own group is known.

use std::collections::{BTreeSet, HashSet};

/// A living descendant: its pid, process group and session.
#[derive(Clone, Copy, Debug)]
pub(super) struct Member {
    pub pid: i32,
    pub pgid: i32,
    pub sid: i32,
}

/// What is known of a command's processes while they are stopped, and what each was sent.
pub(super) struct Sweep {
    /// The command (and its group's number).
    leader: i32,
    own_group: i32,
    own_session: i32,
    /// Every descendant seen.
    seen: HashSet<i32>,
    /// The groups that may be signalled, not yet found empty.
    groups: BTreeSet<i32>,
    /// The groups found empty.
    gone: HashSet<i32>,
    /// What was sent SIGTERM (processes, groups).
    termed: HashSet<i32>,
    termed_groups: HashSet<i32>,
    /// Descendants can be followed (Linux, /proc mounted).
    follow: bool,
}

impl Sweep {
    pub fn new(leader: i32) -> Sweep {
        // SAFETY: getpgrp and getsid(0) take no pointers; both are about the calling process.
        let (own_group, own_session) = unsafe { (libc::getpgrp(), libc::getsid(0)) };
        Sweep {
            leader,
            own_group,
            own_session,
            seen: HashSet::new(),
            groups: BTreeSet::from([leader]),
            gone: HashSet::new(),
            termed: HashSet::new(),
            termed_groups: HashSet::new(),
            follow: proc::available(),
        }
    }

    /// Look again: the living descendants (our dead children reaped on the way, all but the
    /// command, which its waiter thread reaps), their groups noted, empty groups dropped.
    pub fn scan(&mut self) -> Vec<Member> {
        let live = if self.follow {
            proc::descendants(self.leader)
        } else {
            Vec::new()
        };
        self.seen.extend(live.iter().map(|m| m.pid));
        for m in &live {
            if self.made_by_the_command(m) && !self.gone.contains(&m.pgid) {
                self.groups.insert(m.pgid);
            }
        }
        let empty: Vec<i32> = self
            .groups
            .iter()
            .copied()
            .filter(|&g| !group_exists(g))
            .collect();
        for g in empty {
            self.groups.remove(&g);
            self.gone.insert(g);
        }
        live
    }

    /// Whether `m`'s group is one the command made (see the module's comment).
    fn made_by_the_command(&self, m: &Member) -> bool {
        m.pgid > 1
            && m.pgid != self.own_group
            && (m.pgid == self.leader || self.seen.contains(&m.pgid) || m.sid != self.own_session)
    }

    /// Nothing is left: no descendant, no known group with a member, and (Linux) no child of
    /// zkdemo at all, not even one dead and not yet reaped.
    pub fn clear(&self, live: &[Member]) -> bool {
        live.is_empty() && self.groups.is_empty() && (!self.follow || proc::no_children())
    }

    /// Whether a known group still has a member.
    pub fn has_groups(&self) -> bool {
        !self.groups.is_empty()
    }

    /// The known groups that still have a member, for a message.
    pub fn groups(&self) -> Vec<i32> {
        self.groups.iter().copied().collect()
    }

    /// The pids found, for a message.
    pub fn pids(live: &[Member]) -> Vec<i32> {
        live.iter().map(|m| m.pid).collect()
    }

    /// SIGTERM to what has not had it: each group once, then each descendant that a group
    /// signal of this round did not reach (one in no known group, or new in its group).
    pub fn term(&mut self, live: &[Member]) {
        let mut now = Vec::new();
        for &g in &self.groups {
            if self.termed_groups.insert(g) {
                crate::signals::send(-g, libc::SIGTERM);
                now.push(g);
            }
        }
        for m in live {
            if self.termed.insert(m.pid) && !now.contains(&m.pgid) {
                crate::signals::send(m.pid, libc::SIGTERM);
            }
        }
    }

    /// SIGKILL to every known group and every descendant.
    pub fn kill(&self, live: &[Member]) {
        for &g in &self.groups {
            crate::signals::send(-g, libc::SIGKILL);
        }
        for m in live {
            crate::signals::send(m.pid, libc::SIGKILL);
        }
    }
}

/// Whether group `g` has a member (a zombie counts: it is not reaped yet). A group we may not
/// signal (EPERM) exists.
fn group_exists(g: i32) -> bool {
    crate::signals::send(-g, 0) || io_errno() != libc::ESRCH
}

fn io_errno() -> i32 {
    std::io::Error::last_os_error().raw_os_error().unwrap_or(0)
}

/// Our children that live on after their parent died (re-parented to us), but not the
/// command `leader`. Dead ones are reaped here, so that a zombie never reads as alive.
pub(super) fn orphans(leader: i32) -> Vec<i32> {
    proc::orphans(leader)
}

#[cfg(target_os = "linux")]
mod proc {
    use super::Member;
    use std::collections::HashSet;

    pub fn available() -> bool {
        std::path::Path::new("/proc/self/task").exists()
    }

    /// (state, ppid, pgid, session) from /proc/<pid>/stat; None when it is gone.
    fn stat(pid: i32) -> Option<(char, i32, i32, i32)> {
        let text = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
        // The command name, in parentheses, may hold anything: the fields follow the last ')'.
        let mut f = text.rsplit_once(')')?.1.split_whitespace();
        let state = f.next()?.chars().next()?;
        let mut num = || f.next()?.parse::<i32>().ok();
        Some((state, num()?, num()?, num()?))
    }

    /// The children of `pid`, from each of its threads' `children` file; without those
    /// (a kernel built without them), from every process's parent.
    fn children(pid: i32) -> Vec<i32> {
        let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
            return Vec::new();
        };
        let mut out = Vec::new();
        for t in tasks.flatten() {
            match std::fs::read_to_string(t.path().join("children")) {
                Ok(text) => out.extend(
                    text.split_whitespace()
                        .filter_map(|p| p.parse::<i32>().ok()),
                ),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => return by_parent(pid),
                Err(_) => {}
            }
        }
        out.sort_unstable();
        out.dedup();
        out
    }

    fn by_parent(pid: i32) -> Vec<i32> {
        let Ok(all) = std::fs::read_dir("/proc") else {
            return Vec::new();
        };
        all.flatten()
            .filter_map(|e| e.file_name().to_str()?.parse::<i32>().ok())
            .filter(|&p| stat(p).is_some_and(|s| s.1 == pid))
            .collect()
    }

    /// Reap `pid`, our child, if it is dead; true when it was.
    fn reap(pid: i32) -> bool {
        let mut status = 0;
        // SAFETY: waitpid on our own child, without blocking.
        unsafe { libc::waitpid(pid, &mut status, libc::WNOHANG | libc::__WALL) == pid }
    }

    pub fn orphans(leader: i32) -> Vec<i32> {
        children(std::process::id() as i32)
            .into_iter()
            .filter(|&p| p != leader && !reap(p))
            .collect()
    }

    /// Every living descendant: our children (the dead reaped, but not `leader`), theirs, …
    /// Each is taken only while its parent is the one it was listed under (a pid can be handed
    /// out again as soon as it is reaped: the command's, say).
    pub fn descendants(leader: i32) -> Vec<Member> {
        let me = std::process::id() as i32;
        let mut todo: Vec<(i32, i32)> = orphans(leader).into_iter().map(|p| (p, me)).collect();
        todo.push((leader, me));
        let mut out = Vec::new();
        let mut visited = HashSet::new();
        while let Some((pid, parent)) = todo.pop() {
            if !visited.insert(pid) {
                continue;
            }
            // Gone, or dead: a zombie's children have already gone to a reaper.
            let Some((_, _, pgid, sid)) =
                stat(pid).filter(|s| s.1 == parent && !matches!(s.0, 'Z' | 'X'))
            else {
                continue;
            };
            out.push(Member { pid, pgid, sid });
            todo.extend(children(pid).into_iter().map(|c| (c, pid)));
        }
        out
    }

    /// True when zkdemo has no child at all, living or dead (the kernel's word: a reading of
    /// `children` can miss one that moves meanwhile).
    pub fn no_children() -> bool {
        // SAFETY: siginfo_t is plain data; waitid fills it, WNOWAIT leaves any child as it is.
        unsafe {
            let mut info: libc::siginfo_t = std::mem::zeroed();
            let flags = libc::WEXITED | libc::WNOHANG | libc::WNOWAIT | libc::__WALL;
            libc::waitid(libc::P_ALL, 0, &mut info, flags) == -1
                && super::io_errno() == libc::ECHILD
        }
    }
}

/// Elsewhere zkdemo is no subreaper: a descendant that leaves the group is re-parented to init
/// (launchd), which reaps it, and is not followed.
#[cfg(not(target_os = "linux"))]
mod proc {
    use super::Member;

    pub fn available() -> bool {
        false
    }

    pub fn orphans(_leader: i32) -> Vec<i32> {
        Vec::new()
    }

    pub fn descendants(_leader: i32) -> Vec<Member> {
        Vec::new()
    }

    pub fn no_children() -> bool {
        true
    }
}
