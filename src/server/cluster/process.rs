//! The servers' JVMs: spawn one, stop some (SIGTERM, then SIGKILL), start stopped ones again,
//! and shut everything down.

use std::fs;
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::{Cluster, MAIN_CLASS, START_TIMEOUT, STOP_GRACE};
use crate::server::spawn::spawn_tied;
use crate::signals::send as signal;

impl Cluster {
    /// Stop server `i`: SIGTERM, then SIGKILL if it is still there after a few seconds.
    pub fn stop(&mut self, i: usize) {
        self.stop_nodes(&[i]);
    }

    /// Stop every server at once (each gets SIGTERM, the slow ones SIGKILL).
    pub fn stop_all(&mut self) {
        let all: Vec<usize> = (0..self.len()).collect();
        self.stop_nodes(&all);
    }

    fn stop_nodes(&self, which: &[usize]) {
        let mut children: Vec<(usize, Child)> = Vec::new();
        for &i in which {
            let node = &self.nodes[i];
            if let Some(c) = node.child.lock().unwrap_or_else(|e| e.into_inner()).take() {
                signal(c.id() as i32, libc::SIGTERM);
                // A stopped process keeps SIGTERM pending until it runs again.
                if node.paused.swap(false, Ordering::SeqCst) {
                    signal(c.id() as i32, libc::SIGCONT);
                }
                children.push((i, c));
            }
        }
        let deadline = Instant::now() + STOP_GRACE;
        for (_, mut c) in children {
            loop {
                match c.try_wait() {
                    Ok(Some(_)) | Err(_) => break,
                    Ok(None) if Instant::now() >= deadline => {
                        let _ = c.kill();
                        let _ = c.wait();
                        break;
                    }
                    Ok(None) => sleep(Duration::from_millis(20)),
                }
            }
        }
    }

    /// Start a stopped server again, same ports and data; returns once it serves (answers
    /// `ruok` and `srvr` shows its mode, i.e. it has joined a quorum when in an ensemble).
    /// Does nothing when it runs already.
    pub fn start_node(&mut self, i: usize) -> Result<(), String> {
        if self.pid(i).is_some() {
            return Ok(());
        }
        self.write_config(i)?;
        self.spawn(i)?;
        self.wait_until(
            Instant::now() + START_TIMEOUT,
            &AtomicBool::new(false),
            Some(i),
        )
        .map_err(|e| e.message)
    }

    /// Start every stopped server at once (an ensemble needs a quorum to serve, so they
    /// cannot be started one after the other), same ports and data; returns once all serve.
    pub fn start_all(&mut self) -> Result<(), String> {
        for i in 0..self.len() {
            if self.pid(i).is_none() {
                self.write_config(i)?;
                self.spawn(i)?;
            }
        }
        self.wait_until(
            Instant::now() + START_TIMEOUT,
            &AtomicBool::new(false),
            None,
        )
        .map_err(|e| e.message)
    }

    /// `stop` then `start_node`.
    pub fn restart(&mut self, i: usize) -> Result<(), String> {
        self.stop(i);
        self.start_node(i)
    }

    /// Kill every server and remove a temporary data directory. `Drop` does this; it is here
    /// for a cluster that is never dropped (a `static` shared by tests).
    pub fn shutdown(&self) {
        for i in 0..self.len() {
            let node = &self.nodes[i];
            if node.paused.load(Ordering::SeqCst) {
                if let Some(pid) = node.pid() {
                    signal(pid as i32, libc::SIGCONT);
                }
            }
            self.kill_node(i);
        }
        if self.temp.swap(false, Ordering::SeqCst) {
            let _ = fs::remove_dir_all(&self.root);
        }
    }

    /// Start server `i`'s JVM, its output appended to its `server.log`.
    pub(super) fn spawn(&self, i: usize) -> Result<(), String> {
        let node = &self.nodes[i];
        let log_path = node.log_path();
        let log = fs::OpenOptions::new()
            .create(true)
            .append(true)
            .open(&log_path)
            .map_err(|e| format!("cannot open {}: {e}", log_path.display()))?;
        let start = log.metadata().map(|m| m.len()).unwrap_or(0);
        node.log_start.store(start, Ordering::SeqCst);
        let log_err = log
            .try_clone()
            .map_err(|e| format!("cannot open {}: {e}", log_path.display()))?;
        let mut cmd = Command::new(&self.dist.java);
        // Small heap, serial GC, C1 only, class-data sharing: starts in about half a second
        // and leaves the CPU to the other servers and the tests on a 2-core machine.
        cmd.args([
            "-Xmx256m",
            "-Xms16m",
            "-XX:+UseSerialGC",
            "-XX:TieredStopAtLevel=1",
            "-Xshare:auto",
            "-XX:-UsePerfData",
            "-Djava.net.preferIPv4Stack=true",
            "-Dzookeeper.admin.enableServer=false",
            "-Dzookeeper.jmx.log4j.disable=true",
            "-Dorg.slf4j.simpleLogger.showDateTime=true",
            "-Dorg.slf4j.simpleLogger.dateTimeFormat=HH:mm:ss.SSS",
        ]);
        cmd.args(&self.dist.jvm_props);
        cmd.arg(format!("-Dzookeeper.log.dir={}", node.dir.display()));
        cmd.arg("-cp").arg(self.dist.classpath_arg());
        cmd.arg(MAIN_CLASS).arg(node.dir.join("zoo.cfg"));
        cmd.current_dir(&node.dir)
            .stdin(Stdio::null())
            .stdout(Stdio::from(log))
            .stderr(Stdio::from(log_err))
            // Its own process group: Ctrl-C in a terminal reaches zkdemo, which stops the
            // servers in order, instead of every JVM at once.
            .process_group(0);
        let child =
            spawn_tied(cmd).map_err(|e| format!("cannot run {}: {e}", self.dist.java.display()))?;
        *node.child.lock().unwrap_or_else(|e| e.into_inner()) = Some(child);
        Ok(())
    }
}
