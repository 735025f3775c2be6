//! A semaphore: at most N holders at once, as kazoo's `Semaphore` writes it
//! (`kazoo/recipe/lock.py`), so that kazoo's and zkdemo's holders count against one limit:
//! - a lease is an ephemeral node `<path>/<uuid4 hex>` (not sequential) whose data is the
//!   holder's id;
//! - the limit is `<path>`'s own data, as decimal text; a client asking for another limit is
//!   refused (kazoo raises ValueError; data that is not a number is ignored, as kazoo does);
//! - acquisition is serialised by a kazoo Lock at `<path>-__lock__`: its holder lists the
//!   leases with a watch, creates its own when fewer than N are taken (waiting for a change
//!   otherwise), then releases the lock. Only the one acquiring watches the leases: the
//!   others wait in the lock's queue, each for the one ahead (no herd).
//!
//! The queue's lock phase is the ordinary one (`dir` is `<path>-__lock__`); once first, the
//! contender calls `take_lease`, and from then on our node is the lease: the hold watches it,
//! its creation zxid is the fencing token, releasing deletes it.

use std::time::Instant;

use super::curator_lease;
use super::kazoo_semaphore::{lock_path, parse_limit};
use super::name::{Format, Name};
use super::wake::{drain, next_wake, Waited};
use super::{Error, OwnNode, Position, Queue, Recipe, Result};
use crate::inbox::{Inbox, Wake, Waker};
use crate::session::{self, NodeKind, Session};

impl Queue {
    /// Make this queue a semaphore of `max` leases at `path`: kazoo's `Semaphore` with the
    /// kazoo recipe, Curator's `InterProcessSemaphoreV2` (`curator_lease.rs`) with Curator's
    /// mutex.
    pub fn with_leases(mut self, max: u32) -> Queue {
        self.dir = match self.recipe {
            Recipe::CuratorMutex => curator_lease::locks_path(&self.path),
            r => {
                debug_assert_eq!(r, Recipe::Kazoo, "no other recipe has a semaphore");
                lock_path(&self.path)
            }
        };
        self.leases = Some(max);
        self
    }

    /// Where the leases are: the semaphore's path (kazoo) or its `leases` child (Curator).
    pub(super) fn lease_dir(&self) -> String {
        match self.recipe {
            Recipe::CuratorMutex => curator_lease::leases_path(&self.path),
            _ => self.path.clone(),
        }
    }

    /// The number of leases, for a semaphore.
    pub fn leases(&self) -> Option<u32> {
        self.leases
    }

    /// Before the first join: the path exists and stores our limit, or another one (refused:
    /// `Error::LeaseLimit`). A path holding another recipe's nodes is refused too, and so is
    /// a Curator semaphore's (its users speak `--format curator`). Curator's semaphore stores
    /// no limit: `check_curator_semaphore`.
    pub(super) fn check_limit(&self, s: &Session, max: u32) -> Result<()> {
        if self.recipe == Recipe::CuratorMutex {
            return self.check_curator_semaphore(s);
        }
        if s.exists(&self.path)?.is_none() {
            if let Some(parent) = self
                .path
                .rsplit_once('/')
                .map(|p| p.0)
                .filter(|p| !p.is_empty())
            {
                s.ensure_path(parent)?;
            }
            match s.create(
                &self.path,
                max.to_string().into_bytes(),
                NodeKind::Persistent,
            ) {
                Ok(_) => return Ok(()),
                Err(session::Error::NodeExists) => {} // made meanwhile: read it as found
                Err(e) => return Err(e.into()),
            }
        }
        let children = s.get_children(&self.path)?;
        if curator_lease::is_semaphore(&children) {
            return Err(Error::Foreign(super::recipe::Foreign {
                formats: vec![Format::CuratorLease],
                mixed: false,
            }));
        }
        let foreign = super::name::formats_of(&children, false);
        if !foreign.is_empty() {
            return Err(Error::NotSemaphore(foreign));
        }
        let (data, _) = s.get_data(&self.path)?;
        match parse_limit(&data) {
            Some(stored) if stored != u64::from(max) => Err(Error::LeaseLimit(stored)),
            _ => Ok(()),
        }
    }

