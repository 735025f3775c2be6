//! The calls of a session: each on a helper thread with a deadline (the crate never times
//! out), watches forwarded to their owner and fired once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use zookeeper::{Acl, WatchedEvent, WatchedEventType, ZooKeeper};

use super::{
    validate_path, AclMode, Error, Health, Inner, NodeKind, NodeStat, Result, Session, WatchEvent,
    WatchFn,
};

/// One armed watch. One-shot: it fires once, whatever fires it first (the server's event, or
/// our own reconnect/lost notice), and later firings are ignored.
pub(super) struct WatchSlot {
    pub(super) fired: AtomicBool,
    pub(super) f: WatchFn,
}

impl WatchSlot {
    pub(super) fn fire(&self, ev: WatchEvent) {
        if self.fired.swap(true, Ordering::SeqCst) {
            return;
        }
        if catch_unwind(AssertUnwindSafe(|| (self.f)(ev))).is_err() {
            log::error!("a watch callback panicked; the session goes on");
        }
    }
}

impl Session {
    /// The ACL for nodes we create (`SessionConfig::acl`): by default open without
    /// credentials; with them, all rights for our identity and read for everyone.
    fn acl(&self) -> Vec<Acl> {
        let cfg = &self.inner.cfg;
        match (cfg.acl, &cfg.auth) {
            (AclMode::Open, _) | (AclMode::Creator, None) => Acl::open_unsafe().clone(),
            (AclMode::Creator, Some(_)) => {
                let mut acl = Acl::creator_all().clone();
                acl.extend(Acl::read_unsafe().iter().cloned());
                acl
            }
            // Without credentials the server refuses this (InvalidACL): nothing is created
            // open.
            (AclMode::Private, _) => Acl::creator_all().clone(),
        }
    }

    /// Create `path` (its parent must exist) with our ACL; returns the name the server gave
    /// it (with the sequence number, for a sequential `kind`).
    pub fn create(&self, path: &str, data: Vec<u8>, kind: NodeKind) -> Result<String> {
        let path = checked(path)?;
        let acl = self.acl();
        self.call(move |zk| zk.create(&path, data, acl, kind.mode()))
    }

    /// Create `path` and its missing parents as persistent nodes (like `mkdir -p`). Only the
    /// missing ones are created, found by looking up from the deepest: ZooKeeper checks the
    /// parent's CREATE right before NodeExists, so re-creating an existing ancestor under a
    /// parent we may not write would fail with NoAuth (DESIGN.md, "ACL order"). A connection
    /// error on the way is retried once the session is back (a create that was applied then
    /// reads as NodeExists); a NoAuth names the node we may not create (`Error::NoAuthAt`).
    pub fn ensure_path(&self, path: &str) -> Result<()> {
        checked(path)?;
        let mut missing = Vec::new();
        let mut p = path;
        while p != "/" {
            if self.retrying(|| self.exists(p))?.is_some() {
                break;
            }
            missing.push(p);
            p = match p.rsplit_once('/') {
                Some(("", _)) | None => "/",
                Some((parent, _)) => parent,
            };
        }
        for m in missing.into_iter().rev() {
            match self.retrying(|| self.create(m, Vec::new(), NodeKind::Persistent)) {
                Ok(_) | Err(Error::NodeExists) => {}
                Err(Error::NoAuth) => return Err(Error::NoAuthAt(m.to_owned())),
                Err(e) => return Err(e),
            }
        }
        Ok(())
    }

    /// `f`, again after a connection error once the session is back (5 tries at most).
    fn retrying<T>(&self, f: impl Fn() -> Result<T>) -> Result<T> {
        let mut tries = 0;
        loop {
            tries += 1;
            match f() {
                Err(e)
                    if e.is_connection()
                        && tries < 5
                        && !matches!(self.health(), Health::Lost | Health::Closed) =>
                {
                    if !self.wait_healthy(self.timeout()) {
                        return Err(e);
                    }
                }
                r => return r,
            }
        }
    }

    /// Delete `path`, if its version is `version` (any version when `None`).
    pub fn delete(&self, path: &str, version: Option<i32>) -> Result<()> {
        let path = checked(path)?;
        self.call(move |zk| zk.delete(&path, version))
    }

