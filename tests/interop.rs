//! zkdemo beside the real recipes of other clients on one path (issue #16): Curator's
//! InterProcessMutex, LeaderLatch, LeaderSelector and InterProcessReadWriteLock (through the
//! Java peer in tests/peers), go-zookeeper's lock node, kazoo's ReadLock/WriteLock. Every
//! holder reports `acquired`/`released` (or `leader`/`resigned`/`stepped-down`) with a time
//! stamp; the tests check the stamps, not the implementation.

mod common;

use std::time::Duration;

use common::curator::curator_peer;
use common::spans::{holds_of_all, overlaps, spans, Span};
use common::*;
use zkdemo::session::NodeKind;

fn zk_elect(zk: &str, path: &str, id: &str, format: &str) -> Proc {
    let mut cmd = zkdemo();
    cmd.args([
        "--zk",
        zk,
        "--json",
        "--session-timeout",
        "2s",
        "elect",
        "--path",
        path,
        "--id",
        id,
        "--format",
        format,
    ]);
    Proc::spawn(cmd)
}

#[test]
fn zkdemo_and_curator_mutex_workers_exclude_each_other_and_all_progress() {
    let zk = shared().connect_string();
    let path = unique_path("curator-mutex");
    let rounds = "12";
    // The JVMs take a second or two to start: the Curator peers first, and the zkdemo workers
    // once both are connected, so that all five contend from then on.
    let mut procs: Vec<Proc> = (0..2)
        .map(|i| {
            curator_peer(
                &zk,
                "mutex",
                &path,
                &format!("c{i}"),
                &["--rounds", rounds, "--hold-ms", "20", "--pause-ms", "5"],
            )
        })
        .collect();
    for p in &procs {
        p.wait_event("ready", Duration::from_secs(30))
            .unwrap_or_else(|| panic!("the peer connects: {}", p.transcript()));
    }
    for i in 0..3 {
        procs.push(json_lock(
            &zk,
            &path,
            &format!("z{i}"),
            &[
                "--format", "curator", "--hold", "20ms", "--pause", "5ms", "--count", rounds,
            ],
        ));
    }
    let all = holds_of_all(&mut procs);
    for (p, s) in procs.iter().zip(&all) {
        assert_eq!(
            s.len(),
            12,
            "every worker holds 12 times: {}",
            p.transcript()
        );
    }
    let o = overlaps(&all);
    assert!(o.is_empty(), "{} overlaps, first: {:?}", o.len(), o[0]);
    // How fast the lock passes (release -> next acquire), by direction: zkdemo -> Curator,
    // Curator -> zkdemo, and within one client.
    let mut holds: Vec<&Span> = all.iter().flatten().collect();
    holds.sort_by_key(|h| h.from);
    let p50 = |from_z: bool, to_z: bool| {
        let mut v: Vec<Duration> = holds
            .windows(2)
            .filter(|w| w[0].id.starts_with('z') == from_z && w[1].id.starts_with('z') == to_z)
            .map(|w| w[1].from.duration_since(w[0].to).unwrap_or_default())
            .collect();
        v.sort();
        v.get(v.len() / 2).copied().unwrap_or_default()
    };
    let passes = |from_z: bool| {
        holds
            .windows(2)
            .filter(|w| w[0].id.starts_with('z') == from_z && w[1].id.starts_with('z') != from_z)
            .count()
    };
    assert!(
        passes(true) >= 3 && passes(false) >= 3,
        "the two clients took turns: {} passes zkdemo->Curator, {} back",
        passes(true),
        passes(false)
    );
    println!(
        "MEASURE curator mutex + zkdemo --format curator: {} holds, 0 overlaps; handoff p50 \
         zkdemo->Curator {:?}, Curator->zkdemo {:?}, zkdemo->zkdemo {:?}, Curator->Curator {:?}",
        holds.len(),
        p50(true, false),
        p50(false, true),
        p50(true, true),
        p50(false, false)
    );
}

