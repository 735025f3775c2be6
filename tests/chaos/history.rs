//! The shared history file and its checker.
//!
//! Each guarded command (a lock holder's, a leader's) appends `start <token> <worker> <ns>`
//! when it enters its critical section and `end <token> <worker> [term] [ns]` when it leaves
//! (`term`: zkdemo stopped it with SIGTERM; the time may be missing when that SIGTERM also
//! killed `date`). The fault thread appends what it does (`kill w3 <ns>`, `pause w1 <ns>`,
//! `resume w1 <ns>`, `server kill 2 <ns>`, `server started 2 <ns>`). One line is one write(2)
//! on an O_APPEND descriptor, so the file's order is the order of the writes.

use std::collections::{BTreeMap, HashMap};
use std::fs::OpenOptions;
use std::io::Write;
use std::path::Path;
use std::time::{SystemTime, UNIX_EPOCH};

/// The guarded command of the lock and election runs: its critical section lasts `$HOLD`
/// seconds between its `start` and `end` lines. SIGTERM (zkdemo stopping it: lock lost,
/// leadership given up) reaches the whole group, `sleep` included, and ends it with a
/// `end … term` line.
pub const SCRIPT: &str = r#"t=$ZKDEMO_FENCING_TOKEN
trap 'echo "end $t $W term $(date +%s%N)" >> "$F"; exit 143' TERM
echo "start $t $W $(date +%s%N)" >> "$F"
sleep "$HOLD"
echo "end $t $W $(date +%s%N)" >> "$F"
trap - TERM"#;

pub fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// One line, one write(2) on an O_APPEND descriptor: atomic and ordered with the workers'.
pub fn append(file: &Path, line: &str) {
    let mut f = OpenOptions::new()
        .append(true)
        .create(true)
        .open(file)
        .unwrap();
    f.write_all(format!("{line}\n").as_bytes()).unwrap();
}

/// The worker whose command is inside its critical section now, per the history.
pub fn inside(file: &Path) -> Option<usize> {
    let h = std::fs::read_to_string(file).ok()?;
    let last = h
        .lines()
        .rev()
        .find(|l| l.starts_with("start ") || l.starts_with("end "))?;
    let w = last.strip_prefix("start ")?.split_whitespace().nth(1)?;
    w.strip_prefix('w')?.parse().ok()
}

#[derive(Default, Debug)]
pub struct Verdict {
    pub acquisitions: u64,
    pub per_worker: BTreeMap<String, u64>,
    pub fenced_writes: u64,
    pub excused_pauses: u64,
    pub terminated: u64,
    pub violations: Vec<String>,
}

/// Check mutual exclusion and fencing over the history, in file order:
/// - a `start` while another command is inside its critical section is a violation, unless
///   that other command's worker was paused (the fault line says so) at the time: a paused
///   process does nothing, and what it writes when it wakes carries its old token, which a
///   fenced store refuses (counted as `fenced`, not as a violation);
/// - each holder's token is greater than the previous holder's, except the late `start` of a
///   worker just resumed from a pause: it was paused after zkdemo had started its command
///   and before the command wrote its first line (a fenced write too);
pub fn check(history: &str) -> Verdict {
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
    // Workers resumed from a pause that have not started a command since.
    let mut resumed: HashMap<String, bool> = HashMap::new();
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
                resumed.insert(w.to_string(), true);
            }
            ["kill", ..] | ["server", ..] | ["cut", ..] | ["heal", ..] => {}
            ["start", t, w, ..] => {
                let t: i64 = t.parse().unwrap();
                let late = resumed.insert(w.to_string(), false).unwrap_or(false);
                if late && t <= last_token {
                    v.fenced_writes += 1;
                    overtaken.push(t);
                    continue;
                }
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

/// What a time without anyone inside (no leader) is put down to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Cause {
    /// Nothing went wrong: the holder ended (or resigned) and the next took over.
    Clean,
    /// A participant was SIGKILLed or SIGSTOPped shortly before (the holder, or the one next
    /// in line): its node stays until its session expires.
    Participant,
    /// A ZooKeeper server was killed shortly before (possibly the ensemble's leader).
    Server,
}

