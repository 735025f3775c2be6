//! `zkdemo demo` against real servers: its own (started and stopped by the demo) and the
//! shared one (`--zk`). The checks read the JSON stream, not the demo's own verdict.

mod common;

use std::collections::{BTreeMap, BTreeSet};
use std::time::{Duration, Instant, SystemTime};

use common::*;
use serde_json::Value;

/// The demo must finish in this time (the issue says so).
const LIMIT: Duration = Duration::from_secs(30);

fn ts(e: &Value) -> SystemTime {
    humantime::parse_rfc3339(e["ts"].as_str().expect("ts")).expect("an RFC 3339 ts")
}

fn by<'a>(events: &'a [Value], participant: &str, event: &str) -> Vec<&'a Value> {
    events
        .iter()
        .filter(|e| e["participant"] == participant && e["event"] == event)
        .collect()
}

/// Intervals from `start` to the next of `ends` by the same participant (whose name starts
/// with `who`), sorted; a hold never ended is an error.
fn spans(
    events: &[Value],
    start: &str,
    ends: &[&str],
    who: &str,
) -> Vec<(SystemTime, SystemTime, String)> {
    let mut open: BTreeMap<String, SystemTime> = BTreeMap::new();
    let mut out = Vec::new();
    for e in events {
        let Some(p) = e["participant"].as_str().filter(|p| p.starts_with(who)) else {
            continue;
        };
        let name = e["event"].as_str().unwrap();
        if name == start {
            assert!(
                open.insert(p.to_owned(), ts(e)).is_none(),
                "{p}: {start} twice"
            );
        } else if ends.contains(&name) {
            if let Some(s) = open.remove(p) {
                out.push((s, ts(e), p.to_owned()));
            }
        }
    }
    assert!(open.is_empty(), "never ended: {open:?}");
    out.sort();
    out
}

fn assert_no_overlap(spans: &[(SystemTime, SystemTime, String)], what: &str) {
    for w in spans.windows(2) {
        assert!(
            w[1].0 >= w[0].1,
            "{what} held twice at once: {} from {:?} to {:?}, {} from {:?}",
            w[0].2,
            w[0].0,
            w[0].1,
            w[1].2,
            w[1].0
        );
    }
}

