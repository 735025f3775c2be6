//! The relay: the one TCP connection of a session to ZooKeeper, owned by zkdemo.
//!
//! The `zookeeper` crate cannot be told to stop a handle, does not notice a silent connection,
//! never times out a call, and revives a session we gave up whenever it reaches a server again
//! (DESIGN.md §2.11). So the crate never talks to ZooKeeper itself: it connects to this relay on
//! 127.0.0.1, and the relay holds the real connection. The relay
//! - makes the session (the handshake, and the digest auth, are its own) and hands it to the
//!   crate, so the session id is known from the server's own answer;
//! - forwards the crate's requests and the server's replies frame by frame, noting when each
//!   request was sent: the send time of the latest answered request bounds the session's expiry
//!   from below (the server renewed it no earlier), and a request unanswered for too long says
//!   that this connection, not some other, is silent;
//! - when the connection drops, answers the requests in flight with ConnectionLoss (in order,
//!   as the crate expects) and keeps the crate connected to itself, while the supervisor
//!   resumes the session on a new connection;
//! - once the session is given up, forwards nothing ever again: a given-up session cannot be
//!   revived by the crate (the reaper closes it on the server).

use std::collections::VecDeque;
use std::io;
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::sync::mpsc::Sender;
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread;
use std::time::{Duration, Instant};

use super::handshake::Connected;
use super::supervisor::Msg;
use super::wire::{self, Granted};

/// What the relay tells the supervisor.
#[derive(Debug)]
pub enum News {
    /// Upstream connection `conn` ended (closed, reset, or out of step).
    Dropped { conn: u64, reason: String },
    /// The server acknowledged our closeSession: the session is gone, with its nodes.
    Closed,
}

/// A request forwarded on the current connection and not answered yet.
struct Pending {
    xid: i32,
    op: i32,
    sent: Instant,
    /// Sent by the relay itself (a heartbeat): its reply is not the crate's.
    ours: bool,
}

struct Upstream {
    stream: TcpStream,
    addr: SocketAddr,
}

struct State {
    granted: Granted,
    /// The crate's connection (for writing).
    down: Option<TcpStream>,
    up: Option<Upstream>,
    /// Numbers the upstream connections, so that a reader of an old one stops.
    conn: u64,
    pending: VecDeque<Pending>,
    zxid: i64,
    /// The send time of the latest request the server answered.
    last_heard: Instant,
    /// The last time anything was sent upstream (heartbeats fill silences).
    last_sent: Instant,
    /// Lost or closed: nothing is forwarded any more.
    given_up: bool,
    /// The server acknowledged our closeSession.
    closed: bool,
}

pub struct Relay {
    st: Mutex<State>,
    /// The supervisor's channel.
    news: Sender<Msg>,
    listener: Mutex<Option<TcpListener>>,
}

impl Relay {
    /// A relay for the session just made on `c`; the crate may connect to `port()`.
    pub fn new(c: Connected, news: Sender<Msg>) -> io::Result<Arc<Relay>> {
        let listener = TcpListener::bind(("127.0.0.1", 0))?;
        let relay = Arc::new(Relay {
            st: Mutex::new(State {
                granted: c.granted,
                down: None,
                up: None,
                conn: 0,
                pending: VecDeque::new(),
                zxid: 0,
                last_heard: c.sent,
                last_sent: c.sent,
                given_up: false,
                closed: false,
            }),
            news,
            listener: Mutex::new(Some(listener)),
        });
        relay.install(c.stream, c.addr, c.sent)?;
        Ok(relay)
    }

