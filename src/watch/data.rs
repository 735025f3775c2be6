//! `DataWatch`: one node's data (or only its stat), kept up to date by watches.

use super::{forward, session_of, wants_read, NodeStat, Update};
use crate::inbox::{Wake, Waker};
use crate::session::{self, Session};

/// A node as read: its data (empty for a stat-only watch) and stat.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub data: Vec<u8>,
    pub stat: NodeStat,
}

/// One node's data, or its absence. A data watch is armed while the node exists, an existence
/// watch while it does not; either sees every change (data, delete, create). Changes are told
/// by `mzxid`, never by `version` (a node deleted and created again starts at version 0).
#[derive(Debug)]
pub struct DataWatch {
    path: String,
    tag: String,
    /// Read only the stat (`exists`), not the data: for views that show sizes, not contents.
    stat_only: bool,
    /// The session our watch is armed on (None: no watch armed).
    armed: Option<i64>,
    /// None before the first read; Some(None) while the node does not exist.
    last: Option<Option<Node>>,
}

/// How many times a read goes round when the node flickers between the data read and the
/// existence watch (created, deleted, created…); then it is reported absent, and the armed
/// existence watch wakes us for the next state.
const TRIES: usize = 5;

impl DataWatch {
    pub fn new(path: &str) -> DataWatch {
        DataWatch {
            path: path.to_owned(),
            tag: format!("data {path}"),
            stat_only: false,
            armed: None,
            last: None,
        }
    }