    /// Delete `path` and everything under it, children first (zkCli's `deleteall`); the number
    /// of znodes deleted. Nodes already gone are fine; another error stops it.
    pub fn delete_tree(&self, path: &str) -> Result<usize> {
        let children = match self.get_children(path) {
            Ok(c) => c,
            Err(Error::NoNode) => return Ok(0),
            Err(e) => return Err(e),
        };
        let mut n = 0;
        for c in children {
            let child = if path == "/" {
                format!("/{c}")
            } else {
                format!("{path}/{c}")
            };
            n += self.delete_tree(&child)?;
        }
        match self.delete(path, None) {
            Ok(()) => Ok(n + 1),
            Err(Error::NoNode) => Ok(n),
            Err(e) => Err(e),
        }
    }

    /// The stat of `path`, or `None` when it does not exist.
    pub fn exists(&self, path: &str) -> Result<Option<NodeStat>> {
        let path = checked(path)?;
        self.call(move |zk| zk.exists(&path, false).map(|s| s.map(NodeStat::from)))
    }

    /// The data of `path` and its stat. `Error::NoNode` when it does not exist.
    pub fn get_data(&self, path: &str) -> Result<(Vec<u8>, NodeStat)> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_data(&path, false).map(|(d, s)| (d, s.into())))
    }

    /// Replace the data of `path`, if its version is `version` (any when `None`).
    pub fn set_data(&self, path: &str, data: Vec<u8>, version: Option<i32>) -> Result<NodeStat> {
        let path = checked(path)?;
        self.call(move |zk| zk.set_data(&path, data, version).map(NodeStat::from))
    }

    /// The names of the children of `path`, in no particular order.
    pub fn get_children(&self, path: &str) -> Result<Vec<String>> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_children(&path, false))
    }

    /// `exists`, leaving a watch that fires once when `path` is created, deleted or its data
    /// changes (also set when the node does not exist).
    pub fn watch_exists(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<Option<NodeStat>> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| {
            zk.exists_w(&path, w).map(|s| s.map(NodeStat::from))
        })
    }

    /// `get_data`, leaving a watch that fires once when the data changes or `path` is deleted.
    /// On `Error::NoNode` no watch is left (ZooKeeper sets none).
    pub fn watch_data(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<(Vec<u8>, NodeStat)> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| {
            zk.get_data_w(&path, w).map(|(d, s)| (d, s.into()))
        })
    }

    /// `get_children`, leaving a watch that fires once when a child comes or goes or `path`
    /// is deleted.
    pub fn watch_children(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<Vec<String>> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| zk.get_children_w(&path, w))
    }

    /// Arm a watch, then make the call that sets it. The slot is registered before the call,
    /// so a reconnect during the call still reaches the owner.
    fn watched<T: Send + 'static>(
        &self,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
        f: impl FnOnce(&ZooKeeper, Box<dyn Fn(WatchedEvent) + Send>) -> zookeeper::ZkResult<T>
            + Send
            + 'static,
    ) -> Result<T> {
        let id = self.inner.next_watch.fetch_add(1, Ordering::Relaxed);
        let slot = Arc::new(WatchSlot {
            fired: AtomicBool::new(false),
            f: Box::new(watch),
        });
        self.inner.lock_watches().insert(id, slot.clone());
        let weak: Weak<Inner> = Arc::downgrade(&self.inner);
        let fired = slot.clone();
        let crate_watcher: Box<dyn Fn(WatchedEvent) + Send> = Box::new(move |ev: WatchedEvent| {
            if let Some(inner) = weak.upgrade() {
                inner.lock_watches().remove(&id);
            }
            fired.fire(map_event(ev.event_type));
        });
        let result = self.call(move |zk| f(zk, crate_watcher));
        if result.is_err() {
            // The server set no watch (or we do not know): make sure a late one is ignored.
            slot.fired.store(true, Ordering::SeqCst);
            self.inner.lock_watches().remove(&id);
        }
        result
    }

    /// Run one crate call on a helper thread and wait at most `call_timeout` for it: the crate
    /// itself never times out, and a hung server would block the caller forever.
    fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&ZooKeeper) -> zookeeper::ZkResult<T> + Send + 'static,
    ) -> Result<T> {
        self.inner.call(f)
    }
}

/// Refuse a bad path before the crate sees it (it lets `a/b` escape a chroot).
fn checked(path: &str) -> Result<String> {
    validate_path(path).map_err(|_| Error::BadArguments)?;
    Ok(path.to_owned())
}

fn map_event(t: WatchedEventType) -> WatchEvent {
    match t {
        WatchedEventType::NodeCreated => WatchEvent::Created,
        WatchedEventType::NodeDeleted => WatchEvent::Deleted,
        WatchedEventType::NodeDataChanged => WatchEvent::DataChanged,
        WatchedEventType::NodeChildrenChanged => WatchEvent::ChildrenChanged,
        _ => WatchEvent::Reconnected,
    }
}
