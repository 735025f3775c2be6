//! `zkdemo config` against real ZooKeeper servers: watchers in their own processes, updaters
//! racing, the interactive updater through a pipe, a server restart, a session expiry,
//! delete + create, kazoo on the other side, and the input checks.

mod common;

use std::io::Write;
use std::process::{Command, Output, Stdio};
use std::time::Duration;

use common::*;
use serde_json::{json, Value};
use zkdemo::session::Session;

const T: Duration = Duration::from_secs(20);

/// `zkdemo --json --zk <c> config --path <path> <args…>`.
fn config(c: &Cluster, path: &str, args: &[&str]) -> Command {
    let mut cmd = zkdemo();
    cmd.args([
        "--json",
        "--zk",
        &c.connect_string(),
        "config",
        "--path",
        path,
    ]);
    cmd.args(args);
    cmd
}

/// Run a config command to the end; its exit code and JSON events.
fn run_config(c: &Cluster, path: &str, args: &[&str]) -> (i32, Vec<Value>, String) {
    let (status, p) = run(config(c, path, args), T);
    (status.code().unwrap_or(-1), p.events(), p.stderr())
}

fn set(c: &Cluster, path: &str, pairs: &[&str]) -> Value {
    let mut args = vec!["set"];
    args.extend_from_slice(pairs);
    let (code, events, err) = run_config(c, path, &args);
    assert_eq!(code, 0, "set {pairs:?}: {err}");
    events.into_iter().find(|e| e["event"] == "set").unwrap()
}

/// The session layer straight, for what zkdemo itself must not do (raw writes, deletes) and
/// for reading the truth.
fn session(c: &Cluster) -> Session {
    let cfg = session_config(&c.connect_string(), Duration::from_secs(10));
    Session::connect(&cfg, |_| {}).unwrap()
}

/// (version, data) of the node, or None.
fn node(c: &Cluster, path: &str) -> Option<(i32, Vec<u8>)> {
    match session(c).get_data(path) {
        Ok((d, st)) => Some((st.version, d)),
        Err(zkdemo::session::Error::NoNode) => None,
        Err(e) => panic!("reading {path}: {e}"),
    }
}

fn watch(c: &Cluster, path: &str, extra: &[&str]) -> Proc {
    let mut args = vec!["watch"];
    args.extend_from_slice(extra);
    let p = Proc::spawn(config(c, path, &args));
    assert!(
        p.wait_for(|j| j["event"] == "config" && j["initial"] == true, T)
            .is_some(),
        "no initial state:\n{}",
        p.transcript()
    );
    p
}

/// The changes a watcher printed (not the initial state).
fn changes(p: &Proc) -> Vec<Value> {
    p.events()
        .into_iter()
        .filter(|e| e["event"] == "config" && e["initial"] != true)
        .collect()
}

/// The last state a watcher printed, as (version, data); None when it said the node is gone.
fn last_printed(p: &Proc) -> Option<(i64, Value)> {
    let last = p
        .events()
        .into_iter()
        .rfind(|e| e["event"] == "config")
        .expect("a config event");
    (last["exists"] == true).then(|| (last["version"].as_i64().unwrap(), last["data"].clone()))
}

/// The node's state in the form the watcher prints.
fn truth(c: &Cluster, path: &str) -> Option<(i64, Value)> {
    let (code, events, err) = run_config(c, path, &["get"]);
    match code {
        0 => {
            let e = &events[0];
            Some((e["version"].as_i64().unwrap(), e["data"].clone()))
        }
        3 => None,
        _ => panic!("get: {code} {err}"),
    }
}

/// Wait until the watcher printed the node's current state.
fn converges(p: &Proc, c: &Cluster, path: &str) {
    let want = truth(c, path);
    let got = eventually(T, || (last_printed(p) == want).then_some(()));
    assert!(
        got.is_some(),
        "the watcher's last state is not the node's {want:?}:\n{}",
        p.transcript()
    );
}

