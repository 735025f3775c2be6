//! Every JSON event zkdemo prints with `--json`: its name, the command that prints it, its
//! fields, and what it means. The README's event table is rendered from this list and the
//! tests check that the code emits nothing the list does not name (`tests/events.rs`).
//!
//! Every event also carries `event` (its name) and `ts` (RFC 3339, UTC, microseconds) first;
//! `zkdemo demo` adds `participant` to every event it shows, and `state` to its own.

/// One kind of event.
#[derive(Debug, Clone, Copy)]
pub struct EventDoc {
    pub name: &'static str,
    /// The command(s) that print it.
    pub from: &'static str,
    /// Its fields after `event` and `ts`, in order.
    pub fields: &'static [&'static str],
    pub what: &'static str,
}

const fn ev(
    name: &'static str,
    from: &'static str,
    fields: &'static [&'static str],
    what: &'static str,
) -> EventDoc {
    EventDoc {
        name,
        from,
        fields,
        what,
    }
}

#[rustfmt::skip]
pub const EVENTS: &[EventDoc] = &[
    ev("queued", "lock", &["id", "path", "position", "waiting_on", "waiting_on_id"],
       "Waiting for the lock: our place (1 = the holder, as `inspect`'s POS), the node we watch and its id."),
    ev("acquired", "lock", &["id", "path", "node", "seq", "fencing_token", "session", "waited_ms"],
       "We hold the lock. `fencing_token` grows with every acquisition; `session` is ours (0x…)."),
    ev("released", "lock", &["id", "held_ms"],
       "We released the lock (printed before the node is deleted)."),
    ev("gave_up", "lock", &["id", "reason", "waited_ms"],
       "-n or -w: the lock was not acquired."),
    ev("lost", "lock, elect", &["id", "reason"],
       "The hold (or leadership) was lost; printed before a guarded command is stopped."),
    ev("joined", "elect", &["id", "node", "seq"], "Our node is in the election."),
    ev("follower", "elect", &["id", "leader", "leader_node", "following", "position"],
       "We follow: the leader's id and node, the node we watch, our place (1 = the leader)."),
    ev("leader", "elect", &["id", "path", "node", "seq", "fencing_token", "session"],
       "We lead."),
    ev("resigned", "elect", &["id"], "We stopped leading (printed before the node is deleted)."),
    ev("leader_changed", "elect --observe", &["path", "leader", "node", "seq", "format", "since", "created", "mixed"],
       "The leader now (`leader` null when there is none). `since`: when this observer saw it become leader (a change seen as it happened); null when that is not known (the leader found at start, or one found after a loss of contact). `created`: its node's creation time. `mixed`: the election's nodes are of recipes that do not see each other, so another node may lead for the other recipe's users."),
    ev("config", "config watch, config get",
       &["path", "exists", "version", "mzxid", "data", "changes", "kind", "initial"],
       "The config as read (first `initial`), then every change with the keys that changed."),
    ev("missed", "config watch", &["path", "count", "version", "from"],
       "Versions written between two reads (they happened; their contents were not seen)."),
    ev("exec", "config watch --exec", &["command", "version", "ok", "status"],
       "The --exec command ran after a change."),
    ev("session", "config watch", &["state", "reason", "session_id"],
       "The watcher's session: suspended, reconnected, lost, waiting, new."),
    ev("set", "config set, config unset", &["path", "version", "changed", "created", "mzxid"],
       "A write was applied (or nothing changed)."),
    ev("value", "config get KEY", &["path", "key", "value", "version"], "One key's value."),
    ev("error", "every command", &["line", "code", "message"],
       "The error a command ends with (`line`: the input line of interactive `config set`)."),
    ev("inspect", "inspect", &["state", "status", "paths"],
       "What the paths hold: queues with holders and waiters, semaphores with their leases, configs, nodes, trees."),
    ev("server", "inspect --servers, demo, server",
       &["server", "status", "mode", "version", "latency_ms", "connections", "znodes", "message",
         "connect", "pid", "tick_ms"],
       "`inspect --servers`: one server's state. `demo`: its local server starting and stopped. `server`: an ensemble member exited on its own (`message` how; `connect` the servers still running)."),
    ev("ready", "server", &["connect", "nodes", "data_dir", "tick_ms", "startup_ms", "servers"],
       "The servers answer; `connect` is the connect string."),
    ev("stopping", "server", &["signal"], "A signal came: stopping the servers."),
    ev("stopped", "server", &[], "The servers are stopped."),
    ev("bench", "bench", &["server", "all_targets_met"], "A bench run: the server measured."),
    ev("figure", "bench", &["name", "value", "unit", "ratio", "target", "met"],
       "One figure, its ratio to the floor and its target."),
    ev("demo", "demo", &["base", "zk", "own_server"], "The demo starts under `base`."),
    ev("scenario", "demo", &["name", "path"], "A scenario starts or ends."),
    ev("step", "demo", &["text", "why"], "What the demo does next."),
    ev("spawned", "demo", &["name", "pid", "command"], "A participant started."),
    ev("exited", "demo", &["name", "code"], "A participant exited."),
    ev("cleanup", "demo", &["path", "deleted", "gone", "error"], "The demo's nodes deleted."),
    ev("summary", "demo", &["ok", "elapsed_ms"],
       "The checks' verdict, with one field per check."),
];

/// The catalogue as a Markdown table, for the README.
pub fn markdown() -> String {
    let mut s = String::from("| event | printed by | fields | meaning |\n|---|---|---|---|\n");
    for e in EVENTS {
        let fields: Vec<String> = e.fields.iter().map(|f| format!("`{f}`")).collect();
        s.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            e.name,
            e.from,
            fields.join(", "),
            e.what
        ));
    }
    s
}

/// The entry for `name`.
pub fn find(name: &str) -> Option<&'static EventDoc> {
    EVENTS.iter().find(|e| e.name == name)
}
