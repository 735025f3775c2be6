//! A view as the text a person reads.

use std::fmt::Write as _;

use super::format::{fmt_age, fmt_time, hex, owner, table};
use super::{Role, Row, Semaphore, View};
use crate::queue::name::Format;
use crate::text::escape_display;

/// The text a person reads; `now_ms` gives the ages.
pub fn to_text(v: &View, now_ms: i64) -> String {
    let mut out = String::new();
    match v {
        View::Absent { path } => {
            let _ = writeln!(out, "{path}: does not exist");
        }
        View::Denied { path } => {
            let _ = writeln!(
                out,
                "{path}: not readable (its ACL does not grant this session READ; see --auth)"
            );
        }
        View::Queue(q) => {
            let what = if q.head_role == Role::Leader {
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
                let readers = q
                    .rows
                    .iter()
                    .any(|r| matches!(r.name.format, Format::KazooRead | Format::CuratorRead));
                let rule = if readers {
                    "readers share it while no writer is ahead, a writer holds it alone".to_owned()
                } else {
                    format!("the lowest sequence is the {}", q.head_role)
                };
                let _ = writeln!(
                    out,
                    "{}  ({what}: {rule}; {} contender{})",
                    q.path,
                    q.rows.len(),
                    if q.rows.len() == 1 { "" } else { "s" }
                );
                out.push_str(&contender_table(&q.rows, now_ms));
            }
            for p in &q.problems {
                let _ = writeln!(out, "  ! {}: {}", p.kind, p.message);
            }
        }
        View::Semaphore(s) => out.push_str(&semaphore(s, now_ms)),
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
                    let _ = writeln!(out, "  {}", crate::config::doc::raw_line(&c.data));
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

/// A queue's contenders as a table: POS, ROLE, ID, SEQ, FORMAT, SESSION, AGE, NODE.
fn contender_table(q: &[Row], now_ms: i64) -> String {
    let mut rows = vec![[
        "POS", "ROLE", "ID", "SEQ", "FORMAT", "SESSION", "AGE", "NODE",
    ]
    .map(String::from)
    .to_vec()];
    for r in q {
        rows.push(vec![
            r.pos.to_string(),
            r.role.to_string(),
            id(&r.data),
            r.name.seq.to_string(),
            r.name.format.to_string(),
            owner(&r.stat),
            fmt_age(now_ms - r.stat.ctime),
            r.name.name.clone(),
        ]);
    }
    table(&rows, "  ")
}

fn id(data: &[u8]) -> String {
    let id = escape_display(data, true);
    if id.is_empty() {
        "-".into()
    } else {
        id
    }
}

/// A semaphore: the limit and what is free, the leases in use (oldest first), the contenders
/// queued at its lock, and what is wrong.
fn semaphore(s: &Semaphore, now_ms: i64) -> String {
    let mut out = String::new();
    let plural = |n: u64| if n == 1 { "" } else { "s" };
    let _ = match (s.limit, s.free()) {
        (Some(limit), Some(free)) => writeln!(
            out,
            "{}  (semaphore: {} of {limit} lease{} in use, {free} free)",
            s.path,
            s.held(),
            plural(limit),
        ),
        _ => writeln!(
            out,
            "{}  (Curator semaphore: {} lease{} in use; the limit is not stored, its users \
             agree on it)",
            s.path,
            s.held(),
            plural(s.held() as u64),
        ),
    };
    if s.leases.is_empty() {
        out.push_str("  no lease in use\n");
    } else {
        let mut rows = vec![["HOLDER", "SESSION", "SINCE", "AGE", "LEASE"]
            .map(String::from)
            .to_vec()];
        for l in &s.leases {
            let mut holder = id(&l.data);
            if l.acquiring {
                holder.push_str(" (acquiring)");
            }
            rows.push(vec![
                holder,
                owner(&l.stat),
                fmt_time(l.stat.ctime),
                fmt_age(now_ms - l.stat.ctime),
                l.node.clone(),
            ]);
        }
        out.push_str(&table(&rows, "  "));
    }
    if s.contenders.is_empty() {
        let _ = writeln!(out, "  nobody queued for a lease at {}", s.lock_path);
    } else {
        let _ = writeln!(
            out,
            "  queued for a lease at {} ({}; the first is acquiring one, the others wait behind it):",
            s.lock_path,
            s.contenders.len()
        );
        out.push_str(&contender_table(&s.contenders, now_ms));
    }
    for p in &s.problems {
        let _ = writeln!(out, "  ! {}: {}", p.kind, p.message);
    }
    out
}
