//! Where each server lives: its directory (a temporary one unless given), its ports (free ones,
//! or from a first port at ZooKeeper's customary offsets) and its `zoo.cfg`.

use std::fs;
use std::net::{Ipv4Addr, TcpListener};
use std::path::PathBuf;

use super::{Cluster, ClusterSpec, Ports, ELECTION_OFFSET, PEER_OFFSET};

impl Cluster {
    /// Write server `i`'s `zoo.cfg` (and, in an ensemble, its `myid`).
    pub(super) fn write_config(&self, i: usize) -> Result<(), String> {
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
}

/// A fresh directory for the servers' data under the system's temporary directory.
pub(super) fn make_temp_dir() -> Result<PathBuf, String> {
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

/// The ports of every server: free ones (`first_port` 0), or from `first_port` up, checked.
pub(super) fn choose_ports(spec: &ClusterSpec) -> Result<Vec<Ports>, String> {
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
