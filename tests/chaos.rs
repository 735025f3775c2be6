//! Chaos (issue #9): `zkdemo lock` workers on a 3-server ensemble under random, seeded faults,
//! checked from the history they leave, Jepsen-style.
//!
//! Five workers loop `zkdemo lock -- sh -c '…'` (a driver thread restarts each one when it
//! exits). Every command appends `start <token> <worker> <ns>` and `end <token> <worker> <ns>`
//! to one shared file, one O_APPEND write per line, so the file's order is the order of the
//! writes. The fault thread appends what it does to the same file. Faults, at random:
//! - SIGKILL a worker's zkdemo (its driver starts a new one);
//! - SIGSTOP a worker (zkdemo and its command's process group: a paused VM) past the session
//!   timeout, then SIGCONT;
//! - kill one ZooKeeper server, restart it;
//! - kill the ensemble's leader, restart it.
//!
//! Checks, over the file in order:
//! - mutual exclusion: a `start` while another command is inside its critical section is a
//!   violation, unless that other command's worker was paused (the fault line says so) at
//!   the time: a paused process does nothing, and what it writes when it wakes carries its old
//!   token, which a fenced store refuses (counted as `fenced`, not as a violation);
//! - fencing: each holder's token is greater than the previous holder's;
//! - progress: every worker completed acquisitions.
//!
//! ZKDEMO_CHAOS_SECONDS (default 80: about 1,000 acquisitions on 2 busy cores) sets how long
//! faults are injected; ZKDEMO_CHAOS_SEED replays a run. The summary line starts with `CHAOS`.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::*;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

const WORKERS: usize = 5;
const SESSION_TIMEOUT: &str = "2s";

fn chaos_seconds() -> u64 {
    std::env::var("ZKDEMO_CHAOS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(80)
}

fn seed() -> u64 {
    std::env::var("ZKDEMO_CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random)
}

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// One line, one write(2) on an O_APPEND descriptor: atomic and ordered with the workers'.
fn append(file: &Path, line: &str) {
    let mut f = OpenOptions::new()
        .append(true)
        .create(true)
        .open(file)
        .unwrap();
    f.write_all(format!("{line}\n").as_bytes()).unwrap();
}

fn signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) on a process (or, negative, a group) we started and have not reaped.
    unsafe {
        libc::kill(pid, sig);
    }
}

/// The guarded command: its critical section is between its `start` and `end` lines. A
/// SIGTERM (zkdemo stopping it when the lock is lost) ends it with an `end … term` line.
/// The time comes last and may be missing: the same SIGTERM can kill `date` mid-line.
const SCRIPT: &str = r#"t=$ZKDEMO_FENCING_TOKEN
trap 'echo "end $t $W term $(date +%s%N)" >> "$F"; exit 143' TERM
echo "start $t $W $(date +%s%N)" >> "$F"
sleep 0.02
echo "end $t $W $(date +%s%N)" >> "$F"
trap - TERM"#;

/// A worker slot: the zkdemo running now (its driver restarts it), and how its runs ended.
struct Slot {
    child: Mutex<Option<Child>>,
    exits: Mutex<BTreeMap<i32, u32>>,
}

fn drive(
    i: usize,
    zk: String,
    path: String,
    file: PathBuf,
    dir: PathBuf,
    slot: Arc<Slot>,
    stop: Arc<AtomicBool>,
) {
    let errlog = dir.join(format!("w{i}.stderr"));
    while !stop.load(Ordering::SeqCst) {
        let mut cmd = zkdemo();
        cmd.args([
            "--zk",
            &zk,
            "--session-timeout",
            SESSION_TIMEOUT,
            "--connect-timeout",
            "10s",
        ])
        .args([
            "lock",
            "--path",
            &path,
            "--id",
            &format!("w{i}"),
            "--kill-grace",
            "300ms",
        ])
        .args(["--", "sh", "-c", SCRIPT])
        .env("F", &file)
        .env("W", format!("w{i}"))
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(
            OpenOptions::new()
                .append(true)
                .create(true)
                .open(&errlog)
                .unwrap(),
        );
        let child = zkdemo::server::spawn_tied(cmd).expect("spawn zkdemo");
        *slot.child.lock().unwrap() = Some(child);
        // Poll under the lock: the fault thread signals only an unreaped pid.
        let code = loop {
            {
                let mut g = slot.child.lock().unwrap();
                let c = g.as_mut().unwrap();
                if let Some(st) = c.try_wait().unwrap() {
                    *g = None;
                    break zkdemo::child::exit_code(st);
                }
            }
            thread::sleep(Duration::from_millis(5));
        };
        *slot.exits.lock().unwrap().entry(code).or_default() += 1;
        if code == 69 {
            thread::sleep(Duration::from_millis(100)); // no server: do not spin
        }
    }
}

