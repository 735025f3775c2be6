//! The semaphore (`lock --max-leases N`) beside kazoo's `Semaphore` on one path (issue #16):
//! never more than N holders, the limit stored on the node, a full semaphore given up on with
//! the conflict code; and a lease by our own name held by another session (an earlier session
//! of ours, given up but not yet expired) waited for without a spin. With `--format curator`,
//! beside Curator's InterProcessSemaphoreV2 (the Java peer in tests/peers).

mod common;

use std::thread::sleep;
use std::time::{Duration, Instant};

use common::curator::curator_peer;
use common::spans::{holds_of_all, most_at_once};
use common::*;
use serde_json::{json, Value};
use zkdemo::session::NodeKind;

const KAZOO_SEMAPHORE: &str = r#"
import json, sys, time, datetime
from kazoo.client import KazooClient
zk = KazooClient(hosts=sys.argv[1]); zk.start()
ident, rounds, hold = sys.argv[3], int(sys.argv[4]), float(sys.argv[5])
sem = zk.Semaphore(sys.argv[2], ident, max_leases=int(sys.argv[6]))
def ts(): return datetime.datetime.utcnow().strftime('%Y-%m-%dT%H:%M:%S.%fZ')
print(json.dumps({"event": "ready"}), flush=True)
for _ in range(rounds):
    with sem:
        print(json.dumps({"event": "acquired", "ts": ts(), "id": ident}), flush=True)
        time.sleep(hold)
        print(json.dumps({"event": "released", "ts": ts(), "id": ident}), flush=True)
    time.sleep(0.01)
zk.stop()
"#;

fn kazoo_semaphore(zk: &str, path: &str, id: &str, rounds: u32, hold_s: f64, max: u32) -> Proc {
    let mut cmd = std::process::Command::new(kazoo_python());
    cmd.args(["-c", KAZOO_SEMAPHORE, zk, path, id]).args([
        rounds.to_string(),
        hold_s.to_string(),
        max.to_string(),
    ]);
    Proc::spawn(cmd)
}

#[test]
fn kazoo_and_zkdemo_semaphore_holders_never_exceed_the_limit() {
    let zk = shared().connect_string();
    let path = unique_path("semaphore");
    let mut procs: Vec<Proc> = (0..2)
        .map(|i| kazoo_semaphore(&zk, &path, &format!("k{i}"), 6, 0.05, 2))
        .collect();
    for i in 0..3 {
        procs.push(json_lock(
            &zk,
            &path,
            &format!("z{i}"),
            &[
                "--max-leases",
                "2",
                "--hold",
                "50ms",
                "--pause",
                "10ms",
                "--count",
                "6",
            ],
        ));
    }
    let all = holds_of_all(&mut procs);
    for (p, s) in procs.iter().zip(&all) {
        assert_eq!(s.len(), 6, "every holder holds 6 times: {}", p.transcript());
    }
    assert_eq!(
        most_at_once(&all),
        2,
        "at most 2 at once, and 2 at some time"
    );
    // The limit is stored on the node, as kazoo stores it; asking for another is refused
    // before anything is written, with the stored one named.
    let mut c = zkdemo();
    c.args([
        "--zk",
        &zk,
        "lock",
        "--max-leases",
        "3",
        "--path",
        &path,
        "--",
        "true",
    ]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(2), "{}", p.transcript());
    assert!(p.stderr().contains("allows 2 leases"), "{}", p.stderr());
    assert!(shared_children(&path).is_empty(), "no lease left behind");
    // Nobody holds a lease now, but a plain lock's node there would still count as one for
    // kazoo's users: refused, nothing written.
    let mut c = zkdemo();
    c.args(["--zk", &zk, "lock", "--path", &path, "-n", "--", "true"]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(2), "{}", p.transcript());
    assert!(p.stderr().contains("--max-leases"), "{}", p.stderr());
    assert!(shared_children(&path).is_empty(), "nothing written");
    // The other way round: a semaphore asked for on a plain lock's path is refused, and told
    // that it is a lock (not sent to --format kazoo, which it already speaks).
    let lock = unique_path("semaphore-on-a-lock");
    let mut holder = json_lock(&zk, &lock, "h", &["--count", "1", "--hold", "20s"]);
    holder
        .wait_event("acquired", Duration::from_secs(20))
        .expect("the lock is held");
    let before = shared_children(&lock);
    let mut c = zkdemo();
    c.args(["--zk", &zk, "lock", "--max-leases", "2", "--path", &lock])
        .args(["-n", "--", "true"]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(2), "{}", p.transcript());
    let err = p.stderr();
    assert!(
        err.contains("not a semaphore") && err.contains("without --max-leases"),
        "{err}"
    );
    assert!(!err.contains("--format"), "{err}");
    assert_eq!(shared_children(&lock), before, "nothing written");
    holder.signal(libc::SIGTERM);
    holder.wait_exit(Duration::from_secs(10)).expect("stops");
}