/// The three stories, checked from the stream.
fn check_stories(ev: &[Value]) {
    let scenarios: Vec<&str> = ev
        .iter()
        .filter(|e| e["event"] == "scenario" && e["state"] == "start")
        .map(|e| e["name"].as_str().unwrap())
        .collect();
    assert_eq!(scenarios, ["lock", "elect", "config"]);
    for e in ev {
        assert!(e["participant"].is_string(), "no participant: {e}");
        assert!(e["ts"].is_string(), "no ts: {e}");
    }

    // Lock: three workers, two turns each, never two holders at once.
    let holds = spans(ev, "acquired", &["released", "lost"], "worker");
    assert_eq!(holds.len(), 6, "{holds:?}");
    for w in ["worker 1", "worker 2", "worker 3"] {
        assert_eq!(by(ev, w, "acquired").len(), 2, "{w}");
        assert!(by(ev, w, "lost").is_empty(), "{w} lost the lock");
    }
    assert_no_overlap(&holds, "the lock");
    // The lock is one queue: every acquisition has a larger fencing token.
    let tokens: Vec<i64> = ev
        .iter()
        .filter(|e| e["event"] == "acquired")
        .map(|e| e["fencing_token"].as_i64().unwrap())
        .collect();
    assert_eq!(
        tokens.iter().collect::<BTreeSet<_>>().len(),
        6,
        "{tokens:?}"
    );

    // Election: node 1 leads first; each leader stopped hands over to another; one at a time.
    let terms = spans(ev, "leader", &["resigned", "lost"], "node");
    assert_eq!(terms.len(), 3, "{terms:?}");
    assert_eq!(terms[0].2, "node 1");
    let leaders: BTreeSet<&str> = terms.iter().map(|t| t.2.as_str()).collect();
    assert_eq!(leaders.len(), 3, "each node led once: {terms:?}");
    assert_no_overlap(&terms, "leadership");
    for n in ["node 2", "node 3"] {
        assert!(!by(ev, n, "follower").is_empty(), "{n} never followed");
    }
    let stopped: Vec<&Value> = ev
        .iter()
        .filter(|e| e["event"] == "step" && e["text"].as_str().unwrap_or("").contains("SIGINT"))
        .collect();
    assert_eq!(stopped.len(), 2, "two leaders stopped with SIGINT");
    for n in ["node 1", "node 2", "node 3"] {
        let exit = ev
            .iter()
            .find(|e| e["event"] == "exited" && e["name"] == n)
            .unwrap_or_else(|| panic!("{n} did not exit"));
        assert_eq!(exit["code"], 130, "{n} exits as after Ctrl-C");
    }

    // Config: three updates, every watcher saw each one, with the same data.
    let sets = by(ev, "updater", "set");
    assert_eq!(sets.len(), 3);
    let versions: Vec<i64> = sets
        .iter()
        .map(|s| s["version"].as_i64().unwrap())
        .collect();
    assert_eq!(versions, [0, 1, 2]);
    let mut data_at: BTreeMap<i64, Value> = BTreeMap::new();
    for w in ["watcher 1", "watcher 2", "watcher 3"] {
        let seen: Vec<&Value> = by(ev, w, "config")
            .into_iter()
            .filter(|e| e["initial"] != true)
            .collect();
        let got: Vec<i64> = seen
            .iter()
            .map(|e| e["version"].as_i64().unwrap())
            .collect();
        assert_eq!(got, versions, "{w} saw every update, in order");
        assert!(by(ev, w, "missed").is_empty(), "{w} missed a version");
        for e in seen {
            let v = e["version"].as_i64().unwrap();
            let d = data_at.entry(v).or_insert_with(|| e["data"].clone());
            assert_eq!(*d, e["data"], "{w} saw other data at version {v}");
        }
    }
    assert_eq!(data_at[&2]["color"], "green");
    assert_eq!(data_at[&2]["replicas"], "3");

    // The inspect summary, and the demo's own verdict.
    assert!(
        by(ev, "inspect", "inspect").len() >= 3,
        "the lock queue, the election and the summary were inspected"
    );
    let summary = ev
        .iter()
        .find(|e| e["event"] == "summary")
        .expect("summary");
    assert_eq!(summary["ok"], true, "{summary}");
}

/// The pids the demo started (its participants, and its server when it made one).
fn started_pids(ev: &[Value]) -> Vec<u32> {
    ev.iter()
        .filter(|e| e["event"] == "spawned" || (e["event"] == "server" && e["state"] == "started"))
        .map(|e| e["pid"].as_u64().expect("pid") as u32)
        .collect()
}

fn assert_all_gone(pids: &[u32]) {
    assert!(!pids.is_empty());
    for &pid in pids {
        let gone = eventually(Duration::from_secs(3), || {
            (!process_runs(pid, "zkdemo") && !process_runs(pid, "QuorumPeerMain")).then_some(())
        });
        assert!(gone.is_some(), "process {pid} outlived the demo");
    }
}

/// The demo said it cleaned up, and did: its znodes and every process it started are gone.
fn assert_cleaned_up(ev: &[Value], base: &str) {
    let cleanup = ev
        .iter()
        .find(|e| e["event"] == "cleanup")
        .expect("cleanup");
    assert_eq!(cleanup["gone"], true, "{cleanup}");
    assert_absent(base);
    assert_all_gone(&started_pids(ev));
}

/// The path does not exist on the shared server.
fn assert_absent(path: &str) {
    let mut cmd = zkdemo();
    cmd.args(["--zk", &shared().connect_string(), "inspect", path]);
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(
        status.code(),
        Some(3),
        "{path} is still there:\n{}",
        p.transcript()
    );
}