    fn state(&self) -> MutexGuard<'_, State> {
        self.st.lock().unwrap_or_else(|e| e.into_inner())
    }

    pub fn port(&self) -> u16 {
        self.listener
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .as_ref()
            .and_then(|l| l.local_addr().ok())
            .map_or(0, |a| a.port())
    }

    /// Take the crate's connection (made on `ZooKeeper::connect`), answer its handshake with
    /// our session, and start forwarding. The listener is closed after this one connection:
    /// the crate never reconnects, because the relay never drops it.
    pub fn accept_client(self: &Arc<Self>, limit: Duration) -> io::Result<()> {
        let listener = self
            .listener
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .take()
            .ok_or_else(|| io::Error::other("accepted already"))?;
        listener.set_nonblocking(true)?;
        let end = Instant::now() + limit;
        let mut down = loop {
            match listener.accept() {
                Ok((s, _)) => break s,
                Err(e) if e.kind() == io::ErrorKind::WouldBlock && Instant::now() < end => {
                    thread::sleep(Duration::from_millis(1))
                }
                Err(e) => return Err(e),
            }
        };
        down.set_nonblocking(false)?;
        let _ = down.set_nodelay(true);
        down.set_read_timeout(Some(limit))?;
        // The crate's ConnectRequest: its contents do not matter, the session is ours.
        wire::read_frame(&mut down)?.ok_or(io::ErrorKind::UnexpectedEof)?;
        down.set_read_timeout(None)?;
        let reply = wire::connect_response(&self.state().granted);
        wire::write_frame(&mut down, &reply)?;
        self.state().down = Some(down.try_clone()?);
        let me = self.clone();
        thread::Builder::new()
            .name("zk-relay-down".into())
            .spawn(move || me.run_down(down))?;
        Ok(())
    }

    /// A new upstream connection (after the handshake); the old one, if any, is dropped.
    pub fn install(
        self: &Arc<Self>,
        stream: TcpStream,
        addr: SocketAddr,
        sent: Instant,
    ) -> io::Result<()> {
        let reader = stream.try_clone()?;
        let conn = {
            let mut st = self.state();
            st.conn += 1;
            if let Some(old) = st.up.replace(Upstream { stream, addr }) {
                let _ = old.stream.shutdown(Shutdown::Both);
            }
            st.last_heard = st.last_heard.max(sent);
            st.last_sent = sent;
            st.conn
        };
        let me = self.clone();
        thread::Builder::new()
            .name("zk-relay-up".into())
            .spawn(move || me.run_up(reader, conn))?;
        Ok(())
    }

    /// The crate → server direction.
    fn run_down(self: Arc<Self>, mut down: TcpStream) {
        // Until the crate's I/O thread ends (after a close) or the socket breaks.
        while let Ok(Some(body)) = wire::read_frame(&mut down) {
            let Some((xid, op)) = wire::request_header(&body) else {
                break;
            };
            let mut st = self.state();
            if op == wire::OP_CLOSE_SESSION && (st.given_up || st.up.is_none()) {
                // Let the crate's handle end now; the server side is the reaper's job
                // (`Session::close_within` hands it over).
                st.given_up = true;
                let reply = wire::error_reply(xid, st.zxid, 0);
                st.write_down(&reply);
                continue;
            }
            if st.given_up || st.up.is_none() {
                let reply = wire::error_reply(xid, st.zxid, wire::ERR_CONNECTION_LOSS);
                st.write_down(&reply);
                continue;
            }
            if let Err(e) = st.send_up(xid, op, &body, false) {
                // The supervisor drops the connection (answering this request too) and
                // suspends the session.
                let conn = st.conn;
                drop(st);
                let reason = format!("writing to the server failed ({e})");
                let _ = self.news.send(Msg::Relay(News::Dropped { conn, reason }));
            }
        }
        let mut st = self.state();
        st.down = None;
    }

    /// The server → crate direction, for upstream connection `conn`.
    fn run_up(self: Arc<Self>, mut up: TcpStream, conn: u64) {
        let reason = loop {
            let body = match wire::read_frame(&mut up) {
                Ok(Some(b)) => b,
                Ok(None) => break "the server closed the connection".to_owned(),
                Err(e) => break format!("the connection to the server broke ({e})"),
            };
            let Some((xid, zxid, _err)) = wire::reply_header(&body) else {
                break "a reply too short to read".to_owned();
            };
            let mut st = self.state();
            if st.conn != conn {
                return;
            }
            if zxid > 0 {
                st.zxid = st.zxid.max(zxid);
            }
            if xid == wire::XID_NOTIFICATION {
                if !st.given_up {
                    st.write_down(&body);
                }
                continue;
            }
            let Some(p) = st.pending.pop_front() else {
                break format!("a reply (xid {xid}) to no request");
            };
            if p.xid != xid {
                break format!("a reply out of order (xid {xid}, expected {})", p.xid);
            }
            st.last_heard = st.last_heard.max(p.sent);
            if !p.ours {
                st.write_down(&body);
            }
            if p.op == wire::OP_CLOSE_SESSION {
                st.given_up = true;
                st.closed = true;
                drop(st);
                let _ = self.news.send(Msg::Relay(News::Closed));
                return;
            }
        };
        let _ = self.news.send(Msg::Relay(News::Dropped { conn, reason }));
    }

    /// Drop upstream connection `conn` (if it is still the current one): every request in
    /// flight is answered with ConnectionLoss, in order. False when it was not current.
    pub fn drop_conn(&self, conn: u64, why: &str) -> bool {
        let mut st = self.state();
        if st.conn != conn || st.up.is_none() {
            return false;
        }
        log::debug!("dropping the connection to the server: {why}");
        if let Some(up) = st.up.take() {
            let _ = up.stream.shutdown(Shutdown::Both);
        }
        let zxid = st.zxid;
        let lost: Vec<Pending> = st.pending.drain(..).collect();
        for p in lost.iter().filter(|p| !p.ours) {
            st.write_down(&wire::error_reply(p.xid, zxid, wire::ERR_CONNECTION_LOSS));
        }
        true
    }

    /// The current upstream connection's number, while there is one.
    pub fn current(&self) -> Option<u64> {
        let st = self.state();
        st.up.as_ref().map(|_| st.conn)
    }

    /// Give the session up: nothing is forwarded any more, the connection is closed.
    pub fn give_up(&self) {
        let conn = {
            let mut st = self.state();
            st.given_up = true;
            st.conn
        };
        self.drop_conn(conn, "the session was given up");
    }

    /// True once the server acknowledged the closing of the session.
    pub fn close_acknowledged(&self) -> bool {
        self.state().closed
    }

    /// Ask the server to close the session (best effort, without waiting), and give it up.
    pub fn close_on_server(&self) {
        let mut st = self.state();
        if !st.given_up {
            let close = wire::bare_request(1, wire::OP_CLOSE_SESSION);
            let _ = st.send_up(1, wire::OP_CLOSE_SESSION, &close, true);
        }
        st.given_up = true;
    }

    /// Send a heartbeat when nothing is in flight and nothing was sent for `idle`. It renews
    /// the session at the server and proves this connection alive when answered.
    pub fn heartbeat_if_idle(&self, idle: Duration) {
        let mut st = self.state();
        if st.up.is_some() && st.pending.is_empty() && st.last_sent.elapsed() >= idle {
            let ping = wire::bare_request(wire::XID_PING, wire::OP_PING);
            if let Err(e) = st.send_up(wire::XID_PING, wire::OP_PING, &ping, true) {
                log::debug!("heartbeat not sent: {e}");
            }
        }
    }

    /// How long the oldest request in flight has waited for its answer.
    pub fn oldest_wait(&self) -> Option<Duration> {
        self.state().pending.front().map(|p| p.sent.elapsed())
    }

    /// The server of the current connection.
    pub fn server(&self) -> Option<SocketAddr> {
        self.state().up.as_ref().map(|u| u.addr)
    }

    pub fn last_heard(&self) -> Instant {
        self.state().last_heard
    }

    pub fn granted(&self) -> Granted {
        self.state().granted.clone()
    }

    pub fn last_zxid(&self) -> i64 {
        self.state().zxid
    }
}

impl State {
    fn send_up(&mut self, xid: i32, op: i32, body: &[u8], ours: bool) -> io::Result<()> {
        let up = self.up.as_mut().ok_or(io::ErrorKind::NotConnected)?;
        let now = Instant::now();
        wire::write_frame(&mut up.stream, body)?;
        self.pending.push_back(Pending {
            xid,
            op,
            sent: now,
            ours,
        });
        self.last_sent = now;
        Ok(())
    }

    fn write_down(&mut self, body: &[u8]) {
        if let Some(d) = self.down.as_mut() {
            if wire::write_frame(d, body).is_err() {
                self.down = None;
            }
        }
    }
}