    /// Our lease's path: the uuid of our lock node's prefix, under the semaphore's path.
    fn lease_path(&self) -> String {
        let uuid: String = self.prefix.chars().take(32).collect();
        format!("{}/{uuid}", self.path)
    }

    /// We are first in the lock's queue: take a lease, waiting for one to be free (until the
    /// deadline, a signal or a loss, as `wait_first`; `on_wait` is told who holds the leases
    /// each time all are taken). `Leased` with the lease's path and creation zxid: then
    /// `adopt_lease` makes it our node.
    pub fn take_lease(
        &self,
        s: &Session,
        rx: &Inbox,
        tx: &Waker,
        deadline: Option<Instant>,
        on_wait: impl FnMut(&Position),
    ) -> Result<Leasing> {
        match self.recipe {
            Recipe::CuratorMutex => self.take_curator_lease(s, rx, tx, deadline, on_wait),
            _ => self.take_kazoo_lease(s, rx, tx, deadline, on_wait),
        }
    }

    /// kazoo's way: create our lease only while fewer than N exist.
    fn take_kazoo_lease(
        &self,
        s: &Session,
        rx: &Inbox,
        tx: &Waker,
        deadline: Option<Instant>,
        mut on_wait: impl FnMut(&Position),
    ) -> Result<Leasing> {
        let max = self.leases.expect("a semaphore") as usize;
        let lease = self.lease_path();
        loop {
            // A create whose answer was lost may have made it (kazoo checks the same).
            let ours = s.exists(&lease)?.filter(|st| st.owner() == Some(s.id()));
            if let Some(st) = ours {
                return Ok(Leasing::Leased(lease, st.czxid));
            }
            let waker = tx.clone();
            let mut taken = s.watch_children(&self.path, move |ev| {
                let _ = waker.send(Wake::Watch("leases".into(), ev));
            })?;
            if taken.len() < max {
                match s.create(&lease, self.id.as_bytes().to_vec(), NodeKind::Ephemeral) {
                    Ok(_) => continue, // ours: the look at the top adopts it
                    // A lease by our name of an earlier session of ours, given up but not yet
                    // expired: wait for it to go (the children watch fires) rather than spin.
                    Err(session::Error::NodeExists) => {}
                    Err(e) => return Err(e.into()),
                }
            }
            if !taken.is_empty() {
                taken.sort();
                let names = taken
                    .into_iter()
                    .map(|name| Name {
                        prefix: name.clone(),
                        name,
                        seq: 0,
                        format: Format::KazooLease,
                    })
                    .collect();
                on_wait(&holders(names));
            }
            if let Some(done) = next_wake(rx, deadline).or_else(|| drain(rx)) {
                return Ok(Leasing::Waited(done));
            }
        }
    }

    /// The lease is ours: leave the lock's queue, and hold the lease from now on.
    pub fn adopt_lease(&mut self, s: &Session, lease: &str, czxid: i64) -> Result<()> {
        self.leave(s)?;
        let name = lease.rsplit('/').next().unwrap_or(lease).to_owned();
        // Curator's leases are sequential; kazoo's are not (0).
        let seq = super::name::parse(&name).map_or(0, |n| n.seq);
        self.mine = Some(OwnNode {
            name,
            path: lease.to_owned(),
            seq,
            czxid,
            session_id: s.id(),
        });
        Ok(())
    }
}

/// How taking a lease ended.
pub enum Leasing {
    /// This lease (path, creation zxid) is ours.
    Leased(String, i64),
    /// The wait ended otherwise (deadline, signal, loss).
    Waited(Waited),
}

/// All leases taken: we come after their holders (position = their number + 1), waiting for
/// any of them. `contenders`: the holders' leases, not empty.
pub(super) fn holders(contenders: Vec<Name>) -> Position {
    Position {
        index: contenders.len(),
        blocker: contenders.first().cloned(),
        head: contenders[0].clone(),
        contenders,
    }
}
