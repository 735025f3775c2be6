//! One local ZooKeeper server or a 3-node ensemble, as real `java` processes.
//!
//! Layout under the data directory: `node-<myid>/` holds `zoo.cfg`, `myid`, the server's
//! `version-2/` data and `server.log` (its stdout and stderr, appended across restarts);
//! `.zkdemo.lock` beside them is locked while a cluster runs there.
//!
//! Here: what to start (`ClusterSpec`), the `Cluster` itself, starting it and what it tells
//! about its servers. Beside it: `layout` (directories, ports, `zoo.cfg`), `process` (the
//! JVMs: spawn, stop, start again), `faults` (what the fault tests do: kill, pause, resume),
//! `status` (asking the servers how they are, waiting until they serve, their logs) and
//! `dirlock` (one cluster per data directory at a time).

mod dirlock;
mod faults;
mod layout;
mod process;
mod status;

use std::fs;
use std::net::{Ipv4Addr, SocketAddr, SocketAddrV4};
use std::path::{Path, PathBuf};
use std::process::Child;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use super::dist::Distribution;
use dirlock::DirLock;
use layout::{choose_ports, make_temp_dir};

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
    /// One cluster at a time: starting a second one on a directory in use fails ("is in use").
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
    /// Held until the servers are gone (fields drop after `Drop::drop` has killed them).
    _lock: Arc<DirLock>,
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
        // Before anything in the directory is written: a second cluster on it is refused.
        let lock = match DirLock::acquire(&root) {
            Ok(l) => Arc::new(l),
            Err(e) => {
                if temp {
                    let _ = fs::remove_dir_all(&root);
                }
                return Err(e);
            }
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
                _lock: lock.clone(),
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
}

impl Drop for Cluster {
    fn drop(&mut self) {
        self.shutdown();
    }
}
