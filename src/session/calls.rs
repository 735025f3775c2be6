//! The calls of a session: each on a helper thread with a deadline (the crate never times
//! out), watches forwarded to their owner and fired once.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Weak};

use zookeeper::{Acl, CreateMode, Stat, WatchedEvent, WatchedEventType, ZkError, ZooKeeper};

use super::{validate_path, Error, Inner, Result, Session, WatchEvent, WatchFn};

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

    /// Create `path` and its missing parents as persistent nodes (like `mkdir -p`).
    pub fn ensure_path(&self, path: &str) -> Result<()> {
        checked(path)?;
        if path == "/" {
            return Ok(());
        }
        let ends = path
            .match_indices('/')
            .skip(1)
            .map(|(i, _)| i)
            .chain([path.len()]);
        for end in ends {
            match self.create(&path[..end], Vec::new(), CreateMode::Persistent) {
                Ok(_) | Err(Error::Zk(ZkError::NodeExists)) => {}
                Err(e) => return Err(e),
            }
        }
        Ok(())
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
