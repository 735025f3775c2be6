//! A fault-injecting TCP proxy between zkdemo and one real server: the network failures a
//! stopped or paused server cannot show (a link cut with resets, a half-open flow whose packets
//! go nowhere, a listener that accepts and forwards nothing).
//!
//! Plain threads and std sockets: one thread accepts, each connection has one thread per
//! direction. Every socket has a short read timeout so that its threads see the proxy's orders
//! (close, go silent) within [`POLL`]; a socket is closed only once no thread uses it, so a
//! reset (SO_LINGER 0, then close) reaches the peer as an RST and never races a read.
//!
//! - `cut()`: every open connection reset (both sides), new ones refused (the listener is
//!   closed); `heal()` listens on the same port again.
//! - `blackhole_existing()`: the connections open now forward nothing more, either way, and
//!   are never closed by the proxy (a dead NAT entry: each side believes the other is there);
//!   new connections pass.
//! - `blackhole()`: the same for every connection, now and new (new ones are accepted, and
//!   not even connected upstream).
//! - `reset_after_requests(n)`: the next connection is reset (both sides) right after the
//!   client sent its `n`th frame (the handshake is the first): the server got the request, the
//!   client never gets the answer. Once; connections after it pass.
//! - `drop_uploads()`: a one-way partition: what clients send (on every connection, open or
//!   new) is dropped, what the server sends still arrives.
//! - `heal()`: new connections pass again; the silent ones are reset (their threads freed; a
//!   client retransmitting on a dead flow would get an RST from the server's side anyway);
//!   uploads pass again.

use std::io::{self, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::os::fd::AsRawFd;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::{self, JoinHandle};
use std::time::{Duration, Instant};

/// How often a blocked thread looks at its orders.
const POLL: Duration = Duration::from_millis(50);
/// How long a connection to the upstream server may take.
const UPSTREAM_CONNECT: Duration = Duration::from_secs(2);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Forward new connections.
    Pass,
    /// Accept new connections and forward nothing.
    Silent,
}

struct Conn {
    id: u64,
    client: TcpStream,
    /// Set once connected upstream (never for a connection accepted while silent).
    upstream: Mutex<Option<Arc<TcpStream>>>,
    /// Forward nothing, close nothing.
    silent: AtomicBool,
    /// The proxy closes this connection: threads stop at once.
    kill: AtomicBool,
    /// Drop what the client sends (the proxy's one-way partition).
    drop_uploads: Arc<AtomicBool>,
    /// Reset this connection after the client's `n`th frame (0: never).
    reset_after: u64,
}

impl Conn {
    fn upstream(&self) -> Option<Arc<TcpStream>> {
        self.upstream.lock().unwrap().clone()
    }
}

struct State {
    /// None while cut (new connections are refused).
    listener: Option<TcpListener>,
    mode: Mode,
    conns: Vec<(Arc<Conn>, Option<JoinHandle<()>>)>,
}

struct Inner {
    upstream: SocketAddr,
    addr: SocketAddr,
    state: Mutex<State>,
    stop: AtomicBool,
    next_id: AtomicU64,
    drop_uploads: Arc<AtomicBool>,
    /// For the next connection accepted: reset it after this many client frames (0: off).
    reset_after: AtomicU64,
}

impl Inner {
    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|e| e.into_inner())
    }
}

/// A TCP proxy on 127.0.0.1 in front of `upstream`. Dropping it stops it and its threads and
/// resets every connection it still holds.
pub struct Proxy {
    inner: Arc<Inner>,
    acceptor: Option<JoinHandle<()>>,
}

impl Proxy {
    pub fn start(upstream: SocketAddr) -> Proxy {
        let listener = TcpListener::bind("127.0.0.1:0").expect("bind a proxy port");
        listener.set_nonblocking(true).unwrap();
        let addr = listener.local_addr().unwrap();
        let inner = Arc::new(Inner {
            upstream,
            addr,
            state: Mutex::new(State {
                listener: Some(listener),
                mode: Mode::Pass,
                conns: Vec::new(),
            }),
            stop: AtomicBool::new(false),
            next_id: AtomicU64::new(1),
            drop_uploads: Arc::new(AtomicBool::new(false)),
            reset_after: AtomicU64::new(0),
        });
        let i = inner.clone();
        let acceptor = thread::Builder::new()
            .name(format!("proxy-accept-{}", addr.port()))
            .spawn(move || accept_loop(&i))
            .unwrap();
        Proxy {
            inner,
            acceptor: Some(acceptor),
        }
    }