#[test]
fn the_json_stream_shows_all_three_stories_told_right() {
    let zk = shared().connect_string();
    let mut cmd = zkdemo();
    cmd.args(["--json", "--zk", &zk, "demo"]);
    let t = Instant::now();
    let (status, p) = run(cmd, Duration::from_secs(90));
    let took = t.elapsed();
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    assert!(took < LIMIT, "the demo took {took:?}");
    // Every stdout line is one JSON object.
    for l in p.lines() {
        assert!(l.json.is_some(), "not JSON: {}", l.text);
    }
    let ev = p.events();
    check_stories(&ev);
    let start = ev
        .iter()
        .find(|e| e["event"] == "demo")
        .expect("demo event");
    assert_eq!(
        start["own_server"], false,
        "--zk given: no server of its own"
    );
    assert_eq!(start["zk"], zk.as_str());
    let base = start["base"].as_str().unwrap().to_owned();
    assert!(base.starts_with("/zkdemo-demo-"), "{base}");
    assert_cleaned_up(&ev, &base);
}

#[test]
fn without_zk_it_runs_its_own_server_and_talks_to_people() {
    let mut cmd = zkdemo();
    cmd.env_remove("ZKDEMO_ZK").arg("demo");
    let t = Instant::now();
    let (status, p) = run(cmd, Duration::from_secs(90));
    let took = t.elapsed();
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    assert!(took < LIMIT, "the demo took {took:?}");
    let out: Vec<String> = p.lines().into_iter().map(|l| l.text).collect();
    let all = out.join("\n");
    for prefix in [
        "[worker 1]",
        "[worker 3]",
        "[node 2]",
        "[watcher 3]",
        "[updater]",
        "[inspect]",
    ] {
        assert!(all.contains(prefix), "no {prefix} line:\n{all}");
    }
    assert!(all.contains("HOLDS the lock"), "{all}");
    assert!(all.contains("[node 2]    is the LEADER") || all.contains("[node 3]    is the LEADER"));
    assert!(
        all.contains("sees version 2: color=green replicas=3"),
        "{all}"
    );
    assert!(all.contains("all checks passed"), "{all}");
    assert!(
        !all.contains('\x1b'),
        "no colours when stdout is not a terminal"
    );
    // Its own server, and every participant, are gone.
    let pid_after = |needle: &str| -> Vec<u32> {
        out.iter()
            .filter(|l| l.contains(needle))
            .filter_map(|l| {
                let at = l.find("(pid ")? + 5;
                l[at..].split([')', ',']).next()?.parse().ok()
            })
            .collect()
    };
    let server = pid_after("local ZooKeeper ready");
    assert_eq!(server.len(), 1, "{all}");
    let mut pids = pid_after("zkdemo ");
    pids.extend(server);
    assert!(pids.len() >= 10, "{pids:?}");
    assert_all_gone(&pids);
    assert!(all.contains("local ZooKeeper stopped"), "{all}");
}

#[test]
fn ctrl_c_stops_everything_and_cleans_up() {
    let mut cmd = zkdemo();
    cmd.args([
        "--json",
        "--zk",
        &shared().connect_string(),
        "demo",
        "--scenario",
        "lock",
    ]);
    let mut p = Proc::spawn(cmd);
    let start = p
        .wait_event("demo", Duration::from_secs(20))
        .expect("the demo starts");
    let base = start["base"].as_str().unwrap().to_owned();
    p.wait_event("acquired", Duration::from_secs(20))
        .expect("a worker holds the lock");
    p.signal(libc::SIGINT);
    let t = Instant::now();
    let status = p.wait_exit(Duration::from_secs(15)).expect("exits");
    assert_eq!(status.code(), Some(130), "{}", p.transcript());
    assert!(t.elapsed() < Duration::from_secs(6), "{:?}", t.elapsed());
    let ev = p.events();
    assert!(
        ev.iter().all(|e| e["event"] != "summary"),
        "no verdict after Ctrl-C"
    );
    assert_cleaned_up(&ev, &base);
}

#[test]
fn an_unreachable_server_is_exit_69() {
    // A port nobody listens on.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let mut cmd = zkdemo();
    cmd.args([
        "--zk",
        &format!("127.0.0.1:{port}"),
        "--connect-timeout",
        "1s",
        "demo",
    ]);
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(status.code(), Some(69), "{}", p.transcript());
    assert!(p.lines().iter().all(|l| !l.text.contains("spawned")));
}