/// The pid of worker `i`'s zkdemo and the process groups of its commands.
fn worker_pids(slot: &Slot) -> Option<(i32, Vec<i32>)> {
    let g = slot.child.lock().unwrap();
    let pid = g.as_ref()?.id();
    let groups = children_of(pid).into_iter().map(|p| p as i32).collect();
    Some((pid as i32, groups))
}

/// The worker whose command is inside its critical section now, per the history.
fn inside(file: &Path) -> Option<usize> {
    let h = std::fs::read_to_string(file).ok()?;
    let last = h
        .lines()
        .rev()
        .find(|l| l.starts_with("start ") || l.starts_with("end "))?;
    let w = last.strip_prefix("start ")?.split_whitespace().nth(1)?;
    w.strip_prefix('w')?.parse().ok()
}

#[derive(Default, Debug)]
struct Faults {
    kill_worker: u32,
    pause_worker: u32,
    restart_server: u32,
    kill_leader: u32,
}

impl Faults {
    fn total(&self) -> u32 {
        self.kill_worker + self.pause_worker + self.restart_server + self.kill_leader
    }
}

#[derive(Default, Debug)]
struct Verdict {
    acquisitions: u64,
    per_worker: BTreeMap<String, u64>,
    fenced_writes: u64,
    excused_pauses: u64,
    terminated: u64,
    violations: Vec<String>,
}

/// Check the shared history (see the module doc).
fn check(history: &str) -> Verdict {
    let mut v = Verdict::default();
    // The command inside its critical section: (token, worker, paused since it started).
    let mut open: Option<(i64, String, bool)> = None;
    // Commands interrupted by a pause and overtaken: their token, to fence their late lines.
    let mut overtaken: Vec<i64> = Vec::new();
    let mut last_token = i64::MIN;
    let mut paused: HashMap<String, bool> = HashMap::new();
    // The token of the last command that ended: a SIGTERM just after its `end` line (the
    // trap still set) writes a second one, after the critical section.
    let mut closed: Option<i64> = None;
    for (n, line) in history.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        match f.as_slice() {
            ["pause", w, ..] => {
                paused.insert(w.to_string(), true);
                if let Some(o) = open.as_mut().filter(|o| o.1 == *w) {
                    o.2 = true;
                }
            }
            ["resume", w, ..] => {
                paused.insert(w.to_string(), false);
            }
            ["kill", ..] | ["server", ..] => {}
            ["start", t, w, ..] => {
                let t: i64 = t.parse().unwrap();
                if t <= last_token {
                    v.violations.push(format!(
                        "line {}: token {t} of {w} not above the previous holder's {last_token}",
                        n + 1
                    ));
                }
                if let Some((ot, ow, was_paused)) = open.take() {
                    if was_paused {
                        v.excused_pauses += 1;
                        overtaken.push(ot);
                    } else {
                        v.violations.push(format!(
                            "line {}: {w} started (token {t}) while {ow} (token {ot}) was inside",
                            n + 1
                        ));
                    }
                }
                last_token = last_token.max(t);
                v.acquisitions += 1;
                *v.per_worker.entry(w.to_string()).or_default() += 1;
                open = Some((t, w.to_string(), paused.get(*w).copied().unwrap_or(false)));
            }
            ["end", t, w, rest @ ..] => {
                let t: i64 = t.parse().unwrap();
                let term = rest.first() == Some(&"term");
                if term {
                    v.terminated += 1;
                }
                match &open {
                    Some((ot, _, _)) if *ot == t => {
                        open = None;
                        closed = Some(t);
                    }
                    None if closed == Some(t) && term => {}
                    _ if overtaken.contains(&t) => v.fenced_writes += 1,
                    _ => v.violations.push(format!(
                        "line {}: end of {w} (token {t}) without its start being current: {open:?}",
                        n + 1
                    )),
                }
            }
            _ => v
                .violations
                .push(format!("line {}: garbled: {line:?}", n + 1)),
        }
    }
    v
}

