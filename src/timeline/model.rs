//! What happened, as a timeline: JSON event lines become one lane per participant, with spans
//! (a lock hold, a leadership term, a wait) and marks (a config version received or written, a
//! fault). Pure: no I/O and no drawing (`draw.rs` draws it).
//!
//! A lane is the event's `participant` (what `zkdemo demo` adds), else its `id` (`zkdemo lock`
//! and `elect`), else the name its log was given (a `config watch` log of its own). The demo's
//! own events (participant `demo`) draw no lane: its scenarios become bands, and a participant
//! it saw exit other than with 0 (stopped by SIGINT, killed) a fault in that participant's lane.

use std::collections::BTreeMap;
use std::time::SystemTime;

use serde_json::Value;

/// The demo's own events carry this participant.
pub const DEMO: &str = "demo";

/// One event line, parsed.
#[derive(Debug, Clone)]
pub struct Record {
    pub ts: SystemTime,
    pub lane: String,
    pub event: Value,
}

/// A line that is not an event: its number (from 1) and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BadLine {
    pub line: usize,
    pub why: String,
}

/// Parse a log of JSON event lines (`zkdemo --json …`). Blank lines are skipped; `unnamed`
/// is the lane of events with neither `participant` nor `id`.
pub fn parse(text: &str, unnamed: &str) -> Result<Vec<Record>, BadLine> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let bad = |why: String| BadLine { line: i + 1, why };
        let event: Value = serde_json::from_str(line).map_err(|e| {
            // serde's own position says "line 1": the line is ours to number.
            let what = e.to_string();
            let what = what.rsplit_once(" at line ").map_or(&*what, |(w, _)| w);
            bad(format!(
                "not JSON ({what}, column {}); was it written with --json?",
                e.column()
            ))
        })?;
        if !event.is_object() {
            return Err(bad("not a JSON object".into()));
        }
        if !event["event"].is_string() {
            return Err(bad("no \"event\" name".into()));
        }
        let ts = event["ts"]
            .as_str()
            .ok_or_else(|| bad("no \"ts\" timestamp".into()))?;
        let ts = humantime::parse_rfc3339(ts)
            .map_err(|e| bad(format!("\"ts\" is not an RFC 3339 time ({e})")))?;
        let lane = match (&event["participant"], &event["id"]) {
            (Value::String(p), _) => p.clone(),
            (_, Value::String(id)) => id.clone(),
            (_, Value::Number(id)) => id.to_string(),
            _ => unnamed.to_owned(),
        };
        out.push(Record { ts, lane, event });
    }
    Ok(out)
}

/// What a span shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SpanKind {
    /// Holding the lock: `acquired` → `released` or `lost`.
    Hold,
    /// Leading: `leader` → `resigned` or `lost`.
    Lead,
    /// Waiting: `queued` → `acquired`/`gave_up`, or `joined` → `leader`.
    Wait,
}

/// What a mark shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MarkKind {
    /// A watcher received a config version (`config`).
    Config,
    /// An updater wrote one (`set`).
    Write,
    /// Something went wrong: `lost`, `missed`, `error`, a session suspended or lost, a
    /// participant the demo saw exit other than with 0.
    Fault,
}

/// From `from` to `to`, seconds since the first event; `open` when it never ended (drawn to
/// the end).
#[derive(Debug, Clone, PartialEq)]
pub struct Span {
    pub kind: SpanKind,
    pub from: f64,
    pub to: f64,
    pub open: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Mark {
    pub kind: MarkKind,
    pub at: f64,
    pub label: String,
}

/// One participant's row.
#[derive(Debug, Clone, PartialEq)]
pub struct Lane {
    pub name: String,
    /// From its first event (or its start, as the demo reported it) to its last (or its exit).
    pub life: (f64, f64),
    pub spans: Vec<Span>,
    pub marks: Vec<Mark>,
}

/// A scenario of the demo (`scenario` start → end).
#[derive(Debug, Clone, PartialEq)]
pub struct Band {
    pub name: String,
    pub from: f64,
    pub to: f64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Timeline {
    /// The first event's time: x = 0.
    pub start: SystemTime,
    /// The last event, in seconds since the first.
    pub end: f64,
    /// In order of first appearance; only those with something to draw.
    pub lanes: Vec<Lane>,
    pub bands: Vec<Band>,
}

/// A lane being built: its open spans by kind.
#[derive(Default)]
struct Building {
    life: Option<(f64, f64)>,
    open: BTreeMap<u8, (SpanKind, f64)>,
    spans: Vec<Span>,
    marks: Vec<Mark>,
}

impl Building {
    /// Start a span; a hold or a term started again ends the one before. A wait goes on
    /// through a contender's repeated `queued` (its place changed).
    fn open(&mut self, kind: SpanKind, at: f64) {
        if kind == SpanKind::Wait && self.open.contains_key(&(kind as u8)) {
            return;
        }
        self.close(kind, at);
        self.open.insert(kind as u8, (kind, at));
    }
    fn close(&mut self, kind: SpanKind, at: f64) {
        if let Some((kind, from)) = self.open.remove(&(kind as u8)) {
            self.spans.push(Span {
                kind,
                from,
                to: at.max(from),
                open: false,
            });
        }
    }
    fn mark(&mut self, kind: MarkKind, at: f64, label: impl Into<String>) {
        self.marks.push(Mark {
            kind,
            at,
            label: label.into(),
        });
    }
    fn live(&mut self, at: f64) {
        let (a, b) = self.life.unwrap_or((at, at));
        self.life = Some((a.min(at), b.max(at)));
    }
}

/// How a participant the demo saw exit with `code` ended, for its fault mark.
pub fn exit_label(code: i64) -> String {
    match code {
        130 => "stopped (SIGINT)".into(),
        143 => "stopped (SIGTERM)".into(),
        137 | -1 => "killed".into(),
        c => format!("exit {c}"),
    }
}

impl Timeline {
    /// The timeline of these events (in the order written: each lane's in its own time order).
    /// None when there are none.
    pub fn of(records: &[Record]) -> Option<Timeline> {
        let start = records.iter().map(|r| r.ts).min()?;
        let secs = |t: SystemTime| {
            t.duration_since(start)
                .map(|d| d.as_secs_f64())
                .unwrap_or(0.0)
        };
        let end = records.iter().map(|r| secs(r.ts)).fold(0.0, f64::max);
        let mut order: Vec<String> = Vec::new();
        let mut lanes: BTreeMap<String, Building> = BTreeMap::new();
        let mut bands: Vec<Band> = Vec::new();
        for r in records {
            let at = secs(r.ts);
            let ev = &r.event;
            let name = ev["event"].as_str().unwrap_or("");
            if r.lane == DEMO {
                demo_event(ev, name, at, &mut bands, &mut lanes, &mut order);
                continue;
            }
            if !lanes.contains_key(&r.lane) {
                order.push(r.lane.clone());
            }
            let l = lanes.entry(r.lane.clone()).or_default();
            l.live(at);
            participant_event(l, ev, name, at);
        }
        for b in bands.iter_mut().filter(|b| b.to < b.from) {
            b.to = end;
        }
        let lanes = order
            .into_iter()
            .filter_map(|name| {
                let mut b = lanes.remove(&name)?;
                for (_, (kind, from)) in std::mem::take(&mut b.open) {
                    b.spans.push(Span {
                        kind,
                        from,
                        to: end,
                        open: true,
                    });
                }
                if b.spans.is_empty() && b.marks.is_empty() {
                    return None;
                }
                b.spans.sort_by(|x, y| x.from.total_cmp(&y.from));
                let (a, z) = b.life.unwrap_or((0.0, end));
                Some(Lane {
                    name,
                    life: (a, z),
                    spans: b.spans,
                    marks: b.marks,
                })
            })
            .collect();
        Some(Timeline {
            start,
            end,
            lanes,
            bands,
        })
    }

