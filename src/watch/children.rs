//! `ChildrenWatch`: one node's children, kept up to date by watches.

use super::{forward, session_of, wants_read, Armed, Update};
use crate::inbox::{Wake, Waker};
use crate::session::{self, Session};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A children watch: a child comes or goes, or the node is deleted.
    Children,
    /// An existence watch, while the node does not exist: it is created.
    Exists,
}

/// One node's children (sorted by name), or its absence. Changes are told by the list.
#[derive(Debug)]
pub struct ChildrenWatch {
    path: String,
    children_tag: String,
    exists_tag: String,
    armed: Option<Armed<Kind>>,
    /// None before the first read; Some(None) while the node does not exist.
    last: Option<Option<Vec<String>>>,
}

/// As in `DataWatch`: rounds before a flickering node is reported absent.
const TRIES: usize = 5;

impl ChildrenWatch {
    pub fn new(path: &str) -> ChildrenWatch {
        ChildrenWatch {
            path: path.to_owned(),
            children_tag: format!("children {path}"),
            exists_tag: format!("exists {path}"),
            armed: None,
            last: None,
        }
    }

    pub fn path(&self) -> &str {
        &self.path
    }

    /// The list last read (None before the first read; Some(None) when the node is absent).
    pub fn current(&self) -> Option<&Option<Vec<String>>> {
        self.last.as_ref()
    }

    /// Hear a wake from the owner's inbox: true when the children should be read again.
    pub fn on_wake(&mut self, wake: &Wake) -> bool {
        if let (Wake::Watch(t, _), Some(a)) = (wake, self.armed) {
            if *t == self.tag(a.kind) {
                self.armed = None;
            }
        }
        wants_read(wake, &self.children_tag) || wants_read(wake, &self.exists_tag)
    }

    fn tag(&self, k: Kind) -> &str {
        match k {
            Kind::Children => &self.children_tag,
            Kind::Exists => &self.exists_tag,
        }
    }

    /// Read the children, arm a watch if none is armed, and return what changed since the last
    /// read (None when nothing did). The first read is always returned (`was: None`).
    pub fn refresh(
        &mut self,
        s: &Session,
        waker: &Waker,
    ) -> session::Result<Option<Update<Option<Vec<String>>>>> {
        let now = self.fetch(s, Some(waker))?;
        Ok(self.settle(now))
    }

    /// Read the children (arming a watch when `waker` is given and none is armed) and return
    /// them, changed or not; None when the node does not exist.
    pub fn read(
        &mut self,
        s: &Session,
        waker: Option<&Waker>,
    ) -> session::Result<Option<Vec<String>>> {
        let now = self.fetch(s, waker)?;
        self.settle(now.clone());
        Ok(now)
    }

    fn armed_on(&self, sid: i64) -> Option<Kind> {
        self.armed.filter(|a| a.session == sid).map(|a| a.kind)
    }

    fn fetch(
        &mut self,
        s: &Session,
        waker: Option<&Waker>,
    ) -> session::Result<Option<Vec<String>>> {
        let sid = session_of(s);
        for _ in 0..TRIES {
            // An existence watch does not see children: arm a children watch over it.
            let arm = waker.filter(|_| self.armed_on(sid) != Some(Kind::Children));
            let got = match arm {
                Some(w) => s.watch_children(&self.path, forward(w, &self.children_tag)),
                None => s.get_children(&self.path),
            };
            match got {
                Ok(mut kids) => {
                    if arm.is_some() {
                        self.armed = Some(Armed {
                            session: sid,
                            kind: Kind::Children,
                        });
                    }
                    kids.sort();
                    return Ok(Some(kids));
                }
                Err(session::Error::NoNode) => {}
                Err(e) => return Err(e),
            }
            // Absent: an existence watch sees it created (an armed children watch has seen it
            // deleted, and its firing is on its way).
            let arm = waker.filter(|_| self.armed_on(sid).is_none());
            let st = match arm {
                Some(w) => s.watch_exists(&self.path, forward(w, &self.exists_tag))?,
                None => s.exists(&self.path)?,
            };
            if arm.is_some() {
                self.armed = Some(Armed {
                    session: sid,
                    kind: Kind::Exists,
                });
            }
            if st.is_none() {
                return Ok(None);
            }
            // Created between the two calls: list it.
        }
        Ok(None)
    }

    fn settle(&mut self, now: Option<Vec<String>>) -> Option<Update<Option<Vec<String>>>> {
        let was = self.last.replace(now.clone());
        match was {
            Some(w) if w == now => None,
            was => Some(Update { was, now }),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::session::WatchEvent;

    fn kids(k: &[&str]) -> Option<Vec<String>> {
        Some(k.iter().map(|s| s.to_string()).collect())
    }

    #[test]
    fn the_first_list_and_changes_only() {
        let mut w = ChildrenWatch::new("/e");
        assert_eq!(w.settle(None).unwrap().was, None);
        assert!(w.settle(None).is_none());
        // Created empty: a change from absent.
        assert_eq!(w.settle(kids(&[])).unwrap().was, Some(None));
        let u = w.settle(kids(&["a", "b"])).unwrap();
        assert_eq!((u.was, u.now), (Some(kids(&[])), kids(&["a", "b"])));
        assert!(w.settle(kids(&["a", "b"])).is_none());
        assert_eq!(w.current(), Some(&kids(&["a", "b"])));
    }

    #[test]
    fn each_watch_is_unarmed_by_its_own_firing() {
        let mut w = ChildrenWatch::new("/e");
        w.armed = Some(Armed {
            session: 1,
            kind: Kind::Children,
        });
        // A leftover existence watch fired: read again, but the children watch stays armed.
        assert!(w.on_wake(&Wake::Watch("exists /e".into(), WatchEvent::Created)));
        assert_eq!(w.armed_on(1), Some(Kind::Children));
        assert!(w.on_wake(&Wake::Watch(
            "children /e".into(),
            WatchEvent::ChildrenChanged
        )));
        assert_eq!(w.armed_on(1), None);
        assert!(!w.on_wake(&Wake::Watch("children /f".into(), WatchEvent::Deleted)));
        // Armed on a session that was replaced: not armed on the new one.
        w.armed = Some(Armed {
            session: 1,
            kind: Kind::Exists,
        });
        assert_eq!(w.armed_on(2), None);
    }
}
