//! `zkdemo lock` against real servers (issue #3). Tests print `MEASURE` lines.

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use serde_json::Value;
use zkdemo::session::{NodeKind, Session};

fn ts(v: &Value) -> SystemTime {
    humantime::parse_rfc3339(v["ts"].as_str().expect("ts")).expect("rfc3339")
}

fn worker(zk: &str, path: &str, id: &str, extra: &[&str]) -> Proc {
    let mut cmd = zkdemo();
    cmd.args(["--zk", zk, "--json", "lock", "--path", path, "--id", id])
        .args(extra);
    Proc::spawn(cmd)
}

/// (acquired, released, id, seq)
type Hold = (SystemTime, SystemTime, String, i64);

/// Every hold in the histories, in order of acquisition.
fn holds(histories: &[Vec<Value>]) -> Vec<Hold> {
    let mut v = Vec::new();
    for h in histories {
        let mut open: Option<&Value> = None;
        for e in h {
            match e["event"].as_str() {
                Some("acquired") => open = Some(e),
                Some("released") => {
                    let a = open.take().expect("released without acquired");
                    v.push((
                        ts(a),
                        ts(e),
                        a["id"].as_str().unwrap().to_owned(),
                        a["seq"].as_i64().unwrap(),
                    ));
                }
                _ => {}
            }
        }
        assert!(open.is_none(), "a hold was never released: {h:?}");
    }
    v.sort_by_key(|h| h.0);
    v
}

/// No two holds overlap; returns the handoff times (one release → the next acquire).
fn check_no_overlap(holds: &[Hold]) -> Vec<Duration> {
    holds
        .windows(2)
        .map(|w| {
            let (prev, next) = (&w[0], &w[1]);
            next.0.duration_since(prev.1).unwrap_or_else(|_| {
                panic!(
                    "overlap: {} acquired before {} released: {w:?}",
                    next.2, prev.2
                )
            })
        })
        .collect()
}

/// The process exists and is not a zombie.
fn alive(pid: u32) -> bool {
    std::fs::read_to_string(format!("/proc/{pid}/stat")).is_ok_and(|st| {
        st.rsplit_once(')')
            .is_some_and(|(_, r)| !r.trim_start().starts_with('Z'))
    })
}

fn percentile(v: &mut [Duration], p: f64) -> Duration {
    v.sort();
    v[((v.len() - 1) as f64 * p).round() as usize]
}

/// The raw ZooKeeper round trip through the same session layer: create + read, median of 50.
fn raw_round_trip(zk: &str) -> Duration {
    let cfg = session_config(zk, Duration::from_secs(4));
    let s = Session::connect(&cfg, |_| {}).unwrap();
    let base = unique_path("rtt");
    s.ensure_path(&base).unwrap();
    let mut v: Vec<Duration> = (0..50)
        .map(|_| {
            let t = Instant::now();
            let p = s
                .create(&format!("{base}/n-"), vec![], NodeKind::EphemeralSequential)
                .unwrap();
            s.get_data(&p).unwrap();
            t.elapsed()
        })
        .collect();
    percentile(&mut v, 0.5)
}

fn run_workers(n: usize, rounds: u32) -> (Vec<Hold>, Vec<Duration>) {
    let zk = shared().connect_string();
    let path = unique_path("workers");
    let count = rounds.to_string();
    let mut procs: Vec<Proc> = (0..n)
        .map(|i| {
            worker(
                &zk,
                &path,
                &format!("w{i}"),
                &["--hold", "10ms", "--pause", "5ms", "--count", &count],
            )
        })
        .collect();
    for p in &mut procs {
        let st = p
            .wait_exit(Duration::from_secs(120))
            .expect("workers finish");
        assert!(st.success(), "{}", p.transcript());
    }
    let histories: Vec<Vec<Value>> = procs.iter().map(|p| p.events()).collect();
    let h = holds(&histories);
    assert_eq!(h.len(), n * rounds as usize);
    let handoffs = check_no_overlap(&h);
    // Queue order: every acquisition took the lowest node, so sequences only grow.
    for w in h.windows(2) {
        assert!(w[1].3 > w[0].3, "out of queue order: {w:?}");
    }
    (h, handoffs)
}

