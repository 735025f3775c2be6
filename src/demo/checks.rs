//! The checks the summary reports, over the event log of every participant: one lock holder
//! at a time (six holds), one leader at a time (three leaders), and every watcher saw every
//! update (three).

use std::collections::BTreeMap;
use std::time::{Duration, SystemTime};

use serde_json::Value;

use super::Scenario;

/// What the checks found, for the summary.
pub(super) struct Checks {
    /// Every check held.
    pub(super) ok: bool,
    /// One line per scenario played, for people.
    pub(super) lines: Vec<String>,
    /// The figures, for the summary event's fields.
    pub(super) fields: Vec<(String, Value)>,
}

impl Checks {
    /// Check what the scenarios in `played` left in `log`.
    pub(super) fn of(log: &[Value], played: &[Scenario]) -> Checks {
        let mut c = Checks {
            ok: true,
            lines: Vec::new(),
            fields: Vec::new(),
        };
        if played.contains(&Scenario::Lock) {
            let (n, overlaps) = overlaps(log, "acquired", &["released", "lost"], "worker");
            let ok = n == 6 && overlaps == 0;
            c.ok &= ok;
            c.lines
                .push(format!("{n} lock holds, {overlaps} overlapping"));
            c.fields.push(("lock_holds".into(), n.into()));
            c.fields.push(("lock_overlaps".into(), overlaps.into()));
        }
        if played.contains(&Scenario::Elect) {
            let (n, overlaps) = overlaps(log, "leader", &["resigned", "lost"], "node");
            let ok = n == 3 && overlaps == 0;
            c.ok &= ok;
            c.lines.push(format!("{n} leaders, {overlaps} overlapping"));
            c.fields.push(("leaders".into(), n.into()));
            c.fields.push(("leader_overlaps".into(), overlaps.into()));
        }
        if played.contains(&Scenario::Config) {
            let sets: Vec<&Value> = log
                .iter()
                .filter(|e| e["participant"] == "updater" && e["event"] == "set")
                .collect();
            let mut seen: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for e in log {
                let who = e["participant"].as_str().unwrap_or("");
                if who.starts_with("watcher") && e["event"] == "config" && e["initial"] != true {
                    seen.entry(who.to_owned())
                        .or_default()
                        .push(e["version"].clone());
                }
            }
            let all = seen.len() == 3
                && seen
                    .values()
                    .all(|v| sets.iter().all(|s| v.contains(&s["version"])));
            c.ok &= all && sets.len() == 3;
            c.lines.push(format!(
                "{} updates, every watcher saw every one: {}",
                sets.len(),
                if all { "yes" } else { "NO" }
            ));
            c.fields.push(("updates".into(), sets.len().into()));
            c.fields.push(("watchers_saw_all".into(), all.into()));
        }
        c
    }
}

/// Holds (from `start` to the next `end` of the same participant, whose name starts with
/// `who`), and how many of them began before the previous one ended. Times are the
/// participants' own `ts` (one clock: they all run here).
fn overlaps(log: &[Value], start: &str, ends: &[&str], who: &str) -> (usize, usize) {
    let ts = |e: &Value| {
        e["ts"]
            .as_str()
            .and_then(|t| humantime::parse_rfc3339(t).ok())
            .unwrap_or(SystemTime::UNIX_EPOCH)
    };
    let mut open: BTreeMap<&str, SystemTime> = BTreeMap::new();
    let mut spans = Vec::new();
    for e in log {
        let Some(p) = e["participant"].as_str().filter(|p| p.starts_with(who)) else {
            continue;
        };
        let name = e["event"].as_str().unwrap_or("");
        if name == start {
            open.insert(p, ts(e));
        } else if ends.contains(&name) {
            if let Some(s) = open.remove(p) {
                spans.push((s, ts(e)));
            }
        }
    }
    // A hold never ended counts until forever.
    for s in open.into_values() {
        spans.push((
            s,
            SystemTime::UNIX_EPOCH + Duration::from_secs(u32::MAX as u64),
        ));
    }
    spans.sort();
    let bad = spans.windows(2).filter(|w| w[1].0 < w[0].1).count();
    (spans.len(), bad)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn ev(who: &str, event: &str, second: u32) -> Value {
        json!({"event": event, "participant": who,
               "ts": format!("2024-01-01T00:00:{second:02}Z")})
    }

    #[test]
    fn overlaps_accepts_holds_one_after_the_other() {
        let log = [
            ev("worker 1", "acquired", 1),
            ev("worker 2", "queued", 1),
            ev("worker 1", "released", 2),
            ev("worker 2", "acquired", 3),
            ev("node 1", "acquired", 3), // another role: not counted
            ev("worker 2", "lost", 4),
        ];
        assert_eq!(
            overlaps(&log, "acquired", &["released", "lost"], "worker"),
            (2, 0)
        );
    }

    #[test]
    fn overlaps_finds_a_hold_that_began_before_the_last_ended() {
        let log = [
            ev("worker 1", "acquired", 1),
            ev("worker 2", "acquired", 2),
            ev("worker 1", "released", 3),
            ev("worker 2", "released", 4),
        ];
        assert_eq!(overlaps(&log, "acquired", &["released"], "worker"), (2, 1));
    }

    #[test]
    fn a_hold_never_ended_overlaps_every_later_one() {
        let log = [
            ev("node 1", "leader", 1),
            ev("node 2", "leader", 5),
            ev("node 2", "resigned", 6),
        ];
        assert_eq!(overlaps(&log, "leader", &["resigned"], "node"), (2, 1));
    }

    #[test]
    fn config_check_wants_every_watcher_to_see_every_update() {
        let mut log = Vec::new();
        for v in 1..=3 {
            log.push(json!({"participant": "updater", "event": "set", "version": v}));
        }
        for w in 1..=3 {
            let who = format!("watcher {w}");
            log.push(json!({"participant": who, "event": "config", "initial": true, "version": 0}));
            for v in 1..=3 {
                log.push(
                    json!({"participant": who, "event": "config", "initial": false, "version": v}),
                );
            }
        }
        let c = Checks::of(&log, &[Scenario::Config]);
        assert!(c.ok);
        assert_eq!(c.lines, ["3 updates, every watcher saw every one: yes"]);

        // Watcher 3 missed version 2.
        log.retain(|e| !(e["participant"] == "watcher 3" && e["version"] == 2));
        let c = Checks::of(&log, &[Scenario::Config]);
        assert!(!c.ok);
        assert_eq!(c.lines, ["3 updates, every watcher saw every one: NO"]);
    }

    #[test]
    fn lock_check_wants_six_holds_without_overlap() {
        let mut log = Vec::new();
        for (i, w) in [1, 2, 3, 1, 2, 3].iter().enumerate() {
            let who = format!("worker {w}");
            log.push(ev(&who, "acquired", 2 * i as u32));
            log.push(ev(&who, "released", 2 * i as u32 + 1));
        }
        let c = Checks::of(&log, &[Scenario::Lock]);
        assert!(c.ok);
        assert_eq!(c.lines, ["6 lock holds, 0 overlapping"]);
        assert!(!Checks::of(&log[..10], &[Scenario::Lock]).ok);
    }
}
