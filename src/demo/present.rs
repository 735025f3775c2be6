//! How the demo shows things to people: a participant's event as a sentence, the `[worker 1]`
//! prefixes and their colours, one line at a time on stdout.

use std::io::Write;

use serde_json::Value;

/// `[worker 1]` and the others padded to one width.
pub(super) fn pad(s: &str) -> String {
    format!("{s:<11}")
}

/// The ANSI colour of a participant's prefix, by its role.
pub(super) fn role_color(name: &str) -> &'static str {
    match name.split(' ').next().unwrap_or("") {
        "worker" => "36",
        "node" => "35",
        "watcher" => "32",
        "updater" => "33",
        "inspect" => "34",
        _ => "1",
    }
}

/// Print one line on stdout and flush it (participants' lines interleave with ours).
pub(super) fn print_line(line: &str) {
    let stdout = std::io::stdout();
    let mut l = stdout.lock();
    let _ = writeln!(l, "{line}");
    let _ = l.flush();
}

/// A participant's event for people; None for those not worth a line.
pub(super) fn describe(ev: &Value) -> Option<String> {
    let s = |k: &str| match &ev[k] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    let text = match ev["event"].as_str()? {
        "queued" => format!(
            "waits for the lock ({} ahead of it)",
            ev["position"].as_u64().unwrap_or(1).saturating_sub(1)
        ),
        "acquired" => format!(
            "HOLDS the lock (waited {} ms, fencing token {})",
            s("waited_ms"),
            s("fencing_token")
        ),
        "released" => format!("released the lock after {} ms", s("held_ms")),
        "gave_up" => format!("gave up: {}", s("reason")),
        "joined" => format!("joined the election as {}", s("node")),
        "follower" => format!("follows node {}", s("leader")),
        "leader" => "is the LEADER".to_owned(),
        "resigned" => "resigned (its node is deleted: the next in line, if any, leads)".to_owned(),
        "lost" => format!("LOST: {}", s("reason")),
        "config" if ev["exists"] == false && ev["initial"] == true => {
            format!("watching {}: not created yet", s("path"))
        }
        "config" if ev["exists"] == false => format!("{} was deleted", s("path")),
        "config" => {
            let data = match &ev["data"] {
                Value::Object(m) => m
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join(" "),
                v => v.to_string(),
            };
            let what = if ev["initial"] == true { "has" } else { "sees" };
            format!("{what} version {}: {data}", s("version"))
        }
        "missed" => format!("missed {} version(s)", s("count")),
        "set" => format!(
            "wrote version {}{}",
            s("version"),
            if ev["created"] == true {
                " (created the node)"
            } else {
                ""
            }
        ),
        "session" => format!("session {}", s("state")),
        "error" => format!("error: {}", s("message")),
        "inspect" => return None,
        other => format!("{other} {}", ev),
    };
    Some(text)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn describe_says_what_a_lock_worker_did() {
        let ev = json!({"event": "acquired", "ts": "2024-01-01T00:00:00Z",
                        "participant": "worker 1", "waited_ms": 12, "fencing_token": 7});
        assert_eq!(
            describe(&ev).as_deref(),
            Some("HOLDS the lock (waited 12 ms, fencing token 7)")
        );
        let ev = json!({"event": "queued", "position": 3});
        assert_eq!(
            describe(&ev).as_deref(),
            Some("waits for the lock (2 ahead of it)")
        );
    }

    #[test]
    fn describe_shows_a_config_update_as_key_value_pairs() {
        let ev = json!({"event": "config", "version": 3, "exists": true, "initial": false,
                        "data": {"color": "green", "replicas": "3"}});
        assert_eq!(
            describe(&ev).as_deref(),
            Some("sees version 3: color=green replicas=3")
        );
        let ev = json!({"event": "config", "exists": false, "initial": true, "path": "/c"});
        assert_eq!(
            describe(&ev).as_deref(),
            Some("watching /c: not created yet")
        );
    }

    #[test]
    fn describe_skips_inspect_and_shows_unknown_events_whole() {
        assert_eq!(describe(&json!({"event": "inspect", "path": "/x"})), None);
        assert_eq!(describe(&json!({"no": "event"})), None);
        assert_eq!(
            describe(&json!({"event": "odd"})).as_deref(),
            Some(r#"odd {"event":"odd"}"#)
        );
    }

    #[test]
    fn prefixes_share_one_width_and_roles_their_colours() {
        assert_eq!(pad("[node 1]"), "[node 1]   ");
        assert_eq!(pad("[watcher 3]").len(), 11);
        assert_eq!(role_color("worker 2"), "36");
        assert_eq!(role_color("updater"), "33");
        assert_eq!(role_color("demo"), "1");
    }
}
