//! Exit codes a script can rely on (documented in README and the man pages).
//!
//! They follow BSD `sysexits.h` where a code there fits, and keep apart from 1 (a plain
//! failure) and 2 (bad usage, as clap reports it).

/// Success.
pub const OK: i32 = 0;
/// A ZooKeeper operation failed for a reason not listed below.
pub const FAILURE: i32 = 1;
/// Bad command line or bad input (a path, a duration, a `key=value`): nothing was sent.
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
