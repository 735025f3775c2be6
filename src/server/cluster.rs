//! One local ZooKeeper server or a 3-node ensemble, as real `java` processes.
//!
//! Layout under the data directory: `node-<myid>/` holds `zoo.cfg`, `myid`, the server's
//! `version-2/` data and `server.log` (its stdout and stderr, appended across restarts).

use std::fs;
use std::io::{Read, Seek, SeekFrom};
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4, TcpListener};
use std::os::unix::process::CommandExt;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::Mutex;
use std::thread::sleep;
use std::time::{Duration, Instant};

use super::dist::Distribution;
use super::spawn::{signal, spawn_tied};
use crate::fourlw;

const MAIN_CLASS: &str = "org.apache.zookeeper.server.quorum.QuorumPeerMain";
/// How long a 4lw question may take. Local servers answer in a millisecond; a paused one never.
const ASK_TIMEOUT: Duration = Duration::from_secs(1);
/// Cold JVMs on a busy 2-core machine: a standalone server needs ~0.5 s alone, an ensemble a few
/// seconds, and tests start several at once.
const START_TIMEOUT: Duration = Duration::from_secs(60);
/// How long SIGTERM gets before SIGKILL.
const STOP_GRACE: Duration = Duration::from_secs(5);
/// Lines of a server's log quoted in errors.
const TAIL_LINES: usize = 25;
/// Peer and election ports sit at fixed offsets from the first client port, so that the
/// default 2181 gives ZooKeeper's customary 2888 and 3888.
const PEER_OFFSET: u16 = 2888 - 2181;
const ELECTION_OFFSET: u16 = 3888 - 2181;

/// What to start.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClusterSpec {
    /// 1 for a standalone server, 3 (or any number above 1) for an ensemble.
    pub nodes: usize,
    /// Client port of server 1; the others follow (2182, 2183). 0 = pick free ports.
    pub first_port: u16,
    /// Where the servers keep their data; None = a temporary directory removed on drop.
    pub data_dir: Option<PathBuf>,
    /// ZooKeeper's tick; the minimum session timeout is 2 ticks.
    pub tick_ms: u32,
}

impl Default for ClusterSpec {
    fn default() -> ClusterSpec {
        ClusterSpec {
            nodes: 1,
            first_port: 0,
            data_dir: None,
            tick_ms: 2000,
        }
    }
}

