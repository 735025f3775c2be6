//! One event type, printed for people (one line) or as JSON lines (`--json`).
//!
//! Every JSON event carries `"event"` and `"ts"` (RFC 3339, UTC, microseconds) first, then its
//! fields in the order they were added. Lines are flushed one by one so a pipe sees them at once.
//! Which events exist, with which fields, is written down once, in `catalogue`.

pub mod catalogue;

use std::io::Write;
use std::time::SystemTime;

use serde_json::{Map, Value};

#[derive(Debug, Clone)]
pub struct Event {
    name: &'static str,
    fields: Map<String, Value>,
    text: String,
}

impl Event {
    pub fn new(name: &'static str) -> Event {
        Event {
            name,
            fields: Map::new(),
            text: String::new(),
        }
    }

    /// Add a field to the JSON form.
    pub fn with(mut self, key: &str, value: impl Into<Value>) -> Event {
        self.fields.insert(key.to_owned(), value.into());
        self
    }

    /// The line a person reads (without `--json`).
    pub fn text(mut self, text: impl Into<String>) -> Event {
        self.text = text.into();
        self
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    pub fn field(&self, key: &str) -> Option<&Value> {
        self.fields.get(key)
    }

    /// The JSON line (without the newline), with `ts` set to now.
    pub fn to_json(&self) -> String {
        let mut m = Map::new();
        m.insert("event".into(), Value::from(self.name));
        m.insert("ts".into(), Value::from(timestamp()));
        for (k, v) in &self.fields {
            m.insert(k.clone(), v.clone());
        }
        Value::Object(m).to_string()
    }
}

/// RFC 3339 in UTC with microseconds, e.g. `2026-11-24T15:48:26.123456Z`.
pub fn timestamp() -> String {
    humantime::format_rfc3339_micros(SystemTime::now()).to_string()
}

/// Where events go. Cheap to copy; every thread may hold one.
#[derive(Debug, Clone, Copy, Default)]
pub struct Output {
    pub json: bool,
    pub quiet: bool,
    /// The lines for people go to stderr: stdout belongs to a guarded command (as with
    /// `flock`). JSON events stay on stdout, where `--json` promises them.
    pub text_to_stderr: bool,
}

impl Output {
    /// The same, with the lines for people on stderr.
    pub fn leaving_stdout(self) -> Output {
        Output {
            text_to_stderr: true,
            ..self
        }
    }

    pub fn emit(&self, event: &Event) {
        let line = if self.json {
            event.to_json()
        } else if self.quiet || event.text.is_empty() {
            return;
        } else if self.text_to_stderr {
            eprintln!("zkdemo: {}", event.text);
            return;
        } else {
            event.text.clone()
        };
        // One locked write per line, flushed, so lines from several threads never mix. A closed
        // stdout (`| head`) ends a watch or a worker as SIGPIPE would, once it has let go of
        // what it holds (it kept taking the lock in rounds, printing to nobody).
        let stdout = std::io::stdout();
        let mut lock = stdout.lock();
        let written = writeln!(lock, "{line}").and_then(|()| lock.flush());
        drop(lock);
        if written.is_err_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe) {
            crate::signals::stdout_closed();
        }
    }
}

/// Write `text` to stdout as it is. A reader that went away (`zkdemo config get | head`) ends
/// the process quietly with 0, as it ends a pipeline; it is no error of ours.
pub fn print(text: &str) {
    print_bytes(text.as_bytes())
}

/// `print`, for bytes that need not be text (`config get --raw`).
pub fn print_bytes(bytes: &[u8]) {
    let stdout = std::io::stdout();
    let mut lock = stdout.lock();
    let written = lock.write_all(bytes).and_then(|()| lock.flush());
    if let Err(e) = written {
        if e.kind() == std::io::ErrorKind::BrokenPipe {
            std::process::exit(0);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_has_event_and_ts_first() {
        let e = Event::new("acquired")
            .with("id", "1")
            .with("seq", 3)
            .text("worker 1 holds");
        let v: Value = serde_json::from_str(&e.to_json()).unwrap();
        let keys: Vec<_> = v.as_object().unwrap().keys().cloned().collect();
        assert_eq!(keys, ["event", "ts", "id", "seq"]);
        let ts = v["ts"].as_str().unwrap();
        assert!(
            ts.ends_with('Z') && ts.len() == "2026-11-24T15:48:26.123456Z".len(),
            "{ts}"
        );
        assert!(humantime::parse_rfc3339(ts).is_ok());
    }
}
