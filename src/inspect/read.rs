//! Reading what `inspect` shows, with or without watches.
//!
//! Every read goes through a watch recipe (`crate::watch`): a `DataWatch` for a node's data, a
//! stat-only one for a tree's nodes, a `ChildrenWatch` for a directory. With `--watch` the
//! recipes are kept across reads (`Watches`) and given the loop's `Waker`: each arms a watch on
//! what it read, so any change to what is shown wakes the loop, and never arms a second one
//! while its watch is still armed (that would pile up one more callback per redraw).

use std::collections::HashMap;

use crate::inbox::{Wake, Waker};
use crate::queue::curator_lease;
use crate::queue::kazoo_semaphore as kazoo;
use crate::session::{self, Session};
use crate::watch::{ChildrenWatch, DataWatch};

use super::view::{self, Child, NodeStat, RoleHint, TreeEntry, View};

/// The recipes of one run, one per path and kind of read.
#[derive(Debug, Default)]
pub struct Watches {
    data: HashMap<String, DataWatch>,
    stat: HashMap<String, DataWatch>,
    children: HashMap<String, ChildrenWatch>,
}

impl Watches {
    /// Hand a wake to every recipe (the one whose watch fired forgets it); true when one of
    /// them wants a read.
    pub fn on_wake(&mut self, wake: &Wake) -> bool {
        let mut read = false;
        for w in self.data.values_mut().chain(self.stat.values_mut()) {
            read |= w.on_wake(wake);
        }
        for w in self.children.values_mut() {
            read |= w.on_wake(wake);
        }
        read
    }
}

pub struct Reader<'a> {
    pub session: &'a Session,
    pub watches: &'a mut Watches,
    /// With `--watch`: where the recipes' watches fire.
    pub waker: Option<&'a Waker>,
}

/// What to show.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    /// One path, shown by what it holds.
    Path(String),
    /// Each child of this directory (the default `/configs`).
    EachChild(String),
}

/// The largest tree `-R` walks: beyond it the reads take long and the screen is useless.
pub const TREE_LIMIT: usize = 5000;