#[test]
fn three_watchers_see_five_sets_in_order() {
    let c = shared();
    let path = unique_path("five");
    let mut watchers: Vec<Proc> = (0..3).map(|_| watch(c, &path, &["--count", "5"])).collect();
    for i in 1..=5 {
        let v = set(c, &path, &[&format!("n={i}")]);
        assert_eq!(v["version"], i - 1);
        std::thread::sleep(Duration::from_millis(150));
    }
    for w in &mut watchers {
        let st = w.wait_exit(T).expect("--count 5 exits");
        assert!(st.success(), "{}", w.transcript());
        let seen: Vec<(i64, Value)> = changes(w)
            .iter()
            .map(|e| (e["version"].as_i64().unwrap(), e["data"].clone()))
            .collect();
        let want: Vec<(i64, Value)> = (1..=5)
            .map(|i| (i - 1, json!({ "n": i.to_string() })))
            .collect();
        assert_eq!(seen, want, "{}", w.transcript());
        assert!(w.events().iter().all(|e| e["event"] != "missed"));
    }
}

#[test]
fn two_updaters_lose_no_keys() {
    let c = shared();
    let path = unique_path("race");
    let updaters: Vec<_> = ["a", "b"]
        .into_iter()
        .map(|who| {
            let path = path.clone();
            std::thread::spawn(move || {
                for i in 0..100 {
                    set(shared(), &path, &[&format!("{who}{i:03}={i}")]);
                }
            })
        })
        .collect();
    for u in updaters {
        u.join().unwrap();
    }
    let (version, data) = truth(c, &path).unwrap();
    let keys = data.as_object().unwrap();
    assert_eq!(keys.len(), 200, "{keys:?}");
    for who in ["a", "b"] {
        for i in 0..100 {
            assert_eq!(keys[&format!("{who}{i:03}")], i.to_string());
        }
    }
    // 200 writes, the first a create (version 0): none skipped, none doubled.
    assert_eq!(version, 199);
}

/// The interactive updater, fed through a pipe (no prompt: stdin is not a terminal).
fn interactive(c: &Cluster, path: &str, input: &[u8], json: bool) -> Output {
    let mut cmd = zkdemo();
    if json {
        cmd.arg("--json");
    }
    cmd.args(["--zk", &c.connect_string(), "config", "--path", path, "set"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    let mut stdin = child.stdin.take().unwrap();
    let input = input.to_vec();
    let writer = std::thread::spawn(move || stdin.write_all(&input));
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap().unwrap();
    out
}

#[test]
fn interactive_updater_through_a_pipe() {
    let c = shared();
    let path = unique_path("pipe");
    let big = format!("big={}\n", "x".repeat(1_000_001));
    let mut input = Vec::new();
    input.extend_from_slice(b"a=1\nnot a pair\n=x\nb=two words = fine\n\n");
    input.extend_from_slice(big.as_bytes());
    input.extend_from_slice(b"c=\xff\nunset a\nunset\nd=4\r\n");
    let out = interactive(c, &path, &input, true);
    // Every line is answered; piped input with refused lines then exits with the first refused
    // line's code (issue #17: a script must be able to tell).
    assert_eq!(out.status.code(), Some(2), "{out:?}");
    let events: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).expect("only JSON lines: no prompt in a pipe"))
        .collect();
    let answers: Vec<(String, i64)> = events
        .iter()
        .map(|e| match e["event"].as_str().unwrap() {
            "set" => ("set".into(), e["version"].as_i64().unwrap()),
            "error" => (
                format!("error line {}", e["line"]),
                e["code"].as_i64().unwrap(),
            ),
            other => panic!("unexpected event {other}"),
        })
        .collect();
    let want: Vec<(String, i64)> = vec![
        ("set".into(), 0),
        ("error line 2".into(), 2),
        ("error line 3".into(), 2),
        ("set".into(), 1),
        ("error line 6".into(), 65),
        ("error line 7".into(), 2),
        ("set".into(), 2),
        ("error line 9".into(), 2),
        ("set".into(), 3),
    ];
    assert_eq!(answers, want);
    assert_eq!(
        truth(c, &path),
        Some((3, json!({"b": "two words = fine", "d": "4"})))
    );

    // Human answers: one line per write on stdout, the errors on stderr.
    let out = interactive(c, &path, b"e=5\noops\n", false);
    assert_eq!(out.status.code(), Some(2), "a refused line, piped");
    let stdout = String::from_utf8(out.stdout).unwrap();
    assert_eq!(stdout.trim(), format!("set {path}: version 4"));
    let stderr = String::from_utf8(out.stderr).unwrap();
    assert!(
        stderr.contains("line 2") && stderr.contains("not key=value"),
        "{stderr}"
    );

    // Blanks around `=` belong to neither side (a new user typed `c = 3` and then could not
    // get, nor unset, the key "c ").
    let path = unique_path("pipe-spaces");
    let out = interactive(c, &path, b"c = 3\n  name =  two words \n", true);
    assert!(out.status.success(), "{out:?}");
    assert_eq!(
        truth(c, &path),
        Some((1, json!({"c": "3", "name": "two words "})))
    );
}

