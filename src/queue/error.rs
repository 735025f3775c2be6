//! Why a queue operation failed, and how each failure reads.

use super::name::Format;
use super::recipe;
use crate::session;

/// Why a queue operation failed.
#[derive(Debug, Clone, PartialEq)]
pub enum Error {
    Session(session::Error),
    /// Our node is gone (deleted by someone, or our session expired).
    Gone,
    /// The directory's sequence counter reached its limit: contenders collide or wrapped, and
    /// no order between them is safe (`name::unorderable`).
    SequenceLimit(String),
    /// The directory holds nodes of recipes whose users would not see ours, nor we theirs
    /// (`Recipe::check_directory`).
    Foreign(recipe::Foreign),
    /// A semaphore asked for on a path that holds a lock's or an election's nodes (these
    /// formats): each would count as a lease taken.
    NotSemaphore(Vec<Format>),
    /// A semaphore's path stores another limit than ours: the one stored.
    LeaseLimit(u64),
    /// A plain lock asked for on a kazoo Semaphore's path (its limit): our node would count
    /// as a lease.
    Semaphore(u64),
    /// A plain lock asked for on a Curator `InterProcessSemaphoreV2`'s path: its users would
    /// not see our node (they look under its `locks` and `leases` only).
    CuratorSemaphore,
}

impl From<session::Error> for Error {
    fn from(e: session::Error) -> Error {
        Error::Session(e)
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Session(e) => write!(f, "{e}"),
            Error::Gone => write!(f, "our node is gone (deleted, or the session expired)"),
            Error::SequenceLimit(nodes) => write!(
                f,
                "the sequence counter of this directory reached its limit (2147483647): \
                 contenders {nodes} share or wrapped their numbers, so no safe order exists; \
                 once nobody contends, delete the directory (its counter restarts)"
            ),
            Error::LeaseLimit(stored) => write!(
                f,
                "the semaphore allows {stored} lease{} (the limit its users stored on the node)",
                if *stored == 1 { "" } else { "s" }
            ),
            Error::Semaphore(limit) => write!(
                f,
                "it is a kazoo Semaphore of {limit} lease{} (the limit is its data), and a lock \
                 node there would count as a lease",
                if *limit == 1 { "" } else { "s" }
            ),
            Error::CuratorSemaphore => write!(
                f,
                "it is a Curator InterProcessSemaphoreV2 (leases/ and locks/ under it), whose \
                 users would not see a lock node there"
            ),
            Error::Foreign(found) if found.mixed => write!(
                f,
                "it mixes node formats whose users do not exclude each other{}, so two of \
                 them may hold at once already",
                match &found.formats[..] {
                    [one] => format!(" ({one} nodes beside ours)"),
                    more => format!(" ({})", formats(more)),
                }
            ),
            Error::Foreign(found) => write!(
                f,
                "it holds {} nodes, whose users would not see ours (nor we theirs)",
                formats(&found.formats)
            ),
            Error::NotSemaphore(found) => write!(
                f,
                "it holds {} nodes of a lock or an election, not a semaphore's leases (each \
                 would count as a lease taken)",
                formats(found)
            ),
        }
    }
}

/// `kazoo and curator`.
fn formats(found: &[Format]) -> String {
    let names: Vec<&str> = found.iter().map(|f| f.as_str()).collect();
    names.join(" and ")
}

pub type Result<T> = std::result::Result<T, Error>;
