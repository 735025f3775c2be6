//! What a session call can fail with, and how durations are written.
//!
//! The session layer's own errors: callers never see the `zookeeper` crate's `ZkError`. Which
//! exit code and which advice a command gives for each is decided by the caller (`exit.rs`).

use std::fmt;
use std::time::Duration;

use zookeeper::ZkError;

/// Why a call failed, or why no session could be made.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Error {
    /// The node does not exist.
    NoNode,
    /// The node exists already.
    NodeExists,
    /// The node's version is not the one given (a conditional write lost a race).
    BadVersion,
    /// The node's ACL does not grant what was asked (NoAuth).
    NoAuth,
    /// The node has children (a delete of a non-leaf).
    NotEmpty,
    /// The parent is ephemeral and cannot have children.
    NoChildrenForEphemerals,
    /// The server refused the request's arguments (a bad path, data over 1 MB).
    BadArguments,
    /// The connection dropped with the request in flight: it may or may not have been applied.
    ConnectionLoss,
    /// Any other error the server (or the crate) answered with, by its ZooKeeper name.
    Server(String),
    /// No answer within the call deadline.
    Timeout(Duration),
    /// The session is lost or closed.
    Lost,
    /// Creating this node (a missing ancestor) was refused by its parent's ACL.
    NoAuthAt(String),
    /// No server gave a session: what each did (refused, silent, …).
    Unreachable(String),
    /// No host name of the connect string could be resolved, in time or at all.
    Unresolved(String),
    /// The server refused our digest credentials (AuthFailed).
    AuthFailed(String),
    /// The connect string's chroot does not exist on the server.
    NoChroot(String),
    /// The client could not be set up on our side.
    Local(String),
}

impl Error {
    /// True for the errors that say nothing about the node, only about the connection.
    pub fn is_connection(&self) -> bool {
        matches!(
            self,
            Error::Timeout(_) | Error::Lost | Error::ConnectionLoss
        )
    }

    /// The crate's error, as ours.
    pub(super) fn from_zk(e: ZkError) -> Error {
        match e {
            ZkError::NoNode => Error::NoNode,
            ZkError::NodeExists => Error::NodeExists,
            ZkError::BadVersion => Error::BadVersion,
            ZkError::NoAuth => Error::NoAuth,
            ZkError::NotEmpty => Error::NotEmpty,
            ZkError::NoChildrenForEphemerals => Error::NoChildrenForEphemerals,
            ZkError::BadArguments => Error::BadArguments,
            ZkError::ConnectionLoss => Error::ConnectionLoss,
            // The session ended under the call: for the caller, it is lost.
            ZkError::SessionExpired => Error::Lost,
            ZkError::OperationTimeout => Error::ConnectionLoss,
            e => Error::Server(format!("{e:?}")),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NoNode => write!(f, "no such node"),
            Error::NodeExists => write!(f, "the node exists already"),
            Error::BadVersion => write!(f, "the node's version changed meanwhile"),
            Error::NoAuth => {
                write!(f, "not allowed (NoAuth): the node's ACL does not grant it")
            }
            Error::NotEmpty => write!(f, "the node has children"),
            Error::NoChildrenForEphemerals => {
                write!(
                    f,
                    "the parent is an ephemeral node and cannot have children"
                )
            }
            Error::BadArguments => write!(f, "ZooKeeper error BadArguments"),
            Error::ConnectionLoss => write!(f, "connection to ZooKeeper lost"),
            Error::Server(name) => write!(f, "ZooKeeper error {name}"),
            Error::Timeout(d) => write!(f, "no answer from ZooKeeper in {}", fmt_duration(*d)),
            Error::Lost => write!(f, "the ZooKeeper session is lost"),
            Error::NoAuthAt(p) => write!(
                f,
                "not allowed to create {p} (NoAuth): its parent's ACL does not grant CREATE; \
                 create it with credentials that may"
            ),
            Error::Unreachable(why)
            | Error::Unresolved(why)
            | Error::AuthFailed(why)
            | Error::NoChroot(why)
            | Error::Local(why) => f.write_str(why),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// `1.5s`, `250ms`: short, for messages.
pub fn fmt_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else if d.as_millis() % 1000 == 0 {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}