impl Reader<'_> {
    /// The node's data and stat; None when it does not exist.
    pub fn data(&mut self, path: &str) -> session::Result<Option<(Vec<u8>, NodeStat)>> {
        let w = self
            .watches
            .data
            .entry(path.to_owned())
            .or_insert_with(|| DataWatch::new(path));
        Ok(w.read(self.session, self.waker)?.map(|n| (n.data, n.stat)))
    }

    /// The children, sorted; None when the node does not exist.
    pub fn children(&mut self, path: &str) -> session::Result<Option<Vec<String>>> {
        let w = self
            .watches
            .children
            .entry(path.to_owned())
            .or_insert_with(|| ChildrenWatch::new(path));
        w.read(self.session, self.waker)
    }

    /// The node's stat; None when it does not exist.
    pub fn exists(&mut self, path: &str) -> session::Result<Option<NodeStat>> {
        let w = self
            .watches
            .stat
            .entry(path.to_owned())
            .or_insert_with(|| DataWatch::stat_only(path));
        Ok(w.read(self.session, self.waker)?.map(|n| n.stat))
    }

    /// A contender's data, unwatched: the parent's children watch already sees it come and go,
    /// and recipes never change a contender's data.
    fn contender(&mut self, path: &str) -> session::Result<(Vec<u8>, NodeStat)> {
        self.session.get_data(path)
    }

    /// Each named child of `dir` with its data; one deleted since the listing is left out
    /// (the listing's watch fires).
    fn each_child(&mut self, dir: &str, names: Vec<String>) -> session::Result<Vec<Child>> {
        let mut read = Vec::with_capacity(names.len());
        for name in names {
            let path = join(dir, &name);
            match self.contender(&path) {
                Ok((data, stat)) => read.push(Child { name, data, stat }),
                Err(session::Error::NoNode) => {}
                // A contender we may not read (its own ACL): its place and owner still show
                // (`exists` needs no right), its id does not.
                Err(session::Error::NoAuth) => {
                    if let Some(stat) = self.session.exists(&path)? {
                        read.push(Child {
                            name,
                            data: Vec::new(),
                            stat,
                        });
                    }
                }
                Err(e) => return Err(e),
            }
        }
        Ok(read)
    }

    pub fn target(&mut self, t: &Target, hint: RoleHint, tree: bool) -> session::Result<Vec<View>> {
        match t {
            Target::Path(p) if tree => Ok(vec![self.tree(p)?]),
            Target::Path(p) => Ok(vec![self.path(p, hint)?]),
            Target::EachChild(dir) => {
                // Absent: its existence is watched (it may be created).
                let kids = match self.children(dir) {
                    Err(session::Error::NoAuth) => {
                        return Ok(vec![View::Denied { path: dir.clone() }])
                    }
                    r => r?,
                };
                let Some(kids) = kids else {
                    return Ok(vec![View::Absent { path: dir.clone() }]);
                };
                if kids.is_empty() {
                    return Ok(vec![self.path(dir, hint)?]);
                }
                let mut views = Vec::new();
                for k in kids {
                    let p = join(dir, &k);
                    match self.path(&p, hint)? {
                        // Deleted between the listing and the read: the children watch fires.
                        View::Absent { .. } => {}
                        v => views.push(v),
                    }
                }
                Ok(views)
            }
        }
    }

    /// One path, shown as a semaphore, a queue, a config, or a plain node; `Denied` when its
    /// ACL does not let us read it (or list it).
    pub fn path(&mut self, path: &str, hint: RoleHint) -> session::Result<View> {
        match self.readable_path(path, hint) {
            Err(session::Error::NoAuth) => Ok(View::Denied { path: path.into() }),
            r => r,
        }
    }

    fn readable_path(&mut self, path: &str, hint: RoleHint) -> session::Result<View> {
        // A node can be deleted between two reads: read again then (a few times; a path that
        // flickers that fast is shown as whatever the last try saw). The data recipe itself
        // reads again when the node is created between a failed read and its existence watch.
        for _ in 0..3 {
            let Some((data, stat)) = self.data(path)? else {
                return Ok(View::Absent { path: path.into() });
            };
            let Some(children) = self.children(path)? else {
                continue;
            };
            // A kazoo Semaphore (`view::semaphore`): only a node whose data is a number can be
            // one, so only then is its lock sibling looked at (and watched, for its queue).
            if let Some(limit) = kazoo::parse_limit(&data).filter(|_| hint == RoleHint::Auto) {
                let lock = kazoo::lock_path(path);
                let queued = self.children(&lock)?;
                if view::is_semaphore(&children, queued.is_some()) {
                    let leases = self.each_child(path, children)?;
                    let queued = self.each_child(&lock, queued.unwrap_or_default())?;
                    return Ok(View::Semaphore(view::build_semaphore(
                        path,
                        Some(limit),
                        leases,
                        queued,
                    )));
                }
            }
            // Curator's InterProcessSemaphoreV2: its leases and its mutex under the path.
            if hint == RoleHint::Auto && curator_lease::is_semaphore(&children) {
                let (leases, locks) = (
                    curator_lease::leases_path(path),
                    curator_lease::locks_path(path),
                );
                let leased = self.children(&leases)?.unwrap_or_default();
                let queued = self.children(&locks)?.unwrap_or_default();
                let leased = self.each_child(&leases, leased)?;
                let queued = self.each_child(&locks, queued)?;
                return Ok(View::Semaphore(view::build_semaphore(
                    path, None, leased, queued,
                )));
            }
            let contenders = children.iter().any(|c| {
                crate::queue::name::parse(c).is_some_and(|n| n.format.family() != "other")
            });
            if hint != RoleHint::Auto || contenders || view::name_suggests_queue(path) {
                let read = self.each_child(path, children)?;
                return Ok(View::Queue(view::build_queue(path, hint, read)));
            }
            if view::is_config(path, &data, &stat) {
                return Ok(View::Config(view::Config {
                    path: path.into(),
                    entries: view::parse_config(&data),
                    data,
                    stat,
                }));
            }
            return Ok(View::Node(view::Node {
                path: path.into(),
                data,
                stat,
                children,
            }));
        }
        Ok(View::Absent { path: path.into() })
    }

    /// The subtree under `root`, depth first, children in name order.
    pub fn tree(&mut self, root: &str) -> session::Result<View> {
        let Some(stat) = self.exists(root)? else {
            return Ok(View::Absent { path: root.into() });
        };
        let mut entries = Vec::new();
        let mut left_out = 0;
        // (depth, path, stat): a stack, pushed in reverse so names come out in order.
        let mut stack = vec![(0usize, root.to_owned(), stat)];
        while let Some((depth, path, stat)) = stack.pop() {
            if entries.len() >= TREE_LIMIT {
                left_out += 1 + stack.len();
                break;
            }
            let kids = if stat.num_children > 0 || self.waker.is_some() {
                match self.children(&path) {
                    Ok(Some(k)) => k,
                    Ok(None) => continue,
                    // Not ours to list: shown without its children (`exists` still works).
                    Err(session::Error::NoAuth) => Vec::new(),
                    Err(e) => return Err(e),
                }
            } else {
                Vec::new()
            };
            entries.push(TreeEntry {
                depth,
                path: path.clone(),
                stat,
            });
            let mut found = Vec::new();
            for k in kids {
                let p = join(&path, &k);
                if let Some(s) = self.exists(&p)? {
                    found.push((depth + 1, p, s));
                }
            }
            stack.extend(found.into_iter().rev());
        }
        Ok(View::Tree(view::Tree {
            root: root.into(),
            entries,
            left_out,
        }))
    }
}

fn join(dir: &str, name: &str) -> String {
    if dir == "/" {
        format!("/{name}")
    } else {
        format!("{dir}/{name}")
    }
}
