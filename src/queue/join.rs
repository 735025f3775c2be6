//! Joining the queue: creating our node, and finding it again after a create whose answer
//! was lost.

use super::{alive, name, Error, OwnNode, Queue, Result};
use crate::session::{self, NodeKind, Session, SessionId};

impl Queue {
    /// Create our node (and the path, when missing). Safe to call again after a connection
    /// loss: the node made by a lost request is found by its prefix. The first join refuses
    /// a directory of another recipe's nodes (`Error::Foreign`) before writing anything.
    pub fn join(&mut self, s: &Session) -> Result<OwnNode> {
        if !self.checked {
            if let Some(max) = self.leases {
                self.check_limit(s, max)?;
            }
            match s.get_children(&self.dir) {
                Ok(children) if children.is_empty() => {
                    if let Some(limit) = self.idle_semaphore(s)? {
                        return Err(Error::Semaphore(limit));
                    }
                }
                // Curator's semaphore users look only under its locks/ and leases/: a lock
                // node beside them would not count.
                Ok(children)
                    if self.leases.is_none() && super::curator_lease::is_semaphore(&children) =>
                {
                    return Err(Error::CuratorSemaphore);
                }
                Ok(children) => self
                    .recipe
                    .check_directory(&children)
                    .map_err(Error::Foreign)?,
                Err(session::Error::NoNode) => {}
                Err(e) => return Err(e.into()),
            }
            self.checked = true;
        }
        let base = format!("{}/{}", self.dir, self.prefix);
        let mut tries = 0;
        loop {
            tries += 1;
            match s.create(
                &base,
                self.id.as_bytes().to_vec(),
                NodeKind::EphemeralSequential,
            ) {
                Ok(path) => return self.adopt(s, &path),
                Err(session::Error::NoNode) if tries < 5 => s.ensure_path(&self.dir)?,
                // The create may or may not have been applied: find out (once the session is
                // back) before creating again, or we would queue behind our own ghost.
                Err(e) if e.is_connection() && alive(s) && tries < 5 => loop {
                    if !s.wait_healthy(s.timeout()) {
                        return Err(e.into());
                    }
                    match self.find_own(s) {
                        Ok(Some(found)) => return Ok(found),
                        Ok(None) => break,
                        Err(Error::Session(f)) if f.is_connection() && tries < 5 => tries += 1,
                        Err(f) => return Err(f),
                    }
                },
                Err(e) => return Err(e.into()),
            }
        }
    }

    /// Is our (empty) directory a kazoo Semaphore nobody holds now? Its data is the limit (a
    /// number) and its acquisition lock `<dir>-__lock__` exists. A lock node there would count
    /// as a lease for the Semaphore's users. Looked at once, and only for an empty directory.
    /// The limit, if so.
    fn idle_semaphore(&self, s: &Session) -> Result<Option<u64>> {
        if self.leases.is_some() {
            return Ok(None);
        }
        let limit = match s.get_data(&self.dir) {
            Ok((data, _)) => super::kazoo_semaphore::parse_limit(&data),
            Err(session::Error::NoNode) => None,
            Err(e) => return Err(e.into()),
        };
        match limit {
            Some(n)
                if s.exists(&super::kazoo_semaphore::lock_path(&self.dir))?
                    .is_some() =>
            {
                Ok(Some(n))
            }
            _ => Ok(None),
        }
    }

    /// After a lost create: a child with our prefix owned by this session is ours. No
    /// directory: the create failed (NoNode for the missing parent), nothing is ours.
    fn find_own(&mut self, s: &Session) -> Result<Option<OwnNode>> {
        let children = match s.get_children(&self.dir) {
            Err(session::Error::NoNode) => return Ok(None),
            r => r?,
        };
        for child in children {
            if child.starts_with(&self.prefix) {
                let path = format!("{}/{child}", self.dir);
                if let Some(stat) = s.exists(&path)? {
                    if stat.owner() == Some(s.id()) {
                        log::debug!("found our node {child} after a connection loss");
                        return self.adopt(s, &path).map(Some);
                    }
                }
            }
        }
        Ok(None)
    }

    fn adopt(&mut self, s: &Session, path: &str) -> Result<OwnNode> {
        let node_name = path.rsplit('/').next().unwrap_or(path).to_owned();
        let seq = name::parse(&node_name).map(|n| n.seq).unwrap_or(0);
        if seq >= name::NEAR_LIMIT {
            log::warn!(
                "{}: sequence number {seq} is within 2^20 of the limit (2147483647); once it is \
                 reached, nobody can take the lock: delete the directory while nobody contends \
                 (its counter restarts)",
                self.dir
            );
        }
        let stat = s.exists(path)?.ok_or(Error::Gone)?;
        let mine = OwnNode {
            name: node_name,
            path: path.to_owned(),
            seq,
            czxid: stat.czxid,
            session_id: SessionId(stat.ephemeral_owner),
        };
        self.mine = Some(mine.clone());
        Ok(mine)
    }
}
