//! `zkdemo elect` against real ZooKeeper servers (issue #4): failover on a clean stop and on a
//! crash, the leader command stopped before another leader starts one, the observer, interop
//! with kazoo's `Election`, and the failover time beside a raw round trip.
//!
//! Histories are checked from the nodes' own `--json` events: a node leads from its `leader`
//! event until its `resigned` or `lost` event. Every process runs on this machine, so the `ts`
//! fields of different processes share one clock and can be compared.
//!
//! Not tested, because it cannot be made safe: pausing the zkdemo process itself (SIGSTOP).
//! Its leader command is a separate process group that keeps running while zkdemo is stopped,
//! and a stopped zkdemo can neither notice that its session expires nor stop the command; the
//! next leader then starts its command beside the old one. Only a fencing token
//! (`ZKDEMO_FENCING_TOKEN`, checked by the storage the command writes to) protects against
//! that, as against any process pause.

use std::io::Write;
use std::path::Path;
use std::process::{ChildStdin, Command};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use zkdemo::session::{NodeKind, Session};

mod common;

use common::{eventually, shared, unique_path, Proc};

// --- support ---------------------------------------------------------------------------------

/// The shared standalone server of this test binary (tick 200 ms).
fn zk() -> String {
    shared().connect_string()
}

fn session_on(connect: &str) -> Session {
    let cfg = common::session_config(connect, Duration::from_secs(4));
    Session::connect(&cfg, |_| {}).expect("a session with the test server")
}

/// `zkdemo --json elect --path PATH --id ID ARGS…` on `connect`.
fn elect_on(connect: &str, path: &str, id: &str, args: &[&str]) -> Proc {
    let mut c = common::zkdemo();
    c.env("ZKDEMO_ZK", connect)
        .env_remove("ZKDEMO_AUTH")
        .args(["--json", "elect", "--path", path, "--id", id])
        .args(args);
    Proc::spawn(c)
}

/// A node on the shared server, started and known to have joined (so arrival order is fixed).
fn node(path: &str, id: &str, args: &[&str]) -> Proc {
    let p = elect_on(&zk(), path, id, args);
    joined(&p);
    p
}

fn joined(p: &Proc) {
    p.wait_event("joined", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("no `joined`:\n{}", p.transcript()));
}

fn ts(ev: &Value) -> SystemTime {
    humantime::parse_rfc3339(ev["ts"].as_str().expect("ts")).expect("RFC 3339 ts")
}

fn ns(t: SystemTime) -> u128 {
    t.duration_since(UNIX_EPOCH).unwrap().as_nanos()
}

/// Every `leader` event of `p`, with when its line arrived.
fn leader_lines(p: &Proc) -> Vec<(Instant, Value)> {
    p.lines()
        .into_iter()
        .filter_map(|l| l.json.map(|j| (l.at, j)))
        .filter(|(_, j)| j["event"] == "leader")
        .collect()
}

/// One term as leader, from a node's own events: `leader` until `resigned`/`lost` (None: it
/// had not ended when we looked).
#[derive(Debug, Clone)]
struct Term {
    id: String,
    node: String,
    start: SystemTime,
    end: Option<SystemTime>,
}

fn terms(p: &Proc) -> Vec<Term> {
    let mut out: Vec<Term> = Vec::new();
    for ev in p.events() {
        match ev["event"].as_str().unwrap_or("") {
            "leader" => {
                assert!(
                    out.last().is_none_or(|t| t.end.is_some()),
                    "`leader` twice without an end between:\n{}",
                    p.transcript()
                );
                out.push(Term {
                    id: ev["id"].as_str().unwrap().to_owned(),
                    node: ev["node"].as_str().unwrap().to_owned(),
                    start: ts(&ev),
                    end: None,
                });
            }
            "resigned" | "lost" => {
                if let Some(t) = out.last_mut().filter(|t| t.end.is_none()) {
                    t.end = Some(ts(&ev));
                }
            }
            _ => {}
        }
    }
    out
}