    /// A watch of the node's stat alone (`exists`); `Node::data` stays empty.
    pub fn stat_only(path: &str) -> DataWatch {
        DataWatch {
            tag: format!("stat {path}"),
            stat_only: true,
            ..DataWatch::new(path)
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// What the watch's firings carry in `Wake::Watch`.
    pub fn tag(&self) -> &str {
        &self.tag
    }

    /// The state last read (None before the first read; Some(None) when the node is absent).
    pub fn current(&self) -> Option<&Option<Node>> {
        self.last.as_ref()
    }

    /// Hear a wake from the owner's inbox: true when the node should be read again (one of our
    /// watches fired, or the session reconnected and the server forgot our watch).
    pub fn on_wake(&mut self, wake: &Wake) -> bool {
        if matches!(wake, Wake::Watch(t, _) if *t == self.tag) {
            self.armed = None;
        }
        wants_read(wake, &self.tag)
    }

    /// Read the node, arm a watch if none is armed, and return what changed since the last
    /// read (None when nothing did). The first read is always returned (`was: None`).
    pub fn refresh(
        &mut self,
        s: &Session,
        waker: &Waker,
    ) -> session::Result<Option<Update<Option<Node>>>> {
        let now = self.fetch(s, Some(waker))?;
        Ok(self.settle(now))
    }

    /// Read the node (arming a watch when `waker` is given and none is armed) and return its
    /// state, changed or not. A read older than the state seen before (a new session on a
    /// server that is behind) returns the state seen before.
    pub fn read(&mut self, s: &Session, waker: Option<&Waker>) -> session::Result<Option<Node>> {
        let now = self.fetch(s, waker)?;
        self.settle(now);
        Ok(self.last.clone().flatten())
    }

    fn fetch(&mut self, s: &Session, waker: Option<&Waker>) -> session::Result<Option<Node>> {
        let sid = session_of(s);
        for _ in 0..TRIES {
            let arm = waker.filter(|_| self.armed != Some(sid));
            if !self.stat_only {
                let got = match arm {
                    Some(w) => s.watch_data(&self.path, forward(w, &self.tag)),
                    None => s.get_data(&self.path),
                };
                match got {
                    Ok((data, st)) => {
                        if arm.is_some() {
                            self.armed = Some(sid);
                        }
                        let stat = st;
                        return Ok(Some(Node { data, stat }));
                    }
                    Err(session::Error::NoNode) => {}
                    Err(e) => return Err(e),
                }
            }
            let st = match arm {
                Some(w) => s.watch_exists(&self.path, forward(w, &self.tag))?,
                None => s.exists(&self.path)?,
            };
            if arm.is_some() {
                self.armed = Some(sid);
            }
            match st {
                None => return Ok(None),
                Some(st) if self.stat_only => {
                    let stat = st;
                    return Ok(Some(Node {
                        data: Vec::new(),
                        stat,
                    }));
                }
                // Created between the two calls: read it (the existence watch now armed sees
                // its next change).
                Some(_) => continue,
            }
        }
        Ok(None)
    }

    /// Keep `now` as the current state; the update when it is a change.
    fn settle(&mut self, now: Option<Node>) -> Option<Update<Option<Node>>> {
        let Some(was) = self.last.take() else {
            self.last = Some(now.clone());
            return Some(Update { was: None, now });
        };
        match judge(was.as_ref().map(|n| &n.stat), now.as_ref().map(|n| &n.stat)) {
            // The newest read all the same: a stat-only change (children) shows in it.
            Verdict::Same => {
                self.last = Some(now);
                None
            }
            Verdict::Behind => {
                log::debug!(
                    "read mzxid 0x{:x} of {} after 0x{:x}: the server is behind; waiting",
                    now.as_ref().map_or(0, |n| n.stat.mzxid),
                    self.path,
                    was.as_ref().map_or(0, |n| n.stat.mzxid),
                );
                self.last = Some(was);
                None
            }
            Verdict::Changed => {
                self.last = Some(now.clone());
                Some(Update {
                    was: Some(was),
                    now,
                })
            }
        }
    }
}

/// What a read is, next to the state seen before it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Verdict {
    /// Nothing changed (same `mzxid`, or still absent).
    Same,
    /// An older version of the same node: a new session (after an expiry) may land on a
    /// follower that is behind. Never report the past; the armed watch fires when that server
    /// catches up.
    Behind,
    Changed,
}

/// The dedupe decision, by `mzxid` (and `czxid` for the node's identity).
pub(crate) fn judge(was: Option<&NodeStat>, now: Option<&NodeStat>) -> Verdict {
    match (was, now) {
        (None, None) => Verdict::Same,
        (Some(w), Some(n)) if w.mzxid == n.mzxid => Verdict::Same,
        (Some(w), Some(n)) if w.czxid == n.czxid && n.mzxid < w.mzxid => Verdict::Behind,
        _ => Verdict::Changed,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn st(czxid: i64, mzxid: i64, version: i32) -> NodeStat {
        NodeStat {
            czxid,
            mzxid,
            version,
            ..NodeStat::default()
        }
    }

    #[test]
    fn changes_are_told_by_mzxid() {
        assert_eq!(judge(None, None), Verdict::Same);
        assert_eq!(judge(Some(&st(1, 5, 2)), Some(&st(1, 5, 2))), Verdict::Same);
        // A stat-only difference (a child came) is no change of the data.
        let mut kids = st(1, 5, 2);
        kids.num_children = 3;
        assert_eq!(judge(Some(&st(1, 5, 2)), Some(&kids)), Verdict::Same);
        assert_eq!(
            judge(Some(&st(1, 5, 2)), Some(&st(1, 9, 3))),
            Verdict::Changed
        );
        // Deleted and created again at the same version: a version compare would miss it.
        assert_eq!(
            judge(Some(&st(1, 5, 0)), Some(&st(7, 7, 0))),
            Verdict::Changed
        );
        assert_eq!(judge(Some(&st(1, 5, 2)), None), Verdict::Changed);
        assert_eq!(judge(None, Some(&st(1, 1, 0))), Verdict::Changed);
        // An older state of the same node: a server that is behind.
        assert_eq!(
            judge(Some(&st(1, 9, 3)), Some(&st(1, 5, 2))),
            Verdict::Behind
        );
    }

    fn node(czxid: i64, mzxid: i64, kids: i32) -> Option<Node> {
        let mut stat = st(czxid, mzxid, 0);
        stat.num_children = kids;
        Some(Node {
            data: b"a=1\n".to_vec(),
            stat,
        })
    }

    #[test]
    fn settle_reports_the_first_read_and_changes_only() {
        let mut w = DataWatch::new("/a");
        let first = w.settle(node(1, 1, 0)).unwrap();
        assert_eq!(first.was, None);
        assert!(w.settle(node(1, 1, 0)).is_none());
        // Not a change, but the newest stat is what `read` shows.
        assert!(w.settle(node(1, 1, 4)).is_none());
        assert_eq!(w.current().unwrap().as_ref().unwrap().stat.num_children, 4);
        let u = w.settle(node(1, 3, 4)).unwrap();
        assert_eq!(u.was.unwrap().unwrap().stat.mzxid, 1);
        // Behind: the newer state stays current.
        assert!(w.settle(node(1, 2, 4)).is_none());
        assert_eq!(w.current().unwrap().as_ref().unwrap().stat.mzxid, 3);
        let gone = w.settle(None).unwrap();
        assert_eq!(gone.now, None);
        assert!(w.settle(None).is_none());
    }

    #[test]
    fn a_watch_is_unarmed_by_its_own_firing_only() {
        use crate::session::WatchEvent;
        let mut w = DataWatch::new("/a");
        w.armed = Some(7);
        assert!(!w.on_wake(&Wake::Watch("stat /a".into(), WatchEvent::Deleted)));
        assert_eq!(w.armed, Some(7));
        assert!(w.on_wake(&Wake::Watch("data /a".into(), WatchEvent::Deleted)));
        assert_eq!(w.armed, None);
        w.armed = Some(7);
        assert!(!w.on_wake(&Wake::Watch("data /a".into(), WatchEvent::SessionLost)));
        assert_eq!(w.armed, None);
    }
}
