//! The sequential-node queue that `lock` and `elect` stand on (the ZooKeeper lock recipe, as
//! kazoo's Lock and Election and Curator's mutex and latch write it).
//!
//! Every contender creates an ephemeral sequential node under the path (`<uuid>__lock__<seq>`
//! for kazoo; the other recipes' names and rules are in `recipe.rs`), with its id as data.
//! The first in the recipe's order holds (leads); a reader of a shared lock holds while no
//! writer is ahead. A waiter watches only the one it waits for: when that one goes, that one
//! waiter wakes and lists the children again; the others sleep on (no herd effect). The watch is a data watch, as kazoo's
//! and Curator's (`getData` with a watcher): on a predecessor already gone it fails with
//! NoNode and leaves no watch behind, where an `exists` watch would stay armed on a node that
//! will never come back.
//!
//! `contender` builds the lock worker and the election node on this queue.
//!
//! Creating a sequential node can fail with a connection loss after the server made it. We
//! then look for a child with our uuid prefix and take it only if its owner is our session;
//! a node of an earlier, expired session of ours is not ours.

pub mod curator_lease;
mod error;
mod join;
pub mod kazoo_semaphore;
mod lease;
pub mod name;
pub mod recipe;
mod wake;

pub use lease::Leasing;
pub use wake::Waited;
use wake::{drain, next_wake};

use std::time::Instant;

use crate::inbox::{Inbox, Wake, Waker};
use crate::session::{self, Session, SessionId};
pub use error::{Error, Result};
use name::{Format, Name};
pub use recipe::Recipe;

/// Our node in the queue.
#[derive(Debug, Clone)]
pub struct OwnNode {
    pub name: String,
    pub path: String,
    pub seq: i32,
    /// The zxid that created it: it only grows, so it serves as a fencing token.
    pub czxid: i64,
    /// The session that owns it.
    pub session_id: SessionId,
}

/// Where we stand.
#[derive(Debug, Clone)]
pub struct Position {
    /// Our place in the recipe's order: 0 = first. In a semaphore's line, as `wait_first`
    /// and `take_lease` report it, the lease holders count ahead of everyone queued.
    pub index: usize,
    /// The contender we wait for (the one just ahead; for a reader, a writer ahead); None:
    /// we hold (lead).
    pub blocker: Option<Name>,
    /// The contender at the head (the holder, the leader, or the first of the readers).
    pub head: Name,
    pub contenders: Vec<Name>,
}

impl Position {
    /// Do we hold (lead)?
    pub fn holds(&self) -> bool {
        self.blocker.is_none()
    }
}

pub struct Queue {
    /// The lock's, election's or semaphore's path, as the user named it.
    pub path: String,
    pub id: String,
    /// Where the contenders' nodes are: `path`, or for a semaphore the lock that serialises
    /// acquisition, `<path>-__lock__` (kazoo's Semaphore).
    dir: String,
    /// A semaphore: at most this many leases at once (`lease.rs`).
    leases: Option<u32>,
    recipe: Recipe,
    prefix: String,
    mine: Option<OwnNode>,
    /// The directory was found free of foreign nodes before our first create.
    checked: bool,
    /// Waiters also watch the head (`watch_the_head`).
    head_watch: bool,
}

impl Queue {
    /// A queue at `path` where we contend as `id` by `recipe`'s rules.
    pub fn new(path: &str, id: &str, recipe: Recipe) -> Queue {
        Queue {
            path: path.to_owned(),
            id: id.to_owned(),
            dir: path.to_owned(),
            leases: None,
            recipe,
            prefix: recipe.new_prefix(),
            mine: None,
            checked: false,
            head_watch: false,
        }
    }

    pub fn mine(&self) -> Option<&OwnNode> {
        self.mine.as_ref()
    }

    pub fn recipe(&self) -> Recipe {
        self.recipe
    }

