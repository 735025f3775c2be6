//! What a contender hands its callers: how a wait ended, what it tells on the way, the
//! command to guard, the event a hold begins with, and the default id.

use std::time::Duration;

use crate::output::Event;
use crate::queue::{name::Name, OwnNode, Position, Queue};
use crate::session::Session;

/// The default id: `<hostname>-<pid>`.
pub fn default_id() -> String {
    let mut buf = [0u8; 256];
    // SAFETY: gethostname writes at most buf.len() bytes.
    let host = unsafe {
        if libc::gethostname(buf.as_mut_ptr() as *mut libc::c_char, buf.len()) == 0 {
            let end = buf.iter().position(|&b| b == 0).unwrap_or(buf.len());
            String::from_utf8_lossy(&buf[..end]).into_owned()
        } else {
            "host".into()
        }
    };
    format!("{host}-{}", std::process::id())
}

/// The event that says a hold began (`acquired` for lock, `leader` for elect), with what lock
/// and elect both report: the node, its sequence, the fencing token and our session.
pub fn hold_event(name: &'static str, id: &str, path: &str, mine: &OwnNode) -> Event {
    Event::new(name)
        .with("id", id)
        .with("path", path)
        .with("node", mine.name.clone())
        .with("seq", mine.seq)
        .with("fencing_token", mine.czxid)
        .with("session", mine.session_id.to_string())
}

/// How waiting for our turn ended.
#[derive(Debug)]
pub enum Turn {
    /// We are first: we hold the lock (lead). Our node, with its fencing token.
    First(OwnNode),
    /// The deadline passed first.
    TimedOut,
    /// A signal came.
    Signal(i32),
}

/// What `wait_turn` tells its caller on the way.
pub enum Progress<'a> {
    /// Our node is in the queue.
    Joined(&'a OwnNode),
    /// We are not first: where we stand (once per wake-up).
    Waiting(&'a Waiting<'a>),
}

/// Our place while we wait, and a way to read another contender's id (its node's data).
pub struct Waiting<'a> {
    pub pos: &'a Position,
    pub(super) s: &'a Session,
    pub(super) queue: &'a Queue,
}

impl Waiting<'_> {
    /// The id a contender stored (raw bytes: another client may store anything); empty when
    /// unreadable.
    pub fn id_of(&self, n: &Name) -> Vec<u8> {
        self.queue.id_of(self.s, n)
    }
}

/// A command to run while holding. It gets the queue's path in `path_var`, our node's path in
/// `node_var`, our session in `ZKDEMO_SESSION_ID` and the fencing token (the zxid that created
/// our node: it grows with every hold) in `ZKDEMO_FENCING_TOKEN`.
pub struct Guarded<'a> {
    pub argv: &'a [String],
    /// After SIGTERM, how long the command may take to stop before SIGKILL.
    pub kill_grace: Duration,
    pub path_var: &'static str,
    pub node_var: &'static str,
}
