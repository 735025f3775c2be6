//! The calls of a session: each on a helper thread with a deadline (the crate never times
//! out), watches forwarded to their owner and fired once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use zookeeper::{Acl, CreateMode, Stat, WatchedEvent, WatchedEventType, ZkError, ZooKeeper};

use super::{validate_path, AclMode, Error, Inner, Result, Session, WatchEvent, WatchFn};

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
    /// The ACL for nodes we create (`--acl`): by default open without `--auth`; with it, all
    /// rights for our identity and read for everyone.
    pub fn default_acl(&self) -> Vec<Acl> {
        let cfg = &self.inner.cfg;
        match (cfg.acl, &cfg.auth) {
            (AclMode::Open, _) | (AclMode::Creator, None) => Acl::open_unsafe().clone(),
            (AclMode::Creator, Some(_)) => {
                let mut acl = Acl::creator_all().clone();
                acl.extend(Acl::read_unsafe().iter().cloned());
                acl
            }
            // Without --auth the server refuses this (InvalidACL): nothing is created open.
            (AclMode::Private, _) => Acl::creator_all().clone(),
        }
    }

    pub fn create(&self, path: &str, data: Vec<u8>, mode: CreateMode) -> Result<String> {
        self.create_with_acl(path, data, self.default_acl(), mode)
    }

    pub fn create_with_acl(
        &self,
        path: &str,
        data: Vec<u8>,
        acl: Vec<Acl>,
        mode: CreateMode,
    ) -> Result<String> {
        let path = checked(path)?;
        self.call(move |zk| zk.create(&path, data, acl, mode))
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
            match self.retrying(|| self.create(m, Vec::new(), CreateMode::Persistent)) {
                Ok(_) | Err(Error::Zk(ZkError::NodeExists)) => {}
                Err(Error::Zk(ZkError::NoAuth)) => return Err(Error::NoAuthAt(m.to_owned())),
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
                Err(e) if e.is_connection() && tries < 5 && !self.is_lost() => {
                    if !self.wait_healthy(self.timeout()) {
                        return Err(e);
                    }
                }
                r => return r,
            }
        }
    }

    pub fn delete(&self, path: &str, version: Option<i32>) -> Result<()> {
        let path = checked(path)?;
        self.call(move |zk| zk.delete(&path, version))
    }

    pub fn exists(&self, path: &str) -> Result<Option<Stat>> {
        let path = checked(path)?;
        self.call(move |zk| zk.exists(&path, false))
    }

    pub fn get_data(&self, path: &str) -> Result<(Vec<u8>, Stat)> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_data(&path, false))
    }

    pub fn set_data(&self, path: &str, data: Vec<u8>, version: Option<i32>) -> Result<Stat> {
        let path = checked(path)?;
        self.call(move |zk| zk.set_data(&path, data, version))
    }

    pub fn get_children(&self, path: &str) -> Result<Vec<String>> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_children(&path, false))
    }

    pub fn get_acl(&self, path: &str) -> Result<(Vec<Acl>, Stat)> {
        let path = checked(path)?;
        self.call(move |zk| zk.get_acl(&path))
    }

    /// `exists` with a watch that fires on create, delete or data change of `path`.
    pub fn exists_w(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<Option<Stat>> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| zk.exists_w(&path, w))
    }

    /// `get_data` with a watch that fires on a data change or delete of `path`.
    pub fn get_data_w(
        &self,
        path: &str,
        watch: impl Fn(WatchEvent) + Send + Sync + 'static,
    ) -> Result<(Vec<u8>, Stat)> {
        let path = checked(path)?;
        self.watched(watch, move |zk, w| zk.get_data_w(&path, w))
    }

    /// `get_children` with a watch that fires when a child comes or goes, or `path` is deleted.
    pub fn get_children_w(
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
    validate_path(path).map_err(|_| Error::Zk(ZkError::BadArguments))?;
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
