//! One connection attempt: connect, then make or resume a session (and add the digest auth),
//! within a time limit. Used to make a session, to resume it after a drop, and to close a
//! given-up one.

use std::io;
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

use super::wire::{self, Granted};

/// Why one connection attempt failed.
#[derive(Debug)]
pub enum AttemptError {
    /// Nothing listens there (the server is stopped).
    Refused,
    /// It took the connection but did not answer the handshake in time (hung or overloaded).
    Silent,
    /// No TCP connection (unreachable, or another error).
    Io(String),
    /// The server refused our credentials.
    AuthFailed,
    /// The session we asked to resume has expired.
    Expired,
}

impl std::fmt::Display for AttemptError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            AttemptError::Refused => write!(f, "connection refused (is the server stopped?)"),
            AttemptError::Silent => write!(
                f,
                "the server took the connection but did not answer (hung, overloaded, or \
                 still starting?)"
            ),
            AttemptError::Io(e) => write!(f, "{e}"),
            AttemptError::AuthFailed => write!(f, "the server refused the digest credentials"),
            AttemptError::Expired => write!(f, "the session has expired"),
        }
    }
}

/// What a successful handshake gives.
pub struct Connected {
    pub stream: TcpStream,
    pub addr: SocketAddr,
    pub granted: Granted,
    /// When the ConnectRequest was sent: the server renewed the session no earlier.
    pub sent: Instant,
}

/// The parameters of a handshake: a new session (`session_id` 0) or a resumption.
pub struct Hello<'a> {
    pub timeout_ms: u32,
    pub session_id: i64,
    pub passwd: &'a [u8],
    pub last_zxid: i64,
    /// Digest credentials (`user:password`), sent right after the handshake.
    pub auth: Option<&'a [u8]>,
}

/// Connect to `addr` and make (or resume) a session, all within `limit`.
pub fn handshake(
    addr: SocketAddr,
    hello: &Hello,
    limit: Duration,
) -> Result<Connected, AttemptError> {
    let end = Instant::now() + limit;
    let left = || {
        end.saturating_duration_since(Instant::now())
            .max(Duration::from_millis(1))
    };
    let mut stream = TcpStream::connect_timeout(&addr, left()).map_err(|e| match e.kind() {
        io::ErrorKind::ConnectionRefused => AttemptError::Refused,
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => AttemptError::Silent,
        _ => AttemptError::Io(e.to_string()),
    })?;
    let _ = stream.set_nodelay(true);
    let io_err = |e: io::Error| match e.kind() {
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock => AttemptError::Silent,
        // What answered is not ZooKeeper (`wire::read_frame` says what it looked like).
        io::ErrorKind::InvalidData => AttemptError::Io(e.to_string()),
        _ => AttemptError::Io(format!("the server closed the connection ({e})")),
    };
    let sent = Instant::now();
    let req = wire::connect_request(
        hello.last_zxid,
        hello.timeout_ms,
        hello.session_id,
        hello.passwd,
    );
    stream.set_write_timeout(Some(left())).map_err(io_err)?;
    wire::write_frame(&mut stream, &req).map_err(io_err)?;
    stream.set_read_timeout(Some(left())).map_err(io_err)?;
    let body = wire::read_frame(&mut stream)
        .map_err(io_err)?
        .ok_or_else(|| {
            // A server that is not serving yet (or refuses a client that has seen a newer
            // zxid) closes the connection without a word.
            AttemptError::Io("the server closed the connection without a session".into())
        })?;
    let granted = wire::parse_connect_response(&body)
        .map_err(|e| AttemptError::Io(e.to_string()))?
        .ok_or(AttemptError::Expired)?;
    if let Some(cred) = hello.auth {
        wire::write_frame(&mut stream, &wire::auth_request("digest", cred)).map_err(io_err)?;
        stream.set_read_timeout(Some(left())).map_err(io_err)?;
        loop {
            let body = wire::read_frame(&mut stream)
                .map_err(io_err)?
                .ok_or(AttemptError::AuthFailed)?;
            match wire::reply_header(&body) {
                Some((wire::XID_AUTH, _, 0)) => break,
                Some((wire::XID_AUTH, _, _)) => return Err(AttemptError::AuthFailed),
                _ => {} // a notification: nothing is watched on a new connection yet
            }
        }
    }
    stream.set_read_timeout(None).map_err(io_err)?;
    // Writes happen under the relay's lock: a server that stopped reading (its buffers full)
    // must not hold that lock past the time a silent connection is given (a third of the
    // session timeout), or the supervisor could not suspend the session in time.
    let write_limit =
        Duration::from_millis(u64::from(granted.timeout_ms) / 3).max(Duration::from_millis(100));
    stream
        .set_write_timeout(Some(write_limit))
        .map_err(io_err)?;
    Ok(Connected {
        stream,
        addr,
        granted,
        sent,
    })
}
