//! Shared by every integration test file (`mod common;`): real ZooKeeper servers, the zkdemo
//! binary as a child process with its output collected, and the kazoo interpreter.
//!
//! Each test binary uses only part of this, hence the allow.
#![allow(dead_code)]

pub mod curator;
pub mod proxy;
pub mod spans;

use std::io::{BufRead, BufReader, Read};
use std::net::SocketAddr;
use std::process::{Child, ChildStdin, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use serde_json::Value;
pub use zkdemo::server::{Cluster, ClusterSpec, Distribution};

/// The zkdemo binary under test, quiet about logging unless the test says otherwise.
pub fn zkdemo() -> Command {
    Command::new(env!("CARGO_BIN_EXE_zkdemo"))
}

/// The standalone server shared by the tests of one binary (tick 200 ms: sessions may expire
/// after 400 ms). Tests keep apart by working under their own `unique_path`.
pub fn shared() -> &'static Cluster {
    static SHARED: OnceLock<Cluster> = OnceLock::new();
    SHARED.get_or_init(|| {
        let c = standalone(200);
        // A static is never dropped: kill the server and remove its directory at exit.
        // (Were the test binary killed, PDEATHSIG still kills the server.)
        extern "C" fn cleanup() {
            if let Some(c) = SHARED.get() {
                c.shutdown();
            }
        }
        // SAFETY: registering a plain extern "C" fn without arguments.
        unsafe {
            libc::atexit(cleanup);
        }
        c
    })
}

/// `zkdemo --zk ZK --json lock --path PATH --id ID EXTRA…`, running.
pub fn json_lock(zk: &str, path: &str, id: &str, extra: &[&str]) -> Proc {
    let mut cmd = zkdemo();
    cmd.args(["--zk", zk, "--json", "lock", "--path", path, "--id", id])
        .args(extra);
    Proc::spawn(cmd)
}

/// Read the first line of a piped child's stdout, then close the pipe: what `| head -1`
/// does to zkdemo.
pub fn head_1(child: &mut Child) -> String {
    use std::io::BufRead;
    let mut r = BufReader::new(child.stdout.take().expect("a piped stdout"));
    let mut first = String::new();
    r.read_line(&mut first).expect("a line");
    first
}

