//! Config propagation: one setter writes through `config::set::apply` (the read and
//! compare-and-set of `zkdemo config set`); W watchers, each its own session and thread, run
//! what `zkdemo config watch` runs: the `watch::DataWatch` recipe on an inbox of their own
//! (`crate::inbox`), reading again each time a watch fires. A sample is the setter's
//! acknowledgement → the last watcher's read of that version. Versions a watcher never read (two
//! writes between its reads) are counted as missed.
//!
//! A second figure, `notified`, stops the clock when the last watcher is *woken* by its watch's
//! firing (the wake out of its inbox, before the read): what the server, the crate's event
//! delivery and the hand-over to the watcher's thread cost, and so the least any watcher that
//! must read the new data could achieve.
//!
//! A third, `all read at once`, has no set and no watch: every watcher is told at one instant
//! to read the node (a plain get_data through the same session layer), and the clock stops at
//! the last answer. That is what W sessions reading at once cost on this machine, the least
//! propagation can cost when each watcher must read after its notification.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::mpsc::{self, Sender};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

use super::report::{Figure, Target};
use super::stats::ms;
use super::{p50_p99, stalled, Ctx};
use crate::config::set::{apply, Edit};
use crate::exit::{self, Error};
use crate::inbox::{self, Inbox, Wake, Waker};
use crate::session::{Session, SessionEvent};
use crate::watch::DataWatch;

const STALL: Duration = Duration::from_secs(30);

/// What the bench tells a watcher, as timer tokens in its inbox: read the node now (no watch)
/// and say when the answer came; stop.
const READ_NOW: u64 = 1;
const STOP: u64 = 2;

/// What a watcher tells the setter: which watcher, the version it read, when the read
/// returned, and when the firing that led to the read woke it (None for the first read).
type Seen = (usize, i32, Instant, Option<Instant>);

/// One watcher's ends: its session (events into `rx`), its inbox, where it says what it read
/// and when its plain reads returned.
struct Watcher {
    i: usize,
    s: Session,
    tx: Waker,
    rx: Inbox,
    seen: Sender<Seen>,
    read: Sender<Instant>,
    missed: Arc<AtomicUsize>,
}

fn watcher(w: Watcher, path: String) {
    let mut node = DataWatch::new(&path);
    let mut woken: Option<Instant> = None;
    loop {
        match node.refresh(&w.s, &w.tx) {
            Ok(Some(u)) => {
                let at = Instant::now();
                if let (Some(Some(was)), Some(now)) = (&u.was, &u.now) {
                    if now.stat.czxid == was.stat.czxid && now.stat.version > was.stat.version + 1 {
                        let n = now.stat.version - was.stat.version - 1;
                        w.missed.fetch_add(n as usize, Ordering::Relaxed);
                    }
                }
                if let Some(now) = &u.now {
                    let _ = w.seen.send((w.i, now.stat.version, at, woken));
                }
            }
            Ok(None) => {}
            Err(e) => log::warn!("config bench: watcher {}: {e}", w.i),
        }
        // Until the recipe wants a read: its watch stays armed through plain reads.
        loop {
            match w.rx.recv() {
                Ok(Wake::Timer(STOP)) | Ok(Wake::Session(SessionEvent::Lost { .. })) | Err(_) => {
                    w.s.close();
                    return;
                }
                Ok(Wake::Timer(READ_NOW)) => {
                    if let Err(e) = w.s.get_data(&path) {
                        log::warn!("config bench: watcher {}: {e}", w.i);
                    }
                    let _ = w.read.send(Instant::now());
                }
                Ok(wake) => {
                    if node.on_wake(&wake) {
                        woken = Some(Instant::now());
                        break;
                    }
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
    let (read_tx, read_rx) = mpsc::channel::<Instant>();
    let mut controls = Vec::new();
    let mut threads = Vec::new();
    let what = format!("config, {watchers} watchers: connecting");
    for i in 0..watchers {
        ctx.progress.step(&what, i, watchers);
        let (tx, rx) = inbox::pair();
        let s = inbox::connect(&ctx.cfg, &tx).map_err(|e| {
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
        controls.push(tx.untagged());
        let w = Watcher {
            i,
            s,
            tx,
            rx,
            seen: seen_tx.clone(),
            read: read_tx.clone(),
            missed: missed.clone(),
        };
        let path = path.clone();
        threads.push(
            thread::Builder::new()
                .name("bench-watcher".into())
                .stack_size(128 * 1024)
                .spawn(move || watcher(w, path))
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
        let asked = Instant::now();
        for c in &controls {
            let _ = c.send(Wake::Timer(READ_NOW));
        }
        let mut last = asked;
        for _ in 0..watchers {
            let t = read_rx
                .recv_timeout(STALL)
                .map_err(|_| stalled("config bench: reads", STALL))?;
            last = last.max(t);
        }
        at_once.push(ms(last - asked));
    }
    for c in &controls {
        let _ = c.send(Wake::Timer(STOP));
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
        &format!("{name}: notified (watcher woken, before the read)"),
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