/// Issue #17, item 11: on a terminal, Ctrl-D (end of input) after the prompt ends the line, so
/// the shell's prompt does not follow ours on the same line. A real pty: stdin and stdout are
/// its terminal side, as in a shell.
#[test]
fn interactive_updater_on_a_terminal_ends_its_line_at_ctrl_d() {
    use std::fs::File;
    use std::io::Read;
    use std::os::fd::FromRawFd;
    use std::sync::{Arc, Mutex};

    let c = shared();
    let path = unique_path("tty");
    let (mut master, mut tty) = (0, 0);
    // SAFETY: openpty fills two descriptors we then own; no name, default settings.
    unsafe {
        // null_mut: Linux's libc takes *const termios and winsize, macOS's *mut.
        use std::ptr::null_mut;
        assert_eq!(
            libc::openpty(&mut master, &mut tty, null_mut(), null_mut(), null_mut()),
            0
        );
        // Not to be inherited by the children of tests running alongside.
        libc::fcntl(master, libc::F_SETFD, libc::FD_CLOEXEC);
        libc::fcntl(tty, libc::F_SETFD, libc::FD_CLOEXEC);
    }
    // SAFETY: each descriptor is owned once.
    let (mut master, tty) = unsafe { (File::from_raw_fd(master), File::from_raw_fd(tty)) };
    let mut cmd = zkdemo();
    cmd.args([
        "--zk",
        &c.connect_string(),
        "config",
        "--path",
        &path,
        "set",
    ])
    .stdin(tty.try_clone().unwrap())
    .stdout(tty.try_clone().unwrap())
    .stderr(Stdio::piped());
    let mut child = cmd.spawn().unwrap();
    drop(cmd);
    drop(tty);
    let seen = Arc::new(Mutex::new(Vec::new()));
    let mut reader = master.try_clone().unwrap();
    let sink = seen.clone();
    std::thread::spawn(move || {
        let mut buf = [0u8; 1024];
        while let Ok(n) = reader.read(&mut buf) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&buf[..n]);
        }
    });
    let text = || String::from_utf8_lossy(&seen.lock().unwrap()).into_owned();
    let shows = |what: &str| {
        eventually(Duration::from_secs(10), || {
            text().contains(what).then_some(())
        })
        .is_some()
    };
    assert!(shows("> "), "no prompt: {:?}", text());
    master.write_all(b"a=1\n").unwrap();
    assert!(shows("version 0"), "no answer: {:?}", text());
    assert!(
        eventually(Duration::from_secs(5), || text()
            .ends_with("> ")
            .then_some(()))
        .is_some(),
        "no second prompt: {:?}",
        text()
    );
    // Ctrl-D at the start of a line: the terminal's end of input.
    master.write_all(&[4]).unwrap();
    let status = eventually(Duration::from_secs(10), || child.try_wait().unwrap());
    assert!(status.is_some_and(|s| s.success()), "{status:?}");
    std::thread::sleep(Duration::from_millis(200));
    let out = text();
    let after = &out[out.rfind("> ").unwrap() + 2..];
    assert!(
        after.contains('\n'),
        "the last prompt's line was not ended: {out:?}"
    );
    assert_eq!(truth(c, &path), Some((0, json!({"a": "1"}))));
}

