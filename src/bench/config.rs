//! Config propagation: one setter writes through `config::set::apply` (the read and
//! compare-and-set of `zkdemo config set`); W watchers, each its own session and thread, do
//! what `zkdemo config watch` does: read with a data watch, and read again (re-arming it) each
//! time it fires. A sample is the setter's acknowledgement → the last watcher's read of that
//! version. Versions a watcher never read (two writes between its reads) are counted as missed.
//!
//! A second figure, `notified`, stops the clock when the last watcher's watch *fires* (in the
//! session layer's callback, before the read): what the server and the crate's event delivery
//! cost alone, and so the least any watcher that must read the new data could achieve.
//!
//! A third, `all read at once`, has no set and no watch: every watcher is told at one instant
//! to read the node (a plain get_data through the same session layer), and the clock stops at
//! the last answer. That is what W sessions reading at once cost on this machine, the least
//! propagation can cost when each watcher must read after its notification.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Receiver, Sender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::report::{Figure, Target};
use super::stats::ms;
use super::{p50_p99, stalled, Ctx};
use crate::config::set::{apply, Edit};
use crate::exit::{self, Error};
use crate::session::{Session, WatchEvent};

const STALL: Duration = Duration::from_secs(30);

enum Msg {
    Fired(WatchEvent, Instant),
    /// Read the node now (no watch) and say when the answer came.
    Read(Sender<Instant>),
    Stop,
}

/// What a watcher tells the setter: which watcher, the version it read, when the read
/// returned, and when the watch that led to the read fired (None for the first read).
type Seen = (usize, i32, Instant, Option<Instant>);

fn watcher(
    i: usize,
    s: Session,
    path: String,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    seen: Sender<Seen>,
    missed: Arc<AtomicUsize>,
) {
    let mut last: Option<i32> = None;
    let mut fired: Option<Instant> = None;
    loop {
        let fire = tx.clone();
        match s.watch_data(&path, move |ev| {
            let _ = fire.send(Msg::Fired(ev, Instant::now()));
        }) {
            Ok((_, stat)) => {
                let at = Instant::now();
                if let Some(l) = last {
                    if stat.version > l + 1 {
                        missed.fetch_add((stat.version - l - 1) as usize, Ordering::Relaxed);
                    }
                }
                if last != Some(stat.version) {
                    last = Some(stat.version);
                    let _ = seen.send((i, stat.version, at, fired));
                }
            }
            Err(e) => log::warn!("config bench: watcher {i}: {e}"),
        }
        // Until the watch fires: the armed watch stays armed through plain reads.
        loop {
            match rx.recv() {
                Ok(Msg::Fired(WatchEvent::SessionLost, _)) | Ok(Msg::Stop) | Err(_) => {
                    s.close();
                    return;
                }
                Ok(Msg::Fired(_, at)) => {
                    fired = Some(at);
                    break;
                }
                Ok(Msg::Read(done)) => {
                    if let Err(e) = s.get_data(&path) {
                        log::warn!("config bench: watcher {i}: {e}");
                    }
                    let _ = done.send(Instant::now());
                }
            }
        }
    }
}

