//! Five `zkdemo lock` workers in command mode; each command is a 20 ms critical section.
//! Faults go on for 80 s and then until 1,000 acquisitions are in the history (200 s at most).
//! Checks: no two commands inside at once (a paused holder overtaken is excused, its late
//! writes fenced), fencing tokens growing from holder to holder, every worker progressing.

use std::thread;
use std::time::Duration;

use crate::common::*;
use crate::history::{check, gaps, now_ns, p50_max, SCRIPT};
use crate::workers::{inject, Workers};
use crate::Run;

const WORKERS: usize = 5;
/// Acquisitions the run checks at least (faults go on until there are this many)...
const ACQUISITIONS: usize = 1000;
/// ...but faults stop after this long, whatever the count (CI must end).
const LIMIT: Duration = Duration::from_secs(200);

#[test]
fn lock_chaos_no_overlap_tokens_grow_everyone_progresses() {
    let mut run = Run::start("lock", 80);
    let links = run.links(WORKERS);
    let (path, f) = (run.path.clone(), run.file.clone());
    let workers = Workers::start(WORKERS, run.dir.path(), move |i| {
        let mut cmd = zkdemo();
        cmd.args(["--zk", &links[i], "--session-timeout", "2s"])
            .args(["--connect-timeout", "10s", "lock", "--path", &path])
            .args(["--id", &format!("w{i}"), "--kill-grace", "300ms"])
            .args(["--", "sh", "-c", SCRIPT])
            .env("F", &f)
            .env("W", format!("w{i}"))
            .env("HOLD", "0.02")
            .env("RUST_LOG", "zkdemo=debug"); // in w<i>.stderr, kept when a run fails
        cmd
    });

    // Faults for `seconds`, and on until ACQUISITIONS are in the history (the suite promises
    // that many checked), but not past LIMIT.
    let started = now_ns();
    let file = run.file.clone();
    let count = || {
        std::fs::read_to_string(&file)
            .map(|h| h.lines().filter(|l| l.starts_with("start ")).count())
            .unwrap_or(0)
    };
    let faults = inject(&mut run, &workers, LIMIT, || count() >= ACQUISITIONS);
    let fault_seconds = (now_ns() - started) as f64 / 1e9;
    // Let the workers finish a few more rounds on a healthy ensemble, then stop them.
    run.zk
        .wait_ready(Duration::from_secs(30))
        .expect("ensemble ready");
    let ready = now_ns();
    thread::sleep(Duration::from_secs(5));
    let exits = workers.stop();
    // Give orphans of SIGKILLed workers (20 ms commands) time to write their last line.
    thread::sleep(Duration::from_millis(300));

    let history = std::fs::read_to_string(&run.file).unwrap();
    let v = check(&history);
    let idle = p50_max(gaps(&history, 0).iter().map(|g| g.ms).collect()).unwrap_or_default();
    println!(
        "CHAOS lock: {fault_seconds:.0} s, {faults}, acquisitions checked {}, violations {} \
         (paused holders overtaken {}, their late writes fenced {}, commands stopped by zkdemo \
         {}); lock free between holders p50 {:.0} ms, longest {:.0} ms; per worker {:?}; \
         zkdemo exit codes per worker {exits:?}",
        v.acquisitions,
        v.violations.len(),
        v.excused_pauses,
        v.fenced_writes,
        v.terminated,
        idle.0,
        idle.1,
        v.per_worker,
    );
    // Liveness: after the last fault, every worker holds again within twice the session
    // timeout (2 s) of the ensemble being ready: no session left behind blocks the queue.
    let history_after: Vec<(String, u128)> = history
        .lines()
        .filter_map(|l| {
            let f: Vec<&str> = l.split_whitespace().collect();
            match f.as_slice() {
                ["start", _, w, t] => Some((w.to_string(), t.parse().ok()?)),
                _ => None,
            }
        })
        .filter(|(_, t)| *t >= ready)
        .collect();
    let mut back_after = Vec::new();
    for i in 0..WORKERS {
        let w = format!("w{i}");
        let first = history_after.iter().find(|(x, _)| *x == w).map(|(_, t)| *t);
        back_after.push((w, first.map(|t| (t - ready) / 1_000_000)));
    }
    println!("CHAOS lock liveness: first hold per worker after the last fault (ms) {back_after:?}");
    let stuck: Vec<_> = back_after
        .iter()
        .filter(|(_, ms)| ms.is_none_or(|ms| ms > 4000))
        .collect();
    let short =
        v.acquisitions < ACQUISITIONS as u64 && std::env::var_os("ZKDEMO_CHAOS_SECONDS").is_none();
    run.keep_if(!v.violations.is_empty() || short || !stuck.is_empty());
    assert!(
        stuck.is_empty(),
        "workers not holding again within 4 s of the last fault: {stuck:?}"
    );
    assert!(
        v.violations.is_empty(),
        "violations:\n{}",
        v.violations.join("\n")
    );
    assert!(faults.total() > 0);
    assert!(
        !short,
        "only {} acquisitions in {fault_seconds:.0} s of faults",
        v.acquisitions
    );
    for i in 0..WORKERS {
        let n = v.per_worker.get(&format!("w{i}")).copied().unwrap_or(0);
        assert!(
            n >= 3,
            "worker w{i} made little progress ({n}): {:?}",
            v.per_worker
        );
    }
}
