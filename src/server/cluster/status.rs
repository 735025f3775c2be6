//! Asking the servers how they are: their mode and zxid over four-letter words, which one
//! leads, waiting until they serve, which exited on their own, and the tail of their logs.

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::sync::atomic::{AtomicBool, Ordering};
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::{Cluster, StartError, ASK_TIMEOUT, TAIL_LINES};
use crate::fourlw;

impl Cluster {
    /// "leader", "follower" or "standalone" as `srvr` says; None when it does not answer or
    /// does not serve (an ensemble member without a quorum).
    pub fn mode(&self, i: usize) -> Option<String> {
        let answer = fourlw::ask(&self.addr(i), "srvr", ASK_TIMEOUT).ok()?;
        fourlw::parse_fields(&answer)
            .into_iter()
            .find(|(k, _)| k == "Mode")
            .map(|(_, v)| v)
    }

    /// `srvr`'s `Zxid` of server `i` (the last transaction it has seen), if it answers.
    pub fn zxid(&self, i: usize) -> Option<u64> {
        let answer = fourlw::ask(&self.addr(i), "srvr", ASK_TIMEOUT).ok()?;
        let (_, v) = fourlw::parse_fields(&answer)
            .into_iter()
            .find(|(k, _)| k == "Zxid")?;
        u64::from_str_radix(v.trim_start_matches("0x"), 16).ok()
    }

    /// The index of the server that says it leads (a standalone server leads itself).
    pub fn leader(&self) -> Option<usize> {
        (0..self.len())
            .filter(|&i| self.pid(i).is_some())
            .find(|&i| matches!(self.mode(i).as_deref(), Some("leader" | "standalone")))
    }

    /// Wait until every running server answers `ruok` and serves, and an ensemble's running
    /// servers show exactly one leader. Stopped servers are left out; paused ones are not.
    pub fn wait_ready(&self, timeout: Duration) -> Result<(), String> {
        self.wait_until(Instant::now() + timeout, &AtomicBool::new(false), None)
            .map_err(|e| e.message)
    }

    /// Servers that exited on their own since last asked, with how (and forgotten: `pid` is
    /// None afterwards and `start_node` can start them again).
    pub fn exited(&self) -> Vec<(usize, String)> {
        let mut gone = Vec::new();
        for (i, node) in self.nodes.iter().enumerate() {
            let mut guard = node.child.lock().unwrap_or_else(|e| e.into_inner());
            if let Some(c) = guard.as_mut() {
                if let Ok(Some(status)) = c.try_wait() {
                    *guard = None;
                    gone.push((i, format!("{status}")));
                }
            }
        }
        gone
    }

    /// The last lines server `i` wrote since it was last started.
    pub fn log_tail(&self, i: usize) -> String {
        let node = &self.nodes[i];
        let mut text = String::new();
        if let Ok(mut f) = fs::File::open(node.log_path()) {
            let _ = f.seek(SeekFrom::Start(node.log_start.load(Ordering::SeqCst)));
            let mut buf = Vec::new();
            let _ = f.read_to_end(&mut buf);
            text = String::from_utf8_lossy(&buf).into_owned();
        }
        let lines: Vec<&str> = text.lines().collect();
        lines[lines.len().saturating_sub(TAIL_LINES)..].join("\n")
    }

    /// Poll until ready (all running servers, or only `only`), a server exits, `cancel` is
    /// set, or `deadline` passes.
    pub(super) fn wait_until(
        &self,
        deadline: Instant,
        cancel: &AtomicBool,
        only: Option<usize>,
    ) -> Result<(), StartError> {
        loop {
            if cancel.load(Ordering::SeqCst) {
                return Err("interrupted while the servers were starting"
                    .to_owned()
                    .into());
            }
            if let Some((i, status)) = self
                .exited()
                .into_iter()
                .find(|(i, _)| only.is_none_or(|o| o == *i))
            {
                let tail = self.log_tail(i);
                return Err(StartError {
                    port_clash: tail.contains("Address already in use"),
                    message: format!(
                        "ZooKeeper server {} (port {}) exited ({status}) while starting; last \
                         lines of {}:\n{tail}",
                        i + 1,
                        self.nodes[i].ports.client,
                        self.log_path(i).display()
                    ),
                });
            }
            let waiting = self.not_ready(only);
            if waiting.is_empty() {
                return Ok(());
            }
            if Instant::now() >= deadline {
                let mut msg = String::new();
                let mut port_clash = false;
                for (i, why) in &waiting {
                    let tail = self.log_tail(*i);
                    port_clash |= tail.contains("Address already in use");
                    msg.push_str(&format!(
                        "ZooKeeper server {} (port {}) not ready: {why}; last lines of {}:\n{tail}\n",
                        i + 1,
                        self.nodes[*i].ports.client,
                        self.log_path(*i).display()
                    ));
                }
                return Err(StartError {
                    message: msg.trim_end().to_owned(),
                    port_clash,
                });
            }
            sleep(Duration::from_millis(100));
        }
    }

    /// The servers not ready yet, with why.
    fn not_ready(&self, only: Option<usize>) -> Vec<(usize, String)> {
        let running: Vec<usize> = (0..self.len()).filter(|&i| self.pid(i).is_some()).collect();
        if running.is_empty() {
            return vec![(0, "no server is running".into())];
        }
        let mut waiting = Vec::new();
        let mut leaders = Vec::new();
        for &i in &running {
            if only.is_some_and(|o| o != i) {
                continue;
            }
            if !fourlw::is_ok(&self.addr(i), ASK_TIMEOUT) {
                waiting.push((i, "no imok answer to ruok".to_owned()));
                continue;
            }
            match self.mode(i) {
                None => waiting.push((i, "answers ruok but does not serve yet".to_owned())),
                Some(m) if m == "leader" => leaders.push(i),
                Some(m) if m == "follower" || m == "standalone" => {}
                Some(m) => waiting.push((i, format!("mode {m}"))),
            }
        }
        if only.is_none() && self.len() > 1 && waiting.is_empty() && leaders.len() != 1 {
            waiting.push((
                running[0],
                format!("{} leaders among running servers", leaders.len()),
            ));
        }
        waiting
    }
}
