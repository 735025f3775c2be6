//! A semaphore as Curator's `InterProcessSemaphoreV2` writes it (curator-recipes,
//! `locks/InterProcessSemaphoreV2.java`), so that Curator's and zkdemo's holders count against
//! one limit:
//! - acquisition is serialised by an `InterProcessMutex` at `<path>/locks` (`_c_<uuid>-lock-`
//!   nodes: the queue's lock phase, recipe `CuratorMutex`);
//! - its holder creates a lease `<path>/leases/_c_<uuid>-lease-<seq>` (protection mode,
//!   ephemeral sequential, data = the id) *first*, then lists the leases with a watch until
//!   at most N exist (its own counted), then releases the mutex;
//! - the limit is not stored: every client passes its own (Curator's documentation asks its
//!   users to agree on it), so a different one cannot be refused here as kazoo's can;
//! - giving up while waiting deletes the lease made (Curator returns it).

use std::time::Instant;

use super::name::{self, Format, Name};
use super::wake::{drain, next_wake};
use super::{Error, Leasing, Position, Queue, Result};
use crate::inbox::{Inbox, Wake, Waker};
use crate::session::{self, NodeKind, Session};

/// Where a Curator semaphore's contenders queue for the mutex (`LOCK_PARENT`).
pub fn locks_path(path: &str) -> String {
    format!("{path}/locks")
}

/// Where a Curator semaphore's leases are (`LEASE_PARENT`).
pub fn leases_path(path: &str) -> String {
    format!("{path}/leases")
}

/// Is this child list that of a Curator semaphore's path (its `leases` or `locks` parent)?
pub fn is_semaphore(children: &[String]) -> bool {
    children.iter().any(|c| c == "leases" || c == "locks")
}

impl Queue {
    /// Before the first join: refuse a path that is a kazoo Semaphore's (its data a limit
    /// with a `-__lock__` sibling, or lease children) or a lock's or an election's (sequential
    /// nodes of a known recipe right under it).
    pub(super) fn check_curator_semaphore(&self, s: &Session) -> Result<()> {
        let children = match s.get_children(&self.path) {
            Err(session::Error::NoNode) => return Ok(()),
            r => r?,
        };
        if children.iter().any(|c| name::is_kazoo_lease(c))
            || s.exists(&super::kazoo_semaphore::lock_path(&self.path))?
                .is_some()
        {
            return Err(Error::Foreign(super::recipe::Foreign {
                formats: vec![Format::KazooLease],
                mixed: false,
            }));
        }
        let found = name::formats_of(&children, false);
        if found.is_empty() {
            Ok(())
        } else {
            Err(Error::NotSemaphore(found))
        }
    }

    /// Our lease's name prefix: our mutex node's, with Curator's lease marker.
    fn lease_prefix(&self) -> String {
        let uuid = self.prefix.trim_end_matches("-lock-");
        format!("{uuid}-lease-")
    }

    /// We hold the mutex: make our lease (unless a create whose answer was lost made it) and
    /// wait until at most N leases exist, ours among them. See `take_lease`.
    pub(super) fn take_curator_lease(
        &self,
        s: &Session,
        rx: &Inbox,
        tx: &Waker,
        deadline: Option<Instant>,
        mut on_wait: impl FnMut(&Position),
    ) -> Result<Leasing> {
        let max = self.leases.expect("a semaphore") as usize;
        let dir = leases_path(&self.path);
        let prefix = self.lease_prefix();
        loop {
            let waker = tx.clone();
            let leases = match s.watch_children(&dir, move |ev| {
                let _ = waker.send(Wake::Watch("leases".into(), ev));
            }) {
                Err(session::Error::NoNode) => Vec::new(),
                r => r?,
            };
            // Ours, by its protection prefix and our session as its owner (one by the same
            // prefix that an earlier session of ours left is not ours: it counts as a lease).
            let mut ours = None;
            for l in leases.iter().filter(|l| l.starts_with(&prefix)) {
                let path = format!("{dir}/{l}");
                if let Some(st) = s.exists(&path)?.filter(|st| st.owner() == Some(s.id())) {
                    ours = Some((path, st.czxid));
                }
            }
            let Some((path, czxid)) = ours else {
                s.ensure_path(&dir)?;
                let data = self.id.as_bytes().to_vec();
                s.create(
                    &format!("{dir}/{prefix}"),
                    data,
                    NodeKind::EphemeralSequential,
                )?;
                continue; // listed again, with a watch: the look above finds it
            };
            if leases.len() <= max {
                return Ok(Leasing::Leased(path, czxid));
            }
            let mut others: Vec<Name> = leases
                .iter()
                .filter(|l| !path.ends_with(l.as_str()))
                .filter_map(|l| name::parse(l))
                .collect();
            others.sort_by_key(|n| n.seq);
            on_wait(&super::lease::holders(others));
            if let Some(done) = next_wake(rx, deadline).or_else(|| drain(rx)) {
                // Giving up returns the lease we made, as Curator does; failing that (no
                // connection), it goes with the session the contender gives up.
                if let Err(e) = s.delete(&path, None) {
                    log::debug!("could not return the lease {path} ({e})");
                }
                return Ok(Leasing::Waited(done));
            }
        }
    }
}
