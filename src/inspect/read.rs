//! Reading what `inspect` shows, with or without watches.
//!
//! With `--watch`, every read arms a watch on what it read (children, data, or existence), so
//! any change to what is shown wakes the loop. Watches are one-shot and the session keeps each
//! armed watch until it fires; so a watch still armed is not armed again (that would pile up
//! one more callback per redraw): `armed` remembers them, and the loop forgets one when it
//! fires.

use std::collections::HashSet;
use std::sync::mpsc::Sender;

use crate::session::{self, Session, WatchEvent};

use super::view::{self, Child, NodeStat, RoleHint, TreeEntry, View};

/// What a watch is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Kind {
    Data,
    Children,
    Exists,
}

pub type Key = (Kind, String);

/// What wakes the `--watch` loop.
#[derive(Debug)]
pub enum Msg {
    /// A watch fired: (session generation, what it was on, why).
    Watch(u64, Key, WatchEvent),
    Session(u64, session::SessionEvent),
    Signal(i32),
}

/// The watch side of a reader.
pub struct Watching<'a> {
    pub tx: &'a Sender<Msg>,
    pub armed: &'a mut HashSet<Key>,
    /// Which session this is: a late watch of a lost session must not unmark the new one's.
    pub generation: u64,
}

pub struct Reader<'a> {
    pub session: &'a Session,
    pub watch: Option<Watching<'a>>,
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
    /// Run `plain`, or — when watching and no watch of this key is armed — `watched` with a
    /// callback that forwards to the loop.
    fn read<T>(
        &mut self,
        kind: Kind,
        path: &str,
        plain: impl FnOnce(&Session) -> session::Result<T>,
        watched: impl FnOnce(&Session, Box<dyn Fn(WatchEvent) + Send + Sync>) -> session::Result<T>,
    ) -> session::Result<T> {
        let Some(w) = self.watch.as_mut() else {
            return plain(self.session);
        };
        let key = (kind, path.to_owned());
        if w.armed.contains(&key) {
            return plain(self.session);
        }
        let (tx, k, generation) = (w.tx.clone(), key.clone(), w.generation);
        // The callback runs on the session's event thread: it only forwards.
        let cb = Box::new(move |ev| {
            let _ = tx.send(Msg::Watch(generation, k.clone(), ev));
        });
        let r = watched(self.session, cb);
        if r.is_ok() {
            w.armed.insert(key);
        }
        r
    }

    pub fn data(&mut self, path: &str) -> session::Result<(Vec<u8>, NodeStat)> {
        self.read(
            Kind::Data,
            path,
            |s| s.get_data(path),
            |s, cb| s.watch_data(path, cb),
        )
    }

    pub fn children(&mut self, path: &str) -> session::Result<Vec<String>> {
        self.read(
            Kind::Children,
            path,
            |s| s.get_children(path),
            |s, cb| s.watch_children(path, cb),
        )
        .map(|mut c| {
            c.sort();
            c
        })
    }

    pub fn exists(&mut self, path: &str) -> session::Result<Option<NodeStat>> {
        self.read(
            Kind::Exists,
            path,
            |s| s.exists(path),
            |s, cb| s.watch_exists(path, cb),
        )
    }

    /// A contender's data, unwatched: the parent's children watch already sees it come and go,
    /// and recipes never change a contender's data.
    fn contender(&mut self, path: &str) -> session::Result<(Vec<u8>, NodeStat)> {
        self.session.get_data(path)
    }

    pub fn target(&mut self, t: &Target, hint: RoleHint, tree: bool) -> session::Result<Vec<View>> {
        match t {
            Target::Path(p) if tree => Ok(vec![self.tree(p)?]),
            Target::Path(p) => Ok(vec![self.path(p, hint)?]),
            Target::EachChild(dir) => {
                let kids = match self.children(dir) {
                    Ok(k) => k,
                    Err(session::Error::NoNode) => {
                        self.exists(dir)?;
                        return Ok(vec![View::Absent { path: dir.clone() }]);
                    }
                    Err(e) => return Err(e),
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

    /// One path, shown as a queue, a config, or a plain node.
    pub fn path(&mut self, path: &str, hint: RoleHint) -> session::Result<View> {
        // A node can be deleted between two reads, or created between a failed read and the
        // existence watch: read again then (a few times; a path that flickers that fast is
        // shown as whatever the last try saw).
        for _ in 0..3 {
            let (data, stat) = match self.data(path) {
                Ok(x) => x,
                Err(session::Error::NoNode) => {
                    if self.exists(path)?.is_some() {
                        continue;
                    }
                    return Ok(View::Absent { path: path.into() });
                }
                Err(e) => return Err(e),
            };
            let children = match self.children(path) {
                Ok(c) => c,
                Err(session::Error::NoNode) => continue,
                Err(e) => return Err(e),
            };
            let contenders = children.iter().any(|c| {
                crate::queue::name::parse(c).is_some_and(|n| n.format.family() != "other")
            });
            if hint != RoleHint::Auto || contenders || view::name_suggests_queue(path) {
                let mut read = Vec::with_capacity(children.len());
                for name in children {
                    match self.contender(&join(path, &name)) {
                        Ok((data, stat)) => read.push(Child { name, data, stat }),
                        Err(session::Error::NoNode) => {}
                        Err(e) => return Err(e),
                    }
                }
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
            let kids = if stat.num_children > 0 || self.watch.is_some() {
                match self.children(&path) {
                    Ok(k) => k,
                    Err(session::Error::NoNode) => continue,
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
