//! The session layer's own small types: callers never see the `zookeeper` crate's.

use std::fmt;
use std::time::Instant;

use zookeeper::{CreateMode, Stat};

/// A session id as the server granted it. Prints as zkCli does: `0x1000a2b3c4d0000`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct SessionId(pub i64);

impl fmt::Display for SessionId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "0x{:x}", self.0)
    }
}

/// How the session stands, as [`super::Session::health`] tells it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Health {
    /// Connected, and the connection answers.
    Up,
    /// No contact right now; it may come back. The server cannot expire the session before
    /// `deadline` (the last contact + the session timeout).
    Suspended { deadline: Instant },
    /// Expired, or no contact for a whole session timeout: gone for good.
    Lost,
    /// Closed by us.
    Closed,
}

/// What kind of node `create` makes (ZooKeeper's create modes).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum NodeKind {
    /// Stays until deleted.
    Persistent,
    /// Deleted by the server when the session ends.
    Ephemeral,
    /// Ephemeral, with a 10-digit sequence number the parent appends to the name.
    EphemeralSequential,
    /// Persistent, with a 10-digit sequence number the parent appends to the name.
    PersistentSequential,
}

impl NodeKind {
    pub(super) fn mode(self) -> CreateMode {
        match self {
            NodeKind::Persistent => CreateMode::Persistent,
            NodeKind::Ephemeral => CreateMode::Ephemeral,
            NodeKind::EphemeralSequential => CreateMode::EphemeralSequential,
            NodeKind::PersistentSequential => CreateMode::PersistentSequential,
        }
    }
}

/// A znode's stat (ZooKeeper's `Stat`): zxids, times in ms since the epoch, versions, the
/// owner session of an ephemeral node (0 for a persistent one). Comparable, so that a watcher
/// can tell whether anything it shows changed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct NodeStat {
    pub czxid: i64,
    pub mzxid: i64,
    pub pzxid: i64,
    pub ctime: i64,
    pub mtime: i64,
    pub version: i32,
    pub cversion: i32,
    pub aversion: i32,
    pub ephemeral_owner: i64,
    pub data_length: i32,
    pub num_children: i32,
}

impl NodeStat {
    /// The session that owns this ephemeral node; `None` for a persistent node.
    pub fn owner(&self) -> Option<SessionId> {
        (self.ephemeral_owner != 0).then_some(SessionId(self.ephemeral_owner))
    }
}

impl From<Stat> for NodeStat {
    fn from(s: Stat) -> NodeStat {
        NodeStat {
            czxid: s.czxid,
            mzxid: s.mzxid,
            pzxid: s.pzxid,
            ctime: s.ctime,
            mtime: s.mtime,
            version: s.version,
            cversion: s.cversion,
            aversion: s.aversion,
            ephemeral_owner: s.ephemeral_owner,
            data_length: s.data_length,
            num_children: s.num_children,
        }
    }
}
