//! The Curator peer (tests/peers/CuratorPeer.java, run by tests/common/curator.rs) on its own,
//! against the real server: before tests mix it with zkdemo, it must be a faithful Curator
//! contender that reports its holds truthfully. Its mutexes exclude each other, its latch fails
//! over, its readers share and its writer excludes them; and a kazoo `Lock` on the same path
//! does not exclude it (each ignores the other's nodes), which is why mixed tests matter.

mod common;

use std::process::Command;
use std::time::Duration;

use common::curator::curator_peer;
use common::spans::{closed_spans, overlap, Span};
use common::*;
use serde_json::Value;

/// No two holds overlap.
fn check_no_overlap(holds: &[Span]) {
    for w in holds.windows(2) {
        assert!(
            w[1].from >= w[0].to,
            "overlap: {} started before {} ended: {w:?}",
            w[1].id,
            w[0].id
        );
    }
}

fn ready(p: &Proc) {
    p.wait_event("ready", Duration::from_secs(30))
        .unwrap_or_else(|| panic!("no `ready`:\n{}", p.transcript()));
}

fn finish(procs: &mut [Proc]) -> Vec<Vec<Value>> {
    for p in procs.iter_mut() {
        let st = p
            .wait_exit(Duration::from_secs(60))
            .unwrap_or_else(|| panic!("still running:\n{}", p.transcript()));
        assert!(st.success(), "{st}:\n{}", p.transcript());
    }
    procs.iter().map(|p| p.events()).collect()
}

/// A node name as Curator writes it (`_c_<uuid>-<marker><seq>`), and its seq as reported.
fn check_node(h: &Span, marker: &str) {
    let name = h.start["node"].as_str().unwrap_or_default();
    let (prefix, seq) = name.split_at(name.len() - 10);
    assert!(
        name.starts_with("_c_") && prefix.ends_with(marker),
        "unexpected node name {name} (wanted _c_<uuid>-{marker}<seq>)"
    );
    assert_eq!(seq.parse::<i64>().ok(), h.start["seq"].as_i64(), "{h:?}");
}

#[test]
fn mutex_peers_exclude_each_other() {
    let zk = shared().connect_string();
    let path = unique_path("cur-mutex");
    let mut procs: Vec<Proc> = (0..3)
        .map(|i| {
            curator_peer(
                &zk,
                "mutex",
                &path,
                &format!("c{i}"),
                &["--rounds", "5", "--hold-ms", "40", "--pause-ms", "5"],
            )
        })
        .collect();
    let histories = finish(&mut procs);
    let h = closed_spans(&histories, "acquired", "released");
    assert_eq!(h.len(), 15, "{h:?}");
    for i in 0..3 {
        let id = format!("c{i}");
        assert_eq!(h.iter().filter(|x| x.id == id).count(), 5, "{h:?}");
    }
    for x in &h {
        check_node(x, "-lock-");
    }
    check_no_overlap(&h);
}

