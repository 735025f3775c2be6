//! A local standalone server for a command that would otherwise need one given with `--zk`
//! (`zkdemo demo`, `zkdemo bench --local`): started on a free port in a temporary directory,
//! stopped at the end.

use std::time::{Duration, Instant};

use super::cluster::{Cluster, ClusterSpec};
use super::dist::Distribution;

/// Why there is no local server.
#[derive(Debug)]
pub enum LocalError {
    /// Java or ZooKeeper is not installed; the message says how to install them.
    NotInstalled(String),
    /// They are installed, but the server did not start; the message says why.
    CannotStart(String),
}

/// A local standalone ZooKeeper started for one command. Dropping it kills the server and
/// removes its data; `stop` stops it in order (SIGTERM first).
#[derive(Debug)]
pub struct LocalServer {
    cluster: Cluster,
    startup: Duration,
}

impl LocalServer {
    /// `127.0.0.1:PORT`.
    pub fn connect_string(&self) -> String {
        self.cluster.connect_string()
    }

    /// The server's process id.
    pub fn pid(&self) -> Option<u32> {
        self.cluster.pid(0)
    }

    /// How long it took to start and answer.
    pub fn startup(&self) -> Duration {
        self.startup
    }

    /// Stop the server (SIGTERM, then SIGKILL after a grace period) and remove its data.
    pub fn stop(mut self) {
        self.cluster.stop_all();
    }
}

/// The server a command talks to: when the user gave one (`given`), None: use theirs.
/// Otherwise a local standalone one with `tick_ms`, started here; `starting` is called once
/// Java and ZooKeeper are found, just before the (slow) start, to say so.
pub fn local_unless_given(
    given: bool,
    tick_ms: u32,
    starting: impl FnOnce(),
) -> Result<Option<LocalServer>, LocalError> {
    if given {
        return Ok(None);
    }
    Distribution::find().map_err(LocalError::NotInstalled)?;
    starting();
    let t = Instant::now();
    let cluster =
        Cluster::start(&ClusterSpec::standalone(tick_ms)).map_err(LocalError::CannotStart)?;
    Ok(Some(LocalServer {
        cluster,
        startup: t.elapsed(),
    }))
}
