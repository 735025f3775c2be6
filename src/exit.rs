//! Exit codes a script can rely on (documented in README and the man pages).
//!
//! They follow BSD `sysexits.h` where a code there fits, and keep apart from 1 (a plain
//! failure) and 2 (bad usage, as clap reports it).

/// Success.
pub const OK: i32 = 0;
/// A ZooKeeper operation failed for a reason not listed below.
pub const FAILURE: i32 = 1;
/// Bad command line or bad input (a path, a duration, a `key=value`), a lock or election
/// directory of another recipe's nodes, or a semaphore limit other than the one stored: nothing
/// was written.
pub const USAGE: i32 = 2;
/// The node (or config key) asked for does not exist.
pub const NOT_FOUND: i32 = 3;
/// Data too large or not of the expected form.
pub const DATA: i32 = 65;
/// No ZooKeeper server could be reached within `--connect-timeout` (EX_UNAVAILABLE).
pub const UNAVAILABLE: i32 = 69;
/// The lock was not acquired: `--nonblock` found it held, or `--wait` ran out (EX_TEMPFAIL).
pub const CONFLICT: i32 = 75;
/// The server refused for lack of rights (NoAuth) or bad credentials (EX_NOPERM).
pub const NO_PERMISSION: i32 = 77;
/// A lock or election directory's sequence counter reached its limit: contenders cannot be
/// ordered, so none may hold (`zkdemo inspect` flags it).
pub const SEQUENCE_LIMIT: i32 = 76;
/// The lock or the leadership was lost while held (session expired, connection lost too long,
/// or our node deleted by someone else). The guarded command was stopped.
pub const LOST: i32 = 79;
/// Stopped by SIGINT (128 + 2).
pub const INTERRUPTED: i32 = 130;
/// Stopped by SIGTERM (128 + 15).
pub const TERMINATED: i32 = 143;

/// An error that ends a command: the line to print and the exit code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Error {
    pub code: i32,
    pub message: String,
}

impl Error {
    pub fn new(code: i32, message: impl Into<String>) -> Error {
        Error {
            code,
            message: message.into(),
        }
    }
    pub fn usage(message: impl Into<String>) -> Error {
        Error::new(USAGE, message)
    }
    pub fn failure(message: impl Into<String>) -> Error {
        Error::new(FAILURE, message)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for Error {}

pub type Result<T> = std::result::Result<T, Error>;

/// The one place where the session's and the recipes' errors become exit codes and advice in
/// the command line's terms (--zk, --auth). `what` says what we were doing ("reading /a").
impl crate::session::Error {
    pub fn to_exit(&self, what: &str) -> Error {
        use crate::session::Error as E;
        let code = match self {
            E::NoNode | E::NoChroot(_) => NOT_FOUND,
            E::NoAuth | E::NoAuthAt(_) | E::AuthFailed(_) => NO_PERMISSION,
            E::BadArguments => DATA,
            E::Unreachable(_) | E::Unresolved(_) => UNAVAILABLE,
            e if e.is_connection() => UNAVAILABLE,
            _ => FAILURE,
        };
        let advice = match self {
            E::NoAuth | E::NoAuthAt(_) => "; see --auth",
            E::Unreachable(_) => " Check --zk (or ZKDEMO_ZK); `zkdemo server` starts a local one",
            E::Unresolved(_) => "; check the host names in --zk",
            E::NoChroot(_) => ", or leave it out of --zk",
            _ => "",
        };
        // A session that could not be made says so by itself, whatever we were about to do.
        let made = !matches!(
            self,
            E::Unreachable(_) | E::Unresolved(_) | E::AuthFailed(_) | E::NoChroot(_) | E::Local(_)
        );
        let message = if what.is_empty() || !made {
            format!("{self}{advice}")
        } else {
            format!("{what}: {self}{advice}")
        };
        Error::new(code, message)
    }
}

/// A session that could not be made: its error as is, with the advice.
impl From<crate::session::Error> for Error {
    fn from(e: crate::session::Error) -> Error {
        e.to_exit("")
    }
}

impl crate::queue::Error {
    pub fn to_exit(&self, what: &str) -> Error {
        use crate::queue::Error as E;
        match self {
            E::Session(e) => e.to_exit(what),
            E::Gone => Error::new(LOST, format!("{what}: {self}")),
            E::SequenceLimit(_) => Error::new(SEQUENCE_LIMIT, format!("{what}: {self}")),
            E::LeaseLimit(stored) => Error::new(
                USAGE,
                format!(
                    "{what}: {self}; ask for --max-leases {stored}, or delete the node while \
                     nobody holds a lease to change it"
                ),
            ),
            E::Semaphore(limit) => Error::new(
                USAGE,
                format!("{what}: {self}; its users speak --max-leases {limit}"),
            ),
            E::CuratorSemaphore => Error::new(
                USAGE,
                format!("{what}: {self}; its users speak --format curator --max-leases N"),
            ),
            E::Foreign(found) if found.mixed => Error::new(
                USAGE,
                format!(
                    "{what}: {self}; no --format speaks it: `zkdemo inspect` shows who is \
                     there, and each client needs a path of its own"
                ),
            ),
            E::Foreign(found) => {
                let speak: Vec<&str> = found.formats.iter().map(|&f| format_flag(f)).collect();
                Error::new(
                    USAGE,
                    format!("{what}: {self}; its users speak {}", speak.join(", and ")),
                )
            }
            E::NotSemaphore(_) => Error::new(
                USAGE,
                format!(
                    "{what}: {self}; take it without --max-leases, or give the semaphore a \
                     path of its own"
                ),
            ),
        }
    }
}

/// Which zkdemo options speak a node format (`queue::recipe`): the advice when a directory of
/// that format is refused.
fn format_flag(f: crate::queue::name::Format) -> &'static str {
    use crate::queue::name::Format as F;
    match f {
        F::Kazoo | F::KazooRead => "kazoo's recipes: --format kazoo",
        F::KazooLease => "kazoo's Semaphore: --max-leases N (the limit is the node's data)",
        F::CuratorLease => {
            "Curator's InterProcessSemaphoreV2: `lock --format curator --max-leases N`"
        }
        F::Curator | F::GoZookeeper => {
            "Curator's InterProcessMutex (or go-zookeeper's Lock): `lock --format curator`; \
             a Curator LeaderSelector: `elect --format curator-selector`"
        }
        F::CuratorLatch => "Curator's LeaderLatch: `elect --format curator`",
        F::CuratorRead | F::CuratorWrite => {
            "Curator's InterProcessReadWriteLock: `lock --format curator-rw`"
        }
        F::Other => "no known recipe",
    }
}
