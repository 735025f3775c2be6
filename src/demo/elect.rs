//! The election scenario: the original leader_node.py, three times. The leader is stopped with
//! SIGINT, another takes over, until the last node is stopped.

use std::time::Duration;

use super::hub::{Hub, Step};
use super::{Paths, STEP};
use crate::signals;

/// Three nodes join one after the other; each leader in turn is stopped and another leads.
pub(super) fn play(hub: &mut Hub, p: &Paths) -> Step {
    hub.say(
        "scenario",
        "start",
        &format!(
            "elect: three nodes elect a leader on {}; each leader is stopped in turn",
            p.election
        ),
        |e| e.with("name", "elect").with("path", p.election.clone()),
    );
    let mut nodes = Vec::new();
    for n in 1..=3 {
        let id = n.to_string();
        let i = hub.spawn(
            &format!("node {n}"),
            &["--json", "elect", "--path", &p.election, "--id", &id],
            false,
        )?;
        nodes.push(i);
        // One at a time, so node 1 leads and the others queue in order.
        let want = if n == 1 { "leader" } else { "follower" };
        hub.wait_until(&format!("node {n} to join"), STEP, |j, ev| {
            j == i && ev["event"] == want
        })?;
    }
    hub.inspect(
        "the election as `zkdemo inspect` shows it",
        std::slice::from_ref(&p.election),
    )?;
    let mut leader = nodes[0];
    let mut left = nodes.clone();
    while left.len() > 1 {
        hub.pump(Duration::from_millis(500))?;
        let name = hub.procs[leader].name.clone();
        hub.step(&format!(
            "stopping the leader, {name}, with SIGINT (Ctrl-C)"
        ));
        hub.signal(leader, libc::SIGINT);
        let stopped = leader;
        let ev = hub.wait_until("another node to lead", STEP, |j, ev| {
            j != stopped && ev["event"] == "leader"
        })?;
        hub.finish(stopped, signals::exit_code(libc::SIGINT))?;
        left.retain(|&i| i != stopped);
        leader = *left
            .iter()
            .find(|&&i| Some(hub.procs[i].name.as_str()) == ev["participant"].as_str())
            .expect("a running node leads");
    }
    hub.pump(Duration::from_millis(500))?;
    let name = hub.procs[leader].name.clone();
    hub.step(&format!("stopping the last node, {name}"));
    hub.signal(leader, libc::SIGINT);
    hub.finish(leader, signals::exit_code(libc::SIGINT))?;
    hub.say("scenario", "end", "elect: done", |e| {
        e.with("name", "elect")
    });
    Ok(())
}
