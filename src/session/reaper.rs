//! Close on the server every session zkdemo gave up while no server answered.
//!
//! A session we stopped using is not gone until the server says so: after a short restart of a
//! standalone server (data kept) or a healed link, the server still holds it, with its
//! ephemeral nodes (a lock node at the head of the queue blocks everyone, this process
//! included), until it expires. The relay already keeps the crate from reviving it; the reaper
//! makes it vanish as soon as a server answers: it resumes the session on a connection of its
//! own and sends closeSession, so its nodes go at once. A server answering that the session has
//! expired ends the job too.
//!
//! One thread for the process, one connection attempt at a time, with backoff while no server
//! answers (at most 1 s between rounds, so a session is closed within about a second of a
//! server coming back).

use std::net::SocketAddr;
use std::sync::Mutex;
use std::thread;
use std::time::{Duration, Instant};

use super::handshake::{self, AttemptError, Hello};
use super::wire::{self, Granted};
use super::{supervisor, Inner, SessionId};

struct Entry {
    hosts: Vec<SocketAddr>,
    granted: Granted,
    /// The time one attempt may take.
    limit: Duration,
    tries: usize,
    since: Instant,
}

static ENTRIES: Mutex<Vec<Entry>> = Mutex::new(Vec::new());
/// True while the reaper thread runs.
static RUNNING: Mutex<bool> = Mutex::new(false);

/// Take over the closing of `inner`'s session (its relay has given it up).
pub(super) fn adopt(inner: &Inner) {
    let granted = inner.relay.granted();
    if granted.session_id == 0 {
        return;
    }
    let entry = Entry {
        hosts: inner.hosts.clone(),
        granted,
        limit: supervisor::silence(inner.timeout()).max(Duration::from_millis(200)),
        tries: 0,
        since: Instant::now(),
    };
    {
        let mut list = ENTRIES.lock().unwrap_or_else(|e| e.into_inner());
        if list
            .iter()
            .any(|e| e.granted.session_id == entry.granted.session_id)
        {
            return;
        }
        list.push(entry);
    }
    let mut running = RUNNING.lock().unwrap_or_else(|e| e.into_inner());
    if !*running {
        *running = true;
        let spawned = thread::Builder::new().name("zk-reaper".into()).spawn(run);
        if spawned.is_err() {
            *running = false;
        }
    }
}

fn run() {
    let mut pause = Duration::from_millis(50);
    loop {
        let batch: Vec<Entry> = {
            let mut list = ENTRIES.lock().unwrap_or_else(|e| e.into_inner());
            if list.is_empty() {
                *RUNNING.lock().unwrap_or_else(|e| e.into_inner()) = false;
                return;
            }
            list.drain(..).collect()
        };
        let mut progress = false;
        let mut keep = Vec::new();
        for mut e in batch {
            match close(&mut e) {
                Ok(how) => {
                    log::debug!(
                        "given-up session {} {how} ({:?} after it was given up)",
                        SessionId(e.granted.session_id),
                        e.since.elapsed()
                    );
                    progress = true;
                }
                Err(err) => {
                    log::trace!(
                        "closing given-up session {}: {err}",
                        SessionId(e.granted.session_id)
                    );
                    keep.push(e);
                }
            }
        }
        ENTRIES
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .extend(keep);
        pause = if progress {
            Duration::from_millis(50)
        } else {
            (pause * 2).min(Duration::from_secs(1))
        };
        thread::sleep(pause);
    }
}

/// One attempt to close `e`'s session, on the next server in turn.
fn close(e: &mut Entry) -> Result<&'static str, AttemptError> {
    let addr = e.hosts[e.tries % e.hosts.len()];
    e.tries += 1;
    let hello = Hello {
        timeout_ms: e.granted.timeout_ms,
        session_id: e.granted.session_id,
        passwd: &e.granted.passwd,
        // We may have seen a newer zxid than this server; 0 is never refused, and closing
        // needs no consistent view.
        last_zxid: 0,
        auth: None,
    };
    let mut c = match handshake::handshake(addr, &hello, e.limit) {
        Ok(c) => c,
        Err(AttemptError::Expired) => return Ok("had expired"),
        Err(err) => return Err(err),
    };
    let io = |x: std::io::Error| AttemptError::Io(x.to_string());
    const XID: i32 = 1;
    wire::write_frame(
        &mut c.stream,
        &wire::bare_request(XID, wire::OP_CLOSE_SESSION),
    )
    .map_err(io)?;
    c.stream.set_read_timeout(Some(e.limit)).map_err(io)?;
    loop {
        let body = wire::read_frame(&mut c.stream)
            .map_err(io)?
            .ok_or_else(|| AttemptError::Io("closed before the answer".into()))?;
        if let Some((XID, _, _)) = wire::reply_header(&body) {
            return Ok("closed on the server");
        }
    }
}