/// All terms of all `procs`, in order of start; panics if two ever overlap.
fn assert_one_leader_at_a_time<'a>(procs: impl IntoIterator<Item = &'a Proc>) -> Vec<Term> {
    let mut all: Vec<Term> = procs.into_iter().flat_map(terms).collect();
    all.sort_by_key(|t| t.start);
    for w in all.windows(2) {
        let end = w[0]
            .end
            .unwrap_or_else(|| panic!("{} still leads when {} starts: {all:#?}", w[0].id, w[1].id));
        assert!(
            end <= w[1].start,
            "two leaders at once: {} until {:?}, {} from {:?}",
            w[0].id,
            end,
            w[1].id,
            w[1].start
        );
    }
    all
}

/// The index of the proc in `procs` whose next `leader` event arrives first (polling, so that
/// a line's arrival instant is the measure, not our poll).
fn next_leader(procs: &[&Proc], seen: &[usize], limit: Duration) -> Option<(usize, Instant)> {
    eventually(limit, || {
        procs.iter().enumerate().find_map(|(i, p)| {
            let l = leader_lines(p);
            (l.len() > seen[i]).then(|| (i, l[seen[i]].0))
        })
    })
}

fn strs(v: &[String]) -> Vec<&str> {
    v.iter().map(String::as_str).collect()
}

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i]
}

/// Stop the leader with SIGINT `rounds` times among 3 nodes (a fresh node joins after each
/// stop, so 3 keep running). Checks each round: the old leader resigns and exits 130, exactly
/// one other node leads, in queue order. Returns the failover times (SIGINT → the new
/// `leader` line) and every process, for history checks.
fn rotate(path: &str, rounds: usize) -> (Vec<Duration>, Vec<Proc>) {
    let mut live: Vec<Proc> = (0..3).map(|i| node(path, &format!("n{i}"), &[])).collect();
    let mut done: Vec<Proc> = Vec::new();
    let first = live[0]
        .wait_event("leader", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("n0 does not lead:\n{}", live[0].transcript()));
    assert_eq!(first["id"], "n0");
    let mut times = Vec::new();
    for (round, next_id) in (0..rounds).zip(3..) {
        // The leader is the oldest live node (queue order); the next is the one after it.
        let mut leader = live.remove(0);
        let seen: Vec<usize> = live.iter().map(|p| leader_lines(p).len()).collect();
        let sent = Instant::now();
        leader.signal(libc::SIGINT);
        let refs: Vec<&Proc> = live.iter().collect();
        let (who, at) = next_leader(&refs, &seen, Duration::from_secs(5))
            .unwrap_or_else(|| panic!("round {round}: no new leader:\n{}", leader.transcript()));
        times.push(at - sent);
        assert_eq!(who, 0, "round {round}: not the next in queue order leads");
        let status = leader
            .wait_exit(Duration::from_secs(5))
            .expect("the leader exits");
        assert_eq!(status.code(), Some(130), "{}", leader.transcript());
        assert!(
            leader.events().iter().any(|e| e["event"] == "resigned"),
            "no `resigned`:\n{}",
            leader.transcript()
        );
        done.push(leader);
        live.push(node(path, &format!("n{next_id}"), &[]));
    }
    // Nobody else took over meanwhile: one leader event per round among the survivors too.
    thread::sleep(Duration::from_millis(200));
    for p in &mut live {
        p.signal(libc::SIGINT);
    }
    for p in &mut live {
        p.wait_exit(Duration::from_secs(5))
            .expect("exits on SIGINT");
    }
    done.extend(live);
    let leaders: usize = done.iter().map(|p| leader_lines(p).len()).sum();
    // rounds + 1 terms, plus the handovers among the survivors at the end (at most 2).
    assert!(
        (rounds + 1..=rounds + 3).contains(&leaders),
        "{leaders} leader events for {rounds} rounds"
    );
    (times, done)
}

// --- tests -----------------------------------------------------------------------------------

/// Issue #4: the leader stopped 10 times with SIGINT; every time exactly one new leader,
/// within 500 ms, and never two at once.
#[test]
fn sigint_of_the_leader_hands_over_within_500ms_ten_times() {
    let path = unique_path("elect-sigint");
    let (times, procs) = rotate(&path, 10);
    for (i, t) in times.iter().enumerate() {
        assert!(
            *t < Duration::from_millis(500),
            "round {i}: failover took {t:?}"
        );
    }
    let all = assert_one_leader_at_a_time(&procs);
    assert!(all.len() >= 11, "{all:#?}");
    // Each `leader` event comes after the previous leader's `resigned`: the resigning node
    // says so before its node is deleted.
    for w in all.windows(2) {
        assert!(w[0].end.unwrap() <= w[1].start);
    }
}