    /// The spans of `kind` across lanes, as (lane index, span), in time order.
    pub fn spans(&self, kind: SpanKind) -> Vec<(usize, &Span)> {
        let mut v: Vec<(usize, &Span)> = self
            .lanes
            .iter()
            .enumerate()
            .flat_map(|(i, l)| {
                l.spans
                    .iter()
                    .filter(move |s| s.kind == kind)
                    .map(move |s| (i, s))
            })
            .collect();
        v.sort_by(|a, b| a.1.from.total_cmp(&b.1.from));
        v
    }
}

/// A participant's own event.
fn participant_event(l: &mut Building, ev: &Value, name: &str, at: f64) {
    use SpanKind::*;
    match name {
        "queued" | "joined" => l.open(Wait, at),
        "acquired" => {
            l.close(Wait, at);
            l.open(Hold, at);
        }
        "gave_up" => l.close(Wait, at),
        "released" => l.close(Hold, at),
        "leader" => {
            l.close(Wait, at);
            l.open(Lead, at);
        }
        "resigned" => l.close(Lead, at),
        "lost" => {
            for k in [Wait, Hold, Lead] {
                l.close(k, at);
            }
            l.mark(MarkKind::Fault, at, "lost");
        }
        "config" => {
            let label = match (&ev["exists"], &ev["initial"]) {
                (Value::Bool(false), Value::Bool(true)) => "none".to_owned(),
                (Value::Bool(false), _) => "deleted".to_owned(),
                _ => format!("v{}", ev["version"]),
            };
            l.mark(MarkKind::Config, at, label);
        }
        "set" => l.mark(MarkKind::Write, at, format!("v{}", ev["version"])),
        "missed" => l.mark(MarkKind::Fault, at, format!("missed {}", ev["count"])),
        "error" => l.mark(MarkKind::Fault, at, "error"),
        "session" => {
            if let Some(s @ ("suspended" | "lost")) = ev["state"].as_str() {
                l.mark(MarkKind::Fault, at, format!("session {s}"));
            }
        }
        _ => {}
    }
}

/// One of the demo's own events: scenarios, and its participants starting and exiting.
fn demo_event(
    ev: &Value,
    name: &str,
    at: f64,
    bands: &mut Vec<Band>,
    lanes: &mut BTreeMap<String, Building>,
    order: &mut Vec<String>,
) {
    let who = ev["name"].as_str().unwrap_or("");
    match (name, ev["state"].as_str()) {
        ("scenario", Some("start")) => bands.push(Band {
            name: who.to_owned(),
            from: at,
            to: -1.0,
        }),
        ("scenario", Some("end")) => {
            if let Some(b) = bands.iter_mut().rev().find(|b| b.name == who && b.to < 0.0) {
                b.to = at;
            }
        }
        ("spawned" | "exited", _) if !who.is_empty() => {
            if !lanes.contains_key(who) {
                order.push(who.to_owned());
            }
            let l = lanes.entry(who.to_owned()).or_default();
            l.live(at);
            let code = ev["code"].as_i64().unwrap_or(0);
            if name == "exited" && code != 0 {
                l.mark(MarkKind::Fault, at, exit_label(code));
            }
        }
        _ => {}
    }
}
