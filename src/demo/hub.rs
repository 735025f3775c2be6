//! The hub every participant's output goes through: it records each event in the log the
//! checks read, and prints it (for people, prefixed with who said it, or as one JSON stream
//! with a `participant` field added). The demo's own events go out the same way.

use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender};

use serde_json::{Map, Value};

use super::participants::Participant;
use super::present::{describe, pad, print_line, role_color};
use crate::exit;
use crate::output::{timestamp, Event, Output};
use crate::session::{Session, SessionConfig};

/// What the reader threads (and the signal handler) send the hub.
pub(super) enum Incoming {
    /// A line from participant `.0`'s stdout.
    Line(usize, String),
    /// Participant `.0`'s stdout ended.
    Closed(usize),
    /// SIGINT or SIGTERM reached the demo.
    Signal(i32),
}

/// Why a scenario ended early.
#[derive(Debug)]
pub(super) enum Stop {
    Signal(i32),
    Failed(String),
}

/// What a step of a scenario returns.
pub(super) type Step<T = ()> = Result<T, Stop>;

/// The participants, their output, and the event log the checks read.
pub(super) struct Hub {
    pub(super) exe: PathBuf,
    /// What the demo's sessions and its participants connect with (the server, ours or given).
    pub(super) cfg: SessionConfig,
    pub(super) out: Output,
    pub(super) color: bool,
    pub(super) tx: Sender<Incoming>,
    pub(super) rx: Receiver<Incoming>,
    pub(super) procs: Vec<Participant>,
    /// Every participant event, in the order read.
    pub(super) log: Vec<Value>,
    /// Every event shown, the demo's own too, as `--json` prints them (for `--timeline`).
    pub(super) story: Vec<Value>,
}

impl Hub {
    pub(super) fn session(&self) -> exit::Result<Session> {
        Ok(Session::connect(&self.cfg, |_| {})?)
    }

    /// A demo event (participant "demo").
    pub(super) fn say(
        &mut self,
        event: &str,
        state: &str,
        text: &str,
        more: impl FnOnce(Event) -> Event,
    ) {
        let mut m = Map::new();
        m.insert("event".into(), Value::from(event));
        m.insert("ts".into(), Value::from(timestamp()));
        m.insert("participant".into(), Value::from("demo"));
        m.insert("state".into(), Value::from(state));
        // (An event only to carry the fields `more` adds.)
        let extra = more(Event::new("demo"));
        if let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(&extra.to_json()) {
            for (k, v) in fields {
                if k != "event" && k != "ts" {
                    m.insert(k, v);
                }
            }
        }
        let m = Value::Object(m);
        if self.out.json {
            print_line(&m.to_string());
        } else {
            // A participant that ended as planned is not worth a line for people.
            let routine = event == "exited" && state == "ok";
            if !self.out.quiet && !routine {
                let line = if event == "scenario" && state == "start" {
                    self.paint("1", &format!("\n== {text} =="))
                } else {
                    format!("{} {text}", self.paint("1", &pad("[demo]")))
                };
                print_line(&line);
            }
        }
        self.story.push(m);
    }

    pub(super) fn step(&mut self, text: &str) {
        self.say("step", "info", text, |e| e.with("text", text));
    }

    pub(super) fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// One line from participant `i`: record and show it. The event, when it is one.
    pub(super) fn handle(&mut self, i: usize, line: &str) -> Option<Value> {
        let name = self.procs[i].name.clone();
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(line) else {
            // Plain text (inspect for people): shown as it is, prefixed.
            if !self.out.quiet && !self.out.json {
                print_line(&format!(
                    "{} {line}",
                    self.paint(role_color(&name), &pad(&format!("[{name}]")))
                ));
            }
            return None;
        };
        // event, ts, participant, then the participant's own fields.
        let mut m = Map::new();
        for k in ["event", "ts"] {
            if let Some(v) = fields.get(k) {
                m.insert(k.into(), v.clone());
            }
        }
        m.insert("participant".into(), Value::from(name.clone()));
        for (k, v) in fields {
            m.entry(k).or_insert(v);
        }
        let ev = Value::Object(m);
        if self.out.json {
            print_line(&ev.to_string());
        } else if !self.out.quiet {
            if let Some(text) = describe(&ev) {
                let prefix = self.paint(role_color(&name), &pad(&format!("[{name}]")));
                for l in text.lines() {
                    print_line(&format!("{prefix} {l}"));
                }
            }
        }
        self.log.push(ev.clone());
        self.story.push(ev.clone());
        Some(ev)
    }
}