/// Issue #4: a leader that dies (SIGKILL: no goodbye) is replaced once its session expires,
/// within the session timeout + 1 s.
#[test]
fn sigkill_of_the_leader_hands_over_within_the_session_timeout() {
    let path = unique_path("elect-sigkill");
    let args = ["--session-timeout", "2s"];
    let a = node(&path, "a", &args);
    a.wait_event("leader", Duration::from_secs(5)).unwrap();
    let b = node(&path, "b", &args);
    let follows = b.wait_event("follower", Duration::from_secs(5)).unwrap();
    assert_eq!(follows["leader"], "a");
    let killed = Instant::now();
    a.signal(libc::SIGKILL);
    let led = b
        .wait_event("leader", Duration::from_secs(6))
        .unwrap_or_else(|| panic!("b never leads:\n{}", b.transcript()));
    let took = killed.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    assert_eq!(led["id"], "b");
    drop(a);
}

/// The leader command's contract: its environment, zkdemo resigning and exiting with its code
/// when it exits by itself, and fencing tokens that grow from one leader to the next.
#[test]
fn leader_command_env_exit_code_and_growing_fencing_tokens() {
    let path = unique_path("elect-cmd");
    let dir = tempfile::tempdir().unwrap();
    let script = "echo \"$1 $ZKDEMO_ELECTION_PATH $ZKDEMO_LEADER_NODE $ZKDEMO_SESSION_ID \
                  $ZKDEMO_FENCING_TOKEN\" >> \"$2\"; sleep 0.2; exit $3";
    let log = dir.path().join("env.log");
    let log_s = log.to_str().unwrap();
    let s = session_on(&zk());
    let mut procs: Vec<Proc> = ["c1", "c2", "c3"]
        .iter()
        .enumerate()
        .map(|(i, id)| {
            let code = (7 + i).to_string();
            node(
                &path,
                id,
                &["--", "sh", "-c", script, "sh", id, log_s, &code],
            )
        })
        .collect();
    let mut tokens = Vec::new();
    for (i, p) in procs.iter_mut().enumerate() {
        let status = p
            .wait_exit(Duration::from_secs(10))
            .unwrap_or_else(|| panic!("still running:\n{}", p.transcript()));
        assert_eq!(status.code(), Some(7 + i as i32), "{}", p.transcript());
        let led = p.events().into_iter().find(|e| e["event"] == "leader");
        let led = led.unwrap_or_else(|| panic!("never led:\n{}", p.transcript()));
        assert!(
            p.events().iter().any(|e| e["event"] == "resigned"),
            "{}",
            p.transcript()
        );
        // Our node is gone the moment zkdemo exits (the next one leads without waiting for
        // a session to expire).
        let node_path = format!("{path}/{}", led["node"].as_str().unwrap());
        assert!(
            s.exists(&node_path).unwrap().is_none(),
            "{node_path} left behind"
        );
        let line = std::fs::read_to_string(&log).unwrap();
        let line = line.lines().nth(i).expect("the command ran").to_owned();
        let f: Vec<&str> = line.split(' ').collect();
        assert_eq!(f[0], ["c1", "c2", "c3"][i], "leaders in queue order");
        assert_eq!(f[1], path);
        assert_eq!(f[2], node_path);
        assert_eq!(f[3], led["session"].as_str().unwrap());
        assert_eq!(f[4], led["fencing_token"].to_string());
        tokens.push(f[4].parse::<i64>().unwrap());
    }
    assert!(tokens.windows(2).all(|w| w[0] < w[1]), "{tokens:?}");
    assert_eq!(s.get_children(&path).unwrap(), Vec::<String>::new());
}