#[test]
fn bad_input_exits_with_the_documented_code_and_writes_nothing() {
    let c = shared();
    let path = unique_path("bad");
    for (args, code) in [
        (vec!["set", "novalue"], 2),
        (vec!["set", "=1"], 2),
        (vec!["set", "k\nx=1"], 2),
        (vec!["set", "k=line\nbreak"], 2),
        (vec!["set", "ok=1", "bad"], 2),
        (vec!["unset", "a=b"], 2),
        (vec!["get", "a=b"], 2),
        (vec!["get"], 3),
        (vec!["get", "a"], 3),
        (vec!["unset", "a"], 3),
        (vec!["set", "--expect-version", "0", "a=1"], 75),
    ] {
        let (got, _, err) = run_config(c, &path, &args);
        assert_eq!(got, code, "{args:?}: {err}");
        assert_eq!(node(c, &path), None, "{args:?} wrote something");
    }

    // Oversized: a document that would pass 1,000,000 bytes is refused before the write.
    let chunk = "x".repeat(120_000);
    for i in 0..8 {
        set(c, &path, &[&format!("k{i}={chunk}")]);
    }
    let before = node(c, &path).unwrap();
    let (got, _, err) = run_config(c, &path, &["set", &format!("k8={chunk}")]);
    assert_eq!(got, 65, "{err}");
    assert!(err.contains("1000000"), "{err}");
    assert_eq!(node(c, &path).unwrap(), before);

    // --expect-version: the right one writes, a stale one does not.
    let (got, _, _) = run_config(c, &path, &["set", "--expect-version", "7", "k0=small"]);
    assert_eq!(got, 0);
    let (got, _, _) = run_config(c, &path, &["set", "--expect-version", "7", "k0=again"]);
    assert_eq!(got, 75);
    assert_eq!(node(c, &path).unwrap().0, 8);
    let (got, events, _) = run_config(c, &path, &["get", "k0"]);
    assert_eq!((got, &events[0]["value"]), (0, &json!("small")));
    assert_eq!(run_config(c, &path, &["get", "nope"]).0, 3);

    // Data that is not key=value (not even UTF-8): shown escaped, never merged into.
    let raw = unique_path("raw");
    session(c)
        .create(
            &raw,
            b"\xff\xfe hi".to_vec(),
            zkdemo::session::NodeKind::Persistent,
        )
        .unwrap();
    let (got, events, _) = run_config(c, &raw, &["get"]);
    assert_eq!((got, &events[0]["data"]), (0, &json!("\\xff\\xfe hi")));
    assert_eq!(run_config(c, &raw, &["get", "a"]).0, 65);
    assert_eq!(run_config(c, &raw, &["set", "a=1"]).0, 65);
    assert_eq!(run_config(c, &raw, &["unset", "a"]).0, 65);
    assert_eq!(node(c, &raw).unwrap(), (0, b"\xff\xfe hi".to_vec()));
    let (got, human) = {
        let mut cmd = zkdemo();
        cmd.args(["--zk", &c.connect_string(), "config", "--path", &raw, "get"]);
        let (st, p) = run(cmd, T);
        (
            st.code(),
            p.lines().into_iter().map(|l| l.text).collect::<Vec<_>>(),
        )
    };
    assert_eq!(got, Some(0));
    assert_eq!(human, ["(not key=value) \"\\xff\\xfe hi\""]);
    // --raw replaces it whole.
    let v = set(c, &raw, &["--raw", "a=1"]);
    assert_eq!(v["version"], 1);
    assert_eq!(truth(c, &raw), Some((1, json!({"a": "1"}))));
}

#[test]
fn watch_survives_delete_and_create() {
    let c = shared();
    let path = unique_path("recreate");
    let w = watch(c, &path, &[]);
    set(c, &path, &["a=1"]);
    assert!(w.wait_for(|j| j["version"] == 0, T).is_some());
    session(c).delete(&path, None).unwrap();
    assert!(w
        .wait_for(|j| j["event"] == "config" && j["exists"] == false, T)
        .is_some());
    set(c, &path, &["b=2"]);
    set(c, &path, &["b=3"]);
    converges(&w, c, &path);
    let seen: Vec<Value> = changes(&w)
        .iter()
        .map(|e| json!([e["exists"], e["version"], e["data"]]))
        .collect();
    assert_eq!(
        seen,
        [
            json!([true, 0, {"a": "1"}]),
            json!([false, null, null]),
            json!([true, 0, {"b": "2"}]),
            json!([true, 1, {"b": "3"}]),
        ],
        "{}",
        w.transcript()
    );
    assert_eq!(
        changes(&w)[3]["changes"],
        json!({"added": {}, "changed": {"b": {"old": "2", "new": "3"}}, "removed": []})
    );
}

#[test]
fn watch_survives_a_server_restart() {
    // A tick of 1 s allows a 20 s session: it outlives the restart, so the watcher gets the
    // same session back and must re-arm the watches the server forgot.
    let mut c = standalone(1000);
    let path = unique_path("restart");
    let w = watch(&c, &path, &["--session-timeout", "20s"]);
    set(&c, &path, &["a=1"]);
    assert!(w.wait_for(|j| j["version"] == 0, T).is_some());
    c.restart(0).unwrap();
    assert!(
        w.wait_for(
            |j| j["event"] == "session" && j["state"] == "reconnected",
            T
        )
        .is_some(),
        "{}",
        w.transcript()
    );
    set(&c, &path, &["a=2"]);
    set(&c, &path, &["b=3"]);
    converges(&w, &c, &path);
    assert_eq!(last_printed(&w), Some((2, json!({"a": "2", "b": "3"}))));
}

