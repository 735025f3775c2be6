//! The lock scenario: the original lock_worker.py, three times. Each worker takes the lock
//! twice; once one holds and two wait, `zkdemo inspect` shows the queue.

use super::hub::{Hub, Step};
use super::{Paths, STEP};
use crate::exit;

/// Three workers take turns on the lock, twice each.
pub(super) fn play(hub: &mut Hub, p: &Paths) -> Step {
    hub.say(
        "scenario",
        "start",
        &format!("lock: three workers take turns on {}", p.lock),
        |e| e.with("name", "lock").with("path", p.lock.clone()),
    );
    let mut workers = Vec::new();
    for n in 1..=3 {
        let id = n.to_string();
        workers.push(hub.spawn(
            &format!("worker {n}"),
            &[
                "--json", "lock", "--path", &p.lock, "--id", &id, "--hold", "700ms", "--pause",
                "300ms", "--count", "2",
            ],
            false,
        )?);
    }
    // Once one holds and two wait, show the queue as `inspect` sees it.
    let mut holding = 0;
    let mut queued = 0;
    hub.wait_until("the workers to queue", STEP, |_, ev| {
        match ev["event"].as_str() {
            Some("acquired") => holding += 1,
            Some("queued") => queued += 1,
            _ => {}
        }
        holding >= 1 && queued >= 2
    })?;
    hub.inspect(
        "one holds, two wait: the queue as `zkdemo inspect` shows it",
        std::slice::from_ref(&p.lock),
    )?;
    for w in workers {
        hub.finish(w, exit::OK)?;
    }
    hub.say("scenario", "end", "lock: done", |e| e.with("name", "lock"));
    Ok(())
}