#[test]
fn latch_fails_over_when_the_leader_is_terminated() {
    let zk = shared().connect_string();
    let path = unique_path("cur-latch");
    let mut a = curator_peer(&zk, "latch", &path, "la", &[]);
    ready(&a);
    let first = a
        .wait_event("leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the only contender leads:\n{}", a.transcript()));
    let node = first["node"].as_str().unwrap().to_owned();
    assert!(node.contains("-latch-"), "{first}");
    // The node holds the id (defaultData), and the session that owns it is a.
    let s = shared_session();
    let (data, stat) = s.get_data(&format!("{path}/{node}")).unwrap();
    assert_eq!(data, b"la");
    assert_ne!(stat.ephemeral_owner, 0);

    let mut b = curator_peer(&zk, "latch", &path, "lb", &[]);
    ready(&b);
    assert!(
        b.wait_event("leader", Duration::from_secs(1)).is_none(),
        "two leaders:\n{}\n{}",
        a.transcript(),
        b.transcript()
    );
    a.signal(libc::SIGTERM);
    a.wait_event("closed", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no `closed` after SIGTERM:\n{}", a.transcript()));
    a.wait_exit(Duration::from_secs(10)).expect("a exits");
    let second = b
        .wait_event("leader", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("lb never leads:\n{}", b.transcript()));
    assert_eq!(second["id"], "lb");
    // The SIGTERMed leader ended its term before closing: the terms do not overlap.
    b.signal(libc::SIGTERM);
    b.wait_event("closed", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no `closed`:\n{}", b.transcript()));
    b.wait_exit(Duration::from_secs(10)).expect("b exits");
    let h = closed_spans(&[a.events(), b.events()], "leader", "stepped-down");
    assert_eq!(h.len(), 2, "{h:?}");
    check_no_overlap(&h);
    // Closing removed the nodes at once (no wait for an expiry).
    assert_eq!(s.get_children(&path).unwrap(), Vec::<String>::new());
    s.close();
}

#[test]
fn selector_peers_take_turns_and_one_killed_is_replaced_after_its_session_expires() {
    let zk = shared().connect_string();
    let path = unique_path("cur-sel");
    let mut procs: Vec<Proc> = (0..2)
        .map(|i| {
            curator_peer(
                &zk,
                "selector",
                &path,
                &format!("s{i}"),
                &["--rounds", "3", "--hold-ms", "50"],
            )
        })
        .collect();
    let h = closed_spans(&finish(&mut procs), "leader", "stepped-down");
    assert_eq!(h.len(), 6, "{h:?}");
    for x in &h {
        check_node(x, "-lock-");
    }
    check_no_overlap(&h);

    // SIGKILL: nothing is closed, the other waits for the session (2 s) to expire.
    let path = unique_path("cur-sel-kill");
    let a = curator_peer(&zk, "selector", &path, "sa", &[]);
    a.wait_event("leader", Duration::from_secs(30))
        .unwrap_or_else(|| panic!("sa never leads:\n{}", a.transcript()));
    let b = curator_peer(&zk, "selector", &path, "sb", &[]);
    ready(&b);
    a.signal(libc::SIGKILL);
    let killed = std::time::Instant::now();
    b.wait_event("leader", Duration::from_secs(15))
        .unwrap_or_else(|| panic!("sb never leads:\n{}", b.transcript()));
    let waited = killed.elapsed();
    assert!(
        waited >= Duration::from_millis(1500),
        "sb led {waited:?} after sa was killed: before its session could expire"
    );
}

#[test]
fn readers_share_and_a_writer_excludes_them() {
    let zk = shared().connect_string();
    let path = unique_path("cur-rw");
    // The readers hold until told to stop (SIGTERM), however long two more JVMs take to start
    // and queue on a busy machine.
    let r0 = curator_peer(&zk, "read", &path, "r0", &[]);
    let r1 = curator_peer(&zk, "read", &path, "r1", &[]);
    for r in [&r0, &r1] {
        r.wait_event("acquired", Duration::from_secs(30))
            .unwrap_or_else(|| panic!("a reader waits:\n{}", r.transcript()));
    }
    // A writer queues behind the readers, then a reader behind the writer.
    let s = shared_session();
    let queued = |n: usize| {
        eventually(Duration::from_secs(20), || {
            let c = s.get_children(&path).unwrap();
            (c.len() == n).then_some(c)
        })
        .unwrap_or_else(|| panic!("{n} nodes never under {path}"))
    };
    let w = curator_peer(&zk, "write", &path, "w", &["--hold-ms", "300"]);
    let c = queued(3);
    assert_eq!(
        c.iter().filter(|n| n.contains("-__WRIT__")).count(),
        1,
        "{c:?}"
    );
    let r2 = curator_peer(&zk, "read", &path, "r2", &["--hold-ms", "300"]);
    queued(4);
    // Now the readers stop: SIGTERM, answered with `released` and exit 143.
    let mut readers_now = vec![r0, r1];
    for r in &mut readers_now {
        r.signal(libc::SIGTERM);
        let st = r
            .wait_exit(Duration::from_secs(30))
            .expect("a reader stops");
        assert_eq!(st.code(), Some(143), "{}", r.transcript());
    }
    let mut procs = vec![w, r2];
    finish(&mut procs);
    procs.splice(0..0, readers_now);
    let histories: Vec<Vec<Value>> = procs.iter().map(|p| p.events()).collect();
    let mut h = closed_spans(&histories, "acquired", "released");
    assert_eq!(h.len(), 4, "{h:?}");
    let (readers, writers): (Vec<Span>, Vec<Span>) = h.drain(..).partition(|x| x.id != "w");
    for r in &readers {
        check_node(r, "__READ__");
    }
    check_node(&writers[0], "__WRIT__");
    let (r0, r1) = (&readers[0], &readers[1]);
    assert!(
        overlap(r0, r1) >= Duration::from_millis(500),
        "the two first readers did not share: {readers:?}"
    );
    for r in &readers {
        assert_eq!(
            overlap(r, &writers[0]),
            Duration::ZERO,
            "reader {r:?} overlaps the writer {:?}",
            writers[0]
        );
    }
    // The late reader waited for the writer queued before it (Curator's readers let a writer
    // ahead of them go first).
    assert_eq!(readers[2].id, "r2");
    assert!(readers[2].from >= writers[0].to, "{readers:?} {writers:?}");
    s.close();
}

/// A kazoo `Lock` holder like tests/lock.rs's worker, holding for argv[3] seconds.
const KAZOO_HOLDER: &str = r#"
import json, sys, time, datetime
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1]); zk.start()
lock = zk.Lock(sys.argv[2], "kazoo")
def ts(): return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%fZ')
print(json.dumps({"event": "ready"}), flush=True)
with lock:
    seq = int(lock.node[-10:])
    print(json.dumps({"event": "acquired", "ts": ts(), "id": "kazoo", "seq": seq}), flush=True)
    time.sleep(float(sys.argv[3]))
    print(json.dumps({"event": "released", "ts": ts(), "id": "kazoo"}), flush=True)
