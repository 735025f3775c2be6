//! What the fault tests do to a server: crash it (SIGKILL), hang it (SIGSTOP) and wake it
//! (SIGCONT). Stopping in order and restarting are in `process`.

use std::sync::atomic::Ordering;

use super::Cluster;
use crate::server::spawn::wait_stopped;
use crate::signals::send as signal;

impl Cluster {
    /// Kill server `i` with SIGKILL (a crash: no goodbye to its peers or clients).
    pub fn kill(&mut self, i: usize) {
        self.kill_node(i);
    }

    /// `kill` through a shared reference (`shutdown` and `Drop` use it).
    pub(super) fn kill_node(&self, i: usize) {
        let node = &self.nodes[i];
        if let Some(mut c) = node.child.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        node.paused.store(false, Ordering::SeqCst);
    }

    /// SIGSTOP server `i`: it keeps its sockets (the kernel still accepts connections) and
    /// answers nothing, like a hung or swapped-out server.
    pub fn pause(&self, i: usize) {
        if let Some(pid) = self.pid(i) {
            self.nodes[i].paused.store(true, Ordering::SeqCst);
            signal(pid as i32, libc::SIGSTOP);
            wait_stopped(pid);
        }
    }

    /// SIGCONT server `i`.
    pub fn resume(&self, i: usize) {
        if let Some(pid) = self.pid(i) {
            signal(pid as i32, libc::SIGCONT);
            self.nodes[i].paused.store(false, Ordering::SeqCst);
        }
    }
}