#[test]
fn lock_chaos_no_overlap_tokens_grow_everyone_progresses() {
    let seed = seed();
    println!("CHAOS lock seed {seed} (ZKDEMO_CHAOS_SEED={seed} replays the fault schedule)");
    let mut rng = StdRng::seed_from_u64(seed);
    let mut zk = ensemble(200);
    let connect = zk.connect_string();
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("history");
    append(&file, &format!("server start {}", now_ns()));
    let path = unique_path("chaos-lock");
    let stop = Arc::new(AtomicBool::new(false));
    let slots: Vec<Arc<Slot>> = (0..WORKERS)
        .map(|_| {
            Arc::new(Slot {
                child: Mutex::new(None),
                exits: Mutex::new(BTreeMap::new()),
            })
        })
        .collect();
    let drivers: Vec<_> = slots
        .iter()
        .enumerate()
        .map(|(i, slot)| {
            let (zk, path, file, d, slot, stop) = (
                connect.clone(),
                path.clone(),
                file.clone(),
                dir.path().to_owned(),
                slot.clone(),
                stop.clone(),
            );
            thread::spawn(move || drive(i, zk, path, file, d, slot, stop))
        })
        .collect();

    let mut faults = Faults::default();
    let end = Instant::now() + Duration::from_secs(chaos_seconds());
    thread::sleep(Duration::from_secs(2));
    while Instant::now() < end {
        match rng.gen_range(0..4) {
            0 => {
                let w = rng.gen_range(0..WORKERS);
                if let Some((pid, _)) = worker_pids(&slots[w]) {
                    let g = slots[w].child.lock().unwrap();
                    if g.is_some() {
                        signal(pid, libc::SIGKILL);
                        append(&file, &format!("kill w{w} {}", now_ns()));
                        faults.kill_worker += 1;
                    }
                }
            }
            1 => {
                // Half the time a holder inside its critical section (its `start` is the
                // history's last line): the case fencing tokens are for.
                let w = if rng.gen_bool(0.5) {
                    eventually(Duration::from_secs(1), || inside(&file))
                        .unwrap_or_else(|| rng.gen_range(0..WORKERS))
                } else {
                    rng.gen_range(0..WORKERS)
                };
                let stopped = {
                    let g = slots[w].child.lock().unwrap();
                    g.as_ref().map(|c| {
                        let pid = c.id() as i32;
                        signal(pid, libc::SIGSTOP);
                        let groups: Vec<i32> = children_of(pid as u32)
                            .into_iter()
                            .map(|p| p as i32)
                            .collect();
                        for &g in &groups {
                            signal(-g, libc::SIGSTOP);
                        }
                        (pid, groups)
                    })
                };
                if let Some((pid, groups)) = stopped {
                    append(&file, &format!("pause w{w} {}", now_ns()));
                    faults.pause_worker += 1;
                    // Past the session timeout (2 s), so the session expires meanwhile.
                    thread::sleep(Duration::from_millis(rng.gen_range(2500..4000)));
                    // Resume only what is still ours (the driver cannot reap a stopped child).
                    let g = slots[w].child.lock().unwrap();
                    if g.as_ref().is_some_and(|c| c.id() as i32 == pid) {
                        for &g in &groups {
                            signal(-g, libc::SIGCONT);
                        }
                        signal(pid, libc::SIGCONT);
                    }
                    drop(g);
                    append(&file, &format!("resume w{w} {}", now_ns()));
                }
            }
            k => {
                let victim = if k == 2 {
                    rng.gen_range(0..zk.len())
                } else {
                    match zk.leader() {
                        Some(l) => l,
                        None => continue,
                    }
                };
                append(&file, &format!("server kill {victim} {}", now_ns()));
                zk.kill(victim);
                thread::sleep(Duration::from_millis(rng.gen_range(500..2000)));
                zk.start_node(victim).expect("the server comes back");
                append(&file, &format!("server started {victim} {}", now_ns()));
                if k == 2 {
                    faults.restart_server += 1;
                } else {
                    faults.kill_leader += 1;
                }
            }
        }
        thread::sleep(Duration::from_millis(rng.gen_range(500..2000)));
    }
    // Let the workers finish a few more rounds on a healthy ensemble, then stop them.
    zk.wait_ready(Duration::from_secs(30))
        .expect("ensemble ready");
    thread::sleep(Duration::from_secs(3));
    stop.store(true, Ordering::SeqCst);
    for slot in &slots {
        if let Some((pid, groups)) = worker_pids(slot) {
            for g in groups {
                signal(-g, libc::SIGCONT);
            }
            signal(pid, libc::SIGCONT);
            signal(pid, libc::SIGTERM);
        }
    }
    for d in drivers {
        d.join().unwrap();
    }
    // Give orphans of SIGKILLed workers (20 ms commands) time to write their last line.
    thread::sleep(Duration::from_millis(300));

    let history = std::fs::read_to_string(&file).unwrap();
    let v = check(&history);
    let exits: Vec<BTreeMap<i32, u32>> = slots
        .iter()
        .map(|s| s.exits.lock().unwrap().clone())
        .collect();
    println!(
        "CHAOS lock: {} s, faults injected {} (worker SIGKILL {}, worker SIGSTOP past the \
         session timeout {}, server kill+restart {}, leader kill {}), acquisitions checked {}, \
         violations {} (paused holders overtaken {}, their late writes fenced {}, commands \
         stopped by zkdemo {}); per worker {:?}; zkdemo exit codes per worker {:?}",
        chaos_seconds(),
        faults.total(),
        faults.kill_worker,
        faults.pause_worker,
        faults.restart_server,
        faults.kill_leader,
        v.acquisitions,
        v.violations.len(),
        v.excused_pauses,
        v.fenced_writes,
        v.terminated,
        v.per_worker,
        exits,
    );
    if !v.violations.is_empty() || std::env::var_os("ZKDEMO_CHAOS_KEEP").is_some() {
        let keep = dir.keep();
        println!("history and worker stderr kept in {}", keep.display());
    }
    if !v.violations.is_empty() {
        let keep = "(see above)";
        panic!(
            "violations (history kept {}):\n{}",
            keep,
            v.violations.join("\n")
        );
    }
    assert!(faults.total() > 0);
    for i in 0..WORKERS {
        let n = v.per_worker.get(&format!("w{i}")).copied().unwrap_or(0);
        assert!(
            n >= 3,
            "worker w{i} made little progress ({n}): {:?}",
            v.per_worker
        );
    }
}

#[test]
fn the_checker_catches_overlaps_and_stale_tokens() {
    let ok = "start 5 w0 0\nend 5 w0 0\nstart 9 w1 0\nend 9 w1 0\n";
    assert!(check(ok).violations.is_empty());
    assert_eq!(check(ok).acquisitions, 2);
    let overlap = "start 5 w0 0\nstart 9 w1 0\nend 9 w1 0\nend 5 w0 0\n";
    assert_eq!(check(overlap).violations.len(), 2);
    let stale = "start 9 w0 0\nend 9 w0 0\nstart 5 w1 0\nend 5 w1 0\n";
    assert_eq!(check(stale).violations.len(), 1);
    // A paused holder overtaken: excused, and its late end is fenced.
    let paused = "start 5 w0 0\npause w0 1\nstart 9 w1 0\nend 9 w1 0\nresume w0 2\nend 5 w0 0\n";
    let v = check(paused);
    assert!(v.violations.is_empty(), "{v:?}");
    assert_eq!((v.excused_pauses, v.fenced_writes), (1, 1));
    // A pause that came after the overlap does not excuse it.
    let late = "start 5 w0 0\nstart 9 w1 0\npause w0 1\nend 9 w1 0\n";
    assert!(!check(late).violations.is_empty());
}