/// `--lead` rotates leadership; `--count N` exits 0 after leading N times. Alone, a node leads
/// again at once after resigning (its own delete must not count as losing the next term).
#[test]
fn lead_and_count_exit_zero_after_n_terms() {
    let path = unique_path("elect-count");
    let mut solo = elect_on(&zk(), &path, "solo", &["--lead", "200ms", "--count", "3"]);
    let status = solo
        .wait_exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("still running:\n{}", solo.transcript()));
    assert_eq!(status.code(), Some(0), "{}", solo.transcript());
    let names: Vec<String> = solo
        .events()
        .iter()
        .map(|e| e["event"].as_str().unwrap().to_owned())
        .filter(|e| e != "follower")
        .collect();
    assert_eq!(
        names,
        [
            "joined", "leader", "resigned", "joined", "leader", "resigned", "joined", "leader",
            "resigned"
        ],
        "{}",
        solo.transcript()
    );

    // Two nodes take turns: a, b, a, b.
    let path = unique_path("elect-count2");
    let mut a = node(&path, "a", &["--lead", "200ms", "--count", "2"]);
    let mut b = node(&path, "b", &["--lead", "200ms", "--count", "2"]);
    for p in [&mut a, &mut b] {
        let status = p
            .wait_exit(Duration::from_secs(10))
            .unwrap_or_else(|| panic!("still running:\n{}", p.transcript()));
        assert_eq!(status.code(), Some(0), "{}", p.transcript());
    }
    let all = assert_one_leader_at_a_time([&a, &b]);
    let order: Vec<&str> = all.iter().map(|t| t.id.as_str()).collect();
    assert_eq!(order, ["a", "b", "a", "b"]);
}

/// Issue #4: the observer sees every change of leader, in the order they happened.
#[test]
fn observer_sees_every_change_in_order() {
    let path = unique_path("elect-observe");
    let mut c = common::zkdemo();
    c.env("ZKDEMO_ZK", zk())
        .args(["--json", "elect", "--observe", "--path", &path]);
    let mut obs = Proc::spawn(c);
    let empty = obs
        .wait_event("leader_changed", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("{}", obs.transcript()));
    assert_eq!(empty["leader"], Value::Null, "an empty election: no leader");
    let mut nodes: Vec<Proc> = ["r1", "r2", "r3"]
        .iter()
        .map(|id| node(&path, id, &["--lead", "300ms"]))
        .collect();
    // About 8 handovers.
    thread::sleep(Duration::from_millis(2600));
    obs.signal(libc::SIGINT);
    assert_eq!(
        obs.wait_exit(Duration::from_secs(5)).unwrap().code(),
        Some(130)
    );
    for p in &mut nodes {
        p.signal(libc::SIGINT);
        p.wait_exit(Duration::from_secs(5)).unwrap();
    }
    let all = assert_one_leader_at_a_time(&nodes);
    let truth: Vec<(String, String)> = all.iter().map(|t| (t.id.clone(), t.node.clone())).collect();
    let seen: Vec<(String, String)> = obs
        .events()
        .iter()
        .filter(|e| e["event"] == "leader_changed" && !e["leader"].is_null())
        .map(|e| {
            (
                e["leader"].as_str().unwrap().to_owned(),
                e["node"].as_str().unwrap().to_owned(),
            )
        })
        .collect();
    assert!(seen.len() >= 6, "too few changes to judge: {seen:?}");
    // The observer stopped first: what it saw is the history so far, perhaps less the very
    // last change (made while it was stopping).
    assert!(
        truth.starts_with(&seen) && truth.len() - seen.len() <= 1,
        "observer: {seen:#?}\nnodes: {truth:#?}"
    );
    for e in obs
        .events()
        .iter()
        .filter(|e| e["event"] == "leader_changed")
    {
        if !e["leader"].is_null() {
            assert!(e["since"].is_string() && e["seq"].is_number(), "{e}");
        }
    }
}

