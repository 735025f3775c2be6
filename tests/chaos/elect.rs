//! Five `zkdemo elect` nodes, each running a leader command (a 300 ms critical section) while
//! it leads. Leadership moves three ways: the command ends by itself (zkdemo exits, the driver
//! starts it again), `--lead` elapses (zkdemo stops the command with SIGTERM, resigns and
//! queues again), or a fault. Checks: never two leader commands at once (the lock checker:
//! a leader is a lock holder), leadership tokens growing, every node leading, and after every
//! vacancy a new leader within the bound the README promises for its cause.

use std::thread;
use std::time::Duration;

use rand::Rng;

use crate::common::*;
use crate::history::{check, gaps, now_ns, p50_max, Cause, SCRIPT};
use crate::workers::{inject, Workers};
use crate::Run;

const NODES: usize = 5;
const SESSION_TIMEOUT: Duration = Duration::from_secs(2);

/// The longest vacancy allowed, per cause (README, "Election under faults"): a clean handover
/// takes milliseconds (1 s allows for 2 loaded cores); a dead or paused participant blocks
/// the queue until the server expires its session (the session timeout plus a tick) and 2 s
/// for a loaded machine; a server fault can also cost the ensemble a leader election, after
/// which the new ZooKeeper leader gives every session a fresh timeout (measured from the last
/// server fault: see `history::gaps`).
fn bound(cause: Cause) -> Duration {
    match cause {
        Cause::Clean => Duration::from_secs(1),
        Cause::Participant => SESSION_TIMEOUT + Duration::from_secs(2),
        Cause::Server => SESSION_TIMEOUT * 2 + Duration::from_secs(4),
    }
}

#[test]
fn elect_chaos_one_leader_at_a_time_and_a_new_one_within_the_bound() {
    let mut run = Run::start("elect", 60);
    let links = run.links(NODES);
    let (path, f) = (run.path.clone(), run.file.clone());
    let workers = Workers::start(NODES, run.dir.path(), move |i| {
        // Half the time --lead elapses before the command ends by itself.
        let lead = format!("{}ms", rand::thread_rng().gen_range(100..500));
        let mut cmd = zkdemo();
        cmd.args(["--zk", &links[i], "--session-timeout", "2s"])
            .args(["--connect-timeout", "10s", "elect", "--path", &path])
            .args(["--id", &format!("w{i}"), "--kill-grace", "300ms"])
            .args(["--lead", &lead, "--", "sh", "-c", SCRIPT])
            .env("F", &f)
            .env("W", format!("w{i}"))
            .env("HOLD", "0.3")
            .env("RUST_LOG", "zkdemo=debug"); // in w<i>.stderr, kept when a run fails
        cmd
    });

    let limit = Duration::from_secs(run.seconds);
    let faults = inject(&mut run, &workers, limit, || true);
    run.zk
        .wait_ready(Duration::from_secs(30))
        .expect("ensemble ready");
    // The election goes on after the faults: someone leads again (an election that stood
    // still would show no vacancy at all, only a run that ends).
    let calm = now_ns();
    let recovered = eventually(bound(Cause::Server), || {
        let h = std::fs::read_to_string(&run.file).ok()?;
        h.lines()
            .filter_map(|l| l.strip_prefix("start "))
            .filter_map(|l| l.split_whitespace().nth(2)?.parse::<u128>().ok())
            .find(|&t| t > calm)
    });
    thread::sleep(Duration::from_secs(2));
    let exits = workers.stop();
    // Orphans of SIGKILLed nodes (300 ms commands) write their last line.
    thread::sleep(Duration::from_millis(500));

    let history = std::fs::read_to_string(&run.file).unwrap();
    let v = check(&history);
    // A participant that died up to a session timeout (and a second for slack) before a
    // vacancy may still be blocking the queue when it begins.
    let gaps = gaps(
        &history,
        (SESSION_TIMEOUT + Duration::from_secs(1)).as_nanos(),
    );
    let summary = |c: Cause| {
        let xs: Vec<f64> = gaps.iter().filter(|g| g.cause == c).map(|g| g.ms).collect();
        let n = xs.len();
        match p50_max(xs) {
            Some((p50, max)) => format!("{n} p50 {p50:.0} ms max {max:.0} ms"),
            None => "0".into(),
        }
    };
    println!(
        "CHAOS elect: {} s, {faults}, leaderships checked {}, violations {} (paused \
         leaders overtaken {}, their late writes fenced {}, leader commands stopped by zkdemo \
         {}); new leader after a clean handover {}, after a participant fault {}, after a \
         server fault {}; per node {:?}; zkdemo exit codes per node {exits:?}",
        run.seconds,
        v.acquisitions,
        v.violations.len(),
        v.excused_pauses,
        v.fenced_writes,
        v.terminated,
        summary(Cause::Clean),
        summary(Cause::Participant),
        summary(Cause::Server),
        v.per_worker,
    );
    let slow: Vec<String> = gaps
        .iter()
        .filter(|g| g.ms > bound(g.cause).as_secs_f64() * 1e3)
        .map(|g| {
            format!(
                "line {}: no leader for {:.0} ms ({:?}; bound {:?})",
                g.line,
                g.ms,
                g.cause,
                bound(g.cause)
            )
        })
        .collect();
    run.keep_if(!v.violations.is_empty() || !slow.is_empty() || recovered.is_none());
    assert!(
        v.violations.is_empty(),
        "violations:\n{}",
        v.violations.join("\n")
    );
    assert!(slow.is_empty(), "slow failovers:\n{}", slow.join("\n"));
    assert!(
        recovered.is_some(),
        "no new leader within {:?} after the faults ended",
        bound(Cause::Server)
    );
    assert!(faults.total() > 0);
    assert!(
        gaps.iter().any(|g| g.cause != Cause::Clean),
        "no fault left the election without a leader: the run did not test failover"
    );
    for i in 0..NODES {
        let n = v.per_worker.get(&format!("w{i}")).copied().unwrap_or(0);
        assert!(n >= 3, "node w{i} led little ({n}): {:?}", v.per_worker);
    }
}
