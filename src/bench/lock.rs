//! Lock handoff: P contenders, each with its own session and thread, take the lock K times
//! each on one path with `queue::Queue` (the recipe `zkdemo lock` uses). Everybody is queued
//! before the first release, and a holder queues again at once after releasing, so every
//! release has a waiter. Handoff = the holder's release → the next holder's acquire.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Barrier, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use super::report::{Figure, Target};
use super::stats::ms;
use super::{p50_p99, stalled, Ctx};
use crate::exit::{self, Error};
use crate::queue::{Queue, Recipe, Waited};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Acquired,
    Released,
}

const STALL: Duration = Duration::from_secs(30);

pub fn run(ctx: &Ctx, contenders: usize, k: usize) -> exit::Result<Vec<Figure>> {
    let path = format!("{}/lock-{contenders}", ctx.base);
    let history: Arc<Mutex<Vec<(Instant, Kind)>>> = Arc::default();
    let holders = Arc::new(AtomicUsize::new(0));
    let overlaps = Arc::new(AtomicUsize::new(0));
    let done = Arc::new(AtomicUsize::new(0));
    let queued = Arc::new(Barrier::new(contenders + 1));
    let mut threads = Vec::new();
    for i in 0..contenders {
        let (cfg, path) = (ctx.cfg.clone(), path.clone());
        let (history, holders, overlaps, done, queued) = (
            history.clone(),
            holders.clone(),
            overlaps.clone(),
            done.clone(),
            queued.clone(),
        );
        threads.push(thread::spawn(move || -> exit::Result<()> {
            let (tx, rx) = crate::inbox::pair();
            let joined = crate::inbox::connect(&cfg, &tx)
                .map_err(exit::Error::from)
                .and_then(|s| {
                    let mut q = Queue::new(&path, &format!("bench-{i}"), Recipe::Kazoo);
                    q.join(&s).map_err(|e| e.to_exit("lock bench: joining"))?;
                    Ok((s, q))
                });
            // Whatever happened, let the others past the barrier.
            queued.wait();
            let (s, mut q) = joined?;
            for round in 0..k {
                match q.wait_first(&s, &rx, &tx, Some(Instant::now() + STALL), |_| {}) {
                    Ok(Waited::First(_)) => {}
                    Ok(Waited::TimedOut) => return Err(stalled("lock bench", STALL)),
                    Ok(other) => {
                        return Err(Error::new(
                            exit::FAILURE,
                            format!("lock bench: contender {i} lost its place: {other:?}"),
                        ))
                    }
                    Err(e) => return Err(e.to_exit("lock bench: waiting")),
                }
                let at = Instant::now();
                if holders.fetch_add(1, Ordering::SeqCst) != 0 {
                    overlaps.fetch_add(1, Ordering::SeqCst);
                }
                history.lock().unwrap().push((at, Kind::Acquired));
                holders.fetch_sub(1, Ordering::SeqCst);
                history
                    .lock()
                    .unwrap()
                    .push((Instant::now(), Kind::Released));
                q.leave(&s)
                    .map_err(|e| e.to_exit("lock bench: releasing"))?;
                done.fetch_add(1, Ordering::Relaxed);
                if round + 1 < k {
                    q.join(&s)
                        .map_err(|e| e.to_exit("lock bench: queueing again"))?;
                }
            }
            s.close();
            Ok(())
        }));
    }
    queued.wait();
    let total = contenders * k;
    let what = format!("lock, {contenders} contenders");
    while threads.iter().any(|t| !t.is_finished()) {
        ctx.progress
            .step(&what, done.load(Ordering::Relaxed), total);
        thread::sleep(Duration::from_millis(50));
    }
    for t in threads {
        t.join()
            .map_err(|_| Error::new(exit::FAILURE, "lock bench: a contender panicked"))??;
    }

    let mut h = history.lock().unwrap().clone();
    h.sort_by_key(|(t, _)| *t);
    let mut handoffs = Vec::new();
    let mut last_release = None;
    // Holds must alternate with releases in time, whatever the counter saw.
    let mut held = false;
    for (t, kind) in &h {
        match kind {
            Kind::Released => {
                held = false;
                last_release = Some(*t)
            }
            Kind::Acquired => {
                if std::mem::replace(&mut held, true) {
                    overlaps.fetch_add(1, Ordering::SeqCst);
                }
                if let Some(r) = last_release.take() {
                    handoffs.push(ms(t.duration_since(r)));
                }
            }
        }
    }
    let acquired = h.iter().filter(|(_, k)| *k == Kind::Acquired).count();
    let span = h.last().unwrap().0.duration_since(h[0].0).as_secs_f64();
    let name = format!("lock {contenders} contenders");
    let mut figs = p50_p99(&format!("{name}: handoff"), &handoffs);
    let rate = Figure::plain(
        &format!("{name}: acquisitions/s"),
        acquired as f64 / span,
        "/s",
    );
    let overlaps = Figure::plain(
        &format!("{name}: overlaps"),
        overlaps.load(Ordering::SeqCst) as f64,
        "",
    )
    .target(Target::AtMost(0.0));
    if contenders == 3 {
        figs[0] = figs[0].clone().target(Target::RatioAtMost(2.0));
        figs.push(rate.target(Target::AtLeast(300.0)));
    } else {
        figs.push(rate);
    }
    figs.push(overlaps);
    Ok(figs)
}