/// Issue #17, item 6: the observer's "since" is not the node's creation. The leader found at
/// start is labelled by its node's creation (when it began to lead is not known); a change seen
/// live is dated when it was seen, after the old leader stopped, though the new leader's node
/// was created long before.
#[test]
fn observer_dates_a_leadership_honestly() {
    let path = unique_path("elect-observe-since");
    let mut first = node(&path, "s1", &[]);
    first
        .wait_event("leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", first.transcript()));
    let mut second = node(&path, "s2", &[]);
    let rfc = |v: &Value| humantime::parse_rfc3339(v.as_str().expect("a time")).expect("RFC 3339");

    let mut c = common::zkdemo();
    c.env("ZKDEMO_ZK", zk())
        .args(["--json", "elect", "--observe", "--path", &path]);
    let mut obs = Proc::spawn(c);
    let mut t = common::zkdemo();
    t.env("ZKDEMO_ZK", zk())
        .args(["elect", "--observe", "--path", &path]);
    let mut text = Proc::spawn(t);
    let at_start = obs
        .wait_event("leader_changed", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", obs.transcript()));
    assert_eq!(at_start["leader"], "s1", "{at_start}");
    assert!(at_start["since"].is_null(), "not known: {at_start}");
    assert!(rfc(&at_start["created"]) <= ts(&at_start), "{at_start}");
    assert!(
        text.wait_text("", Duration::from_secs(10))
            .is_some_and(|l| l.contains("s1 leads") && l.contains("node created")),
        "{}",
        text.transcript()
    );

    thread::sleep(Duration::from_millis(1500));
    let stopped = SystemTime::now();
    first.signal(libc::SIGINT);
    first.wait_exit(Duration::from_secs(5));
    let live = obs
        .wait_for(
            |e| e["event"] == "leader_changed" && e["leader"] == "s2",
            Duration::from_secs(10),
        )
        .unwrap_or_else(|| panic!("{}", obs.transcript()));
    let since = rfc(&live["since"]);
    let created = rfc(&live["created"]);
    // Whole milliseconds: allow the rounding.
    assert!(
        since + Duration::from_millis(1) >= stopped,
        "since {since:?} before the old leader stopped at {stopped:?}: {live}"
    );
    assert!(created < stopped - Duration::from_millis(1000), "{live}");
    assert!(
        eventually(Duration::from_secs(10), || text
            .transcript()
            .contains("s2 leads")
            .then_some(()))
        .is_some(),
        "{}",
        text.transcript()
    );
    assert!(
        text.transcript().contains("leading since it was seen at"),
        "{}",
        text.transcript()
    );
    for p in [&mut obs, &mut text, &mut second] {
        p.signal(libc::SIGINT);
        p.wait_exit(Duration::from_secs(5));
    }
}

// --- kazoo interop ---------------------------------------------------------------------------

/// A kazoo `Election` contender: prints `LEAD <ns>` when its function runs, and `RESIGN <ns>`
/// when its stdin closes, just before the function returns (then kazoo deletes its node).
struct Kazoo {
    proc: Proc,
    stdin: Option<ChildStdin>,
}

const KAZOO: &str = r#"
import sys, time
from kazoo.client import KazooClient
hosts, path, ident = sys.argv[1:4]
zk = KazooClient(hosts=hosts)
zk.start()
def lead():
    print("LEAD", time.time_ns(), flush=True)
    sys.stdin.read()
    print("RESIGN", time.time_ns(), flush=True)
print("STARTED", time.time_ns(), flush=True)
zk.Election(path, ident).run(lead)
zk.stop()
print("DONE", time.time_ns(), flush=True)
"#;

impl Kazoo {
    fn start(path: &str, id: &str) -> Kazoo {
        let mut cmd = Command::new(common::kazoo_python());
        cmd.args(["-c", KAZOO, &zk(), path, id]);
        let (proc, stdin) = Proc::spawn_with_stdin(cmd);
        Kazoo {
            proc,
            stdin: Some(stdin),
        }
    }

    /// The time (ns since the epoch) on the next line starting with `word`.
    fn says(&self, word: &str, limit: Duration) -> Option<u128> {
        self.proc.wait_text(word, limit)?.trim().parse().ok()
    }

    fn resign(&mut self) {
        drop(self.stdin.take());
    }
}

