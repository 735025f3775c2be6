//! Holds of a lock (or terms as leader) read from the `--json` events of zkdemo and of the
//! peers (kazoo scripts, the Curator peer): each prints `{"event": …, "ts": RFC 3339, "id": …}`
//! at the start and the end of a hold. The tests judge exclusion by these stamps, taken on
//! one machine's clock, not by the implementation.

use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::Proc;

/// An event's time stamp. Panics when it has none.
pub fn ts(v: &Value) -> SystemTime {
    humantime::parse_rfc3339(v["ts"].as_str().expect("ts")).expect("rfc3339")
}

/// One hold: from its start event to its end event.
#[derive(Clone, Debug, PartialEq)]
pub struct Span {
    pub from: SystemTime,
    pub to: SystemTime,
    /// The holder's `id`.
    pub id: String,
    /// The start event, for what else it reports (`seq`, `node`).
    pub start: Value,
}

/// The spans in one process's events, from `start` to the next of `ends`; a span still open
/// ends now (a leader still leading).
pub fn spans(events: &[Value], start: &str, ends: &[&str]) -> Vec<Span> {
    let mut v = Vec::new();
    let mut open: Option<&Value> = None;
    for e in events {
        let name = e["event"].as_str().unwrap_or("");
        if name == start {
            open = Some(e);
        } else if ends.contains(&name) {
            if let Some(s) = open.take() {
                v.push(span(s, ts(e)));
            }
        }
    }
    v.extend(open.map(|s| span(s, SystemTime::now())));
    v
}

/// Every hold in the histories, in order of start; each must be closed: a start twice in a
/// row, an end without a start or a hold still open panics.
pub fn closed_spans(histories: &[Vec<Value>], start: &str, end: &str) -> Vec<Span> {
    let mut v = Vec::new();
    for h in histories {
        let mut open: Option<&Value> = None;
        for e in h {
            let name = e["event"].as_str();
            if name == Some(start) {
                assert!(open.is_none(), "{start} twice: {h:?}");
                open = Some(e);
            } else if name == Some(end) {
                let s = open
                    .take()
                    .unwrap_or_else(|| panic!("{end} without {start}: {h:?}"));
                v.push(span(s, ts(e)));
            }
        }
        assert!(open.is_none(), "a hold never ended: {h:?}");
    }
    v.sort_by_key(|s| s.from);
    v
}

fn span(start: &Value, to: SystemTime) -> Span {
    Span {
        from: ts(start),
        to,
        id: start["id"].as_str().unwrap_or("?").to_owned(),
        start: start.clone(),
    }
}

/// How long two spans overlap (zero when they do not).
pub fn overlap(a: &Span, b: &Span) -> Duration {
    let (from, to) = (a.from.max(b.from), a.to.min(b.to));
    to.duration_since(from).unwrap_or_default()
}

/// Pairs of spans of different processes that overlap.
pub fn overlaps(all: &[Vec<Span>]) -> Vec<(Span, Span)> {
    let mut v = Vec::new();
    for (i, a) in all.iter().enumerate() {
        for b in &all[i + 1..] {
            for x in a {
                for y in b {
                    if x.from < y.to && y.from < x.to {
                        v.push((x.clone(), y.clone()));
                    }
                }
            }
        }
    }
    v
}

/// The most spans open at one instant (a release at the instant of an acquisition comes
/// first).
pub fn most_at_once(all: &[Vec<Span>]) -> usize {
    let mut edges: Vec<(SystemTime, i32)> = all
        .iter()
        .flatten()
        .flat_map(|s| [(s.from, 1), (s.to, -1)])
        .collect();
    edges.sort();
    let (mut now, mut most) = (0i32, 0i32);
    for (_, d) in edges {
        now += d;
        most = most.max(now);
    }
    most as usize
}

/// Wait for every process to finish well (2 minutes at most each); the holds of each, from
/// `acquired` to `released`.
pub fn holds_of_all(procs: &mut [Proc]) -> Vec<Vec<Span>> {
    for p in procs.iter_mut() {
        let st = p.wait_exit(Duration::from_secs(120)).expect("finishes");
        assert!(st.success(), "{}", p.transcript());
    }
    procs
        .iter()
        .map(|p| spans(&p.events(), "acquired", &["released"]))
        .collect()
}