    /// List the contenders and find our place. `Gone` when our node is not among them;
    /// `Foreign` when another recipe's nodes joined meanwhile.
    pub fn position(&self, s: &Session) -> Result<Position> {
        let mine = self.mine.as_ref().ok_or(Error::Gone)?;
        let children = s.get_children(&self.dir).map_err(|e| match e {
            session::Error::NoNode => Error::Gone,
            e => e.into(),
        })?;
        self.recipe
            .check_directory(&children)
            .map_err(Error::Foreign)?;
        let contenders = self.recipe.sorted(&children);
        let bad = name::unorderable(&contenders);
        if !bad.is_empty() {
            return Err(Error::SequenceLimit(bad.join(", ")));
        }
        let index = contenders
            .iter()
            .position(|n| n.name == mine.name)
            .ok_or(Error::Gone)?;
        Ok(Position {
            index,
            blocker: self
                .recipe
                .blocker(&contenders, index)
                .map(|i| contenders[i].clone()),
            head: contenders[0].clone(),
            contenders,
        })
    }

    /// Watch `node` (the one we wait for) with a data watch: it fires when the node is
    /// deleted (or its data changes). False when it is already gone: then there is nothing to
    /// wait for, list again.
    pub fn watch(&self, s: &Session, node: &str, tx: Waker) -> Result<bool> {
        watch_node(s, &format!("{}/{node}", self.dir), node, tx)
    }

    /// Watch our own node (a lock node, or a semaphore's lease) the same way; false when it
    /// is gone (or we have none).
    pub fn watch_own(&self, s: &Session, tx: Waker) -> Result<bool> {
        match &self.mine {
            Some(m) => watch_node(s, &m.path, &m.name, tx),
            None => Ok(false),
        }
    }

    /// Is our node still there, and still owned by the session `s`?
    pub fn still_mine(&self, s: &Session) -> Result<bool> {
        let Some(mine) = &self.mine else {
            return Ok(false);
        };
        Ok(matches!(s.exists(&mine.path)?, Some(st) if st.owner() == Some(mine.session_id)))
    }

    /// The data (id) of a contender, as stored (another client may store anything: escape
    /// it before showing it); empty when unreadable.
    pub fn id_of(&self, s: &Session, n: &Name) -> Vec<u8> {
        // A semaphore's leases are under its path; the contenders for them under `dir`.
        let dir = match n.format {
            Format::KazooLease | Format::CuratorLease => self.lease_dir(),
            _ => self.dir.clone(),
        };
        let data = s
            .get_data(&format!("{dir}/{}", n.name))
            .map(|(d, _)| d)
            .unwrap_or_default();
        // kazoo's Semaphore writes its contenders' ids as Python bytes (`b'k'`).
        match self.leases {
            Some(_) => kazoo_semaphore::contender_id(&data),
            None => data,
        }
    }

    /// Delete our node, retrying a few times on connection errors so that no ghost contender
    /// is left behind while the session lives. Gone already is fine.
    pub fn leave(&mut self, s: &Session) -> Result<()> {
        let Some(mine) = self.mine.take() else {
            return Ok(());
        };
        let mut last = None;
        for _ in 0..3 {
            match s.delete(&mine.path, None) {
                Ok(()) | Err(session::Error::NoNode) => {
                    if mine.seq >= name::NEAR_LIMIT {
                        self.reset_counter(s);
                    }
                    return Ok(());
                }
                Err(session::Error::Lost) => return Ok(()), // the server drops it with the session
                Err(e) => last = Some(e),
            }
        }
        Err(last.map(Error::from).unwrap_or(Error::Gone))
    }

    /// Near the sequence limit, delete the directory if it is empty: created again by the next
    /// contender, its counter starts from 0. Safe: the delete fails (NotEmpty) if anyone joined
    /// meanwhile, and a contender finding no directory creates it (zkdemo; kazoo only checks
    /// the path on its first acquire, so a kazoo peer may need to retry once).
    fn reset_counter(&self, s: &Session) {
        match s.delete(&self.dir, None) {
            Ok(()) => log::warn!(
                "{}: the sequence counter was near its limit; the empty directory was deleted \
                 so that it starts again from 0",
                self.dir
            ),
            Err(e) => log::debug!("not resetting the counter of {}: {e}", self.dir),
        }
    }