    /// Where clients connect (`--zk` for zkdemo).
    pub fn addr(&self) -> SocketAddr {
        self.inner.addr
    }

    /// Connections accepted and not closed yet (silent ones included), by either side.
    pub fn open_connections(&self) -> usize {
        self.inner.state().conns.len()
    }

    /// The local ports of this proxy's live connections to the server: what the server's
    /// `cons` shows as their remote ports. (The clients behind this proxy, in other words.)
    pub fn upstream_ports(&self) -> Vec<u16> {
        self.inner
            .state()
            .conns
            .iter()
            .filter(|(c, _)| !c.kill.load(Ordering::SeqCst))
            .filter_map(|(c, _)| c.upstream())
            .filter_map(|s| s.local_addr().ok())
            .map(|a| a.port())
            .collect()
    }

    /// Reset every open connection (the client and the server each see an RST) and refuse new
    /// ones until `heal()`.
    pub fn cut(&self) {
        let doomed = {
            let mut st = self.inner.state();
            st.listener = None;
            std::mem::take(&mut st.conns)
        };
        reset_all(doomed);
    }

    /// The connections open now go silent both ways (nothing forwarded, nothing closed); new
    /// connections pass as before.
    pub fn blackhole_existing(&self) {
        let st = self.inner.state();
        for (c, _) in &st.conns {
            c.silent.store(true, Ordering::SeqCst);
        }
    }

    /// Every connection, open now or accepted from now on, silent.
    pub fn blackhole(&self) {
        let mut st = self.inner.state();
        st.mode = Mode::Silent;
        for (c, _) in &st.conns {
            c.silent.store(true, Ordering::SeqCst);
        }
    }

    /// The next connection accepted is reset right after the client's `n`th frame (the
    /// handshake counts as the first) reached the server: a lost answer. Once.
    pub fn reset_after_requests(&self, n: u64) {
        self.inner.reset_after.store(n, Ordering::SeqCst);
    }

    /// A one-way partition: from now on what the clients send is dropped (on every
    /// connection, open or new); what the server sends still arrives.
    pub fn drop_uploads(&self) {
        self.inner.drop_uploads.store(true, Ordering::SeqCst);
    }

    /// New connections pass again (the port listens again after a `cut`); the silent
    /// connections are reset; uploads pass again.
    pub fn heal(&self) {
        self.inner.drop_uploads.store(false, Ordering::SeqCst);
        let doomed = {
            let mut st = self.inner.state();
            st.mode = Mode::Pass;
            if st.listener.is_none() {
                st.listener = Some(rebind(self.inner.addr));
            }
            let (silent, live): (Vec<_>, Vec<_>) = std::mem::take(&mut st.conns)
                .into_iter()
                .partition(|(c, _)| c.silent.load(Ordering::SeqCst));
            st.conns = live;
            silent
        };
        reset_all(doomed);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.inner.stop.store(true, Ordering::SeqCst);
        if let Some(a) = self.acceptor.take() {
            let _ = a.join();
        }
        let doomed = {
            let mut st = self.inner.state();
            st.listener = None;
            std::mem::take(&mut st.conns)
        };
        reset_all(doomed);
    }
}

/// Listen on `addr` again, retrying while the port is still taken (std sets SO_REUSEADDR).
fn rebind(addr: SocketAddr) -> TcpListener {
    let deadline = Instant::now() + Duration::from_secs(5);
    loop {
        match TcpListener::bind(addr) {
            Ok(l) => {
                l.set_nonblocking(true).unwrap();
                return l;
            }
            Err(e) if Instant::now() < deadline => {
                eprintln!("proxy: rebinding {addr}: {e}; retrying");
                thread::sleep(Duration::from_millis(100));
            }
            Err(e) => panic!("proxy: cannot listen on {addr} again: {e}"),
        }
    }
}