/// Issue #4: a kazoo `Election` and zkdemo nodes share one election: one leader across both,
/// in order of arrival (kazoo first, then zkdemo first).
#[test]
fn kazoo_election_and_zkdemo_share_one_election_in_arrival_order() {
    // kazoo arrives first: it leads, zkdemo follows it, and leads only after kazoo resigned.
    let path = unique_path("elect-kazoo1");
    let mut k = Kazoo::start(&path, "kz");
    let k_lead = k
        .says("LEAD", Duration::from_secs(10))
        .expect("kazoo leads");
    let z = node(&path, "z1", &[]);
    let f = z.wait_event("follower", Duration::from_secs(5)).unwrap();
    assert_eq!(f["leader"], "kz", "zkdemo follows the kazoo leader");
    assert!(z.wait_event("leader", Duration::from_millis(300)).is_none());
    k.resign();
    let k_end = k.says("RESIGN", Duration::from_secs(5)).unwrap();
    let led = z
        .wait_event("leader", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("{}", z.transcript()));
    assert!(
        k_lead < k_end && k_end <= ns(ts(&led)),
        "zkdemo led before kazoo let go"
    );
    drop(k);

    // zkdemo arrives first: kazoo waits until zkdemo resigned.
    let path = unique_path("elect-kazoo2");
    let mut z = node(&path, "z2", &[]);
    z.wait_event("leader", Duration::from_secs(5)).unwrap();
    let mut k = Kazoo::start(&path, "kz");
    k.says("STARTED", Duration::from_secs(10)).unwrap();
    assert_eq!(
        k.says("LEAD", Duration::from_millis(700)),
        None,
        "kazoo leads beside zkdemo"
    );
    z.signal(libc::SIGINT);
    z.wait_exit(Duration::from_secs(5)).unwrap();
    let k_lead = k
        .says("LEAD", Duration::from_secs(5))
        .expect("kazoo leads next");
    let resigned = z
        .events()
        .into_iter()
        .find(|e| e["event"] == "resigned")
        .unwrap();
    assert!(
        ns(ts(&resigned)) <= k_lead,
        "kazoo led before zkdemo resigned"
    );
    // And a zkdemo arriving now follows kazoo.
    let z3 = node(&path, "z3", &[]);
    let f = z3.wait_event("follower", Duration::from_secs(5)).unwrap();
    assert_eq!(f["leader"], "kz");
    k.resign();
    let k_end = k.says("RESIGN", Duration::from_secs(5)).unwrap();
    let led = z3.wait_event("leader", Duration::from_secs(5)).unwrap();
    assert!(k_end <= ns(ts(&led)));
}

// --- the leader command when the leader's server hangs ---------------------------------------

/// The leader command: writes `start <id> <ns>` to a file, and on SIGTERM `end <id> <ns>`.
const GUARDED: &str = r#"echo "start $1 $(date +%s%N)" >> "$2"
trap 'echo "end $1 $(date +%s%N)" >> "$2"; exit 0' TERM
while :; do sleep 0.05; done
"#;

fn marks(file: &Path) -> Vec<(String, String, u128)> {
    std::fs::read_to_string(file)
        .unwrap_or_default()
        .lines()
        .map(|l| {
            let f: Vec<&str> = l.split(' ').collect();
            (f[0].to_owned(), f[1].to_owned(), f[2].parse().unwrap())
        })
        .collect()
}

/// Issue #4: the leader's server hangs (SIGSTOP) past the session timeout. The old leader's
/// command must have ended before the new leader starts its own; the old leader says `lost`,
/// and once its server is back it queues again as a follower.
#[test]
fn hung_server_stops_the_old_leaders_command_before_the_new_one_starts() {
    hung_server(Duration::ZERO);
}

/// The same, with the server hanging when the leaders have been idle for a while. The crate
/// pings an idle session only after 2/3 of the timeout, which left a third of it to notice
/// the hang and stop the command; the relay's heartbeats (every sixth of the timeout of
/// quiet) keep the last contact recent, so the command stops with time to spare.
#[test]
fn hung_server_after_idle_stops_the_old_leaders_command_first() {
    hung_server(Duration::from_millis(2400));
}

