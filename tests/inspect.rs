//! `zkdemo inspect` against a real ZooKeeper, with real kazoo contenders: what it shows must
//! match what the contenders themselves say (who holds, who leads).

use std::process::{ChildStdin, Command};
use std::thread;
use std::time::{Duration, Instant};

use serde_json::Value;
use zkdemo::session::{NodeKind, Session};

mod common;

use common::{session_config, shared, standalone, unique_path, Proc};

// --- support ---------------------------------------------------------------------------------

/// The shared standalone server of this test binary.
fn zk() -> String {
    shared().connect_string()
}

fn session() -> Session {
    let cfg = session_config(&zk(), Duration::from_secs(10));
    Session::connect(&cfg, |_| {}).expect("a session with the test server")
}

fn zkdemo() -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_zkdemo"));
    c.env("ZKDEMO_ZK", zk()).env_remove("ZKDEMO_AUTH");
    c
}

/// Run `zkdemo --json inspect ARGS` once: (exit code, the `inspect` event, stderr).
fn inspect_json(args: &[&str]) -> (i32, Option<Value>, String) {
    let out = zkdemo()
        .arg("--json")
        .arg("inspect")
        .args(args)
        .output()
        .unwrap();
    let ev = String::from_utf8_lossy(&out.stdout)
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .find(|v| v["event"] == "inspect");
    (
        out.status.code().unwrap_or(-1),
        ev,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// The contenders of the one path in an `inspect` event.
fn contenders(ev: &Value) -> Vec<Value> {
    ev["paths"][0]["contenders"]
        .as_array()
        .cloned()
        .unwrap_or_default()
}

fn ids_roles(ev: &Value) -> Vec<(String, String)> {
    contenders(ev)
        .iter()
        .map(|c| {
            (
                c["id"].as_str().unwrap().to_owned(),
                c["role"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

/// Poll `inspect` until `ok` holds for its event (the contenders register asynchronously).
fn inspect_until(path: &str, what: &str, ok: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let (code, ev, err) = inspect_json(&[path]);
        // 3: the recipe has not made the path yet.
        assert!(code == 0 || code == 3, "{err}");
        let ev = ev.unwrap();
        if code == 0 && ok(&ev) {
            return ev;
        }
        assert!(Instant::now() < deadline, "waited for {what}; last: {ev}");
        thread::sleep(Duration::from_millis(100));
    }
}

/// A kazoo contender in a python process. It prints `HOLD <id>` (lock, or a lease of a
/// semaphore: kind `semaphore:N` for N leases) or `LEAD <id>` (election) when it gets there, and
/// lets go when its stdin closes.
struct Kazoo {
    proc: Proc,
    stdin: Option<ChildStdin>,
}

const KAZOO: &str = r#"
import sys
from kazoo.client import KazooClient
hosts, kind, path, ident = sys.argv[1:5]
zk = KazooClient(hosts=hosts)
zk.start()
print("STARTED", ident, flush=True)
if kind == "lock":
    with zk.Lock(path, ident):
        print("HOLD", ident, flush=True)
        sys.stdin.read()
elif kind.startswith("semaphore:"):
    with zk.Semaphore(path, ident, max_leases=int(kind.split(":")[1])):
        print("HOLD", ident, flush=True)
        sys.stdin.read()
else:
    def lead():
        print("LEAD", ident, flush=True)
        sys.stdin.read()
    zk.Election(path, ident).run(lead)
zk.stop()
"#;

impl Kazoo {
    fn start(kind: &str, path: &str, id: &str) -> Kazoo {
        let mut cmd = Command::new(common::kazoo_python());
        cmd.args(["-c", KAZOO, &zk(), kind, path, id]);
        let (proc, stdin) = Proc::spawn_with_stdin(cmd);
        Kazoo {
            proc,
            stdin: Some(stdin),
        }
    }

    /// Wait for a line starting with `word`; false when it does not come within `limit`.
    fn says(&self, word: &str, limit: Duration) -> bool {
        self.proc.wait_text(word, limit).is_some()
    }

    /// Let go: close stdin, wait for the process to end.
    fn release(mut self) {
        drop(self.stdin.take());
        let _ = self.proc.wait_exit(Duration::from_secs(10));
    }
}

/// `zkdemo --json inspect --watch PATH`.
fn watcher(path: &str) -> Proc {
    let mut cmd = zkdemo();
    cmd.args(["--json", "inspect", "--watch", path]);
    Proc::spawn(cmd)
}

/// The next `inspect` state of a watcher.
fn next_state(w: &Proc, limit: Duration) -> Value {
    w.wait_event("inspect", limit)
        .unwrap_or_else(|| panic!("no new state in {limit:?}:\n{}", w.transcript()))
}

fn free_port() -> u16 {
    let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    l.local_addr().unwrap().port()
}

// --- tests -----------------------------------------------------------------------------------

#[test]
fn kazoo_lock_order_and_holder_match_the_holders() {
    let path = unique_path("inspect-lock");
    let mut workers = Vec::new();
    for (i, id) in ["w1", "w2", "w3"].iter().enumerate() {
        workers.push(Kazoo::start("lock", &path, id));
        // Start them one after another so the queue order is known: w1, w2, w3.
        inspect_until(&path, "the next contender", |ev| {
            contenders(ev).len() == i + 1
        });
    }
    assert!(workers[0].says("HOLD", Duration::from_secs(5)));
    let ev = inspect_until(&path, "three contenders", |ev| contenders(ev).len() == 3);
    assert_eq!(
        ids_roles(&ev),
        [("w1", "holder"), ("w2", "waiting"), ("w3", "waiting")]
            .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let first = &contenders(&ev)[0];
    assert_eq!(first["format"], "kazoo");
    assert!(first["session"].as_str().unwrap().starts_with("0x"));
    assert_eq!(ev["paths"][0]["problems"], serde_json::json!([]));
    assert!(!workers[1].says("HOLD", Duration::from_millis(200)));

    // The holder lets go: w2 says it holds, and inspect agrees.
    workers.remove(0).release();
    assert!(workers[0].says("HOLD", Duration::from_secs(5)));
    let ev = inspect_until(&path, "two contenders", |ev| contenders(ev).len() == 2);
    assert_eq!(ids_roles(&ev)[0], ("w2".into(), "holder".into()));
    assert_eq!(ids_roles(&ev)[1], ("w3".into(), "waiting".into()));
}

#[test]
fn election_leader_row_is_the_process_that_leads() {
    let path = unique_path("inspect-election");
    let a = Kazoo::start("elect", &path, "cand-a");
    inspect_until(&path, "one candidate", |ev| contenders(ev).len() == 1);
    let b = Kazoo::start("elect", &path, "cand-b");
    let ev = inspect_until(&path, "two candidates", |ev| contenders(ev).len() == 2);
    assert!(a.says("LEAD", Duration::from_secs(5)));
    assert_eq!(ev["paths"][0]["head_role"], "leader");
    assert_eq!(ids_roles(&ev)[0], ("cand-a".into(), "leader".into()));
    assert_eq!(ids_roles(&ev)[1], ("cand-b".into(), "waiting".into()));

    // Failover: b leads, and the row says so.
    a.release();
    assert!(b.says("LEAD", Duration::from_secs(5)));
    let ev = inspect_until(&path, "one candidate", |ev| contenders(ev).len() == 1);
    assert_eq!(ids_roles(&ev)[0], ("cand-b".into(), "leader".into()));
}

#[test]
fn planted_curator_node_next_to_kazoo_is_flagged() {
    let path = unique_path("inspect-mixed-lock");
    let holder = Kazoo::start("lock", &path, "kz");
    assert!(holder.says("HOLD", Duration::from_secs(10)));
    let s = session();
    s.create(
        &format!("{path}/_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d-lock-"),
        b"curator-client".to_vec(),
        NodeKind::EphemeralSequential,
    )
    .unwrap();
    // A persistent contender, and a child no recipe can order.
    s.create(
        &format!("{path}/0123456789abcdef0123456789abcdef__lock__"),
        b"stale".to_vec(),
        NodeKind::PersistentSequential,
    )
    .unwrap();
    s.create(&format!("{path}/junk"), vec![], NodeKind::Ephemeral)
        .unwrap();

    let (code, ev, err) = inspect_json(&[&path]);
    assert_eq!(code, 0, "{err}");
    let ev = ev.unwrap();
    let kinds: Vec<&str> = ev["paths"][0]["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"mixed-formats"), "{ev}");
    assert!(kinds.contains(&"not-ephemeral"), "{ev}");
    assert!(kinds.contains(&"unordered"), "{ev}");
    // The kazoo holder and the Curator node each believe they hold.
    let roles = ids_roles(&ev);
    assert!(roles.contains(&("kz".into(), "holder".into())), "{roles:?}");
    assert!(roles.contains(&("curator-client".into(), "holder".into())));

    // People see it too.
    let text = zkdemo().args(["inspect", &path]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("! mixed-formats"), "{text}");
    assert!(text.contains("curator"), "{text}");

    let stale = contenders(&ev)
        .into_iter()
        .find(|c| c["id"] == "stale")
        .unwrap();
    s.delete(&format!("{path}/{}", stale["node"].as_str().unwrap()), None)
        .unwrap();
    holder.release();
}

#[test]
fn watch_shows_a_change_within_a_second() {
    let path = unique_path("inspect-watch-lock");
    let s = session();
    s.create(&path, vec![], NodeKind::Persistent).unwrap();
    let w = watcher(&path);
    let first = next_state(&w, Duration::from_secs(10));
    assert_eq!(first["event"], "inspect");
    assert_eq!(contenders(&first).len(), 0);

    // A contender comes…
    let made = Instant::now();
    let node = s
        .create(
            &format!("{path}/0123456789abcdef0123456789abcdef__lock__"),
            b"newcomer".to_vec(),
            NodeKind::EphemeralSequential,
        )
        .unwrap();
    let ev = next_state(&w, Duration::from_secs(2));
    assert!(
        made.elapsed() < Duration::from_secs(1),
        "took {:?}",
        made.elapsed()
    );
    assert_eq!(ids_roles(&ev), [("newcomer".into(), "holder".into())]);

    // …and goes (the watch was re-armed).
    let gone = Instant::now();
    s.delete(&node, None).unwrap();
    let ev = next_state(&w, Duration::from_secs(2));
    assert!(
        gone.elapsed() < Duration::from_secs(1),
        "took {:?}",
        gone.elapsed()
    );
    assert_eq!(contenders(&ev).len(), 0);
    assert!(ev["state"].as_u64().unwrap() >= 2);
}

#[test]
fn watch_sees_config_data_change() {
    let path = unique_path("inspect-watch-cfg");
    let s = session();
    s.create(&path, b"a=1\n".to_vec(), NodeKind::Persistent)
        .unwrap();
    let w = watcher(&path);
    let first = next_state(&w, Duration::from_secs(10));
    assert_eq!(first["paths"][0]["kind"], "config");
    assert_eq!(first["paths"][0]["entries"]["a"], "1");
    let t = Instant::now();
    s.set_data(&path, b"a=2\nb=x\n".to_vec(), None).unwrap();
    let ev = next_state(&w, Duration::from_secs(2));
    assert!(
        t.elapsed() < Duration::from_secs(1),
        "took {:?}",
        t.elapsed()
    );
    assert_eq!(ev["paths"][0]["entries"]["a"], "2");
    assert_eq!(ev["paths"][0]["entries"]["b"], "x");
    assert_eq!(ev["paths"][0]["version"], 1);
}

#[test]
fn missing_path_exits_3() {
    let path = unique_path("inspect-missing");
    let (code, ev, err) = inspect_json(&[&path]);
    assert_eq!(code, 3, "{err}");
    assert_eq!(ev.unwrap()["paths"][0]["kind"], "absent");
    let out = zkdemo().args(["inspect", &path]).output().unwrap();
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("no such node"));
}

#[test]
fn non_utf8_data_is_shown_escaped() {
    let path = unique_path("inspect-bytes");
    let s = session();
    s.create(&path, b"\xff\xfeok\n".to_vec(), NodeKind::Persistent)
        .unwrap();
    let (code, ev, err) = inspect_json(&[&path]);
    assert_eq!(code, 0, "{err}");
    let v = &ev.unwrap()["paths"][0];
    assert_eq!(v["kind"], "node");
    assert_eq!(v["data"], "\\xff\\xfeok\n");
    assert_eq!(v["data_utf8"], false);
    let out = zkdemo().args(["inspect", &path]).output().unwrap();
    let text = String::from_utf8(out.stdout).expect("the text itself is UTF-8");
    assert!(text.contains(r"data: \xff\xfeok"), "{text}");
    assert!(text.contains("dataLength"), "{text}");
}

#[test]
fn tree_shows_counts_and_sizes() {
    let path = unique_path("inspect-tree");
    let s = session();
    s.create(&path, b"12345".to_vec(), NodeKind::Persistent)
        .unwrap();
    s.create(&format!("{path}/a"), vec![], NodeKind::Persistent)
        .unwrap();
    s.create(&format!("{path}/a/b"), b"xy".to_vec(), NodeKind::Ephemeral)
        .unwrap();
    let out = zkdemo().args(["inspect", "-R", &path]).output().unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert!(lines[0].starts_with(&path) && lines[0].contains("1 child, 5 B"));
    assert!(lines[1].starts_with("  a  [1 child, 0 B]"), "{text}");
    assert!(
        lines[2].starts_with("    b  [0 children, 2 B, ephemeral 0x"),
        "{text}"
    );
}

#[test]
fn servers_says_mode_and_who_does_not_answer() {
    let dead = free_port();
    let out = zkdemo()
        .args(["--json", "inspect", "--servers"])
        .env("ZKDEMO_ZK", format!("{},127.0.0.1:{dead}", zk()))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let evs: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(evs.len(), 2);
    assert_eq!(evs[0]["status"], "ok");
    assert!(evs[0]["mode"].is_string());
    assert!(evs[0]["znodes"].as_u64().unwrap() > 0);
    assert_eq!(evs[1]["status"], "down");
    // Nothing answers at all: 69, and no session was needed to say so.
    let out = zkdemo()
        .args(["inspect", "--servers"])
        .env("ZKDEMO_ZK", format!("127.0.0.1:{dead}"))
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(69));
}

#[test]
fn servers_on_an_ensemble_one_leader_two_followers() {
    let e = common::ensemble(200);
    let connect = e.connect_string();
    let out = zkdemo()
        .args(["--json", "inspect", "--servers"])
        .env("ZKDEMO_ZK", &connect)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0));
    let evs: Vec<Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    let mut modes: Vec<&str> = evs.iter().map(|v| v["mode"].as_str().unwrap()).collect();
    modes.sort();
    assert_eq!(modes, ["follower", "follower", "leader"], "{evs:?}");
    let servers: Vec<&str> = evs.iter().map(|v| v["server"].as_str().unwrap()).collect();
    assert_eq!(
        servers.join(","),
        connect,
        "in the order of the connect string"
    );
    assert!(evs
        .iter()
        .all(|v| v["version"].as_str().unwrap().starts_with("3.")));
    assert!(evs.iter().all(|v| v["latency_ms"]["max"].is_number()));
    let text = zkdemo()
        .args(["inspect", "--servers"])
        .env("ZKDEMO_ZK", &connect)
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert_eq!(text.matches("  leader  ").count(), 1, "{text}");
    assert_eq!(text.matches("  follower  ").count(), 2, "{text}");
}

#[test]
fn defaults_report_absent_paths_and_show_each_config() {
    // Only this test touches the default paths of the shared server.
    let (code, ev, err) = inspect_json(&[]);
    assert_eq!(code, 0, "{err}");
    let kinds: Vec<(String, String)> = ev.unwrap()["paths"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| {
            (
                v["path"].as_str().unwrap().into(),
                v["kind"].as_str().unwrap().into(),
            )
        })
        .collect();
    assert_eq!(
        kinds,
        [
            ("/demo-lock", "absent"),
            ("/demo-election", "absent"),
            ("/configs", "absent")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let s = session();
    s.ensure_path("/configs").unwrap();
    s.create(
        "/configs/app",
        b"color=blue\nsize=3\n".to_vec(),
        NodeKind::Persistent,
    )
    .unwrap();
    let (code, ev, err) = inspect_json(&[]);
    assert_eq!(code, 0, "{err}");
    let cfg = &ev.unwrap()["paths"][2];
    assert_eq!(cfg["path"], "/configs/app");
    assert_eq!(cfg["kind"], "config");
    assert_eq!(cfg["entries"]["color"], "blue");
    assert!(cfg["mzxid"].as_str().unwrap().starts_with("0x"));
    let text = zkdemo()
        .arg("inspect")
        .env("ZKDEMO_ZK", zk())
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("/demo-lock: does not exist"), "{text}");
    assert!(text.contains("/configs/app  (config, version 0"), "{text}");
    assert!(text.contains("color  = blue"), "{text}");
}

#[test]
fn kazoo_and_zkdemo_contenders_share_one_queue() {
    let path = unique_path("inspect-mixed-clients-lock");
    let kz = Kazoo::start("lock", &path, "kz");
    assert!(kz.says("HOLD", Duration::from_secs(10)));
    let mut cmd = zkdemo();
    cmd.args([
        "--json", "lock", "--path", &path, "--id", "zd", "--", "sleep", "30",
    ]);
    let zd = Proc::spawn(cmd);
    zd.wait_event("queued", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("zkdemo lock did not queue:\n{}", zd.transcript()));
    let ev = inspect_until(&path, "two contenders", |ev| contenders(ev).len() == 2);
    assert_eq!(
        ids_roles(&ev),
        [("kz", "holder"), ("zd", "waiting")].map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    // Same format, one family: they see each other, nothing to flag.
    assert_eq!(ev["paths"][0]["problems"], serde_json::json!([]));
    assert!(zd.events().iter().all(|e| e["event"] != "acquired"));

    kz.release();
    zd.wait_event("acquired", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("zkdemo lock did not acquire:\n{}", zd.transcript()));
    let ev = inspect_until(&path, "one contender", |ev| contenders(ev).len() == 1);
    assert_eq!(ids_roles(&ev), [("zd".to_owned(), "holder".to_owned())]);
}

/// Issue #17, item 8: the same id twice in one queue, the visible sign of a stuck session. An
/// old session of worker `w1` (here the test's own, as a hung process would leave it) still
/// holds; the restarted worker `w1` queues behind its own ghost. `inspect` says so.
#[test]
fn the_same_id_in_two_sessions_is_flagged() {
    let path = unique_path("inspect-same-id-lock");
    let old = session();
    old.ensure_path(&path).unwrap();
    old.create(
        &format!("{path}/0123456789abcdef0123456789abcdef__lock__"),
        b"w1".to_vec(),
        NodeKind::EphemeralSequential,
    )
    .unwrap();
    let mut cmd = zkdemo();
    cmd.args([
        "--json", "lock", "--path", &path, "--id", "w1", "--hold", "1s",
    ]);
    let mut w = Proc::spawn(cmd);
    w.wait_event("queued", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the worker did not queue:\n{}", w.transcript()));

    let ev = inspect_until(&path, "two contenders", |ev| contenders(ev).len() == 2);
    let problems = ev["paths"][0]["problems"].as_array().unwrap().clone();
    let same: Vec<&Value> = problems.iter().filter(|p| p["kind"] == "same-id").collect();
    assert_eq!(same.len(), 1, "{ev}");
    let msg = same[0]["message"].as_str().unwrap();
    assert!(msg.contains("id w1 is on 2 nodes"), "{msg}");
    assert!(msg.contains(&old.id().to_string()), "{msg}");

    let text = zkdemo().args(["inspect", &path]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("! same-id: id w1 is on 2 nodes"), "{text}");

    w.signal(libc::SIGINT);
    w.wait_exit(Duration::from_secs(5));
    old.close();
}

/// `--watch` through a server restart and through a session expiry (a server paused past the
/// session timeout): after each, a later change still shows, because the watches the server
/// forgot are armed again (same session) or anew (new session).
#[test]
fn watch_recovers_after_a_server_restart_and_after_a_session_expiry() {
    let mut c = standalone(200);
    let zk = c.connect_string();
    let path = unique_path("inspect-watch-recover");
    let set = |data: &str| {
        let s = Session::connect(&session_config(&zk, Duration::from_secs(4)), |_| {})
            .expect("a session");
        match s.exists(&path).unwrap() {
            Some(_) => s
                .set_data(&path, data.as_bytes().to_vec(), None)
                .map(|_| ()),
            None => s
                .create(&path, data.as_bytes().to_vec(), NodeKind::Persistent)
                .map(|_| ()),
        }
        .unwrap();
        s.close();
    };
    let shows = |w: &Proc, a: &str| {
        w.wait_for(
            |e| e["event"] == "inspect" && e["paths"][0]["entries"]["a"] == a,
            Duration::from_secs(20),
        )
        .unwrap_or_else(|| panic!("a={a} never shown:\n{}", w.transcript()))
    };
    set("a=1\n");
    let mut cmd = zkdemo();
    cmd.args(["--zk", &zk, "--session-timeout", "4s", "--json"])
        .args(["inspect", "--watch", &path]);
    let w = Proc::spawn(cmd);
    shows(&w, "1");

    c.restart(0).unwrap();
    set("a=2\n");
    shows(&w, "2");

    c.pause(0);
    std::thread::sleep(Duration::from_secs(5));
    c.resume(0);
    set("a=3\n");
    shows(&w, "3");
}

/// Curator's read/write lock (`InterProcessReadWriteLock`): a reader holds while no writer is
/// ahead of it, by Curator's own rule (`queue::Recipe::CuratorRead`), so two readers share the
/// lock and the writer and the reader behind it wait. The nodes are planted as Curator writes
/// them: ephemeral sequential, `_c_<uuid>-__READ__` / `-__WRIT__`.
#[test]
fn curator_readers_share_until_a_writer() {
    let path = unique_path("inspect-curator-rw");
    let s = session();
    s.ensure_path(&path).unwrap();
    let uuids = [
        "1b0e6a7c-3f9d-4c1e-8a2b-5d6e7f809a1b",
        "2c1f7b8d-4a0e-4d2f-9b3c-6e7f8091ab2c",
        "3d2a8c9e-5b1f-4e3a-8c4d-7f8091a2bc3d",
        "4e3b9daf-6c2a-4f4b-9d5e-8091a2b3cd4e",
    ];
    let plan = [
        ("__READ__", "reader-1"),
        ("__READ__", "reader-2"),
        ("__WRIT__", "writer"),
        ("__READ__", "reader-3"),
    ];
    // One session each, as four Curator clients would have.
    let mut clients = Vec::new();
    for (u, (marker, id)) in uuids.iter().zip(plan) {
        let c = session();
        c.create(
            &format!("{path}/_c_{u}-{marker}"),
            id.as_bytes().to_vec(),
            NodeKind::EphemeralSequential,
        )
        .unwrap();
        clients.push(c);
    }
    let (code, ev, err) = inspect_json(&[&path]);
    assert_eq!(code, 0, "{err}");
    let ev = ev.unwrap();
    assert_eq!(
        ids_roles(&ev),
        [
            ("reader-1", "holder"),
            ("reader-2", "holder"),
            ("writer", "waiting"),
            ("reader-3", "waiting")
        ]
        .map(|(a, b)| (a.to_owned(), b.to_owned()))
    );
    let formats: Vec<String> = contenders(&ev)
        .iter()
        .map(|c| c["format"].as_str().unwrap().to_owned())
        .collect();
    assert_eq!(
        formats,
        [
            "curator-read",
            "curator-read",
            "curator-write",
            "curator-read"
        ]
    );
    assert_eq!(ev["paths"][0]["problems"], serde_json::json!([]));

    let text = zkdemo().args(["inspect", &path]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(text.contains("readers share it"), "{text}");
    let holders = text.lines().filter(|l| l.contains(" holder ")).count();
    assert_eq!(holders, 2, "{text}");
    for c in clients {
        c.close();
    }
    s.close();
}

/// The leases' ids of a semaphore in an `inspect` event, oldest first.
fn lease_ids(ev: &Value) -> Vec<String> {
    ev["paths"][0]["leases"]
        .as_array()
        .map(|v| {
            v.iter()
                .map(|l| l["id"].as_str().unwrap().to_owned())
                .collect()
        })
        .unwrap_or_default()
}

/// A kazoo `Semaphore` with two leases, held by two python processes while a third waits:
/// `inspect` shows the limit, both leases with their holders' ids and sessions, and the third
/// acquiring at the semaphore's lock (`P-__lock__`), in text, JSON and `--watch`.
#[test]
fn kazoo_semaphore_shows_its_leases_and_who_waits_for_one() {
    let path = unique_path("inspect-semaphore");
    let lock = format!("{path}-__lock__");
    let a = Kazoo::start("semaphore:2", &path, "sem-a");
    assert!(a.says("HOLD", Duration::from_secs(10)));
    let b = Kazoo::start("semaphore:2", &path, "sem-b");
    assert!(b.says("HOLD", Duration::from_secs(10)));
    let c = Kazoo::start("semaphore:2", &path, "sem-c");
    let ev = inspect_until(&path, "two leases and one contender", |ev| {
        lease_ids(ev).len() == 2 && contenders(ev).len() == 1
    });
    assert!(!c.says("HOLD", Duration::from_millis(200)));
    let v = &ev["paths"][0];
    assert_eq!(v["kind"], "semaphore", "{ev}");
    assert_eq!(
        (v["limit"].as_u64(), v["in_use"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(v["free"], 0);
    assert_eq!(v["lock_path"], lock.as_str());
    assert_eq!(lease_ids(&ev), ["sem-a", "sem-b"]);
    for l in v["leases"].as_array().unwrap() {
        assert!(l["session"].as_str().unwrap().starts_with("0x"), "{l}");
        assert_eq!(l["ephemeral"], true);
        assert_eq!(l["node"].as_str().unwrap().len(), 32, "{l}");
        assert!(l["since"].as_str().unwrap().ends_with('Z'), "{l}");
    }
    assert_eq!(
        ids_roles(&ev),
        [("sem-c".to_owned(), "acquiring".to_owned())]
    );
    assert_eq!(contenders(&ev)[0]["format"], "kazoo");
    assert_eq!(v["problems"], serde_json::json!([]));

    let text = zkdemo().args(["inspect", &path]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains(&format!(
            "{path}  (semaphore: 2 of 2 leases in use, 0 free)"
        )),
        "{text}"
    );
    assert!(text.contains("HOLDER") && text.contains("sem-a") && text.contains("sem-b"));
    assert!(
        text.contains(&format!("queued for a lease at {lock} (1;")),
        "{text}"
    );
    let row: Vec<&str> = text
        .lines()
        .find(|l| l.trim_start().starts_with("1 "))
        .unwrap_or_else(|| panic!("{text}"))
        .split_whitespace()
        .collect();
    assert_eq!(row[..3], ["1", "acquiring", "sem-c"], "{text}");
    assert!(!text.contains("unordered"), "{text}");

    // A lease goes: the one acquiring takes it, and a watcher shows it within a second.
    let w = watcher(&path);
    let first = next_state(&w, Duration::from_secs(10));
    assert_eq!(first["paths"][0]["kind"], "semaphore");
    a.release();
    assert!(c.says("HOLD", Duration::from_secs(10)));
    let seen = w
        .wait_for(
            |e| {
                e["event"] == "inspect"
                    && lease_ids(e) == ["sem-b", "sem-c"]
                    && contenders(e).is_empty()
            },
            Duration::from_secs(5),
        )
        .unwrap_or_else(|| panic!("the new lease never shown:\n{}", w.transcript()));
    assert_eq!(seen["paths"][0]["free"], 0);
    b.release();
    c.release();
}

/// More leases than the limit (planted: three lease-shaped ephemeral nodes under a limit of
/// 2), and a lease that is not ephemeral: both flagged.
#[test]
fn semaphore_over_its_limit_is_flagged() {
    let path = unique_path("inspect-semaphore-over");
    let s = session();
    s.create(&path, b"2".to_vec(), NodeKind::Persistent)
        .unwrap();
    for (i, id) in ["x1", "x2", "x3"].iter().enumerate() {
        s.create(
            &format!("{path}/{i:032x}"),
            id.as_bytes().to_vec(),
            NodeKind::Ephemeral,
        )
        .unwrap();
    }
    let (code, ev, err) = inspect_json(&[&path]);
    assert_eq!(code, 0, "{err}");
    let ev = ev.unwrap();
    let v = &ev["paths"][0];
    assert_eq!(v["kind"], "semaphore", "{ev}");
    assert_eq!(
        (v["limit"].as_u64(), v["in_use"].as_u64()),
        (Some(2), Some(3))
    );
    assert_eq!(v["free"], 0);
    assert_eq!(lease_ids(&ev), ["x1", "x2", "x3"]);
    let kinds: Vec<&str> = v["problems"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["over-limit"], "{ev}");
    let text = zkdemo().args(["inspect", &path]).output().unwrap();
    let text = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.contains("! over-limit: 3 leases are in use but the limit is 2"),
        "{text}"
    );
    assert!(text.contains(&format!("nobody queued for a lease at {path}-__lock__")));

    // A lease that outlives its holder.
    let stale = format!("{path}/{:032x}", 0xffu8);
    s.create(&stale, b"x4".to_vec(), NodeKind::Persistent)
        .unwrap();
    let (_, ev, _) = inspect_json(&[&path]);
    let ev = ev.unwrap();
    let problems = ev["paths"][0]["problems"].as_array().unwrap().clone();
    let stale_flag = problems
        .iter()
        .find(|p| p["kind"] == "not-ephemeral")
        .unwrap_or_else(|| panic!("{ev}"));
    assert!(stale_flag["message"]
        .as_str()
        .unwrap()
        .contains(&stale[path.len() + 1..]));
    s.delete(&stale, None).unwrap();
    s.close();
}