#[test]
fn watch_survives_a_session_expiry() {
    // Tick 200 ms: sessions of 400 ms to 4 s. Pausing the server for 3 s outlasts the 1 s
    // session, which the server then expires: the watcher must connect a new session.
    let c = standalone(200);
    let path = unique_path("expiry");
    let w = watch(&c, &path, &["--session-timeout", "1s"]);
    set(&c, &path, &["a=1"]);
    assert!(w.wait_for(|j| j["version"] == 0, T).is_some());
    c.pause(0);
    std::thread::sleep(Duration::from_secs(3));
    c.resume(0);
    set(&c, &path, &["a=2"]);
    assert!(
        w.wait_for(|j| j["event"] == "session" && j["state"] == "new", T)
            .is_some(),
        "{}",
        w.transcript()
    );
    set(&c, &path, &["b=3"]);
    converges(&w, &c, &path);
    assert_eq!(last_printed(&w), Some((2, json!({"a": "2", "b": "3"}))));
    let lost = w
        .events()
        .into_iter()
        .any(|e| e["event"] == "session" && e["state"] == "lost");
    assert!(lost, "{}", w.transcript());
}

#[test]
fn kazoo_and_zkdemo_see_each_other() {
    let c = shared();
    let path = unique_path("kazoo");
    // The seed's config_client.py in essence: a DataWatch printing every version.
    let script = "import sys, json, time\nfrom kazoo.client import KazooClient\n\
        zk = KazooClient(hosts=sys.argv[1], timeout=10)\nzk.start(timeout=20)\n\
        @zk.DataWatch(sys.argv[2])\n\
        def show(data, stat):\n    \
            print(json.dumps({'data': data.decode() if data is not None else None,\n                      \
            'version': stat.version if stat else None}), flush=True)\n\
        time.sleep(60)\n";
    let mut py = Command::new(kazoo_python());
    py.args(["-c", script, &c.connect_string(), &path]);
    let k = Proc::spawn(py);
    assert!(
        k.wait_for(|j| j["version"].is_null(), Duration::from_secs(30))
            .is_some(),
        "{}",
        k.transcript()
    );
    set(c, &path, &["b=2", "a=1"]);
    assert!(k
        .wait_for(|j| j == &json!({"data": "a=1\nb=2\n", "version": 0}), T)
        .is_some());
    set(c, &path, &["c=3"]);
    assert!(k
        .wait_for(
            |j| j == &json!({"data": "a=1\nb=2\nc=3\n", "version": 1}),
            T
        )
        .is_some());

    // And the other way: kazoo sets (what the seed's config_updater.py did).
    let w = watch(c, &path, &["--count", "1"]);
    let status = Command::new(kazoo_python())
        .args([
            "-c",
            "import sys\nfrom kazoo.client import KazooClient\n\
             zk = KazooClient(hosts=sys.argv[1]); zk.start(timeout=20)\n\
             zk.set(sys.argv[2], b'a=1\\nc=4\\n'); zk.stop()",
            &c.connect_string(),
            &path,
        ])
        .status()
        .unwrap();
    assert!(status.success());
    let e = w
        .wait_for(|j| j["version"] == 2, T)
        .unwrap_or_else(|| panic!("{}", w.transcript()));
    assert_eq!(e["data"], json!({"a": "1", "c": "4"}));
    assert_eq!(
        e["changes"],
        json!({"added": {}, "changed": {"c": {"old": "3", "new": "4"}}, "removed": ["b"]})
    );
}