/// `run_workers` (which checks exclusion and queue order), then print the handoff against a
/// raw round trip measured in the same run.
fn measure_handoffs(n: usize, rounds: u32) {
    let (_, mut handoffs) = run_workers(n, rounds);
    let rtt = raw_round_trip(&shared().connect_string());
    let (p50, p99) = (
        percentile(&mut handoffs, 0.5),
        percentile(&mut handoffs, 0.99),
    );
    println!(
        "MEASURE lock handoff, {n} contenders x {rounds}: p50 {p50:?} p99 {p99:?}; raw \
         create+get {rtt:?}; p50/rtt {:.2}",
        p50.as_secs_f64() / rtt.as_secs_f64()
    );
}

#[test]
fn three_workers_take_turns_in_queue_order_without_overlap() {
    measure_handoffs(3, 50);
}

#[test]
fn ten_contenders_hand_off_in_order() {
    measure_handoffs(10, 8);
}

#[test]
fn a_release_wakes_only_the_successor() {
    let zk = shared().connect_string();
    let path = unique_path("herd");
    let holder = worker(&zk, &path, "h", &["--hold", "1500ms", "--count", "1"]);
    holder
        .wait_event("acquired", Duration::from_secs(5))
        .expect("holder acquires");
    let waiters: Vec<Proc> = (0..3)
        .map(|i| {
            let p = worker(
                &zk,
                &path,
                &format!("q{i}"),
                &["--hold", "400ms", "--count", "1"],
            );
            p.wait_event("queued", Duration::from_secs(5))
                .expect("queued");
            p
        })
        .collect();
    // Each release must wake exactly the next waiter: the others print nothing new.
    for (i, next) in waiters.iter().enumerate() {
        next.wait_event("acquired", Duration::from_secs(5))
            .expect("the successor acquires");
        let woke_others: Vec<String> = waiters[i + 1..]
            .iter()
            .flat_map(|w| w.events())
            .filter(|e| e["event"] == "queued")
            .map(|e| e["id"].as_str().unwrap().to_owned())
            .collect();
        let expected = 2 - i;
        assert_eq!(
            woke_others.len(),
            expected,
            "each later waiter listed once, at join: {woke_others:?}"
        );
    }
}

const KAZOO_WORKER: &str = r#"
import json, sys, time, datetime
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1]); zk.start()
lock = zk.Lock(sys.argv[2], "kazoo")
def ts(): return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%fZ')
print(json.dumps({"event": "ready"}), flush=True)
for _ in range(int(sys.argv[3])):
    with lock:
        seq = int(lock.node[-10:])
        print(json.dumps({"event": "acquired", "ts": ts(), "id": "kazoo", "seq": seq}), flush=True)
        time.sleep(0.02)
        print(json.dumps({"event": "released", "ts": ts(), "id": "kazoo"}), flush=True)
    time.sleep(0.005)
zk.stop()
"#;

fn kazoo_worker(zk: &str, path: &str, rounds: u32) -> Proc {
    let mut cmd = std::process::Command::new(kazoo_python());
    cmd.args(["-c", KAZOO_WORKER, zk, path, &rounds.to_string()]);
    Proc::spawn(cmd)
}

#[test]
fn kazoo_and_zkdemo_workers_exclude_each_other_in_either_order() {
    let zk = shared().connect_string();
    for kazoo_first in [true, false] {
        let path = unique_path("interop");
        let mut procs = Vec::new();
        let zkdemo_workers = |procs: &mut Vec<Proc>| {
            for i in 0..2 {
                procs.push(worker(
                    &zk,
                    &path,
                    &format!("z{i}"),
                    &["--hold", "20ms", "--pause", "5ms", "--count", "15"],
                ));
            }
        };
        if kazoo_first {
            let k = kazoo_worker(&zk, &path, 15);
            k.wait_event("acquired", Duration::from_secs(10))
                .expect("kazoo acquires first");
            procs.push(k);
            zkdemo_workers(&mut procs);
        } else {
            zkdemo_workers(&mut procs);
            procs[0]
                .wait_event("acquired", Duration::from_secs(5))
                .expect("zkdemo acquires first");
            procs.push(kazoo_worker(&zk, &path, 15));
        }
        for p in &mut procs {
            let st = p.wait_exit(Duration::from_secs(60)).expect("finishes");
            assert!(st.success(), "{}", p.transcript());
        }
        let histories: Vec<Vec<Value>> = procs.iter().map(|p| p.events()).collect();
        let h = holds(&histories);
        assert_eq!(h.len(), 45);
        assert!(h.iter().any(|x| x.2 == "kazoo") && h.iter().any(|x| x.2 == "z1"));
        check_no_overlap(&h);
    }
}