/// SO_LINGER {on, 0}: the last close of this socket sends an RST instead of a FIN.
fn set_linger_zero(s: &TcpStream) {
    let lg = libc::linger {
        l_onoff: 1,
        l_linger: 0,
    };
    // SAFETY: a valid socket fd and a correctly sized option value.
    let rc = unsafe {
        libc::setsockopt(
            s.as_raw_fd(),
            libc::SOL_SOCKET,
            libc::SO_LINGER,
            &lg as *const libc::linger as *const libc::c_void,
            std::mem::size_of::<libc::linger>() as libc::socklen_t,
        )
    };
    if rc != 0 {
        eprintln!("proxy: SO_LINGER: {}", io::Error::last_os_error());
    }
}

/// Reset these connections: linger 0 on both sockets, stop their threads, and close them (the
/// last reference to each socket goes when its threads are joined and `conns` is dropped).
fn reset_all(conns: Vec<(Arc<Conn>, Option<JoinHandle<()>>)>) {
    for (c, _) in &conns {
        set_linger_zero(&c.client);
        if let Some(u) = c.upstream() {
            set_linger_zero(&u);
        }
        c.kill.store(true, Ordering::SeqCst);
    }
    for (c, h) in conns {
        if let Some(h) = h {
            let _ = h.join();
        }
        // A thread still connecting upstream may set it after our look: reset that one too.
        if let Some(u) = c.upstream() {
            set_linger_zero(&u);
        }
        drop(c);
    }
}

fn accept_loop(inner: &Arc<Inner>) {
    while !inner.stop.load(Ordering::SeqCst) {
        let accepted = {
            let st = inner.state();
            match &st.listener {
                Some(l) => match l.accept() {
                    Ok((s, _)) => Some((s, st.mode)),
                    Err(e) if e.kind() == io::ErrorKind::WouldBlock => None,
                    Err(e) => {
                        eprintln!("proxy: accept: {e}");
                        None
                    }
                },
                None => None,
            }
        };
        let Some((client, mode)) = accepted else {
            thread::sleep(Duration::from_millis(5));
            continue;
        };
        let _ = client.set_nonblocking(false);
        let _ = client.set_nodelay(true);
        let _ = client.set_read_timeout(Some(POLL));
        let _ = client.set_write_timeout(Some(Duration::from_secs(2)));
        let conn = Arc::new(Conn {
            id: inner.next_id.fetch_add(1, Ordering::SeqCst),
            client,
            upstream: Mutex::new(None),
            silent: AtomicBool::new(mode == Mode::Silent),
            kill: AtomicBool::new(false),
            drop_uploads: inner.drop_uploads.clone(),
            reset_after: inner.reset_after.swap(0, Ordering::SeqCst),
        });
        // Registered and started under the lock, so that `cut` finds it with its thread.
        let mut st = inner.state();
        let (c, i) = (conn.clone(), inner.clone());
        let h = thread::Builder::new()
            .name(format!("proxy-conn-{}", conn.id))
            .spawn(move || serve(&i, &c))
            .unwrap();
        st.conns.push((conn, Some(h)));
    }
}

/// One connection's life: connect upstream (unless silent), pump both ways until both
/// directions end or the proxy closes it, then forget it.
fn serve(inner: &Inner, conn: &Arc<Conn>) {
    if !conn.silent.load(Ordering::SeqCst) {
        match TcpStream::connect_timeout(&inner.upstream, UPSTREAM_CONNECT) {
            Ok(u) => {
                let _ = u.set_nodelay(true);
                let _ = u.set_read_timeout(Some(POLL));
                let _ = u.set_write_timeout(Some(Duration::from_secs(2)));
                *conn.upstream.lock().unwrap() = Some(Arc::new(u));
            }
            Err(_) => {
                // The server refuses: so does the proxy (an RST, as from a closed port).
                set_linger_zero(&conn.client);
                conn.kill.store(true, Ordering::SeqCst);
            }
        }
    }
    if !conn.kill.load(Ordering::SeqCst) {
        let down = conn.upstream().map(|u| {
            let c = conn.clone();
            thread::Builder::new()
                .name(format!("proxy-down-{}", conn.id))
                .spawn(move || pump(&c, &u, &c.client, false))
                .unwrap()
        });
        match conn.upstream() {
            Some(u) => pump(conn, &conn.client, &u, true),
            None => pump_silent(conn),
        }
        if let Some(d) = down {
            let _ = d.join();
        }
    }
    // Forget it (unless the proxy already took it out to close it itself).
    inner.state().conns.retain(|(c, _)| c.id != conn.id);
}