#[test]
fn exec_runs_after_each_change_and_missed_versions_are_reported() {
    let c = shared();
    let path = unique_path("exec");
    let dir = tempfile::tempdir().unwrap();
    // Version 0: save the document, take long (the sets below land meanwhile), fail.
    // Later versions: save and succeed.
    let cmd = format!(
        "cat > '{d}/v'$ZKDEMO_CONFIG_VERSION; if [ $ZKDEMO_CONFIG_VERSION = 0 ]; then \
         sleep 1.5; exit 3; fi",
        d = dir.path().display()
    );
    let mut w = watch(c, &path, &["--count", "2", "--exec", &cmd]);
    set(c, &path, &["a=1"]);
    assert!(w.wait_for(|j| j["version"] == 0, T).is_some());
    set(c, &path, &["b=2"]);
    set(c, &path, &["c=3"]);
    let st = w.wait_exit(T).expect("--count 2 exits");
    assert!(st.success(), "{}", w.transcript());
    let ev = w.events();
    let missed: Vec<&Value> = ev.iter().filter(|e| e["event"] == "missed").collect();
    assert_eq!(missed.len(), 1, "{}", w.transcript());
    assert_eq!(
        (
            &missed[0]["count"],
            &missed[0]["from"],
            &missed[0]["version"]
        ),
        (&json!(1), &json!(0), &json!(2))
    );
    let execs: Vec<(Value, Value)> = ev
        .iter()
        .filter(|e| e["event"] == "exec")
        .map(|e| (e["version"].clone(), e["ok"].clone()))
        .collect();
    assert_eq!(execs, [(json!(0), json!(false)), (json!(2), json!(true))]);
    let read = |v: &str| std::fs::read_to_string(dir.path().join(v)).unwrap();
    assert_eq!(read("v0"), "a=1\n");
    assert_eq!(read("v2"), "a=1\nb=2\nc=3\n");
}

#[test]
fn ctrl_c_ends_a_watch_with_130() {
    let c = shared();
    let mut w = watch(c, &unique_path("sigint"), &[]);
    w.signal(libc::SIGINT);
    let st = w.wait_exit(T).expect("exits on SIGINT");
    assert_eq!(st.code(), Some(130));
}

#[test]
fn set_creates_parents_and_name_means_configs_name() {
    let c = shared();
    let deep = format!("{}/a/b/conf", unique_path("deep"));
    assert_eq!(set(c, &deep, &["k=v"])["created"], true);
    assert_eq!(node(c, &deep), Some((0, b"k=v\n".to_vec())));

    let name = format!("t{:016x}", rand::random::<u64>());
    let mut cmd = zkdemo();
    cmd.args([
        "--json",
        "--zk",
        &c.connect_string(),
        "config",
        "--name",
        &name,
    ]);
    cmd.args(["set", "x=1"]);
    let (st, _) = run(cmd, T);
    assert!(st.success());
    let path = format!("/configs/{name}");
    assert_eq!(node(c, &path), Some((0, b"x=1\n".to_vec())));
    // Writing what is there already writes nothing (no version, no watcher woken).
    let again = set(c, &path, &["x=1"]);
    assert_eq!(
        (&again["changed"], &again["version"]),
        (&json!(false), &json!(0))
    );
    session(c).delete(&path, None).unwrap();
}

/// Issue #14: `zkdemo config get | head -1` ends quietly (exit 0, no panic) when the reader
/// goes away before everything is written.
#[test]
fn get_into_a_closed_pipe_exits_quietly() {
    let c = shared();
    let path = unique_path("pipe");
    let pairs: Vec<String> = (0..5000).map(|i| format!("key{i:05}=value{i}")).collect();
    let refs: Vec<&str> = pairs.iter().map(String::as_str).collect();
    set(c, &path, &refs);
    let mut child = zkdemo()
        .args([
            "--zk",
            &c.connect_string(),
            "config",
            "--path",
            &path,
            "get",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first = head_1(&mut child);
    assert!(first.starts_with("key00000="), "{first}");
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("panicked"), "{err}");
    assert_eq!(out.status.code(), Some(0), "{err}");
}

/// `zkdemo config watch | head -1`: the next change it cannot print ends it, as SIGPIPE would
/// (141); it ran on, printing to nobody, until killed (found by a fault trial).
#[test]
fn a_watch_whose_reader_went_away_ends_at_the_next_change() {
    let c = shared();
    let path = unique_path("watch-closed-stdout");
    set(c, &path, &["a=1"]);
    let mut child = zkdemo()
        .args([
            "--zk",
            &c.connect_string(),
            "config",
            "--path",
            &path,
            "watch",
        ])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first = head_1(&mut child);
    assert!(first.contains("version 0"), "{first}");
    set(c, &path, &["a=2"]);
    let st = exit_within(
        &mut child,
        Duration::from_secs(10),
        "the watcher, after a change it could not print",
    );
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(st.code(), Some(141), "{err}");
    assert!(!err.contains("panicked"), "{err}");
}