#[test]
fn command_mode_passes_exit_code_environment_and_growing_fencing_tokens() {
    let zk = shared().connect_string();
    let path = unique_path("cmd");
    let dir = tempfile::tempdir().unwrap();
    let mut tokens = Vec::new();
    for i in 0..3 {
        let env_file = dir.path().join(format!("env{i}"));
        let script = format!("env | grep ^ZKDEMO_ > {}; exit 7", env_file.display());
        let mut cmd = zkdemo();
        cmd.args([
            "--zk", &zk, "lock", "--path", &path, "--", "sh", "-c", &script,
        ]);
        let (status, p) = run(cmd, Duration::from_secs(10));
        assert_eq!(status.code(), Some(7), "{}", p.transcript());
        let env = std::fs::read_to_string(&env_file).unwrap();
        let get = |k: &str| {
            env.lines()
                .find_map(|l| l.strip_prefix(&format!("{k}=")))
                .unwrap_or_else(|| panic!("{k} missing in {env}"))
                .to_owned()
        };
        assert_eq!(get("ZKDEMO_LOCK_PATH"), path);
        assert!(get("ZKDEMO_LOCK_NODE").starts_with(&format!("{path}/")));
        assert!(get("ZKDEMO_LOCK_NODE").contains("__lock__"));
        assert!(get("ZKDEMO_SESSION_ID").starts_with("0x"));
        tokens.push(get("ZKDEMO_FENCING_TOKEN").parse::<i64>().unwrap());
    }
    assert!(
        tokens.windows(2).all(|w| w[1] > w[0]),
        "tokens grow: {tokens:?}"
    );
}

#[test]
fn nonblock_and_wait_give_up_with_the_conflict_code_and_leave_nothing() {
    let zk = shared().connect_string();
    let path = unique_path("busy");
    let holder = worker(&zk, &path, "h", &["--hold", "20s", "--count", "1"]);
    holder
        .wait_event("acquired", Duration::from_secs(5))
        .expect("holder");
    let attempt = |extra: &[&str]| {
        let mut cmd = zkdemo();
        cmd.args(["--zk", &zk, "lock", "--path", &path])
            .args(extra)
            .args(["--", "true"]);
        let t = Instant::now();
        let (st, p) = run(cmd, Duration::from_secs(10));
        (st.code(), t.elapsed(), p)
    };
    let (code, took, p) = attempt(&["-n"]);
    assert_eq!(code, Some(75), "{}", p.transcript());
    assert!(took < Duration::from_millis(500), "-n took {took:?}");
    let (code, took, _) = attempt(&["-w", "1s"]);
    assert_eq!(code, Some(75));
    assert!(
        took >= Duration::from_millis(950) && took < Duration::from_secs(3),
        "-w 1s took {took:?}"
    );
    let (code, _, _) = attempt(&["-n", "-E", "42"]);
    assert_eq!(code, Some(42));
    // Only the holder's node is left.
    let cfg = session_config(&zk, Duration::from_secs(4));
    let s = Session::connect(&cfg, |_| {}).unwrap();
    assert_eq!(s.get_children(&path).unwrap().len(), 1);
}