/// One vacancy: from the moment the last holder stopped acting (its `end`, or the fault that
/// stopped it) to the next `start`.
#[derive(Debug, Clone)]
pub struct Gap {
    pub ms: f64,
    pub cause: Cause,
    pub line: usize,
}

/// The time at the end of a line, when it has one.
fn line_ns(f: &[&str]) -> Option<u128> {
    f.last()
        .and_then(|s| s.parse::<u128>().ok())
        .filter(|&n| n > 1_000_000_000_000_000)
}

/// Every vacancy in the history, with its cause. A fault counts for a vacancy when it came
/// during it or less than `lookback_ns` before it began (a dead participant blocks the queue
/// until its session expires, even when it died before the vacancy began), and a server
/// fault also when a server was still down. A vacancy put down to servers is measured from
/// the last server fault in it, if later than its start: in a storm of server faults, each
/// one can cost the ensemble a leader election and every session a fresh timeout, and what
/// the bound promises is a leader soon after the storm. A line without a time takes the time
/// of the line before it: that can only make a gap look longer.
pub fn gaps(history: &str, lookback_ns: u128) -> Vec<Gap> {
    let mut out = Vec::new();
    let mut clock = 0u128;
    let mut open: Option<String> = None;
    let mut vacant_since: Option<u128> = None;
    let mut last_participant_fault: Option<u128> = None;
    let mut last_server_fault: Option<u128> = None;
    let mut servers_down = 0i32;
    let mut down_during = false;
    for (n, line) in history.lines().enumerate() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if let Some(t) = line_ns(&f) {
            clock = t;
        }
        match f.as_slice() {
            ["kill", w, ..] | ["pause", w, ..] | ["cut", w, ..] => {
                last_participant_fault = Some(clock);
                if open.as_deref() == Some(*w) && vacant_since.is_none() {
                    vacant_since = Some(clock);
                    down_during = servers_down > 0;
                }
            }
            ["server", what, ..] => {
                last_server_fault = Some(clock);
                match *what {
                    "kill" => servers_down += 1,
                    "started" => servers_down -= 1,
                    _ => {}
                }
            }
            ["start", _, w, ..] => {
                if let Some(since) = vacant_since.take() {
                    let recent = |t: Option<u128>| t.is_some_and(|t| t + lookback_ns >= since);
                    let cause = if recent(last_server_fault) || down_during || servers_down > 0 {
                        Cause::Server
                    } else if recent(last_participant_fault) {
                        Cause::Participant
                    } else {
                        Cause::Clean
                    };
                    // Faults that chain (a second participant killed or cut while the first
                    // one's node still blocks the head) each cost a session timeout: measure
                    // from the last fault of the cause, as for a storm of server faults.
                    let since = match (cause, last_server_fault, last_participant_fault) {
                        (Cause::Server, Some(t), _) => since.max(t),
                        (Cause::Participant, _, Some(t)) => since.max(t),
                        _ => since,
                    };
                    out.push(Gap {
                        ms: clock.saturating_sub(since) as f64 / 1e6,
                        cause,
                        line: n + 1,
                    });
                }
                open = Some(w.to_string());
            }
            ["end", _, w, ..] if open.as_deref() == Some(*w) => {
                open = None;
                if vacant_since.is_none() {
                    vacant_since = Some(clock);
                    down_during = servers_down > 0;
                }
            }
            _ => {}
        }
    }
    out
}

