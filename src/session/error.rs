//! What a session call can fail with, and how durations and session ids are written.

use std::fmt;
use std::time::Duration;

use zookeeper::ZkError;

use crate::exit;

/// Why a call failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    /// The server (or the crate) answered with an error.
    Zk(ZkError),
    /// No answer within the call deadline.
    Timeout(Duration),
    /// The session is lost or closed.
    Lost,
    /// Creating this node (a missing ancestor) was refused by its parent's ACL.
    NoAuthAt(String),
}

impl Error {
    /// True when the server answered with exactly this error.
    pub fn is(&self, e: ZkError) -> bool {
        *self == Error::Zk(e)
    }

    /// True for the errors that say nothing about the node, only about the connection.
    pub fn is_connection(&self) -> bool {
        matches!(
            self,
            Error::Timeout(_)
                | Error::Lost
                | Error::Zk(ZkError::ConnectionLoss)
                | Error::Zk(ZkError::SessionExpired)
                | Error::Zk(ZkError::OperationTimeout)
        )
    }

    /// The command-level error, with `what` saying what we were doing (e.g. "reading /a").
    pub fn to_exit(&self, what: &str) -> exit::Error {
        let code = match self {
            Error::Zk(ZkError::NoNode) => exit::NOT_FOUND,
            Error::Zk(ZkError::NoAuth) | Error::Zk(ZkError::AuthFailed) | Error::NoAuthAt(_) => {
                exit::NO_PERMISSION
            }
            Error::Zk(ZkError::BadArguments) => exit::DATA,
            e if e.is_connection() => exit::UNAVAILABLE,
            _ => exit::FAILURE,
        };
        exit::Error::new(code, format!("{what}: {self}"))
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::Zk(ZkError::NoNode) => write!(f, "no such node"),
            Error::Zk(ZkError::NodeExists) => write!(f, "the node exists already"),
            Error::Zk(ZkError::BadVersion) => write!(f, "the node's version changed meanwhile"),
            Error::Zk(ZkError::NoAuth) => {
                write!(
                    f,
                    "not allowed (NoAuth): the node's ACL does not grant it; see --auth"
                )
            }
            Error::Zk(ZkError::NotEmpty) => write!(f, "the node has children"),
            Error::Zk(ZkError::NoChildrenForEphemerals) => {
                write!(
                    f,
                    "the parent is an ephemeral node and cannot have children"
                )
            }
            Error::Zk(ZkError::ConnectionLoss) => write!(f, "connection to ZooKeeper lost"),
            Error::Zk(e) => write!(f, "ZooKeeper error {e:?}"),
            Error::Timeout(d) => write!(f, "no answer from ZooKeeper in {}", fmt_duration(*d)),
            Error::Lost => write!(f, "the ZooKeeper session is lost"),
            Error::NoAuthAt(p) => write!(
                f,
                "not allowed to create {p} (NoAuth): its parent's ACL does not grant CREATE; \
                 create it with credentials that may, or see --auth"
            ),
        }
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// `1.5s`, `250ms`: short, for messages.
pub fn fmt_duration(d: Duration) -> String {
    if d < Duration::from_secs(1) {
        format!("{}ms", d.as_millis())
    } else if d.as_millis().is_multiple_of(1000) {
        format!("{}s", d.as_secs())
    } else {
        format!("{:.1}s", d.as_secs_f64())
    }
}

/// The session id as zkCli prints it: `0x1000a2b3c4d0000`.
pub fn fmt_session_id(id: i64) -> String {
    format!("0x{id:x}")
}
