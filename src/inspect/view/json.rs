//! A view as JSON (`inspect --json`).

use serde_json::{json, Value};

use super::format::{fmt_time, hex};
use super::{NodeStat, Problem, Row, View};
use crate::session::SessionId;
use crate::text::escape_invalid;

fn stat_json(s: &NodeStat) -> Value {
    json!({
        "czxid": hex(s.czxid), "mzxid": hex(s.mzxid), "pzxid": hex(s.pzxid),
        "ctime": fmt_time(s.ctime), "mtime": fmt_time(s.mtime),
        "version": s.version, "cversion": s.cversion, "aversion": s.aversion,
        "ephemeral_owner": if s.ephemeral_owner == 0 { Value::Null } else { SessionId(s.ephemeral_owner).to_string().into() },
        "data_length": s.data_length, "num_children": s.num_children,
    })
}

fn data_json(data: &[u8]) -> (Value, bool) {
    (
        escape_invalid(data).into(),
        std::str::from_utf8(data).is_ok(),
    )
}

fn session(s: &NodeStat) -> Value {
    if s.ephemeral_owner == 0 {
        Value::Null
    } else {
        SessionId(s.ephemeral_owner).to_string().into()
    }
}

/// A contender of a queue (or of a semaphore's lock).
fn row_json(r: &Row, now_ms: i64) -> Value {
    let (id, utf8) = data_json(&r.data);
    json!({
        "pos": r.pos, "role": r.role.as_str(), "id": id, "id_utf8": utf8,
        "seq": r.name.seq, "node": r.name.name, "format": r.name.format.as_str(),
        "family": r.name.format.family(),
        "session": session(&r.stat),
        "ephemeral": r.stat.ephemeral_owner != 0,
        "ctime": fmt_time(r.stat.ctime), "age_ms": (now_ms - r.stat.ctime).max(0),
        "czxid": hex(r.stat.czxid),
    })
}

fn problems_json(problems: &[Problem]) -> Value {
    problems
        .iter()
        .map(|p| json!({"kind": p.kind, "message": p.message}))
        .collect()
}

/// The JSON form of a view; `now_ms` gives the ages.
pub fn to_json(v: &View, now_ms: i64) -> Value {
    match v {
        View::Absent { path } => json!({"path": path, "kind": "absent"}),
        View::Denied { path } => json!({"path": path, "kind": "denied"}),
        View::Queue(q) => {
            let rows: Vec<Value> = q.rows.iter().map(|r| row_json(r, now_ms)).collect();
            json!({"path": q.path, "kind": "queue", "head_role": q.head_role.as_str(),
                   "contenders": rows, "problems": problems_json(&q.problems)})
        }
        View::Semaphore(s) => {
            let leases: Vec<Value> = s
                .leases
                .iter()
                .map(|l| {
                    let (id, utf8) = data_json(&l.data);
                    json!({
                        "node": l.node, "id": id, "id_utf8": utf8,
                        "session": session(&l.stat), "ephemeral": l.stat.ephemeral_owner != 0,
                        "since": fmt_time(l.stat.ctime), "age_ms": (now_ms - l.stat.ctime).max(0),
                        "czxid": hex(l.stat.czxid), "acquiring": l.acquiring,
                    })
                })
                .collect();
            let rows: Vec<Value> = s.contenders.iter().map(|r| row_json(r, now_ms)).collect();
            json!({"path": s.path, "kind": "semaphore", "format": s.format(),
                   "limit": s.limit, "in_use": s.held(), "free": s.free(), "leases": leases,
                   "lock_path": s.lock_path, "contenders": rows,
                   "problems": problems_json(&s.problems)})
        }
        View::Config(c) => {
            let (data, utf8) = data_json(&c.data);
            let entries = c.entries.as_ref().map(|e| {
                Value::Object(
                    e.iter()
                        .map(|(k, v)| (k.clone(), v.clone().into()))
                        .collect(),
                )
            });
            json!({"path": c.path, "kind": "config", "entries": entries, "data": data,
                   "data_utf8": utf8, "version": c.stat.version,
                   "mtime": fmt_time(c.stat.mtime), "mzxid": hex(c.stat.mzxid),
                   "stat": stat_json(&c.stat)})
        }
        View::Node(n) => {
            let (data, utf8) = data_json(&n.data);
            json!({"path": n.path, "kind": "node", "data": data, "data_utf8": utf8,
                   "children": n.children, "stat": stat_json(&n.stat)})
        }
        View::Tree(t) => {
            let nodes: Vec<Value> = t
                .entries
                .iter()
                .map(|e| {
                    json!({"path": e.path, "depth": e.depth,
                           "num_children": e.stat.num_children,
                           "data_length": e.stat.data_length,
                           "ephemeral_owner": if e.stat.ephemeral_owner == 0 { Value::Null } else { SessionId(e.stat.ephemeral_owner).to_string().into() }})
                })
                .collect();
            json!({"path": t.root, "kind": "tree", "nodes": nodes, "left_out": t.left_out})
        }
    }
}