/// Issue #17, item 7: zero where it means "at once". `--hold 0s --pause 0s` retakes the lock
/// at once, `-w 0s` is `-n`, and `--kill-grace 0s` sends SIGKILL right after SIGTERM.
#[test]
fn zero_durations_mean_at_once() {
    let zk = shared().connect_string();
    let path = unique_path("zero");
    let mut fast = worker(
        &zk,
        &path,
        "z",
        &["--hold", "0s", "--pause", "0s", "--count", "3"],
    );
    let st = fast.wait_exit(Duration::from_secs(10));
    assert_eq!(st.and_then(|s| s.code()), Some(0), "{}", fast.transcript());
    let names: Vec<String> = fast
        .events()
        .iter()
        .map(|e| e["event"].as_str().unwrap_or("").to_owned())
        .filter(|e| e == "acquired" || e == "released")
        .collect();
    assert_eq!(
        names,
        ["acquired", "released"].repeat(3),
        "{}",
        fast.transcript()
    );

    let holder = worker(&zk, &path, "h", &["--hold", "20s", "--count", "1"]);
    holder
        .wait_event("acquired", Duration::from_secs(5))
        .expect("holder");
    let mut cmd = zkdemo();
    cmd.args([
        "--zk", &zk, "lock", "--path", &path, "-w", "0s", "--", "true",
    ]);
    let t = Instant::now();
    let (st, p) = run(cmd, Duration::from_secs(10));
    let took = t.elapsed();
    assert_eq!(st.code(), Some(75), "{}", p.transcript());
    assert!(took < Duration::from_millis(1500), "-w 0s took {took:?}");
    // The answer of -n: who holds, not "waited too long".
    assert!(
        p.stderr().contains("held by worker h"),
        "{}",
        p.transcript()
    );

    let other = unique_path("zero-grace");
    let mut cmd = zkdemo();
    cmd.args([
        "--zk",
        &zk,
        "--json",
        "lock",
        "--path",
        &other,
        "--kill-grace",
        "0s",
    ])
    .args([
        "--",
        "sh",
        "-c",
        "trap '' TERM INT HUP; while :; do sleep 0.05; done",
    ]);
    let mut g = Proc::spawn(cmd);
    assert!(
        g.wait_event("acquired", Duration::from_secs(10)).is_some(),
        "{}",
        g.transcript()
    );
    std::thread::sleep(Duration::from_millis(300));
    let t = Instant::now();
    g.signal(libc::SIGTERM);
    let st = g.wait_exit(Duration::from_secs(10));
    let took = t.elapsed();
    assert_eq!(
        st.and_then(|s| s.code()),
        Some(128 + libc::SIGKILL),
        "{}",
        g.transcript()
    );
    assert!(
        took < Duration::from_secs(2),
        "--kill-grace 0s took {took:?}"
    );
}

#[test]
fn ctrl_c_of_the_holder_lets_the_next_waiter_in_within_200ms() {
    let zk = shared().connect_string();
    let path = unique_path("ctrlc");
    let mut holder = worker(&zk, &path, "h", &["--hold", "30s"]);
    holder
        .wait_event("acquired", Duration::from_secs(5))
        .expect("holder");
    let waiter = worker(&zk, &path, "w", &["--hold", "100ms", "--count", "1"]);
    waiter
        .wait_event("queued", Duration::from_secs(5))
        .expect("queued");
    let sent = SystemTime::now();
    holder.signal(libc::SIGINT);
    let acquired = waiter
        .wait_event("acquired", Duration::from_secs(5))
        .expect("waiter acquires");
    let after = ts(&acquired).duration_since(sent).unwrap_or_default();
    println!("MEASURE Ctrl-C of the holder -> next acquire: {after:?}");
    assert!(after < Duration::from_millis(200), "{after:?}");
    assert_eq!(
        holder
            .wait_exit(Duration::from_secs(2))
            .and_then(|s| s.code()),
        Some(130)
    );
}