/// The child's exit status within `limit`; killed (and the test failed with `what`) otherwise.
pub fn exit_within(child: &mut Child, limit: Duration, what: &str) -> ExitStatus {
    let t = Instant::now();
    loop {
        if let Some(st) = child.try_wait().expect("try_wait") {
            return st;
        }
        if t.elapsed() > limit {
            let _ = child.kill();
            panic!("{what}: still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// A session of the test's own with the shared server, to plant or read znodes.
pub fn shared_session() -> zkdemo::session::Session {
    let cfg = session_config(&shared().connect_string(), Duration::from_secs(4));
    zkdemo::session::Session::connect(&cfg, |_| {}).expect("a session with the test server")
}

/// The children of `path` on the shared server, sorted (none when it does not exist).
pub fn shared_children(path: &str) -> Vec<String> {
    let s = shared_session();
    let mut kids = s.get_children(path).unwrap_or_default();
    kids.sort();
    s.close();
    kids
}

/// How tests open their own sessions with `zk` (to plant or read znodes): no credentials,
/// 10 s to connect (the machine is shared and busy).
pub fn session_config(zk: &str, session_timeout: Duration) -> zkdemo::session::SessionConfig {
    zkdemo::session::SessionConfig {
        connect: zkdemo::session::ConnectString::parse(zk).expect("a valid connect string"),
        session_timeout,
        connect_timeout: Duration::from_secs(10),
        auth: None,
        acl: Default::default(),
    }
}

/// A znode path no other test uses: `/t-<16 hex digits>-<prefix>`.
pub fn unique_path(prefix: &str) -> String {
    format!("/t-{:016x}-{prefix}", rand::random::<u64>())
}

/// A private standalone server (for tests that stop, pause or kill it).
pub fn standalone(tick_ms: u32) -> Cluster {
    start(&ClusterSpec::standalone(tick_ms))
}

/// A private 3-server ensemble, returned once it has a leader and two followers.
pub fn ensemble(tick_ms: u32) -> Cluster {
    start(&ClusterSpec::ensemble(tick_ms))
}

/// Start a cluster; panic with the install instructions when ZooKeeper or Java is missing
/// (a test that cannot run must fail, never pass by skipping).
pub fn start(spec: &ClusterSpec) -> Cluster {
    if let Err(e) = Distribution::find() {
        panic!("these tests run real ZooKeeper servers.\n{e}");
    }
    // Tests run in parallel on 2 cores: booting a dozen JVMs at once makes every one of them
    // slow enough to miss its timeouts. Boot one cluster at a time; running ones are idle.
    static BOOTING: Mutex<()> = Mutex::new(());
    let _one = BOOTING.lock().unwrap_or_else(|e| e.into_inner());
    match Cluster::start(spec) {
        Ok(c) => c,
        Err(e) => panic!("cannot start ZooKeeper ({spec:?}):\n{e}"),
    }
}

/// A python3 that can `import kazoo` (KAZOO_PYTHON, then python3, then python).
pub fn kazoo_python() -> String {
    static FOUND: OnceLock<Result<String, String>> = OnceLock::new();
    let found = FOUND.get_or_init(|| {
        let mut tried = Vec::new();
        let candidates = std::env::var("KAZOO_PYTHON")
            .ok()
            .into_iter()
            .chain(["python3".to_owned(), "python".to_owned()]);
        for py in candidates {
            let ok = Command::new(&py)
                .args(["-c", "import kazoo"])
                .stdin(Stdio::null())
                .stdout(Stdio::null())
                .stderr(Stdio::null())
                .status()
                .is_ok_and(|s| s.success());
            if ok {
                return Ok(py);
            }
            tried.push(py);
        }
        Err(format!(
            "no Python with kazoo (tried {}): run `pip install kazoo` (or `python3 -m pip \
             install kazoo`), or set KAZOO_PYTHON to an interpreter that has it",
            tried.join(", ")
        ))
    });
    match found {
        Ok(py) => py.clone(),
        Err(e) => panic!("{e}"),
    }
}

/// One line a child wrote on stdout, when it arrived, and its JSON if it is JSON.
#[derive(Debug, Clone)]
pub struct Line {
    pub at: Instant,
    pub text: String,
    pub json: Option<Value>,
}

#[derive(Default)]
struct Collected {
    lines: Vec<Line>,
    /// Index of the first line `wait_for` has not consumed yet.
    cursor: usize,
    stdout_done: bool,
    stderr: String,
    stderr_done: bool,
}

/// A running child (zkdemo or anything else) whose output is collected as it comes.
/// Dropping it kills the child; it also dies if the test binary does (PDEATHSIG).
pub struct Proc {
    child: Child,
    shared: Arc<(Mutex<Collected>, Condvar)>,
    pub started: Instant,
}

impl Proc {
    /// Spawn `cmd` with stdout and stderr piped (stdin is /dev/null).
    pub fn spawn(mut cmd: Command) -> Proc {
        cmd.stdin(Stdio::null());
        Proc::start(cmd)
    }

    /// `spawn`, with stdin a pipe for the test to write to (dropping it closes it).
    pub fn spawn_with_stdin(mut cmd: Command) -> (Proc, ChildStdin) {
        cmd.stdin(Stdio::piped());
        let mut p = Proc::start(cmd);
        let stdin = p.child.stdin.take().expect("piped stdin");
        (p, stdin)
    }

    fn start(mut cmd: Command) -> Proc {
        cmd.stdout(Stdio::piped()).stderr(Stdio::piped());
        let desc = format!("{cmd:?}");
        let mut child =
            zkdemo::server::spawn_tied(cmd).unwrap_or_else(|e| panic!("cannot spawn {desc}: {e}"));
        let started = Instant::now();
        let shared = Arc::new((Mutex::new(Collected::default()), Condvar::new()));
        let stdout = child.stdout.take().expect("piped stdout");
        let s = shared.clone();
        std::thread::spawn(move || {
            let mut r = BufReader::new(stdout);
            let mut buf = Vec::new();
            loop {
                buf.clear();
                match r.read_until(b'\n', &mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(_) => {
                        let at = Instant::now();
                        let text = String::from_utf8_lossy(&buf)
                            .trim_end_matches(['\n', '\r'])
                            .to_owned();
                        let json = serde_json::from_str::<Value>(&text)
                            .ok()
                            .filter(Value::is_object);
                        let (m, cv) = &*s;
                        m.lock().unwrap().lines.push(Line { at, text, json });
                        cv.notify_all();
                    }
                }
            }
            let (m, cv) = &*s;
            m.lock().unwrap().stdout_done = true;
            cv.notify_all();
        });
        let stderr = child.stderr.take().expect("piped stderr");
        let s = shared.clone();
        std::thread::spawn(move || {
            let mut r = stderr;
            let mut buf = [0u8; 4096];
            loop {
                match r.read(&mut buf) {
                    Ok(0) | Err(_) => break,
                    Ok(n) => {
                        let (m, cv) = &*s;
                        m.lock()
                            .unwrap()
                            .stderr
                            .push_str(&String::from_utf8_lossy(&buf[..n]));
                        cv.notify_all();
                    }
                }
            }
            let (m, cv) = &*s;
            m.lock().unwrap().stderr_done = true;
            cv.notify_all();
        });
        Proc {
            child,
            shared,
            started,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.id()
    }

    /// Wait for the next JSON line (after those earlier calls consumed) that satisfies `pred`,
    /// and consume up to it. Lines that do not match are skipped (still in `lines()`).
    /// None when `timeout` passes or stdout closes first.
    pub fn wait_for(&self, pred: impl Fn(&Value) -> bool, timeout: Duration) -> Option<Value> {
        self.wait_line(|l| l.json.as_ref().is_some_and(&pred), timeout)
            .and_then(|l| l.json)
    }

    /// Like `wait_for`, for plain text: the rest of the next line that starts with `prefix`.
    pub fn wait_text(&self, prefix: &str, timeout: Duration) -> Option<String> {
        self.wait_line(|l| l.text.starts_with(prefix), timeout)
            .map(|l| l.text[prefix.len()..].to_owned())
    }

    /// The next line (after those earlier waits consumed) that satisfies `pred`.
    fn wait_line(&self, pred: impl Fn(&Line) -> bool, timeout: Duration) -> Option<Line> {
        let deadline = Instant::now() + timeout;
        let (m, cv) = &*self.shared;
        let mut c = m.lock().unwrap();
        loop {
            while c.cursor < c.lines.len() {
                let i = c.cursor;
                c.cursor += 1;
                if pred(&c.lines[i]) {
                    return Some(c.lines[i].clone());
                }
            }
            if c.stdout_done {
                return None;
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return None;
            }
            c = cv.wait_timeout(c, left).unwrap().0;
        }
    }

    /// `wait_for` an event by name (`{"event": name, ...}`).
    pub fn wait_event(&self, name: &str, timeout: Duration) -> Option<Value> {
        self.wait_for(|j| j["event"] == name, timeout)
    }

    /// Every stdout line so far.
    pub fn lines(&self) -> Vec<Line> {
        self.shared.0.lock().unwrap().lines.clone()
    }

    /// Every stdout line so far that is a JSON object.
    pub fn events(&self) -> Vec<Value> {
        self.lines().into_iter().filter_map(|l| l.json).collect()
    }

    /// Everything written on stderr so far.
    pub fn stderr(&self) -> String {
        self.shared.0.lock().unwrap().stderr.clone()
    }

    /// stdout and stderr, for assertion messages.
    pub fn transcript(&self) -> String {
        let out: Vec<String> = self.lines().into_iter().map(|l| l.text).collect();
        format!(
            "--- stdout ---\n{}\n--- stderr ---\n{}",
            out.join("\n"),
            self.stderr()
        )
    }

    /// Send `sig` (libc::SIGINT, …) to the child.
    pub fn signal(&self, sig: i32) {
        zkdemo::signals::send(self.child.id() as i32, sig);
    }

    /// Wait for the child to exit, then for its output to be read to the end.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        let status = loop {
            if let Some(s) = self.child.try_wait().expect("try_wait") {
                break s;
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        // A grandchild holding the pipes could keep them open forever: bound the wait.
        let drained = Instant::now() + Duration::from_secs(2);
        let (m, cv) = &*self.shared;
        let mut c = m.lock().unwrap();
        while !(c.stdout_done && c.stderr_done) {
            let left = drained.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            c = cv.wait_timeout(c, left).unwrap().0;
        }
        Some(status)
    }
}

impl Drop for Proc {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Run `cmd` to completion (stdin /dev/null) with a time bound; panics when it hangs.
pub fn run(cmd: Command, timeout: Duration) -> (ExitStatus, Proc) {
    let mut p = Proc::spawn(cmd);
    match p.wait_exit(timeout) {
        Some(s) => (s, p),
        None => panic!("still running after {timeout:?}:\n{}", p.transcript()),
    }
}

/// Poll `f` every 20 ms until it returns Some, or `timeout` passes.
pub fn eventually<T>(timeout: Duration, mut f: impl FnMut() -> Option<T>) -> Option<T> {
    let deadline = Instant::now() + timeout;
    loop {
        if let Some(v) = f() {
            return Some(v);
        }
        if Instant::now() >= deadline {
            return None;
        }
        std::thread::sleep(Duration::from_millis(20));
    }
}

/// True when `pid` is a live (not zombie) process whose command line contains `needle`.
pub fn process_runs(pid: u32, needle: &str) -> bool {
    let cmdline = std::fs::read(format!("/proc/{pid}/cmdline")).unwrap_or_default();
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).unwrap_or_default();
    let zombie = stat
        .rsplit_once(')')
        .is_some_and(|(_, rest)| rest.trim_start().starts_with('Z'));
    !zombie && String::from_utf8_lossy(&cmdline).contains(needle)
}

/// Children of `pid` (from /proc), for checking that nothing is left behind.
pub fn children_of(pid: u32) -> Vec<u32> {
    let mut kids = Vec::new();
    let Ok(rd) = std::fs::read_dir("/proc") else {
        return kids;
    };
    for e in rd.flatten() {
        let Some(p) = e.file_name().to_str().and_then(|s| s.parse::<u32>().ok()) else {
            continue;
        };
        let stat = std::fs::read_to_string(format!("/proc/{p}/stat")).unwrap_or_default();
        // Fields after the ")" that ends the command name: state, ppid, ...
        let ppid = stat
            .rsplit_once(')')
            .and_then(|(_, rest)| rest.split_whitespace().nth(1))
            .and_then(|s| s.parse::<u32>().ok());
        if ppid == Some(pid) {
            kids.push(p);
        }
    }
    kids
}

/// The sessions server `addr` holds a connection for, from its `cons` answer: (session id,
/// the client's address as the server sees it, `127.0.0.1:39512`). Connections without a
/// session (our own 4lw question, a client still handshaking) are left out. Panics when the
/// server does not answer.
pub fn server_sessions(addr: &SocketAddr) -> Vec<(i64, String)> {
    let answer = zkdemo::fourlw::ask(addr, "cons", Duration::from_secs(3))
        .unwrap_or_else(|e| panic!("`cons` to {addr}: {e}"));
    parse_cons(&answer)
}

/// `cons` lines look like
/// ` /127.0.0.1:39512[1](queued=0,recved=9,sent=9,sid=0x1000a3f8c2e0000,lop=PING,...)`.
pub fn parse_cons(answer: &str) -> Vec<(i64, String)> {
    answer
        .lines()
        .filter_map(|l| {
            let l = l.trim().trim_start_matches('/');
            let remote = l.split_once('[')?.0.to_owned();
            let sid = l.split_once("sid=0x")?.1;
            let end = sid.find([',', ')']).unwrap_or(sid.len());
            let sid = u64::from_str_radix(&sid[..end], 16).ok()? as i64;
            (sid != 0).then_some((sid, remote))
        })
        .collect()
}

/// How many requests (pings included) server `addr` has received on session `sid`'s
/// connection, from its `cons` answer (`recved=`); None when it holds no connection for it.
pub fn received_on(addr: &SocketAddr, sid: i64) -> Option<u64> {
    let answer = zkdemo::fourlw::ask(addr, "cons", Duration::from_secs(3))
        .unwrap_or_else(|e| panic!("`cons` to {addr}: {e}"));
    let wanted = format!("sid=0x{:x}", sid as u64);
    let line = answer
        .lines()
        .find(|l| l.contains(&format!("{wanted},")) || l.contains(&format!("{wanted})")))?;
    let n = line.split_once("recved=")?.1;
    n[..n.find([',', ')'])?].parse().ok()
}

/// The port of `host:port`.
fn port_of(remote: &str) -> Option<u16> {
    remote.rsplit_once(':')?.1.parse().ok()
}

/// Socket inodes of TCP connections from local port `local` to remote port `remote`
/// (/proc/net/tcp and tcp6; Linux only).
fn socket_inodes(local: u16, remote: u16) -> Vec<u64> {
    let mut v = Vec::new();
    for table in ["/proc/net/tcp", "/proc/net/tcp6"] {
        let text = std::fs::read_to_string(table).unwrap_or_default();
        for line in text.lines().skip(1) {
            let f: Vec<&str> = line.split_whitespace().collect();
            if f.len() < 10 {
                continue;
            }
            let port = |a: &str| {
                a.rsplit_once(':')
                    .and_then(|(_, p)| u16::from_str_radix(p, 16).ok())
            };
            if port(f[1]) == Some(local) && port(f[2]) == Some(remote) {
                if let Ok(inode) = f[9].parse::<u64>() {
                    v.push(inode);
                }
            }
        }
    }
    v
}

/// Socket inodes among the open files of `pid`.
fn socket_inodes_of(pid: u32) -> Vec<u64> {
    let Ok(rd) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return Vec::new();
    };
    rd.flatten()
        .filter_map(|e| std::fs::read_link(e.path()).ok())
        .filter_map(|l| {
            let l = l.to_string_lossy().into_owned();
            l.strip_prefix("socket:[")?.strip_suffix(']')?.parse().ok()
        })
        .collect()
}

/// The sessions (ids) that process `pid` holds on server `addr`: those of `server_sessions`
/// whose connection is a socket of `pid` (a direct connection, no proxy between).
pub fn sessions_of_pid(addr: &SocketAddr, pid: u32) -> Vec<i64> {
    let mine = socket_inodes_of(pid);
    server_sessions(addr)
        .into_iter()
        .filter(|(_, remote)| {
            port_of(remote).is_some_and(|p| {
                socket_inodes(p, addr.port())
                    .iter()
                    .any(|i| mine.contains(i))
            })
        })
        .map(|(sid, _)| sid)
        .collect()
}

/// The sessions on server `addr` whose connection comes from one of these local ports (a
/// proxy's `upstream_ports()`: the clients behind that proxy).
pub fn sessions_from_ports(addr: &SocketAddr, ports: &[u16]) -> Vec<i64> {
    server_sessions(addr)
        .into_iter()
        .filter(|(_, remote)| port_of(remote).is_some_and(|p| ports.contains(&p)))
        .map(|(sid, _)| sid)
        .collect()
}

/// The `date +%s%N` lines of a file (a guarded command's loop writes them), in nanoseconds.
pub fn stamps(file: &std::path::Path) -> Vec<u128> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// True while `pid` is a live process (it exists and is not a zombie).
pub fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat"))
        .ok()
        .and_then(|s| {
            s.rsplit_once(')')
                .map(|(_, rest)| rest.trim_start().to_owned())
        })
        .is_some_and(|rest| !rest.starts_with('Z') && !rest.starts_with('X'))
}

/// The pids a command wrote to `file`, one a line.
pub fn pids_in(file: &std::path::Path) -> Vec<u32> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .filter_map(|l| l.trim().parse().ok())
        .collect()
}

/// Kills (SIGKILL) the processes whose pids a test's command wrote to a file, when dropped:
/// a failed test leaves nothing running behind it. Only a live `sleep` or `sh` is killed (a
/// pid reused meanwhile by something else is left alone).
pub struct KillListed(pub std::path::PathBuf);

impl Drop for KillListed {
    fn drop(&mut self) {
        let ours = |p: u32| process_runs(p, "sleep") || process_runs(p, "sh");
        for p in pids_in(&self.0)
            .into_iter()
            .filter(|&p| alive(p) && ours(p))
        {
            zkdemo::signals::send(p as i32, libc::SIGKILL);
        }
    }
}
