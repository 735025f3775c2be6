//! What `inspect` shows, built from what was read, and how it is printed for people and as
//! JSON. Nothing here talks to ZooKeeper: the reading is in `read`, so the judgement (who
//! holds, what is wrong) is unit-tested without a server.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::time::{Duration, UNIX_EPOCH};

use serde_json::{json, Value};

use crate::queue::name::{self, Format, Name};
use crate::session::SessionId;

pub use crate::session::NodeStat;

/// Who the head of a queue is: `--role`, or guessed from the path.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum RoleHint {
    /// `leader` when the path's last name contains "elect", "leader" or "latch" (or a Curator
    /// LeaderLatch node is there), else `holder`.
    Auto,
    /// A lock: the head holds it.
    Holder,
    /// An election: the head leads.
    Leader,
}

/// Does the path's last name say it is a lock or an election? Then it is shown as a queue even
/// while nobody contends.
pub fn name_suggests_queue(path: &str) -> bool {
    let last = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
    ["lock", "mutex", "elect", "leader", "latch"]
        .iter()
        .any(|w| last.contains(w))
}

fn head_role(path: &str, hint: RoleHint, formats: &[Format]) -> &'static str {
    match hint {
        RoleHint::Holder => "holder",
        RoleHint::Leader => "leader",
        RoleHint::Auto => {
            let last = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
            let elects = ["elect", "leader", "latch"]
                .iter()
                .any(|w| last.contains(w));
            if elects || formats.contains(&Format::CuratorLatch) {
                "leader"
            } else {
                "holder"
            }
        }
    }
}

/// One child of a directory as read: name, data, stat.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub name: String,
    pub data: Vec<u8>,
    pub stat: NodeStat,
}

/// One contender, in queue order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1 = first in line.
    pub pos: usize,
    /// "holder" / "leader" / "waiting".
    pub role: &'static str,
    pub name: Name,
    pub data: Vec<u8>,
    pub stat: NodeStat,
}