zk.stop()
"#;

fn kazoo_holder(zk: &str, path: &str, secs: f64) -> Proc {
    let mut cmd = Command::new(kazoo_python());
    cmd.args(["-c", KAZOO_HOLDER, zk, path, &secs.to_string()]);
    Proc::spawn(cmd)
}

/// The fact that makes mixed tests necessary: kazoo's `<hex>__lock__<seq>` and Curator's
/// `_c_<uuid>-lock-<seq>` do not exclude each other. kazoo skips names without `__lock__`;
/// Curator sorts names without `lock-` by their whole text, after its own zero-padded numbers.
/// Whichever holds first, the other acquires at once beside it.
#[test]
fn kazoo_and_curator_mutexes_on_one_path_overlap() {
    let zk = shared().connect_string();
    for kazoo_first in [true, false] {
        let path = unique_path("cur-kazoo");
        // The first holds far longer than a JVM takes to start; the second must acquire
        // while the first still holds, and then the first is stopped.
        let (first, second) = if kazoo_first {
            let k = kazoo_holder(&zk, &path, 60.0);
            k.wait_event("acquired", Duration::from_secs(30))
                .unwrap_or_else(|| panic!("kazoo acquires:\n{}", k.transcript()));
            (
                k,
                curator_peer(&zk, "mutex", &path, "curator", &["--hold-ms", "1000"]),
            )
        } else {
            let c = curator_peer(&zk, "mutex", &path, "curator", &[]);
            c.wait_event("acquired", Duration::from_secs(30))
                .unwrap_or_else(|| panic!("curator acquires:\n{}", c.transcript()));
            (c, kazoo_holder(&zk, &path, 1.0))
        };
        second
            .wait_event("acquired", Duration::from_secs(30))
            .unwrap_or_else(|| {
                panic!(
                    "the second acquires beside the first:\n{}",
                    second.transcript()
                )
            });
        assert!(
            !first.events().iter().any(|e| e["event"] == "released"),
            "kazoo_first={kazoo_first}: the second acquired only after the first released:\n{}",
            first.transcript()
        );
        drop(first);
    }
}