    /// Also watch the head of the queue while waiting (see `wait_first`).
    pub fn watch_the_head(&mut self) {
        self.head_watch = true;
    }

    /// Wait until we are first in the queue, watching only our predecessor. `on_wait` is told
    /// our place each time we list the queue and are not first (once per wake-up). With
    /// `watch_the_head`, a waiter also watches the head, so that it hears of every new holder
    /// (an election's followers say whom they follow): when the head goes, every such waiter
    /// lists the queue once. That wakes them all, but only to report: who is first is still
    /// decided by the predecessor watch alone.
    pub fn wait_first(
        &self,
        s: &Session,
        rx: &Inbox,
        tx: &Waker,
        deadline: Option<Instant>,
        mut on_wait: impl FnMut(&Position),
    ) -> Result<Waited> {
        // The head we watch already (a watch fires once; one is enough).
        let mut head_watched: Option<String> = None;
        loop {
            let listed = self.position(s).and_then(|pos| {
                let Some(blocker) = pos.blocker.clone() else {
                    return Ok((pos, true));
                };
                let mut watching = self.watch(s, &blocker.name, tx.clone())?;
                let head = &pos.head.name;
                if watching
                    && self.head_watch
                    && &blocker.name != head
                    && head_watched.as_ref() != Some(head)
                {
                    // Gone already: list again, as for a predecessor gone.
                    watching = self.watch(s, head, tx.clone())?;
                    head_watched = watching.then(|| head.clone());
                }
                Ok((pos, watching))
            });
            match listed {
                Ok((pos, _)) if pos.holds() => return Ok(Waited::First(pos)),
                Ok((_, false)) => continue, // the predecessor left meanwhile: list again
                Ok((mut pos, true)) => {
                    // In a semaphore's line, the lease holders come first (as `take_lease`
                    // counts them once we are at the front): one place in line for everyone.
                    // At most N hold; more leases (Curator's) include the one acquiring, who
                    // is counted already, first in this queue.
                    if let Some(max) = self.leases {
                        let leases = s.get_children(&self.lease_dir()).map_or(0, |l| l.len());
                        pos.index += leases.min(max as usize);
                    }
                    on_wait(&pos)
                }
                Err(Error::Gone) => return Ok(Waited::Lost("our node is gone".into())),
                // A disconnect: the session layer tells us when it is back (or lost). Its
                // events queue up on our channel, so one that came while the call was failing
                // is still there.
                Err(Error::Session(e)) if e.is_connection() && alive(s) => {
                    log::debug!("waiting for the session after: {e}")
                }
                Err(Error::Session(session::Error::Lost)) => {
                    return Ok(Waited::Lost("the session is lost".into()))
                }
                Err(e) => return Err(e),
            }
            if let Some(done) = next_wake(rx, deadline).or_else(|| drain(rx)) {
                return Ok(done);
            }
        }
    }

    /// Forget our node without deleting it (its session is gone; so is the node, or soon).
    pub fn forget(&mut self) {
        self.mine = None;
    }
}

/// A data watch on `path` whose event is tagged `name`; false when the node is gone.
fn watch_node(s: &Session, path: &str, name: &str, tx: Waker) -> Result<bool> {
    let name = name.to_owned();
    let watched = s.watch_data(path, move |ev| {
        let _ = tx.send(Wake::Watch(name.clone(), ev));
    });
    match watched {
        Ok(_) => Ok(true),
        Err(session::Error::NoNode) => Ok(false),
        Err(e) => Err(e.into()),
    }
}

/// True until the session is lost or closed.
fn alive(s: &Session) -> bool {
    !matches!(s.health(), session::Health::Lost | session::Health::Closed)
}