pub fn run(ctx: &Ctx, watchers: usize, sets: usize) -> exit::Result<Vec<Figure>> {
    let path = format!("{}/config-{watchers}", ctx.base);
    let setter = ctx.connect()?;
    apply(
        &setter,
        &path,
        &Edit::Merge(vec![("n".into(), "start".into())]),
        None,
    )?;
    let missed = Arc::new(AtomicUsize::new(0));
    let (seen_tx, seen_rx) = mpsc::channel::<Seen>();
    let mut stops = Vec::new();
    let mut threads = Vec::new();
    let what = format!("config, {watchers} watchers: connecting");
    for i in 0..watchers {
        ctx.progress.step(&what, i, watchers);
        let s = Session::connect(&ctx.cfg, |_| {}).map_err(|e| {
            let e = crate::exit::Error::from(e);
            Error::new(
                e.code,
                format!(
                    "config bench: watcher {} of {watchers}: {}. A server accepts only \
                     maxClientCnxns connections from one address (60 by default): raise it \
                     (0 = no limit, as `zkdemo server` and --local do) or ask for fewer \
                     --watchers",
                    i + 1,
                    e.message
                ),
            )
        })?;
        let (tx, rx) = mpsc::channel();
        stops.push(tx.clone());
        let (path, seen, missed) = (path.clone(), seen_tx.clone(), missed.clone());
        threads.push(
            thread::Builder::new()
                .name("bench-watcher".into())
                .stack_size(128 * 1024)
                .spawn(move || watcher(i, s, path, tx, rx, seen, missed))
                .map_err(|e| Error::new(exit::FAILURE, format!("config bench: {e}")))?,
        );
    }
    // Every watcher has read the initial version (and armed its watch).
    let mut latest = vec![-1i32; watchers];
    // Wait until every watcher has read version `v`: when the last read returned, and when
    // the last watch fired.
    let wait_all = |latest: &mut Vec<i32>, v: i32| -> exit::Result<(Instant, Option<Instant>)> {
        let mut last = None::<Instant>;
        let mut last_fired = None::<Instant>;
        while latest.iter().any(|&l| l < v) {
            let (i, version, at, fired) = seen_rx
                .recv_timeout(STALL)
                .map_err(|_| stalled("config bench: watchers", STALL))?;
            latest[i] = latest[i].max(version);
            if version >= v {
                last = Some(last.map_or(at, |l| l.max(at)));
                last_fired = last_fired.max(fired);
            }
        }
        Ok((last.unwrap_or_else(Instant::now), last_fired))
    };
    let initial = setter
        .get_data(&path)
        .map_err(|e| e.to_exit("config bench: reading"))?
        .1
        .version;
    wait_all(&mut latest, initial)?;
    let mut prop = Vec::new();
    let mut notified = Vec::new();
    // After `acked`, in ms; negative when it came first (a watcher may read the new version
    // before our own thread has the reply).
    let since = |acked: Instant, t: Instant| match t.checked_duration_since(acked) {
        Some(d) => ms(d),
        None => -ms(acked.duration_since(t)),
    };
    let what = format!("config, {watchers} watchers");
    for i in 0..sets {
        ctx.progress.step(&what, i, sets);
        let w = apply(
            &setter,
            &path,
            &Edit::Merge(vec![("n".into(), i.to_string())]),
            None,
        )?;
        let acked = Instant::now();
        let (all, fired) = wait_all(&mut latest, w.version)?;
        prop.push(since(acked, all));
        if let Some(f) = fired {
            notified.push(since(acked, f));
        }
    }
    // Everybody reads at once, no set, no watch firing.
    let mut at_once = Vec::new();
    let what = format!("config, {watchers} watchers reading at once");
    for i in 0..sets {
        ctx.progress.step(&what, i, sets);
        let (done_tx, done_rx) = mpsc::channel();
        let asked = Instant::now();
        for s in &stops {
            let _ = s.send(Msg::Read(done_tx.clone()));
        }
        let mut last = asked;
        for _ in 0..watchers {
            let t = done_rx
                .recv_timeout(STALL)
                .map_err(|_| stalled("config bench: reads", STALL))?;
            last = last.max(t);
        }
        at_once.push(ms(last - asked));
    }
    for s in &stops {
        let _ = s.send(Msg::Stop);
    }
    for t in threads {
        let _ = t.join();
    }
    setter.close();
    let name = format!("config {watchers} watchers");
    let mut figs = p50_p99(&format!("{name}: propagation"), &prop);
    if watchers == 100 {
        figs[1] = figs[1].clone().target(Target::RatioAtMost(3.0));
    }
    figs.extend(p50_p99(
        &format!("{name}: notified (watch fired, before the read)"),
        &notified,
    ));
    figs.extend(p50_p99(
        &format!("{name}: all read at once (no set, no watch)"),
        &at_once,
    ));
    figs.push(
        Figure::plain(
            &format!("{name}: versions missed"),
            missed.load(Ordering::Relaxed) as f64,
            "",
        )
        .target(Target::AtMost(0.0)),
    );
    Ok(figs)
}
