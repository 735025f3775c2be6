//! The config scenario: the original config_client.py three times and config_updater.py once.
//! The updater types three lines; every watcher must see every update.

use std::io::Write;

use serde_json::Value;

use super::hub::{Hub, Step, Stop};
use super::{Paths, STEP};
use crate::exit;

/// Three watchers, one updater typing three updates; waits until every watcher saw each one.
pub(super) fn play(hub: &mut Hub, p: &Paths) -> Step {
    hub.say(
        "scenario",
        "start",
        &format!(
            "config: three watchers, one updater, three updates of {}",
            p.config
        ),
        |e| e.with("name", "config").with("path", p.config.clone()),
    );
    let mut watchers = Vec::new();
    for n in 1..=3 {
        let i = hub.spawn(
            &format!("watcher {n}"),
            &[
                "--json", "config", "--path", &p.config, "watch", "--count", "3",
            ],
            false,
        )?;
        watchers.push(i);
    }
    let mut ready = Vec::new();
    hub.wait_until("the watchers to start", STEP, |j, ev| {
        if watchers.contains(&j) && ev["event"] == "config" && ev["initial"] == true {
            ready.push(j);
        }
        ready.len() == watchers.len()
    })?;
    let updater = hub.spawn(
        "updater",
        &["--json", "config", "--path", &p.config, "set"],
        true,
    )?;
    for line in ["color=blue", "color=green", "replicas=3"] {
        hub.step(&format!("the updater types: {line}"));
        let written = hub.procs[updater]
            .stdin
            .as_mut()
            .map(|s| writeln!(s, "{line}").and_then(|_| s.flush()));
        if !matches!(written, Some(Ok(()))) {
            return Err(Stop::Failed("cannot write to the updater".into()));
        }
        let set = hub.wait_until("the update to be written", STEP, |j, ev| {
            j == updater && ev["event"] == "set"
        })?;
        // The watchers may print it before the updater hears back: look at what came too.
        let version = set["version"].clone();
        let sees = |j: usize, ev: &Value| {
            watchers.contains(&j) && ev["event"] == "config" && ev["version"] == version
        };
        let mut saw: Vec<usize> = watchers
            .iter()
            .copied()
            .filter(|&w| {
                let name = hub.procs[w].name.as_str();
                hub.log
                    .iter()
                    .any(|ev| ev["participant"] == name && sees(w, ev))
            })
            .collect();
        if saw.len() < watchers.len() {
            hub.wait_until("every watcher to see the update", STEP, |j, ev| {
                if sees(j, ev) && !saw.contains(&j) {
                    saw.push(j);
                }
                saw.len() == watchers.len()
            })?;
        }
    }
    hub.procs[updater].stdin = None; // end of input: the updater exits
    hub.finish(updater, exit::OK)?;
    for w in watchers {
        hub.finish(w, exit::OK)?;
    }
    hub.say("scenario", "end", "config: done", |e| {
        e.with("name", "config")
    });
    Ok(())
}