#[test]
fn a_full_semaphore_gives_up_with_the_conflict_code_and_hands_over_a_fencing_token() {
    let zk = shared().connect_string();
    let path = unique_path("semaphore-full");
    let holder = kazoo_semaphore(&zk, &path, "k", 1, 30.0, 1);
    holder
        .wait_event("acquired", Duration::from_secs(20))
        .expect("kazoo holds the only lease");
    let mut c = zkdemo();
    c.args([
        "--zk",
        &zk,
        "lock",
        "--max-leases",
        "1",
        "--path",
        &path,
        "-n",
        "--",
        "true",
    ]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(75), "{}", p.transcript());
    // A waiter says whose leases it waits for.
    let waiter = json_lock(
        &zk,
        &path,
        "z",
        &["--max-leases", "1", "--count", "1", "--hold", "0s"],
    );
    let queued = waiter
        .wait_event("queued", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the waiter says it waits: {}", waiter.transcript()));
    assert_eq!(queued["position"], 2, "{queued}");
    assert_eq!(queued["waiting_on_id"], "k", "{queued}");
    // Stopped, it leaves the queue at once (a killed one would stay until its session expires).
    let mut waiter = waiter;
    waiter.signal(libc::SIGTERM);
    waiter
        .wait_exit(Duration::from_secs(10))
        .expect("the waiter stops");
    // A kazoo contender waiting for a lease holds the semaphore's lock meanwhile; a waiter
    // behind it names it by the id kazoo meant ("k2"), not by what kazoo wrote (b'k2').
    let acquiring = kazoo_semaphore(&zk, &path, "k2", 1, 0.0, 1);
    acquiring
        .wait_event("ready", Duration::from_secs(20))
        .expect("the second kazoo client starts");
    let queue = format!("{path}-__lock__");
    eventually(Duration::from_secs(20), || {
        (!shared_children(&queue).is_empty()).then_some(())
    })
    .expect("k2 queues at the semaphore's lock");
    let waiter = json_lock(
        &zk,
        &path,
        "z",
        &["--max-leases", "1", "--count", "1", "--hold", "0s"],
    );
    let queued = waiter
        .wait_event("queued", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the waiter says it waits: {}", waiter.transcript()));
    // One place in line for everyone: k holds the only lease, k2 is next, z third.
    assert_eq!(queued["position"], 3, "{queued}");
    assert_eq!(queued["waiting_on_id"], "k2", "{queued}");
    drop(waiter);
    drop(acquiring);
    // A plain lock would count as one more lease there: refused, nothing written.
    let before = shared_children(&path);
    let mut c = zkdemo();
    c.args(["--zk", &zk, "lock", "--path", &path, "-n", "--", "true"]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(2), "{}", p.transcript());
    assert!(p.stderr().contains("--max-leases"), "{}", p.stderr());
    assert_eq!(shared_children(&path), before);
    drop(holder);
    let mut c = zkdemo();
    c.args([
        "--zk",
        &zk,
        "lock",
        "--max-leases",
        "1",
        "--path",
        &path,
        "-w",
        "20s",
        "--",
    ])
    .args(["sh", "-c", "echo $ZKDEMO_FENCING_TOKEN $ZKDEMO_LOCK_NODE"]);
    let (st, p) = run(c, Duration::from_secs(30));
    assert!(st.success(), "{}", p.transcript());
    assert!(
        p.stderr().contains("holding a lease of the semaphore"),
        "it says what it holds: {}",
        p.stderr()
    );
    let out = p
        .lines()
        .into_iter()
        .map(|l| l.text)
        .collect::<Vec<_>>()
        .join("\n");
    let mut words = out.split_whitespace();
    assert!(words.next().unwrap().parse::<i64>().unwrap() > 0, "{out}");
    let node = words.next().unwrap();
    assert!(
        node.starts_with(&format!("{path}/")) && node.len() == path.len() + 33,
        "a lease: {out}"
    );
}

/// A contender keeps its node-name prefix across sessions, and its lease is named by it: after
/// a given-up session (its close failed, the link was cut) the next session finds the lease
/// still held by the old one until the server expires it. Planted here by the test's own
/// session: the worker must wait for that lease to go, quietly (it watches the leases), and
/// then take it. A retry at once would ask the server thousands of times a second.
#[test]
fn a_lease_by_our_name_that_another_session_holds_is_waited_for_without_a_spin() {
    let zk = shared().connect_string();
    let addr = shared().addr(0);
    let path = unique_path("semaphore-ours");
    // kazoo's Semaphore serialises acquisition with a Lock beside it (`path + "-__lock__"`).
    let queue = format!("{path}-__lock__");
    let s = shared_session();
    // A kazoo lock node ahead of the worker in the semaphore's lock queue holds it there
    // until its lease is planted.
    s.ensure_path(&queue).unwrap();
    let ahead = s
        .create(
            &format!("{queue}/{:032x}__lock__", 7),
            b"ahead".to_vec(),
            NodeKind::EphemeralSequential,
        )
        .unwrap();
    let mut worker = json_lock(
        &zk,
        &path,
        "z",
        &[
            "--session-timeout",
            "4s",
            "--max-leases",
            "2",
            "--count",
            "1",
            "--hold",
            "200ms",
        ],
    );
    let mine = eventually(Duration::from_secs(20), || {
        shared_children(&queue)
            .into_iter()
            .find(|n| !ahead.ends_with(n.as_str()))
    })
    .unwrap_or_else(|| panic!("the worker joins the queue: {}", worker.transcript()));
    let sid = s
        .exists(&format!("{queue}/{mine}"))
        .unwrap()
        .and_then(|st| st.owner())
        .expect("the worker's node is ephemeral")
        .0;
    let lease = format!("{path}/{}", &mine[..32]);
    s.create(&lease, b"impostor".to_vec(), NodeKind::Ephemeral)
        .unwrap();
    s.delete(&ahead, None).unwrap();
    // First in the queue, one lease of two taken: it tries ours, finds it held, and says so.
    let queued = eventually(Duration::from_secs(10), || {
        worker
            .events()
            .into_iter()
            .find(|e| e["event"] == "queued" && e["waiting_on_id"] == "impostor")
    })
    .unwrap_or_else(|| panic!("it waits for the planted lease: {}", worker.transcript()));
    assert_eq!(queued["position"], 2, "{queued}");
    let before = received_on(&addr, sid).expect("the worker's connection");
    let t = Instant::now();
    sleep(Duration::from_secs(2));
    let asked = received_on(&addr, sid).expect("the worker's connection") - before;
    eprintln!(
        "MEASURE {asked} requests in {:?} while the lease is held",
        t.elapsed()
    );
    assert!(asked <= 10, "{asked} requests in 2 s: a spin, not a wait");
    assert!(
        !worker.events().iter().any(|e| e["event"] == "acquired"),
        "it does not hold beside the lease's holder: {}",
        worker.transcript()
    );
    // The old holder goes (here: deleted; there: the old session expires): it takes the lease.
    s.delete(&lease, None).unwrap();
    let acquired = worker
        .wait_event("acquired", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("it takes the lease: {}", worker.transcript()));
    assert_eq!(
        acquired["node"],
        mine[..32],
        "its lease, by its name: {acquired}"
    );
    let st = worker.wait_exit(Duration::from_secs(10)).expect("exits");
    assert!(st.success(), "{}", worker.transcript());
    s.close();
}

/// `--format curator --max-leases N` is Curator's InterProcessSemaphoreV2: beside real Curator
/// semaphores (the Java peer), never more than N hold at once, and every one progresses.
/// Each flavour refuses the other's path, and a plain lock refuses a Curator semaphore's.
#[test]
fn zkdemo_and_curator_semaphore_holders_never_exceed_the_limit() {
    let zk = shared().connect_string();
    let path = unique_path("curator-semaphore");
    let rounds = "6";
    // The JVMs take a second or two to start: the peers first, then zkdemo's workers.
    let mut procs: Vec<Proc> = (0..2)
        .map(|i| {
            curator_peer(
                &zk,
                "semaphore",
                &path,
                &format!("c{i}"),
                &[
                    "--max-leases",
                    "2",
                    "--rounds",
                    rounds,
                    "--hold-ms",
                    "40",
                    "--pause-ms",
                    "5",
                ],
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
                "--format",
                "curator",
                "--max-leases",
                "2",
                "--hold",
                "40ms",
                "--pause",
                "5ms",
                "--count",
                rounds,
            ],
        ));
    }
    let all = holds_of_all(&mut procs);
    for (p, s) in procs.iter().zip(&all) {
        assert_eq!(s.len(), 6, "every holder holds 6 times: {}", p.transcript());
        for h in s {
            let node = h.start["node"].as_str().unwrap_or_default();
            assert!(
                node.starts_with("_c_") && node.contains("-lease-"),
                "a Curator lease: {}",
                h.start
            );
        }
    }
    assert_eq!(
        most_at_once(&all),
        2,
        "at most 2 at once, and 2 at some time"
    );
    let lease_dir = format!("{path}/leases");
    assert!(
        shared_children(&lease_dir).is_empty(),
        "every lease returned"
    );

    // kazoo's flavour on Curator's path, and a plain lock there: refused, nothing written.
    for (args, says) in [
        (
            &["--max-leases", "2"][..],
            "--format curator --max-leases N",
        ),
        (&["--format", "curator"][..], "--max-leases N"),
    ] {
        let mut c = zkdemo();
        c.args(["--zk", &zk, "lock", "--path", &path])
            .args(args)
            .args(["-n", "--", "true"]);
        let (st, p) = run(c, Duration::from_secs(20));
        assert_eq!(st.code(), Some(2), "{args:?}: {}", p.transcript());
        assert!(p.stderr().contains(says), "{args:?}: {}", p.stderr());
        assert_eq!(
            shared_children(&path),
            ["leases", "locks"],
            "nothing written"
        );
        assert!(shared_children(&lease_dir).is_empty(), "nothing written");
    }
    // Curator's flavour on a kazoo Semaphore's path: refused too.
    let kazoo = unique_path("kazoo-semaphore-for-curator");
    let holder = kazoo_semaphore(&zk, &kazoo, "k", 1, 30.0, 2);
    holder
        .wait_event("acquired", Duration::from_secs(20))
        .expect("kazoo holds a lease");
    let before = shared_children(&kazoo);
    let mut c = zkdemo();
    c.args([
        "--zk",
        &zk,
        "lock",
        "--format",
        "curator",
        "--max-leases",
        "2",
    ])
    .args(["--path", &kazoo, "-n", "--", "true"]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(2), "{}", p.transcript());
    assert!(p.stderr().contains("kazoo's Semaphore"), "{}", p.stderr());
    assert_eq!(shared_children(&kazoo), before, "nothing written");
}

/// `inspect` shows a Curator semaphore as Curator counts it: the leases held, the one a
/// contender made while acquiring (it waits for at most N, its own counted), and who queues
/// at its mutex.
#[test]
fn inspect_shows_a_curator_semaphore_with_its_acquiring_lease() {
    let zk = shared().connect_string();
    let path = unique_path("curator-semaphore-inspect");
    let mut holder = json_lock(
        &zk,
        &path,
        "z",
        &[
            "--format",
            "curator",
            "--max-leases",
            "1",
            "--count",
            "1",
            "--hold",
            "30s",
        ],
    );
    holder
        .wait_event("acquired", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("zkdemo holds: {}", holder.transcript()));
    let peer = curator_peer(&zk, "semaphore", &path, "c", &["--max-leases", "1"]);
    let view = eventually(Duration::from_secs(30), || {
        let mut c = zkdemo();
        c.args(["--zk", &zk, "--json", "inspect", &path]);
        let (_, p) = run(c, Duration::from_secs(10));
        let v = p.events().first()?["paths"][0].clone();
        (v["leases"].as_array()?.len() == 2).then_some(v)
    })
    .unwrap_or_else(|| panic!("the peer makes its lease: {}", peer.transcript()));
    assert_eq!(
        (
            &view["kind"],
            &view["format"],
            &view["in_use"],
            &view["limit"]
        ),
        (
            &json!("semaphore"),
            &json!("curator"),
            &json!(1),
            &Value::Null
        ),
        "{view}"
    );
    let leases = view["leases"].as_array().unwrap();
    assert_eq!(
        (&leases[0]["id"], &leases[0]["acquiring"]),
        (&json!("z"), &json!(false))
    );
    assert_eq!(
        (&leases[1]["id"], &leases[1]["acquiring"]),
        (&json!("c"), &json!(true))
    );
    assert_eq!(view["contenders"][0]["id"], "c", "{view}");
    assert_eq!(view["contenders"][0]["role"], "acquiring", "{view}");
    // A third that gives up (-w) says so with the conflict code and leaves no lease behind.
    let mut c = zkdemo();
    c.args([
        "--zk",
        &zk,
        "lock",
        "--format",
        "curator",
        "--max-leases",
        "1",
    ])
    .args(["--path", &path, "-w", "1s", "--", "true"]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert_eq!(st.code(), Some(75), "{}", p.transcript());
    assert_eq!(
        shared_children(&format!("{path}/leases")).len(),
        2,
        "the holder's and the peer's only"
    );
    holder.signal(libc::SIGTERM);
    holder.wait_exit(Duration::from_secs(10)).expect("stops");
    peer.wait_event("acquired", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the peer takes the lease: {}", peer.transcript()));
}