/// Median and maximum of `xs` (ms), or None when empty.
pub fn p50_max(mut xs: Vec<f64>) -> Option<(f64, f64)> {
    if xs.is_empty() {
        return None;
    }
    xs.sort_by(f64::total_cmp);
    Some((xs[xs.len() / 2], *xs.last().unwrap()))
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
    // Paused after its command was started, before the command wrote: a late, stale start.
    let late_start = "start 5 w0 0\nend 5 w0 0\npause w1 1\nstart 9 w2 0\nresume w1 2\n\
                      start 3 w1 0\nend 3 w1 term 0\nend 9 w2 0\n";
    let v = check(late_start);
    assert!(v.violations.is_empty(), "{v:?}");
    assert_eq!((v.acquisitions, v.fenced_writes), (2, 2));
    // The same stale start without a pause is a violation.
    let stale_start = "start 5 w0 0\nend 5 w0 0\nstart 9 w2 0\nstart 3 w1 0\nend 3 w1 0\n";
    assert!(!check(stale_start).violations.is_empty());
    // A pause that came after the overlap does not excuse it.
    let late = "start 5 w0 0\nstart 9 w1 0\npause w0 1\nend 9 w1 0\n";
    assert!(!check(late).violations.is_empty());
}

#[test]
fn vacancies_are_measured_from_the_end_or_the_fault_and_put_down_to_it() {
    const S: u128 = 1_700_000_000_000_000_000; // a plausible epoch time in ns
    let ms = 1_000_000u128;
    let h = format!(
        "start 1 w0 {a}\nend 1 w0 {b}\nstart 2 w1 {c}\nkill w1 {d}\nend 2 w1 {e}\n\
         start 3 w2 {f}\nend 3 w2 term\nserver kill 0 {g}\nstart 4 w0 {h}\n",
        a = S,
        b = S + 10 * ms,
        c = S + 13 * ms,
        d = S + 100 * ms,
        e = S + 300 * ms,
        f = S + 2_200 * ms,
        g = S + 2_400 * ms,
        h = S + 2_900 * ms,
    );
    let g = gaps(&h, 1_000 * ms);
    let got: Vec<(u64, Cause)> = g.iter().map(|g| (g.ms.round() as u64, g.cause)).collect();
    // end→start 3 ms, clean; a killed holder: from the kill (not its orphan's end), 2100 ms,
    // put down to the kill; a `term` end without a time (it takes the time before it, 2200),
    // then a server fault during the vacancy: measured from the fault (2400), 500 ms.
    assert_eq!(
        got,
        vec![
            (3, Cause::Clean),
            (2100, Cause::Participant),
            (500, Cause::Server)
        ]
    );
    // A kill long before a vacancy does not count for it; a server still down does.
    let h2 = format!(
        "kill w3 {a}\nstart 1 w0 {a}\nend 1 w0 {b}\nstart 2 w1 {c}\nserver kill 1 {c}\n\
         end 2 w1 {d}\nstart 3 w2 {e}\n",
        a = S,
        b = S + 5_000 * ms,
        c = S + 5_010 * ms,
        d = S + 9_000 * ms,
        e = S + 9_005 * ms,
    );
    let causes: Vec<Cause> = gaps(&h2, 1_000 * ms).iter().map(|g| g.cause).collect();
    assert_eq!(causes, vec![Cause::Clean, Cause::Server]);
    // Participant faults in a row during one vacancy: measured from the last one.
    let h3 = format!(
        "start 1 w0 {a}\nend 1 w0 {b}\nkill w1 {c}\ncut w2 {d}\nheal w2 {e}\nstart 2 w3 {f}\n",
        a = S,
        b = S + 10 * ms,
        c = S + 500 * ms,
        d = S + 2_000 * ms,
        e = S + 3_000 * ms,
        f = S + 3_100 * ms,
    );
    let got: Vec<(u64, Cause)> = gaps(&h3, 1_000 * ms)
        .iter()
        .map(|g| (g.ms.round() as u64, g.cause))
        .collect();
    assert_eq!(got, vec![(1100, Cause::Participant)]);
    assert_eq!(p50_max(vec![3.0, 1.0, 2.0]), Some((2.0, 3.0)));
}