/// One leader at a time, and failover both ways: zkdemo → Curator when zkdemo stops, and
/// Curator → zkdemo when the Curator peer dies (SIGKILL: its session expires).
fn one_election(zkdemo_format: &str, peer_recipe: &str) {
    let zk = shared().connect_string();
    let path = unique_path(peer_recipe);
    let mut z1 = zk_elect(&zk, &path, "z1", zkdemo_format);
    z1.wait_event("leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("zkdemo leads first: {}", z1.transcript()));
    let mut peer = curator_peer(&zk, peer_recipe, &path, "c1", &["--session-ms", "2000"]);
    peer.wait_event("ready", Duration::from_secs(30))
        .expect("the peer connects");
    std::thread::sleep(Duration::from_millis(800));
    assert!(
        !peer.events().iter().any(|e| e["event"] == "leader"),
        "the Curator peer must not lead beside zkdemo: {}",
        peer.transcript()
    );
    z1.signal(libc::SIGTERM);
    z1.wait_exit(Duration::from_secs(10)).expect("zkdemo stops");
    peer.wait_event("leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("Curator takes over: {}", peer.transcript()));
    // An observer names the leader as Curator does.
    let mut obs = zkdemo();
    obs.args(["--zk", &zk, "--json", "elect", "--observe", "--path", &path]);
    let obs = Proc::spawn(obs);
    let seen = obs
        .wait_event("leader_changed", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the observer reports: {}", obs.transcript()));
    assert_eq!(seen["leader"], "c1", "{seen}");
    drop(obs);
    let mut z2 = zk_elect(&zk, &path, "z2", zkdemo_format);
    z2.wait_event("follower", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("zkdemo follows the Curator leader: {}", z2.transcript()));
    let follower = z2.events().into_iter().find(|e| e["event"] == "follower");
    assert_eq!(follower.unwrap()["leader"], "c1", "{}", z2.transcript());
    peer.signal(libc::SIGKILL);
    let _ = peer.wait_exit(Duration::from_secs(5));
    z2.wait_event("leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("zkdemo takes over from Curator: {}", z2.transcript()));
    let all = [
        spans(&z1.events(), "leader", &["resigned"]),
        spans(&peer.events(), "leader", &["stepped-down"]),
    ];
    assert!(overlaps(&all).is_empty(), "two leaders: {all:?}");
    // z2 leads after the peer's session is gone: the peer's term is open until it died.
    let peer_end = peer.events().len();
    assert!(peer_end > 0);
    z2.signal(libc::SIGTERM);
    z2.wait_exit(Duration::from_secs(10)).expect("zkdemo stops");
}

#[test]
fn zkdemo_and_curator_leader_latch_share_one_election() {
    one_election("curator", "latch");
}

#[test]
fn zkdemo_and_curator_leader_selector_share_one_election() {
    one_election("curator-selector", "selector");
}

#[test]
fn curator_read_write_lock_readers_overlap_and_writers_exclude_everyone() {
    let zk = shared().connect_string();
    let path = unique_path("curator-rw");
    let hold = ["--hold", "1500ms", "--count", "1"];
    // The JVM takes a second or two to start: the Curator reader goes first.
    let mut cr = curator_peer(&zk, "read", &path, "cr", &["--hold-ms", "3000"]);
    cr.wait_event("acquired", Duration::from_secs(30))
        .unwrap_or_else(|| panic!("the Curator reader holds: {}", cr.transcript()));
    let mut r1 = json_lock(
        &zk,
        &path,
        "zr",
        &[&["--format", "curator-rw", "--shared"][..], &hold].concat(),
    );
    r1.wait_event("acquired", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("zkdemo shares the read lock: {}", r1.transcript()));
    let mut w = json_lock(
        &zk,
        &path,
        "zw",
        &[&["--format", "curator-rw"][..], &hold].concat(),
    );
    let mut cw = curator_peer(&zk, "write", &path, "cw", &["--hold-ms", "300"]);
    for p in [&mut r1, &mut cr, &mut w, &mut cw] {
        let st = p.wait_exit(Duration::from_secs(60)).expect("finishes");
        assert!(st.success(), "{}", p.transcript());
    }
    let readers = [
        spans(&r1.events(), "acquired", &["released"]),
        spans(&cr.events(), "acquired", &["released"]),
    ];
    assert_eq!(
        overlaps(&readers).len(),
        1,
        "the readers hold together: {readers:?}"
    );
    let writers = [
        spans(&w.events(), "acquired", &["released"]),
        spans(&cw.events(), "acquired", &["released"]),
    ];
    for wr in &writers {
        assert_eq!(wr.len(), 1, "each writer holds once");
        for other in readers.iter().chain(writers.iter()).filter(|o| o != &wr) {
            let o = overlaps(&[wr.clone(), other.clone()]);
            assert!(o.is_empty(), "a writer overlapped: {o:?}");
        }
    }
}

const KAZOO_RW: &str = r#"
import json, sys, time, datetime
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1]); zk.start()
kind, ident, hold = sys.argv[3], sys.argv[4], float(sys.argv[5])
lock = (zk.ReadLock if kind == "read" else zk.WriteLock)(sys.argv[2], ident)
def ts(): return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%fZ')
print(json.dumps({"event": "ready"}), flush=True)
with lock:
    print(json.dumps({"event": "acquired", "ts": ts(), "id": ident}), flush=True)
    time.sleep(hold)
    print(json.dumps({"event": "released", "ts": ts(), "id": ident}), flush=True)
zk.stop()
"#;

fn kazoo_rw(zk: &str, path: &str, kind: &str, id: &str, hold_s: f64) -> Proc {
    let mut cmd = std::process::Command::new(kazoo_python());
    cmd.args(["-c", KAZOO_RW, zk, path, kind, id, &hold_s.to_string()]);
    Proc::spawn(cmd)
}

#[test]
fn kazoo_read_write_lock_readers_overlap_and_writers_exclude_everyone() {
    let zk = shared().connect_string();
    let path = unique_path("kazoo-rw");
    let mut kr = kazoo_rw(&zk, &path, "read", "kr", 1.5);
    kr.wait_event("acquired", Duration::from_secs(10))
        .expect("the kazoo reader holds");
    let mut zr = json_lock(
        &zk,
        &path,
        "zr",
        &["--shared", "--hold", "1500ms", "--count", "1"],
    );
    zr.wait_event("acquired", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("zkdemo reads beside kazoo: {}", zr.transcript()));
    let mut kw = kazoo_rw(&zk, &path, "write", "kw", 0.3);
    let mut zw = json_lock(&zk, &path, "zw", &["--hold", "300ms", "--count", "1"]);
    // A reader that comes after a writer waits for it.
    std::thread::sleep(Duration::from_millis(200));
    let mut late = json_lock(
        &zk,
        &path,
        "zlate",
        &["--shared", "--hold", "100ms", "--count", "1"],
    );
    for p in [&mut kr, &mut zr, &mut kw, &mut zw, &mut late] {
        let st = p.wait_exit(Duration::from_secs(60)).expect("finishes");
        assert!(st.success(), "{}", p.transcript());
    }
    let s = |p: &Proc| spans(&p.events(), "acquired", &["released"]);
    let readers = [s(&kr), s(&zr)];
    assert_eq!(overlaps(&readers).len(), 1, "the readers hold together");
    for wr in [s(&kw), s(&zw)] {
        for other in [s(&kr), s(&zr), s(&late)] {
            assert!(
                overlaps(&[wr.clone(), other]).is_empty(),
                "a writer overlapped a reader"
            );
        }
    }
    assert!(
        overlaps(&[s(&kw), s(&zw)]).is_empty(),
        "two writers at once"
    );
    assert!(
        s(&late)[0].from > s(&kw)[0].to.min(s(&zw)[0].to),
        "the late reader waited for a writer"
    );
}

#[test]
fn a_go_zookeeper_lock_node_is_ordered_where_go_zookeeper_orders_it() {
    let zk = shared().connect_string();
    let path = unique_path("go-zk");
    let s = shared_session();
    s.ensure_path(&path).unwrap();
    // go-zookeeper's Lock: a protected name `_c_<32 hex>-lock-`, ordered by the number after it.
    let go = s
        .create(
            &format!("{path}/_c_0123456789abcdef0123456789abcdef-lock-"),
            Vec::new(),
            NodeKind::EphemeralSequential,
        )
        .unwrap();
    let (st, p) = run(
        {
            let mut c = zkdemo();
            c.args([
                "--zk", &zk, "lock", "--format", "curator", "--path", &path, "-n", "--", "true",
            ]);
            c
        },
        Duration::from_secs(20),
    );
    assert_eq!(
        st.code(),
        Some(75),
        "held by the go-zookeeper node: {}",
        p.transcript()
    );
    let mut waiter = json_lock(
        &zk,
        &path,
        "z",
        &["--format", "curator", "--hold", "100ms", "--count", "1"],
    );
    waiter
        .wait_event("queued", Duration::from_secs(10))
        .expect("zkdemo queues behind the go-zookeeper node");
    s.delete(&go, None).unwrap();
    waiter
        .wait_event("acquired", Duration::from_secs(10))
        .expect("zkdemo holds once it is gone");
    // One created after ours is behind it.
    let after = s
        .create(
            &format!("{path}/_c_fedcba9876543210fedcba9876543210-lock-"),
            Vec::new(),
            NodeKind::EphemeralSequential,
        )
        .unwrap();
    let st = waiter.wait_exit(Duration::from_secs(10)).expect("finishes");
    assert!(st.success(), "{}", waiter.transcript());
    s.delete(&after, None).unwrap();
    s.close();
}

#[test]
fn a_directory_of_another_format_or_of_two_is_refused_with_nothing_written() {
    let zk = shared().connect_string();
    // Curator's mutex holds the path: kazoo-format zkdemo (the default) is refused, and told
    // which --format the holders speak.
    let path = unique_path("foreign");
    let peer = curator_peer(&zk, "mutex", &path, "c", &[]);
    peer.wait_event("acquired", Duration::from_secs(30))
        .unwrap_or_else(|| panic!("the Curator peer holds: {}", peer.transcript()));
    let before = shared_children(&path);
    for extra in [
        &["lock"][..],
        &["lock", "--shared"],
        &["elect"],
        &["elect", "--format", "curator"],
    ] {
        let mut c = zkdemo();
        c.args(["--zk", &zk])
            .args(extra)
            .args(["--path", &path, "--id", "z"]);
        if extra[0] == "lock" {
            c.args(["-n", "--", "true"]);
        }
        let (st, p) = run(c, Duration::from_secs(20));
        assert_eq!(st.code(), Some(2), "{extra:?} refused: {}", p.transcript());
        let err = p.stderr();
        assert_eq!(err.lines().count(), 1, "one line: {err}");
        assert!(err.contains("curator") && err.contains("--format"), "{err}");
        assert_eq!(
            shared_children(&path),
            before,
            "nothing written by {extra:?}"
        );
    }
    // A directory that mixes kazoo's and Curator's nodes is refused by both formats.
    let s = shared_session();
    s.create(
        &format!("{path}/{}__lock__", "a".repeat(32)),
        b"k".to_vec(),
        NodeKind::EphemeralSequential,
    )
    .unwrap();
    let before = shared_children(&path);
    for format in ["kazoo", "curator"] {
        let mut c = zkdemo();
        c.args([
            "--zk", &zk, "lock", "--format", format, "--path", &path, "-n", "--", "true",
        ]);
        let (st, p) = run(c, Duration::from_secs(20));
        assert_eq!(
            st.code(),
            Some(2),
            "mixed refused for {format}: {}",
            p.transcript()
        );
        // Told it is mixed, not sent to the other side's --format (which refuses it too).
        let err = p.stderr();
        assert!(
            err.contains("mixes node formats") && !err.contains("--format curator"),
            "{err}"
        );
        assert_eq!(shared_children(&path), before);
    }
    // An observer names a leader there, and says that the other side's users may follow
    // another.
    let mut c = zkdemo();
    c.args(["--zk", &zk, "--json", "elect", "--observe", "--path", &path]);
    let observer = Proc::spawn(c);
    let seen = observer
        .wait_event("leader_changed", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the observer reports: {}", observer.transcript()));
    assert_eq!(seen["mixed"], true, "{seen}");
    drop(observer);
    // Curator's mutex has no shared side.
    let mut c = zkdemo();
    c.args([
        "--zk", &zk, "lock", "--format", "curator", "--shared", "--path", &path, "--", "true",
    ]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(2), "{}", p.transcript());
    assert!(p.stderr().contains("curator-rw"), "{}", p.stderr());
    s.close();
}

#[test]
fn in_every_format_the_command_gets_its_token_and_is_stopped_when_the_node_goes() {
    let zk = shared().connect_string();
    let s = shared_session();
    let modes: [&[&str]; 6] = [
        &[],
        &["--shared"],
        &["--format", "curator"],
        &["--format", "curator-rw"],
        &["--format", "curator-rw", "--shared"],
        &["--max-leases", "2"],
    ];
    for mode in modes {
        let path = unique_path("every-format");
        let mut c = zkdemo();
        c.args(["--zk", &zk, "lock", "--path", &path, "--kill-grace", "1s"])
            .args(mode)
            .args(["--", "sh", "-c"])
            .arg("echo $ZKDEMO_FENCING_TOKEN $ZKDEMO_LOCK_NODE; exec sleep 30");
        let mut p = Proc::spawn(c);
        let line = p
            .wait_text("", Duration::from_secs(20))
            .unwrap_or_else(|| panic!("{mode:?}: the command runs: {}", p.transcript()));
        let mut words = line.split_whitespace();
        let token: i64 = words.next().unwrap().parse().unwrap();
        let node = words.next().unwrap().to_owned();
        assert!(token > 0 && node.starts_with(&path), "{mode:?}: {line}");
        // Someone deletes our node: the hold is lost, the command stopped, exit 79.
        s.delete(&node, None).unwrap();
        let st = p
            .wait_exit(Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{mode:?}: stops: {}", p.transcript()));
        assert_eq!(st.code(), Some(79), "{mode:?}: {}", p.transcript());
    }
    s.close();
}