#[test]
fn a_hung_server_stops_the_whole_command_group_before_the_session_can_expire() {
    let zk = standalone(200);
    let path = unique_path("hang");
    let dir = tempfile::tempdir().unwrap();
    let pids = dir.path().join("pids");
    // A shell with a grandchild: both must be dead in time.
    let script = format!(
        "sleep 1000 & echo $! > {0}; echo $$ >> {0}; wait",
        pids.display()
    );
    let mut cmd = zkdemo();
    cmd.args([
        "--zk",
        &zk.connect_string(),
        "--session-timeout",
        "2s",
        "--json",
    ])
    .args([
        "lock",
        "--path",
        &path,
        "--kill-grace",
        "500ms",
        "--",
        "sh",
        "-c",
        &script,
    ]);
    let mut p = Proc::spawn(cmd);
    p.wait_event("acquired", Duration::from_secs(5))
        .expect("acquired");
    let pids: Vec<u32> = eventually(Duration::from_secs(3), || {
        let text = std::fs::read_to_string(&pids).ok()?;
        let v: Vec<u32> = text.lines().filter_map(|l| l.trim().parse().ok()).collect();
        (v.len() == 2).then_some(v)
    })
    .expect("the command wrote its pids");
    zk.pause(0);
    let paused = Instant::now();
    let dead = eventually(Duration::from_secs(5), || {
        pids.iter().all(|&pid| !alive(pid)).then(Instant::now)
    })
    .expect("the command group dies");
    let status = p.wait_exit(Duration::from_secs(5)).expect("zkdemo exits");
    zk.resume(0);
    println!(
        "MEASURE hung server: command group dead {:?} after the pause (session timeout 2s)",
        dead - paused
    );
    assert!(
        dead - paused < Duration::from_secs(2),
        "{:?}",
        dead - paused
    );
    assert_eq!(status.code(), Some(79), "{}", p.transcript());
    assert!(p.events().iter().any(|e| e["event"] == "lost"));
}

#[test]
fn a_short_server_restart_neither_breaks_the_hold_nor_the_wait() {
    let mut zk = standalone(500);
    let c = zk.connect_string();
    let path = unique_path("restart");
    let extra = ["--hold", "4s", "--count", "1"];
    let mut holder = {
        let mut cmd = zkdemo();
        cmd.args([
            "--zk",
            &c,
            "--session-timeout",
            "10s",
            "--json",
            "lock",
            "--path",
            &path,
            "--id",
            "h",
        ])
        .args(extra);
        Proc::spawn(cmd)
    };
    holder
        .wait_event("acquired", Duration::from_secs(5))
        .expect("holder");
    let mut waiter = {
        let mut cmd = zkdemo();
        cmd.args([
            "--zk",
            &c,
            "--session-timeout",
            "10s",
            "--json",
            "lock",
            "--path",
            &path,
            "--id",
            "w",
        ])
        .args(["--hold", "100ms", "--count", "1"]);
        Proc::spawn(cmd)
    };
    waiter
        .wait_event("queued", Duration::from_secs(5))
        .expect("queued");
    zk.restart(0).unwrap();
    for p in [&mut holder, &mut waiter] {
        let st = p.wait_exit(Duration::from_secs(15)).expect("finishes");
        assert!(st.success(), "{}", p.transcript());
        assert!(
            !p.events().iter().any(|e| e["event"] == "lost"),
            "{}",
            p.transcript()
        );
    }
    let h = holds(&[holder.events(), waiter.events()]);
    assert_eq!(
        h.iter().map(|x| x.2.as_str()).collect::<Vec<_>>(),
        ["h", "w"]
    );
    check_no_overlap(&h);
}

/// `zkdemo lock --id p | head -1`: once its reader is gone, the worker stops taking the lock
/// (it took it in rounds, printing to nobody, until killed), lets go of its node, and ends as
/// SIGPIPE would (141). Found by a fault trial.
#[test]
fn a_worker_whose_reader_went_away_stops_and_lets_go() {
    use std::process::Stdio;
    let zk = shared().connect_string();
    let path = unique_path("closed-stdout");
    let mut child = zkdemo()
        .args(["--zk", &zk, "lock", "--path", &path, "--id", "p"])
        .args(["--hold", "100ms", "--pause", "100ms"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let first = head_1(&mut child);
    assert!(first.contains("worker p"), "{first}");
    let st = exit_within(
        &mut child,
        Duration::from_secs(10),
        "the worker whose reader went away",
    );
    let out = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(st.code(), Some(141), "{err}");
    assert!(!err.contains("panicked"), "{err}");
    assert!(shared_children(&path).is_empty(), "its node is gone");
}