/// Copy `from` → `to` until EOF, an error, or the proxy's order to stop. While the connection
/// is silent, bytes read are dropped and an EOF or error is not passed on. `from_client`: the
/// client's side, whose end also ends a silent connection.
fn pump(conn: &Conn, from: &TcpStream, to: &TcpStream, from_client: bool) {
    let mut buf = [0u8; 16 * 1024];
    let mut r = from;
    let mut w = to;
    let mut frames = Frames::default();
    loop {
        if conn.kill.load(Ordering::SeqCst) {
            return;
        }
        match r.read(&mut buf) {
            Ok(0) => {
                if conn.silent.load(Ordering::SeqCst) {
                    if from_client {
                        // The client gave up on a dead flow: nothing left to keep.
                        conn.kill.store(true, Ordering::SeqCst);
                    }
                } else {
                    let _ = to.shutdown(Shutdown::Write);
                }
                return;
            }
            Ok(n) => {
                if conn.silent.load(Ordering::SeqCst)
                    || conn.kill.load(Ordering::SeqCst)
                    || (from_client && conn.drop_uploads.load(Ordering::SeqCst))
                {
                    continue;
                }
                if w.write_all(&buf[..n]).is_err() {
                    if !conn.silent.load(Ordering::SeqCst) {
                        let _ = from.shutdown(Shutdown::Both);
                        let _ = to.shutdown(Shutdown::Both);
                    }
                    return;
                }
                if from_client && conn.reset_after > 0 && frames.add(&buf[..n]) >= conn.reset_after
                {
                    // Let the server take the request, then lose its answer.
                    thread::sleep(Duration::from_millis(50));
                    set_linger_zero(from);
                    set_linger_zero(to);
                    conn.kill.store(true, Ordering::SeqCst);
                    let _ = from.shutdown(Shutdown::Both);
                    let _ = to.shutdown(Shutdown::Both);
                    return;
                }
            }
            Err(e) if is_poll_timeout(&e) => {}
            Err(_) => {
                if conn.silent.load(Ordering::SeqCst) {
                    if from_client {
                        conn.kill.store(true, Ordering::SeqCst);
                    }
                } else {
                    // A reset on one side: end the other side too.
                    let _ = to.shutdown(Shutdown::Both);
                }
                return;
            }
        }
    }
}

/// A read that only timed out (every socket polls the proxy's orders every `POLL`).
fn is_poll_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut | io::ErrorKind::Interrupted
    )
}

/// A connection accepted while silent: read and drop until the client leaves or the proxy
/// closes it.
fn pump_silent(conn: &Conn) {
    let mut buf = [0u8; 16 * 1024];
    let mut r = &conn.client;
    while !conn.kill.load(Ordering::SeqCst) {
        match r.read(&mut buf) {
            Ok(0) => return,
            Ok(_) => {}
            Err(e) if is_poll_timeout(&e) => {}
            Err(_) => return,
        }
    }
}

/// Counts the length-prefixed frames (ZooKeeper's: a 4-byte big-endian length, then the
/// body) in a byte stream read in arbitrary chunks.
#[derive(Default)]
struct Frames {
    count: u64,
    header: Vec<u8>,
    left: usize,
}

impl Frames {
    /// Feed `bytes`; the number of whole frames seen so far.
    fn add(&mut self, mut bytes: &[u8]) -> u64 {
        while !bytes.is_empty() {
            if self.left > 0 {
                let n = self.left.min(bytes.len());
                self.left -= n;
                bytes = &bytes[n..];
                if self.left == 0 {
                    self.count += 1;
                }
                continue;
            }
            let need = 4 - self.header.len();
            let n = need.min(bytes.len());
            self.header.extend_from_slice(&bytes[..n]);
            bytes = &bytes[n..];
            if self.header.len() == 4 {
                let len = i32::from_be_bytes([
                    self.header[0],
                    self.header[1],
                    self.header[2],
                    self.header[3],
                ]);
                self.header.clear();
                self.left = len.max(0) as usize;
                if self.left == 0 {
                    self.count += 1;
                }
            }
        }
        self.count
    }
}