fn hung_server(idle: Duration) {
    let cluster = common::ensemble(200);
    // Pause a follower server: pausing the ensemble's leader would stall every client.
    let lead_srv = cluster.leader().expect("an ensemble leader");
    let i = (0..3).find(|&s| s != lead_srv).unwrap();
    let others: Vec<String> = (0..3)
        .filter(|&s| s != i)
        .map(|s| cluster.addr(s).to_string())
        .collect();
    let others = others.join(",");
    let dir = tempfile::tempdir().unwrap();
    let script = dir.path().join("guarded.sh");
    std::fs::File::create(&script)
        .unwrap()
        .write_all(GUARDED.as_bytes())
        .unwrap();
    let file = dir.path().join("marks");
    let path = unique_path("elect-hung");
    // A kill grace well under the session timeout, so that SIGTERM is not sent at once: the
    // timing of the guard is what is tested.
    let cmd = |id: &'static str| -> Vec<String> {
        [
            "--session-timeout",
            "2s",
            "--kill-grace",
            "200ms",
            "--",
            "sh",
            script.to_str().unwrap(),
            id,
            file.to_str().unwrap(),
        ]
        .map(str::to_owned)
        .to_vec()
    };

    let (c_old, c_f1, c_f2) = (cmd("old"), cmd("f1"), cmd("f2"));
    let mut old = elect_on(&cluster.addr(i).to_string(), &path, "old", &strs(&c_old));
    old.wait_event("leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", old.transcript()));
    let f1 = elect_on(&others, &path, "f1", &strs(&c_f1));
    joined(&f1);
    let f2 = elect_on(&others, &path, "f2", &strs(&c_f2));
    joined(&f2);
    assert!(eventually(Duration::from_secs(5), || {
        marks(&file).iter().any(|m| m.0 == "start").then_some(())
    })
    .is_some());
    // The same in node mode (no command) on a second election: the JSON history alone must
    // show the old leader's `lost` before the new `leader`.
    let path2 = unique_path("elect-hung-nodes");
    let t2 = ["--session-timeout", "2s"];
    let old2 = elect_on(&cluster.addr(i).to_string(), &path2, "old2", &t2);
    old2.wait_event("leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", old2.transcript()));
    let g1 = elect_on(&others, &path2, "g1", &t2);
    joined(&g1);

    // With `idle`, the old leaders' last contact with the server is the client library's
    // ping, not a request of theirs.
    thread::sleep(idle);
    cluster.pause(i);
    let paused = Instant::now();
    let new = eventually(Duration::from_secs(8), || {
        [&f1, &f2]
            .into_iter()
            .find_map(|p| p.events().into_iter().find(|e| e["event"] == "leader"))
    })
    .unwrap_or_else(|| panic!("no new leader:\n{}\n{}", f1.transcript(), old.transcript()));
    let new_id = new["id"].as_str().unwrap().to_owned();
    assert_eq!(new_id, "f1", "the next in queue order leads");
    // Its command has started (or is about to): give the file a moment.
    let m = eventually(Duration::from_secs(3), || {
        let m = marks(&file);
        m.iter()
            .any(|x| x.0 == "start" && x.1 == new_id)
            .then_some(m)
    })
    .expect("the new leader's command starts");
    let start_new = m
        .iter()
        .find(|x| x.0 == "start" && x.1 == new_id)
        .unwrap()
        .2;
    let end_old = m.iter().find(|x| x.0 == "end" && x.1 == "old");
    let end_old = end_old.unwrap_or_else(|| panic!("the old command never ended: {m:?}"));
    assert!(
        end_old.2 < start_new,
        "the old leader's command ended {} ms after the new one started",
        (end_old.2 - start_new) as f64 / 1e6
    );
    // The old leader said so, before the new leader took over.
    let lost = old
        .events()
        .into_iter()
        .find(|e| e["event"] == "lost")
        .unwrap_or_else(|| panic!("no `lost`:\n{}", old.transcript()));
    assert!(ts(&lost) <= ts(&new), "`lost` after the new leader");
    eprintln!(
        "hung server: new leader {:?} after the pause; old command ended {} ms before",
        paused.elapsed(),
        (start_new - end_old.2) / 1_000_000
    );

    // The server comes back: the old leader is still running and queues again, as a follower.
    thread::sleep(Duration::from_millis(500));
    cluster.resume(i);
    let again = old
        .wait_for(
            |e| e["event"] == "follower" && e["leader"] == new_id.as_str(),
            Duration::from_secs(15),
        )
        .unwrap_or_else(|| panic!("the old leader does not follow:\n{}", old.transcript()));
    assert_eq!(again["id"], "old");
    assert!(
        old.wait_exit(Duration::ZERO).is_none(),
        "the old leader exited:\n{}",
        old.transcript()
    );
    g1.wait_event("leader", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("g1 never leads:\n{}", old2.transcript()));
    let all2 = assert_one_leader_at_a_time([&old2, &g1]);
    assert_eq!(all2.len(), 2, "{all2:#?}");
    let all = assert_one_leader_at_a_time([&old, &f1, &f2]);
    assert_eq!(all.len(), 2, "{all:#?}");
    // Only one command ran at a time: starts and ends alternate.
    let m = marks(&file);
    let kinds: Vec<&str> = m.iter().map(|x| x.0.as_str()).collect();
    assert_eq!(kinds, ["start", "end", "start"], "{m:?}");
}

// --- measure ---------------------------------------------------------------------------------

