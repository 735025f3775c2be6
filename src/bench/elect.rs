//! Clean failovers: `zkdemo elect` processes (the real command, output and all) rotate the
//! leadership with `--lead 1ms`; a failover is one node's `resigned` event → the next node's
//! `leader` event, from the events' own timestamps.
//!
//! So that every resignation has a follower waiting, the bench holds the first place itself
//! (a `Queue` in its own session) until every candidate has joined.

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant, SystemTime};

use serde_json::Value;

use super::report::{Figure, Target};
use super::stats::ms;
use super::{p50_p99, stalled, Ctx};
use crate::exit::{self, Error};
use crate::queue::{Queue, Recipe, Waited};
use crate::session::Session;

const STALL: Duration = Duration::from_secs(30);

/// Kills the candidates we started if the bench ends early.
struct Kids(Vec<Child>);

impl Drop for Kids {
    fn drop(&mut self) {
        for c in &mut self.0 {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

pub fn run(ctx: &Ctx, s: &Session, candidates: usize, rounds: usize) -> exit::Result<Vec<Figure>> {
    let path = format!("{}/elect", ctx.base);
    // The gate: we lead first, until everybody queued behind us.
    let mut gate = Queue::new(&path, "bench-gate", Recipe::Kazoo);
    gate.join(s)
        .map_err(|e| e.to_exit("elect bench: joining"))?;
    let (gtx, grx) = crate::inbox::pair();
    match gate.wait_first(s, &grx, &gtx, Some(Instant::now()), |_| {}) {
        Ok(Waited::First(_)) => {}
        _ => {
            return Err(Error::new(
                exit::FAILURE,
                "elect bench: the gate did not lead",
            ))
        }
    }
    // Terms in all: one per failover, plus the first.
    let count = (rounds + 1).div_ceil(candidates);
    let (tx, rx) = mpsc::channel::<(usize, Value)>();
    let mut kids = Kids(Vec::new());
    for i in 0..candidates {
        let mut cmd = Command::new(&ctx.exe);
        cmd.args(["--json", "-q", "--zk", &ctx.zk, "elect", "--path", &path])
            .args(["--id", &format!("c{i}"), "--lead", "1ms"])
            .args(["--count", &count.to_string()])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit());
        let mut child = cmd.spawn().map_err(|e| {
            Error::new(
                exit::FAILURE,
                format!("elect bench: cannot run {}: {e}", ctx.exe.display()),
            )
        })?;
        let stdout = child.stdout.take().expect("piped");
        kids.0.push(child);
        let tx = tx.clone();
        thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Ok(v) = serde_json::from_str::<Value>(&line) {
                    let _ = tx.send((i, v));
                }
            }
        });
    }
    drop(tx);
    let mut events = Vec::new();
    let mut joined = 0;
    while joined < candidates {
        let (i, v) = rx
            .recv_timeout(STALL)
            .map_err(|_| stalled("elect bench: candidates joining", STALL))?;
        if v["event"] == "joined" {
            joined += 1;
        }
        events.push((i, v));
    }
    gate.leave(s)
        .map_err(|e| e.to_exit("elect bench: resigning the gate"))?;
    let gate_resigned = SystemTime::now();
    let total = count * candidates;
    let mut terms = 0;
    loop {
        match rx.recv_timeout(STALL) {
            Ok((i, v)) => {
                if v["event"] == "leader" {
                    terms += 1;
                    ctx.progress.step("elect failovers", terms, total);
                }
                events.push((i, v));
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => break,
            Err(mpsc::RecvTimeoutError::Timeout) => return Err(stalled("elect bench", STALL)),
        }
    }
    for (i, c) in kids.0.iter_mut().enumerate() {
        let st = c
            .wait()
            .map_err(|e| Error::new(exit::FAILURE, e.to_string()))?;
        if !st.success() {
            return Err(Error::new(
                exit::FAILURE,
                format!("elect bench: candidate {i} exited with {st}"),
            ));
        }
    }

    // (time, who, is_leader), in time order.
    let mut h: Vec<(SystemTime, usize, bool)> = events
        .iter()
        .filter_map(|(i, v)| {
            let leader = match v["event"].as_str()? {
                "leader" => true,
                "resigned" => false,
                _ => return None,
            };
            let ts = humantime::parse_rfc3339(v["ts"].as_str()?).ok()?;
            Some((ts, *i, leader))
        })
        .collect();
    h.sort_by_key(|e| e.0);
    let mut failovers = Vec::new();
    let mut overlaps = 0;
    let mut leading: Option<usize> = None;
    let mut resigned = Some(gate_resigned);
    let mut first = true;
    for (ts, who, leader) in h {
        if leader {
            if leading.is_some() {
                overlaps += 1;
            }
            leading = Some(who);
            // The gate's own resignation is timed here, not by an event: not a clean sample.
            if let (Some(r), false) = (resigned.take(), first) {
                let d = match ts.duration_since(r) {
                    Ok(d) => ms(d),
                    Err(e) => -ms(e.duration()),
                };
                failovers.push(d);
            }
            first = false;
        } else {
            leading = None;
            resigned = Some(ts);
        }
    }
    let name = format!("elect {candidates} candidates");
    let mut figs = p50_p99(&format!("{name}: failover"), &failovers);
    figs[0] = figs[0].clone().target(Target::RatioAtMost(2.0));
    figs.push(Figure::plain(
        &format!("{name}: failovers"),
        failovers.len() as f64,
        "",
    ));
    figs.push(
        Figure::plain(&format!("{name}: two leaders at once"), overlaps as f64, "")
            .target(Target::AtMost(0.0)),
    );
    Ok(figs)
}