/// Something wrong in a lock or election directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `not-ephemeral`, `same-session`, `unordered`, `sequence-limit`, `mixed-formats`.
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    pub path: String,
    /// What the head is called: "holder" or "leader".
    pub head_role: &'static str,
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Config {
    pub path: String,
    pub data: Vec<u8>,
    /// None when the data is not `key=value` lines (then it is shown as it is).
    pub entries: Option<Vec<(String, String)>>,
    pub stat: NodeStat,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Node {
    pub path: String,
    pub data: Vec<u8>,
    pub stat: NodeStat,
    pub children: Vec<String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct TreeEntry {
    pub depth: usize,
    pub path: String,
    pub stat: NodeStat,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Tree {
    pub root: String,
    pub entries: Vec<TreeEntry>,
    /// Nodes left out past the size limit.
    pub left_out: usize,
}

/// What one path looks like right now.
#[derive(Debug, Clone, PartialEq)]
pub enum View {
    /// The path does not exist.
    Absent {
        path: String,
    },
    Queue(Queue),
    Config(Config),
    Node(Node),
    Tree(Tree),
}

impl View {
    pub fn path(&self) -> &str {
        match self {
            View::Absent { path } => path,
            View::Queue(q) => &q.path,
            View::Config(c) => &c.path,
            View::Node(n) => &n.path,
            View::Tree(t) => &t.root,
        }
    }
}

/// Contenders in queue order with their roles, and what is wrong. `children` are all the
/// children read (a child deleted between the listing and the read is simply not there).
pub fn build_queue(path: &str, hint: RoleHint, children: Vec<Child>) -> Queue {
    let mut named = Vec::new();
    let mut unordered = Vec::new();
    for c in children {
        match name::parse(&c.name) {
            Some(n) => named.push((n, c)),
            None => unordered.push(c.name),
        }
    }
    named.sort_by(|a, b| name::order(&a.0, &b.0));
    unordered.sort();
    let formats: Vec<Format> = named.iter().map(|(n, _)| n.format).collect();
    let head = head_role(path, hint, &formats);

    // Each family sees only its own nodes (queue::name::Format::family), so each has its own
    // head. Within kazoo, a read lock holds while no write lock is ahead of it, and a write
    // lock only when nothing at all is ahead (kazoo's ReadLock/Lock exclusion rules).
    let mut seen_in_family: BTreeMap<&'static str, usize> = BTreeMap::new();
    let mut kazoo_writer_ahead = false;
    let mut rows = Vec::with_capacity(named.len());
    for (i, (n, c)) in named.into_iter().enumerate() {
        let fam = n.format.family();
        let ahead = seen_in_family.entry(fam).or_insert(0);
        let holds = match n.format {
            Format::KazooRead => !kazoo_writer_ahead,
            _ => *ahead == 0,
        };
        *ahead += 1;
        if n.format == Format::Kazoo {
            kazoo_writer_ahead = true;
        }
        rows.push(Row {
            pos: i + 1,
            role: if holds { head } else { "waiting" },
            name: n,
            data: c.data,
            stat: c.stat,
        });
    }

    let mut problems = Vec::new();
    for r in rows.iter().filter(|r| r.stat.ephemeral_owner == 0) {
        problems.push(Problem {
            kind: "not-ephemeral",
            message: format!(
                "{} is not ephemeral: it outlives whoever made it, so it stays in line (or \
                 keeps holding) until someone deletes it",
                r.name.name
            ),
        });
    }
    let mut by_session: BTreeMap<i64, Vec<&str>> = BTreeMap::new();
    for r in rows.iter().filter(|r| r.stat.ephemeral_owner != 0) {
        by_session
            .entry(r.stat.ephemeral_owner)
            .or_default()
            .push(&r.name.name);
    }
    for (sid, names) in by_session.iter().filter(|(_, v)| v.len() > 1) {
        problems.push(Problem {
            kind: "same-session",
            message: format!(
                "session {} owns {} contenders ({}): a create retried after a connection loss \
                 left a duplicate, or one client contends twice",
                SessionId(*sid),
                names.len(),
                names.join(", ")
            ),
        });
    }
    for u in &unordered {
        problems.push(Problem {
            kind: "unordered",
            message: format!(
                "{u} has no sequence number: it cannot be ordered, and the recipes ignore it"
            ),
        });
    }
    let names: Vec<crate::queue::name::Name> = rows.iter().map(|r| r.name.clone()).collect();
    let bad = crate::queue::name::unorderable(&names);
    if !bad.is_empty() {
        problems.push(Problem {
            kind: "sequence-limit",
            message: format!(
                "{} share or wrapped their sequence numbers: the directory's counter reached \
                 its limit (2147483647) and no order is safe; zkdemo refuses to take part (exit \
                 76); delete the directory while nobody contends",
                bad.join(", ")
            ),
        });
    }
    let families: Vec<&str> = {
        let mut f: Vec<&str> = rows.iter().map(|r| r.name.format.family()).collect();
        f.sort();
        f.dedup();
        f
    };
    if families.len() > 1 {
        let heads: Vec<String> = rows
            .iter()
            .filter(|r| r.role != "waiting")
            .map(|r| format!("{} ({})", r.name.name, r.name.format))
            .collect();
        problems.push(Problem {
            kind: "mixed-formats",
            message: format!(
                "formats of different recipes ({}) in one directory do not see each other: \
                 {} each believe they are {}",
                families.join(", "),
                heads.join(" and "),
                head
            ),
        });
    }
    Queue {
        path: path.to_owned(),
        head_role: head,
        rows,
        problems,
    }
}

/// `key=value` lines (blank lines and `#` comments allowed), or None when the data is not
/// of that form. Empty data is an empty config.
pub fn parse_config(data: &[u8]) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(data).ok()?;
    let mut out = Vec::new();
    for line in text.lines() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let (k, v) = line.split_once('=')?;
        let k = k.trim();
        if k.is_empty() || k.contains(char::is_whitespace) {
            return None;
        }
        out.push((k.to_owned(), v.trim().to_owned()));
    }
    Some(out)
}

/// Is this node a config: under `/configs`, or childless with `key=value` data?
pub fn is_config(path: &str, data: &[u8], stat: &NodeStat) -> bool {
    path.starts_with("/configs/")
        || (stat.num_children == 0 && !data.is_empty() && parse_config(data).is_some())
}

/// Bytes as text for JSON: exact when UTF-8; otherwise the valid parts as they are and each
/// invalid byte as `\xNN`.
pub fn escape_invalid(data: &[u8]) -> String {
    let mut s = String::new();
    for chunk in data.utf8_chunks() {
        s.push_str(chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s
}

/// Bytes as text for a terminal: invalid bytes as `\xNN`, control characters escaped (so data
/// cannot move the cursor); with `one_line`, newlines and tabs too.
pub fn escape_display(data: &[u8], one_line: bool) -> String {
    let mut s = String::new();
    for chunk in data.utf8_chunks() {
        for c in chunk.valid().chars() {
            if c.is_control() && (one_line || (c != '\n' && c != '\t')) {
                s.extend(c.escape_default());
            } else {
                s.push(c);
            }
        }
        for b in chunk.invalid() {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s
}

/// `850ms`, `12s`, `3m05s`, `2h10m`, `4d3h`.
pub fn fmt_age(ms: i64) -> String {
    let ms = ms.max(0);
    let s = ms / 1000;
    match s {
        _ if ms < 1000 => format!("{ms}ms"),
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        3600..=86399 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{}h", s / 86400, s % 86400 / 3600),
    }
}

/// A ZooKeeper time (ms since the epoch) as RFC 3339 UTC.
pub fn fmt_time(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

fn hex(z: i64) -> String {
    format!("0x{z:x}")
}

fn owner(s: &NodeStat) -> String {
    if s.ephemeral_owner == 0 {
        "persistent".into()
    } else {
        SessionId(s.ephemeral_owner).to_string()
    }
}

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

/// The JSON form of a view; `now_ms` gives the ages.
pub fn to_json(v: &View, now_ms: i64) -> Value {
    match v {
        View::Absent { path } => json!({"path": path, "kind": "absent"}),
        View::Queue(q) => {
            let rows: Vec<Value> = q
                .rows
                .iter()
                .map(|r| {
                    let (id, utf8) = data_json(&r.data);
                    json!({
                        "pos": r.pos, "role": r.role, "id": id, "id_utf8": utf8,
                        "seq": r.name.seq, "node": r.name.name, "format": r.name.format.as_str(),
                        "family": r.name.format.family(),
                        "session": if r.stat.ephemeral_owner == 0 { Value::Null } else { SessionId(r.stat.ephemeral_owner).to_string().into() },
                        "ephemeral": r.stat.ephemeral_owner != 0,
                        "ctime": fmt_time(r.stat.ctime), "age_ms": (now_ms - r.stat.ctime).max(0),
                        "czxid": hex(r.stat.czxid),
                    })
                })
                .collect();
            let problems: Vec<Value> = q
                .problems
                .iter()
                .map(|p| json!({"kind": p.kind, "message": p.message}))
                .collect();
            json!({"path": q.path, "kind": "queue", "head_role": q.head_role,
                   "contenders": rows, "problems": problems})
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

/// Left-aligned columns, two spaces apart, the last one unpadded.
fn table(rows: &[Vec<String>], indent: &str) -> String {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = indent.to_owned();
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                let _ = write!(line, "{c:<w$}  ", w = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

/// The text a person reads; `now_ms` gives the ages.
pub fn to_text(v: &View, now_ms: i64) -> String {
    let mut out = String::new();
    match v {
        View::Absent { path } => {
            let _ = writeln!(out, "{path}: does not exist");
        }
        View::Queue(q) => {
            let what = if q.head_role == "leader" {
                "election"
            } else {
                "lock"
            };
            if q.rows.is_empty() {
                let _ = writeln!(
                    out,
                    "{}  ({what}: no contenders, no {})",
                    q.path, q.head_role
                );
            } else {
                let _ = writeln!(
                    out,
                    "{}  ({what}: the lowest sequence is the {}; {} contender{})",
                    q.path,
                    q.head_role,
                    q.rows.len(),
                    if q.rows.len() == 1 { "" } else { "s" }
                );
                let mut rows = vec![[
                    "POS", "ROLE", "ID", "SEQ", "FORMAT", "SESSION", "AGE", "NODE",
                ]
                .map(String::from)
                .to_vec()];
                for r in &q.rows {
                    let id = escape_display(&r.data, true);
                    rows.push(vec![
                        r.pos.to_string(),
                        r.role.to_owned(),
                        if id.is_empty() { "-".into() } else { id },
                        r.name.seq.to_string(),
                        r.name.format.to_string(),
                        owner(&r.stat),
                        fmt_age(now_ms - r.stat.ctime),
                        r.name.name.clone(),
                    ]);
                }
                out.push_str(&table(&rows, "  "));
            }
            for p in &q.problems {
                let _ = writeln!(out, "  ! {}: {}", p.kind, p.message);
            }
        }
        View::Config(c) => {
            let _ = writeln!(
                out,
                "{}  (config, version {}, modified {} ({} ago) by zxid {})",
                c.path,
                c.stat.version,
                fmt_time(c.stat.mtime),
                fmt_age(now_ms - c.stat.mtime),
                hex(c.stat.mzxid)
            );
            match &c.entries {
                Some(e) if e.is_empty() => out.push_str("  (empty)\n"),
                Some(e) => {
                    let rows: Vec<Vec<String>> = e
                        .iter()
                        .map(|(k, v)| {
                            vec![
                                escape_display(k.as_bytes(), true),
                                format!("= {}", escape_display(v.as_bytes(), true)),
                            ]
                        })
                        .collect();
                    out.push_str(&table(&rows, "  "));
                }
                None => {
                    out.push_str("  (not key=value lines; the data as it is:)\n");
                    for l in escape_display(&c.data, false).lines() {
                        let _ = writeln!(out, "  {l}");
                    }
                }
            }
        }
        View::Node(n) => {
            let _ = writeln!(out, "{}", n.path);
            let data = escape_display(&n.data, false);
            // A single trailing newline (`echo`'s) does not make the data multi-line.
            let data = data.strip_suffix('\n').unwrap_or(&data);
            if n.data.is_empty() {
                out.push_str("  data: (empty)\n");
            } else if data.contains('\n') {
                out.push_str("  data:\n");
                for l in data.lines() {
                    let _ = writeln!(out, "    {l}");
                }
            } else {
                let _ = writeln!(out, "  data: {data}");
            }
            let _ = writeln!(
                out,
                "  children ({}){}{}",
                n.children.len(),
                if n.children.is_empty() { "" } else { ": " },
                n.children.join(", ")
            );
            let s = &n.stat;
            let rows: Vec<Vec<String>> = [
                ("cZxid", hex(s.czxid)),
                ("ctime", fmt_time(s.ctime)),
                ("mZxid", hex(s.mzxid)),
                ("mtime", fmt_time(s.mtime)),
                ("pZxid", hex(s.pzxid)),
                ("cversion", s.cversion.to_string()),
                ("dataVersion", s.version.to_string()),
                ("aclVersion", s.aversion.to_string()),
                ("ephemeralOwner", hex(s.ephemeral_owner)),
                ("dataLength", s.data_length.to_string()),
                ("numChildren", s.num_children.to_string()),
            ]
            .into_iter()
            .map(|(k, v)| vec![k.to_owned(), format!("= {v}")])
            .collect();
            out.push_str(&table(&rows, "  "));
        }
        View::Tree(t) => {
            for e in &t.entries {
                let name = if e.depth == 0 {
                    e.path.clone()
                } else {
                    e.path.rsplit('/').next().unwrap_or("").to_owned()
                };
                let mut info = format!(
                    "{} child{}, {} B",
                    e.stat.num_children,
                    if e.stat.num_children == 1 { "" } else { "ren" },
                    e.stat.data_length
                );
                if e.stat.ephemeral_owner != 0 {
                    let _ = write!(info, ", ephemeral {}", owner(&e.stat));
                }
                let _ = writeln!(out, "{}{name}  [{info}]", "  ".repeat(e.depth));
            }
            if t.left_out > 0 {
                let _ = writeln!(
                    out,
                    "… {} more nodes (and what is below them) not shown: the tree is cut at {} nodes",
                    t.left_out,
                    t.entries.len()
                );
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn child(name: &str, data: &str, owner: i64, ctime: i64) -> Child {
        Child {
            name: name.into(),
            data: data.as_bytes().to_vec(),
            stat: NodeStat {
                ephemeral_owner: owner,
                ctime,
                ..NodeStat::default()
            },
        }
    }

    const K: &str = "0123456789abcdef0123456789abcdef";

    #[test]
    fn lowest_sequence_holds_and_roles_follow_the_path() {
        let kids = vec![
            child(&format!("{K}__lock__0000000007"), "w2", 2, 0),
            child(&format!("{K}__lock__0000000003"), "w1", 1, 0),
            child(&format!("{K}__lock__0000000011"), "w3", 3, 0),
        ];
        let q = build_queue("/demo-lock", RoleHint::Auto, kids.clone());
        let got: Vec<(usize, &str, i32)> =
            q.rows.iter().map(|r| (r.pos, r.role, r.name.seq)).collect();
        assert_eq!(
            got,
            [(1, "holder", 3), (2, "waiting", 7), (3, "waiting", 11)]
        );
        assert!(q.problems.is_empty(), "{:?}", q.problems);
        let e = build_queue("/demo-election", RoleHint::Auto, kids.clone());
        assert_eq!(e.rows[0].role, "leader");
        let forced = build_queue("/demo-election", RoleHint::Holder, kids);
        assert_eq!(forced.rows[0].role, "holder");
    }

    #[test]
    fn wrapped_sequence_orders_by_the_signed_counter() {
        let kids = vec![
            child(&format!("{K}__lock__2147483647"), "old", 1, 0),
            child(&format!("{K}__lock__-2147483648"), "new", 2, 0),
        ];
        // Ordered as queue::name orders them: by the signed counter.
        let q = build_queue("/l", RoleHint::Auto, kids);
        assert_eq!(q.rows[0].data, b"new".to_vec());
    }

    #[test]
    fn flags_persistent_duplicate_unordered_and_mixed() {
        let kids = vec![
            child(&format!("{K}__lock__0000000001"), "a", 5, 0),
            child(&format!("{K}__lock__0000000002"), "b", 5, 0),
            child(
                "_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d-lock-0000000003",
                "c",
                0,
                0,
            ),
            child("leftover", "", 6, 0),
        ];
        let q = build_queue("/demo-lock", RoleHint::Auto, kids);
        let kinds: Vec<&str> = q.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            [
                "not-ephemeral",
                "same-session",
                "unordered",
                "mixed-formats"
            ]
        );
        // Each family has its own head: both believe they hold.
        let roles: Vec<&str> = q.rows.iter().map(|r| r.role).collect();
        assert_eq!(roles, ["holder", "waiting", "holder"]);
        assert!(q.problems[3].message.contains("curator"));
        assert!(q.problems[1].message.contains("0x5"));
    }

    #[test]
    fn kazoo_readers_share() {
        let kids = vec![
            child(&format!("{K}__rlock__0000000001"), "r1", 1, 0),
            child(&format!("{K}__rlock__0000000002"), "r2", 2, 0),
            child(&format!("{K}__lock__0000000003"), "w", 3, 0),
            child(&format!("{K}__rlock__0000000004"), "r3", 4, 0),
        ];
        let q = build_queue("/rw", RoleHint::Auto, kids);
        let roles: Vec<&str> = q.rows.iter().map(|r| r.role).collect();
        assert_eq!(roles, ["holder", "holder", "waiting", "waiting"]);
        assert!(q.problems.is_empty());
    }

    #[test]
    fn latch_nodes_make_leaders() {
        let kids = vec![child(
            "_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d-latch-0000000000",
            "x",
            1,
            0,
        )];
        assert_eq!(
            build_queue("/x", RoleHint::Auto, kids).rows[0].role,
            "leader"
        );
    }

    #[test]
    fn configs() {
        assert_eq!(
            parse_config(b"a=1\n# c\n\nb = two words\n").unwrap(),
            [("a".into(), "1".into()), ("b".into(), "two words".into())]
        );
        assert_eq!(parse_config(b"").unwrap(), []);
        assert!(parse_config(b"hello").is_none());
        assert!(parse_config(b"\xff=1").is_none());
        let s = NodeStat::default();
        assert!(is_config("/configs/app", b"", &s));
        assert!(is_config("/x", b"k=v", &s));
        assert!(!is_config("/x", b"", &s));
        assert!(!is_config("/x", b"plain", &s));
    }

    #[test]
    fn escaping() {
        assert_eq!(escape_invalid(b"ok\xff\x00"), "ok\\xff\u{0}");
        assert_eq!(escape_display(b"a\xfe\nb\x1b", true), "a\\xfe\\nb\\u{1b}");
        assert_eq!(escape_display(b"a\nb", false), "a\nb");
        assert_eq!(escape_display("héllo".as_bytes(), true), "héllo");
    }

    #[test]
    fn ages() {
        assert_eq!(fmt_age(-5), "0ms");
        assert_eq!(fmt_age(850), "850ms");
        assert_eq!(fmt_age(12_000), "12s");
        assert_eq!(fmt_age(185_000), "3m05s");
        assert_eq!(fmt_age(7_800_000), "2h10m");
        assert_eq!(fmt_age(90_000_000), "1d1h");
    }

    #[test]
    fn text_and_json_of_a_queue() {
        let kids = vec![child(
            &format!("{K}__lock__0000000003"),
            "w\u{1}1",
            0x10a,
            1000,
        )];
        let v = View::Queue(build_queue("/demo-lock", RoleHint::Auto, kids));
        let t = to_text(&v, 13_000);
        assert!(t.contains("holder") && t.contains("w\\u{1}1") && t.contains("0x10a"));
        assert!(t.contains("12s"), "{t}");
        let j = to_json(&v, 13_000);
        assert_eq!(j["kind"], "queue");
        assert_eq!(j["contenders"][0]["role"], "holder");
        assert_eq!(j["contenders"][0]["session"], "0x10a");
        assert_eq!(j["contenders"][0]["age_ms"], 12_000);
    }
}
