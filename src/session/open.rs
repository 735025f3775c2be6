//! Making a session: resolve the connect string, make the session through the relay (with a
//! deadline), and start the crate's handle on the relay.

use std::net::{SocketAddr, ToSocketAddrs};
use std::panic::catch_unwind;
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use rand::seq::SliceRandom;
use zookeeper::ZooKeeper;

use super::handshake::{self, AttemptError, Connected, Hello};
use super::relay::Relay;
use super::supervisor::Msg;
use super::{fmt_duration, ConnectString, Error, SessionConfig};

/// Resolve every host of the connect string, on a helper thread so a slow resolver cannot
/// outlast the connect deadline.
pub(super) fn resolve(cs: &ConnectString, deadline: Instant) -> Result<Vec<SocketAddr>, Error> {
    let hosts = cs.hosts.clone();
    let (tx, rx) = mpsc::channel();
    let _ = thread::Builder::new()
        .name("zk-resolve".into())
        .spawn(move || {
            let mut addrs = Vec::new();
            let mut failures = Vec::new();
            for (h, p) in &hosts {
                match (h.as_str(), *p).to_socket_addrs() {
                    Ok(found) => addrs.extend(found),
                    Err(e) => failures.push(format!("{h}: {e}")),
                }
            }
            let _ = tx.send((addrs, failures));
        });
    let unavailable =
        |why: String| Error::Unresolved(format!("cannot connect to ZooKeeper at {cs}: {why}"));
    let (mut addrs, failures) = rx
        .recv_timeout(deadline.saturating_duration_since(Instant::now()))
        .map_err(|_| unavailable("resolving the host names took too long".into()))?;
    addrs.sort();
    addrs.dedup();
    if !addrs.is_empty() {
        for f in &failures {
            log::warn!("cannot resolve {f}; using the other servers");
        }
    }
    if addrs.is_empty() {
        return Err(unavailable(format!(
            "cannot resolve {}",
            failures.join(", ")
        )));
    }
    // Spread clients over the ensemble, as the Java client does.
    addrs.shuffle(&mut rand::thread_rng());
    Ok(addrs)
}

/// A new session on one of `hosts`, with its relay and the crate's handle on it.
pub(super) fn open(
    cfg: &SessionConfig,
    hosts: &[SocketAddr],
    deadline: Instant,
    news: Sender<Msg>,
) -> Result<(ZooKeeper, Arc<Relay>), Error> {
    let c = handshake_any(cfg, hosts, deadline)?;
    let session_id = c.granted.session_id;
    let relay = Relay::new(c, news).map_err(|e| local_failure(cfg, &e.to_string()))?;
    let connect = format!(
        "127.0.0.1:{}{}",
        relay.port(),
        cfg.connect.chroot.as_deref().unwrap_or("")
    );
    let made = catch_unwind(|| ZooKeeper::connect(&connect, cfg.session_timeout, |_| {}));
    let zk = match made {
        Ok(Ok(zk)) => zk,
        Ok(Err(e)) => return Err(give_back(&relay, cfg, &format!("{e:?}"))),
        Err(_) => return Err(give_back(&relay, cfg, "the client panicked")),
    };
    let limit = deadline
        .saturating_duration_since(Instant::now())
        .max(Duration::from_secs(2));
    if let Err(e) = relay.accept_client(limit) {
        return Err(give_back(&relay, cfg, &e.to_string()));
    }
    log::debug!(
        "session 0x{session_id:x} on {} via relay {connect}",
        relay.server().map_or("?".into(), |a| a.to_string())
    );
    Ok((zk, relay))
}

/// A session was made but the crate's handle could not be set up on it: end it now.
fn give_back(relay: &Relay, cfg: &SessionConfig, why: &str) -> Error {
    relay.close_on_server();
    local_failure(cfg, why)
}

fn local_failure(cfg: &SessionConfig, why: &str) -> Error {
    Error::Local(format!(
        "cannot set up the ZooKeeper client for {}: {why}",
        cfg.connect
    ))
}

/// Try the servers in turn until one grants a session or the deadline passes. When every
/// server refuses the connection, say so at once: nothing listens there, waiting will not help
/// a one-shot command.
fn handshake_any(
    cfg: &SessionConfig,
    hosts: &[SocketAddr],
    deadline: Instant,
) -> Result<Connected, Error> {
    let auth = cfg.auth.as_ref().map(|a| a.digest_bytes());
    let hello = Hello {
        timeout_ms: cfg.session_timeout.as_millis().min(i32::MAX as u128) as u32,
        session_id: 0,
        passwd: &[0; 16],
        last_zxid: 0,
        auth: auth.as_deref(),
    };
    let per_try = (cfg.session_timeout / 3).max(Duration::from_secs(1));
    let mut pause = Duration::from_millis(50);
    let mut seen: Vec<(SocketAddr, AttemptError)> = Vec::new();
    loop {
        seen.clear();
        for &addr in hosts {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            match handshake::handshake(addr, &hello, per_try.min(left)) {
                Ok(c) => return Ok(c),
                Err(AttemptError::AuthFailed) => {
                    return Err(Error::AuthFailed(format!(
                        "adding the digest credentials at {addr}: the server refused them \
                         (AuthFailed)"
                    )))
                }
                Err(e) => {
                    log::debug!("connecting to {addr}: {e}");
                    seen.push((addr, e));
                }
            }
        }
        let all_refused = !seen.is_empty()
            && seen.len() == hosts.len()
            && seen.iter().all(|(_, e)| matches!(e, AttemptError::Refused));
        if all_refused || Instant::now() + pause >= deadline {
            return Err(unreachable(cfg, &seen));
        }
        thread::sleep(pause);
        pause = (pause * 2).min(Duration::from_secs(1));
    }
}

/// The one line for a session that could not be made: what each server did.
fn unreachable(cfg: &SessionConfig, seen: &[(SocketAddr, AttemptError)]) -> Error {
    let what: Vec<String> = if seen.is_empty() {
        vec!["no answer".into()]
    } else {
        seen.iter()
            .take(5)
            .map(|(a, e)| match e {
                AttemptError::Refused => format!("{a}: nothing listens (connection refused)"),
                e => format!("{a}: {e}"),
            })
            .collect()
    };
    let refused = seen.iter().all(|(_, e)| matches!(e, AttemptError::Refused));
    let within = if refused && !seen.is_empty() {
        String::new()
    } else {
        format!(" within {}", fmt_duration(cfg.connect_timeout))
    };
    Error::Unreachable(format!(
        "cannot connect to ZooKeeper at {}{within}: {}. Is a server running there?",
        cfg.connect,
        what.join("; ")
    ))
}