/// Issue #4, measure and note: clean failover (SIGINT of the leader → the next `leader`
/// event) over 20 rotations, beside a raw ZooKeeper write+read round trip in the same run.
#[test]
fn measure_failover_against_a_raw_round_trip() {
    let path = unique_path("elect-measure");
    let (mut times, _procs) = rotate(&path, 20);
    times.sort();
    let s = session_on(&zk());
    let base = unique_path("elect-rtt");
    s.create(&base, vec![], NodeKind::Persistent).unwrap();
    let mut rtt: Vec<Duration> = (0..50)
        .map(|i| {
            let p = format!("{base}/n{i}");
            let t = Instant::now();
            s.create(&p, b"x".to_vec(), NodeKind::Persistent).unwrap();
            s.get_data(&p).unwrap();
            t.elapsed()
        })
        .collect();
    rtt.sort();
    let (p50, p99, r50) = (
        percentile(&times, 0.5),
        percentile(&times, 0.99),
        percentile(&rtt, 0.5),
    );
    eprintln!(
        "clean failover over {} rotations: p50 {:.1} ms, p99 {:.1} ms; create+get round trip \
         p50 {:.2} ms; failover/round trip = {:.1}",
        times.len(),
        p50.as_secs_f64() * 1e3,
        p99.as_secs_f64() * 1e3,
        r50.as_secs_f64() * 1e3,
        p50.as_secs_f64() / r50.as_secs_f64()
    );
    // Loose: a handover is a few round trips (delete, watch, list), nothing near a session
    // timeout.
    assert!(p50 < Duration::from_millis(300), "p50 {p50:?}");
}

/// Issue #14: another client's id with control bytes and invalid UTF-8 never reaches the
/// terminal raw: `elect --observe` (and a follower) escape it as `inspect` does; JSON keeps the
/// valid text and writes each invalid byte as \xNN.
#[test]
fn another_clients_id_is_escaped_for_the_terminal() {
    let path = unique_path("elect-escape");
    let cfg = common::session_config(&zk(), Duration::from_secs(4));
    let s = Session::connect(&cfg, |_| {}).unwrap();
    s.ensure_path(&path).unwrap();
    s.create(
        &format!("{path}/{}__lock__", "e".repeat(32)),
        b"evil\x1b[2J\xff".to_vec(),
        NodeKind::EphemeralSequential,
    )
    .unwrap();
    for json in [false, true] {
        let mut c = common::zkdemo();
        c.env("ZKDEMO_ZK", zk())
            .args(["elect", "--observe", "--path", &path]);
        if json {
            c.arg("--json");
        }
        let mut obs = Proc::spawn(c);
        let line = obs
            .wait_text("", Duration::from_secs(5))
            .unwrap_or_else(|| panic!("{}", obs.transcript()));
        obs.signal(libc::SIGINT);
        let _ = obs.wait_exit(Duration::from_secs(5));
        assert!(!line.contains('\x1b'), "raw escape byte: {line:?}");
        assert!(
            line.contains("\\x1b") || line.contains("\\u{1b}") || line.contains("\\u001b"),
            "{line:?}"
        );
        assert!(line.contains("\\xff"), "{line:?}");
    }
    s.close();
}

/// A leader command stopped by a loss exits late, after its term: its exit must not end the
/// next term's command. Alone in the election, the node leads again at once (no wait that
/// would have swallowed the old exit), and the new command runs on.
#[test]
fn a_lost_terms_late_command_exit_does_not_end_the_next_term() {
    let path = unique_path("stale-exit");
    let mut p = elect_on(
        &zk(),
        &path,
        "solo",
        &[
            "--",
            "sh",
            "-c",
            "echo term $ZKDEMO_FENCING_TOKEN; exec sleep 30",
        ],
    );
    let first = p
        .wait_text("term", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("leads: {}", p.transcript()));
    let s = session_on(&zk());
    let kids = s.get_children(&path).unwrap();
    assert_eq!(kids.len(), 1, "{kids:?}");
    // Someone deletes the leader's node: leadership is lost, the command stopped.
    s.delete(&format!("{path}/{}", kids[0]), None).unwrap();
    let second = p
        .wait_text("term", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("leads again: {}", p.transcript()));
    assert_ne!(first, second, "a new term, a new token");
    thread::sleep(Duration::from_millis(1500));
    assert!(
        p.wait_exit(Duration::ZERO).is_none(),
        "the new term's command still runs: {}",
        p.transcript()
    );
    s.close();
}