impl ClusterSpec {
    /// One server on a free port in a temporary directory.
    pub fn standalone(tick_ms: u32) -> ClusterSpec {
        ClusterSpec {
            tick_ms,
            ..ClusterSpec::default()
        }
    }
    /// Three servers on free ports in a temporary directory.
    pub fn ensemble(tick_ms: u32) -> ClusterSpec {
        ClusterSpec {
            nodes: 3,
            tick_ms,
            ..ClusterSpec::default()
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Ports {
    client: u16,
    peer: u16,
    election: u16,
}

#[derive(Debug)]
struct Node {
    myid: usize,
    ports: Ports,
    dir: PathBuf,
    child: Mutex<Option<Child>>,
    paused: AtomicBool,
    /// Length of `server.log` when this run started: errors quote only this run's lines.
    log_start: AtomicU64,
}

impl Node {
    fn log_path(&self) -> PathBuf {
        self.dir.join("server.log")
    }
    fn pid(&self) -> Option<u32> {
        self.child
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .map(|c| c.id())
    }
}

/// Local ZooKeeper servers that live as long as this value (and no longer than this process).
#[derive(Debug)]
pub struct Cluster {
    dist: Distribution,
    root: PathBuf,
    /// Remove `root` when done (we made it).
    temp: AtomicBool,
    tick_ms: u32,
    nodes: Vec<Node>,
}

/// Why a start failed: retried with other ports when a port was taken under us.
struct StartError {
    message: String,
    port_clash: bool,
}

impl From<String> for StartError {
    fn from(message: String) -> StartError {
        StartError {
            message,
            port_clash: false,
        }
    }
}

impl Cluster {
    /// Start the servers and return once every one answers `ruok` and, for an ensemble, `srvr`
    /// shows one leader and followers.
    pub fn start(spec: &ClusterSpec) -> Result<Cluster, String> {
        Cluster::start_until(spec, &AtomicBool::new(false))
    }

    /// `start`, giving up (and cleaning up) as soon as `cancel` becomes true: `zkdemo server`
    /// sets it on Ctrl-C so a slow start does not have to be waited out.
    pub fn start_until(spec: &ClusterSpec, cancel: &AtomicBool) -> Result<Cluster, String> {
        if spec.nodes == 0 {
            return Err("a cluster needs at least one server".into());
        }
        if spec.tick_ms == 0 {
            return Err("tickTime must be at least 1 ms".into());
        }
        let dist = Distribution::find()?;
        let (root, temp) = match &spec.data_dir {
            Some(d) => {
                fs::create_dir_all(d)
                    .map_err(|e| format!("cannot create data directory {}: {e}", d.display()))?;
                (d.clone(), false)
            }
            None => (make_temp_dir()?, true),
        };
        // Ports picked by us can be taken by someone else before the server binds them: then
        // pick again. Ports the user chose are checked once and reported.
        let attempts = if spec.first_port == 0 { 3 } else { 1 };
        let mut last = String::new();
        for attempt in 1..=attempts {
            let ports = match choose_ports(spec) {
                Ok(p) => p,
                Err(e) => {
                    if temp {
                        let _ = fs::remove_dir_all(&root);
                    }
                    return Err(e);
                }
            };
            let nodes = ports
                .into_iter()
                .enumerate()
                .map(|(i, ports)| Node {
                    myid: i + 1,
                    ports,
                    dir: root.join(format!("node-{}", i + 1)),
                    child: Mutex::new(None),
                    paused: AtomicBool::new(false),
                    log_start: AtomicU64::new(0),
                })
                .collect();
            let cluster = Cluster {
                dist: dist.clone(),
                root: root.clone(),
                temp: AtomicBool::new(temp),
                tick_ms: spec.tick_ms,
                nodes,
            };
            match cluster.boot(cancel) {
                Ok(()) => return Ok(cluster),
                Err(e) => {
                    // Keep the directory for the next attempt; the last drop removes it.
                    if e.port_clash && attempt < attempts {
                        cluster.temp.store(false, Ordering::SeqCst);
                    }
                    last = e.message;
                    if !e.port_clash {
                        break;
                    }
                }
            }
        }
        Err(last)
    }

    fn boot(&self, cancel: &AtomicBool) -> Result<(), StartError> {
        for i in 0..self.nodes.len() {
            self.write_config(i)?;
        }
        for i in 0..self.nodes.len() {
            self.spawn(i)?;
        }
        self.wait_until(Instant::now() + START_TIMEOUT, cancel, None)
    }

    /// `host:port` of every server, comma-separated, for a client's connect string.
    pub fn connect_string(&self) -> String {
        (0..self.len())
            .map(|i| self.addr(i).to_string())
            .collect::<Vec<_>>()
            .join(",")
    }

    /// The client address of server `i` (0-based; its myid is `i + 1`).
    pub fn addr(&self, i: usize) -> SocketAddr {
        SocketAddr::V4(SocketAddrV4::new(
            Ipv4Addr::LOCALHOST,
            self.nodes[i].ports.client,
        ))
    }

    pub fn len(&self) -> usize {
        self.nodes.len()
    }

    pub fn is_empty(&self) -> bool {
        self.nodes.is_empty()
    }

    pub fn tick(&self) -> Duration {
        Duration::from_millis(self.tick_ms.into())
    }

    /// The directory holding every server's `node-<myid>/`.
    pub fn data_dir(&self) -> &Path {
        &self.root
    }

    /// Server `i`'s log file (stdout and stderr of its JVM).
    pub fn log_path(&self, i: usize) -> PathBuf {
        self.nodes[i].log_path()
    }

    /// The process id of server `i`, if it runs.
    pub fn pid(&self, i: usize) -> Option<u32> {
        self.nodes[i].pid()
    }

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
                signal(c.id(), libc::SIGTERM);
                // A stopped process keeps SIGTERM pending until it runs again.
                if node.paused.swap(false, Ordering::SeqCst) {
                    signal(c.id(), libc::SIGCONT);
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

    /// Kill server `i` with SIGKILL (a crash: no goodbye to its peers or clients).
    pub fn kill(&mut self, i: usize) {
        self.kill_node(i);
    }

    fn kill_node(&self, i: usize) {
        let node = &self.nodes[i];
        if let Some(mut c) = node.child.lock().unwrap_or_else(|e| e.into_inner()).take() {
            let _ = c.kill();
            let _ = c.wait();
        }
        node.paused.store(false, Ordering::SeqCst);
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

    /// SIGSTOP server `i`: it keeps its sockets (the kernel still accepts connections) and
    /// answers nothing, like a hung or swapped-out server.
    pub fn pause(&self, i: usize) {
        if let Some(pid) = self.pid(i) {
            self.nodes[i].paused.store(true, Ordering::SeqCst);
            signal(pid, libc::SIGSTOP);
            super::spawn::wait_stopped(pid);
        }
    }

    /// SIGCONT server `i`.
    pub fn resume(&self, i: usize) {
        if let Some(pid) = self.pid(i) {
            signal(pid, libc::SIGCONT);
            self.nodes[i].paused.store(false, Ordering::SeqCst);
        }
    }

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

    /// Kill every server and remove a temporary data directory. `Drop` does this; it is here
    /// for a cluster that is never dropped (a `static` shared by tests).
    pub fn shutdown(&self) {
        for i in 0..self.len() {
            let node = &self.nodes[i];
            if node.paused.load(Ordering::SeqCst) {
                if let Some(pid) = node.pid() {
                    signal(pid, libc::SIGCONT);
                }
            }
            self.kill_node(i);
        }
        if self.temp.swap(false, Ordering::SeqCst) {
            let _ = fs::remove_dir_all(&self.root);
        }
    }

    fn write_config(&self, i: usize) -> Result<(), String> {
        let node = &self.nodes[i];
        fs::create_dir_all(&node.dir)
            .map_err(|e| format!("cannot create {}: {e}", node.dir.display()))?;
        let tick = self.tick_ms;
        // The customary initLimit=5 / syncLimit=2 are in ticks; with the small ticks tests use
        // (200 ms) they give 1 s to sync and 0.4 s of silence before a follower drops its leader,
        // which CPU contention on a 2-core machine exceeds. Keep at least 4 s and 1 s: these are
        // timeouts, so the happy path is no slower.
        let init_limit = 5.max(4000u32.div_ceil(tick));
        let sync_limit = 2.max(1000u32.div_ceil(tick));
        let mut cfg = format!(
            "# Written by zkdemo; rewritten at every start.\n\
             tickTime={tick}\n\
             initLimit={init_limit}\n\
             syncLimit={sync_limit}\n\
             dataDir={dir}\n\
             clientPort={client}\n\
             clientPortAddress=127.0.0.1\n\
             admin.enableServer=false\n\
             4lw.commands.whitelist=*\n\
             # No per-IP connection limit: local benchmarks open hundreds of sessions.\n\
             maxClientCnxns=0\n\
             # Throwaway local data: no fsync, small preallocated logs, frequent snapshots.\n\
             forceSync=no\n\
             preAllocSize=1024\n\
             snapCount=10000\n",
            dir = node.dir.display(),
            client = node.ports.client,
        );
        if self.nodes.len() > 1 {
            for n in &self.nodes {
                cfg.push_str(&format!(
                    "server.{}=127.0.0.1:{}:{}\n",
                    n.myid, n.ports.peer, n.ports.election
                ));
            }
            fs::write(node.dir.join("myid"), format!("{}\n", node.myid))
                .map_err(|e| format!("cannot write {}: {e}", node.dir.join("myid").display()))?;
        }
        let path = node.dir.join("zoo.cfg");
        fs::write(&path, cfg).map_err(|e| format!("cannot write {}: {e}", path.display()))
    }

    fn spawn(&self, i: usize) -> Result<(), String> {
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

    /// Poll until ready (all running servers, or only `only`), a server exits, `cancel` is
    /// set, or `deadline` passes.
    fn wait_until(
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

impl Drop for Cluster {
    fn drop(&mut self) {
        self.shutdown();
    }
}

fn make_temp_dir() -> Result<PathBuf, String> {
    let base = std::env::temp_dir();
    for _ in 0..10 {
        let dir = base.join(format!(
            "zkdemo-{}-{:08x}",
            std::process::id(),
            rand::random::<u32>()
        ));
        match fs::create_dir(&dir) {
            Ok(()) => return Ok(dir),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => continue,
            Err(e) => {
                return Err(format!(
                    "cannot create a directory in {}: {e}",
                    base.display()
                ))
            }
        }
    }
    Err(format!(
        "cannot create a fresh directory in {}",
        base.display()
    ))
}

fn choose_ports(spec: &ClusterSpec) -> Result<Vec<Ports>, String> {
    let n = spec.nodes;
    if spec.first_port == 0 {
        // Hold every listener until all are picked, so the ports are distinct.
        let mut held = Vec::new();
        for _ in 0..n * 3 {
            let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
                .map_err(|e| format!("cannot find a free port: {e}"))?;
            let port = l
                .local_addr()
                .map_err(|e| format!("cannot find a free port: {e}"))?
                .port();
            held.push((l, port));
        }
        let p: Vec<u16> = held.iter().map(|(_, p)| *p).collect();
        return Ok((0..n)
            .map(|i| Ports {
                client: p[3 * i],
                peer: p[3 * i + 1],
                election: p[3 * i + 2],
            })
            .collect());
    }
    let first = spec.first_port;
    let too_high = || {
        format!("port {first} is too high for {n} servers (they use {first}..+{ELECTION_OFFSET})")
    };
    let mut ports = Vec::new();
    for i in 0..n {
        let i = u16::try_from(i).map_err(|_| too_high())?;
        let at = |off: u16| {
            first
                .checked_add(off)
                .and_then(|p| p.checked_add(i))
                .ok_or_else(too_high)
        };
        ports.push(Ports {
            client: at(0)?,
            peer: at(PEER_OFFSET)?,
            election: at(ELECTION_OFFSET)?,
        });
    }
    for p in &ports {
        let mut used = vec![p.client];
        if n > 1 {
            used.extend([p.peer, p.election]);
        }
        for port in used {
            if TcpListener::bind((Ipv4Addr::LOCALHOST, port)).is_err() {
                return Err(format!(
                    "port {port} is in use: is a ZooKeeper already running? Choose other ports \
                     with --port (the servers use client ports from --port up{})",
                    if n > 1 {
                        ", and the ports 707 and 1707 above them for peers"
                    } else {
                        ""
                    }
                ));
            }
        }
    }
    Ok(ports)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fixed_ports_follow_the_customary_layout() {
        let spec = ClusterSpec {
            nodes: 3,
            first_port: 42181,
            ..ClusterSpec::default()
        };
        match choose_ports(&spec) {
            Ok(p) => {
                assert_eq!(
                    p[0],
                    Ports {
                        client: 42181,
                        peer: 42888,
                        election: 43888
                    }
                );
                assert_eq!(
                    p[2],
                    Ports {
                        client: 42183,
                        peer: 42890,
                        election: 43890
                    }
                );
            }
            // Someone else may hold one of them on a shared machine; the message must say so.
            Err(e) => assert!(e.contains("is in use"), "{e}"),
        }
        let spec = ClusterSpec {
            nodes: 3,
            first_port: 65000,
            ..ClusterSpec::default()
        };
        assert!(choose_ports(&spec).unwrap_err().contains("too high"));
    }

    #[test]
    fn busy_fixed_port_is_reported() {
        let l = TcpListener::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        let port = l.local_addr().unwrap().port();
        let spec = ClusterSpec {
            first_port: port,
            ..ClusterSpec::default()
        };
        let e = choose_ports(&spec).unwrap_err();
        assert!(e.contains(&format!("port {port} is in use")), "{e}");
        assert!(e.contains("--port"), "{e}");
    }

    #[test]
    fn free_ports_are_distinct() {
        let p = choose_ports(&ClusterSpec::ensemble(200)).unwrap();
        let mut all: Vec<u16> = p
            .iter()
            .flat_map(|p| [p.client, p.peer, p.election])
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 9);
    }
}
