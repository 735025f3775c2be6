//! A lock or election directory as a queue: the contenders in order, who holds or leads (by
//! each recipe's own rule, `roles`; each recipe family has its own head), and what is wrong.

use std::collections::BTreeMap;

use super::{Child, NodeStat};
use crate::queue::name::{self, Format, Name};
use crate::session::SessionId;

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

/// A contender's role in a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// First in a lock's queue.
    Holder,
    /// First in an election.
    Leader,
    /// First in the queue of a semaphore's lock: taking a lease now, or waiting for one to be
    /// free (`semaphore`).
    Acquiring,
    Waiting,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Holder => "holder",
            Role::Leader => "leader",
            Role::Acquiring => "acquiring",
            Role::Waiting => "waiting",
        }
    }
}

impl std::fmt::Display for Role {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

fn head_role(path: &str, hint: RoleHint, formats: &[Format]) -> Role {
    match hint {
        RoleHint::Holder => Role::Holder,
        RoleHint::Leader => Role::Leader,
        RoleHint::Auto => {
            let last = path.rsplit('/').next().unwrap_or("").to_ascii_lowercase();
            let elects = ["elect", "leader", "latch"]
                .iter()
                .any(|w| last.contains(w));
            if elects || formats.contains(&Format::CuratorLatch) {
                Role::Leader
            } else {
                Role::Holder
            }
        }
    }
}

/// One contender, in queue order.
#[derive(Debug, Clone, PartialEq)]
pub struct Row {
    /// 1 = first in line.
    pub pos: usize,
    pub role: Role,
    pub name: Name,
    pub data: Vec<u8>,
    pub stat: NodeStat,
}

/// Something wrong in a lock or election directory.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Problem {
    /// `not-ephemeral`, `same-session`, `same-id`, `unordered`, `sequence-limit`,
    /// `mixed-formats`; for a semaphore also `over-limit`, `not-a-lease`, `zero-limit`.
    pub kind: &'static str,
    pub message: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    pub path: String,
    /// What the head is called: "holder" or "leader".
    pub head_role: Role,
    pub rows: Vec<Row>,
    pub problems: Vec<Problem>,
}

/// Contenders in queue order with their roles, and what is wrong. `children` are all the
/// children read (a child deleted between the listing and the read is simply not there). Who
/// holds is each recipe's own rule (`roles`).
pub fn build_queue(path: &str, hint: RoleHint, children: Vec<Child>) -> Queue {
    let names: Vec<String> = children.iter().map(|c| c.name.clone()).collect();
    let mut read: BTreeMap<String, Child> =
        children.into_iter().map(|c| (c.name.clone(), c)).collect();
    let ranked = super::roles::rank(&names);
    let formats: Vec<Format> = ranked.iter().map(|(n, _)| n.format).collect();
    let head = head_role(path, hint, &formats);
    let mut rows = Vec::with_capacity(ranked.len());
    for (i, (n, holds)) in ranked.into_iter().enumerate() {
        let c = read.remove(&n.name).expect("ranked from these children");
        rows.push(Row {
            pos: i + 1,
            role: if holds { head } else { Role::Waiting },
            name: n,
            data: c.data,
            stat: c.stat,
        });
    }
    // What is left has no sequence number.
    let unordered: Vec<String> = read.into_keys().collect();

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
    problems.extend(super::duplicates::same_id(&rows));
    let curator = rows.iter().any(|r| r.name.format.family() == "curator");
    for u in &unordered {
        problems.push(Problem {
            kind: "unordered",
            message: if curator {
                format!(
                    "{u} has no sequence number: kazoo ignores it, but Curator counts every \
                     child, ordered by its whole name; a Curator contender sorted behind it waits until \
                     it is deleted"
                )
            } else {
                format!(
                    "{u} has no sequence number: it cannot be ordered, and the recipes ignore it"
                )
            },
        });
    }
    let names: Vec<Name> = rows.iter().map(|r| r.name.clone()).collect();
    let bad = name::unorderable(&names);
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
    let groups = {
        let formats: Vec<Format> = rows.iter().map(|r| r.name.format).collect();
        super::roles::deaf_groups(&formats)
    };
    if groups.len() > 1 {
        let heads: Vec<String> = rows
            .iter()
            .filter(|r| r.role != Role::Waiting)
            .map(|r| format!("{} ({})", r.name.name, r.name.format))
            .collect();
        problems.push(Problem {
            kind: "mixed-formats",
            message: format!(
                "formats of different recipes ({}) in one directory do not see each other: \
                 {} each believe they are {}",
                groups.join(", "),
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
        let got: Vec<(usize, &str, i32)> = q
            .rows
            .iter()
            .map(|r| (r.pos, r.role.as_str(), r.name.seq))
            .collect();
        assert_eq!(
            got,
            [(1, "holder", 3), (2, "waiting", 7), (3, "waiting", 11)]
        );
        assert!(q.problems.is_empty(), "{:?}", q.problems);
        let e = build_queue("/demo-election", RoleHint::Auto, kids.clone());
        assert_eq!(e.rows[0].role, Role::Leader);
        let forced = build_queue("/demo-election", RoleHint::Holder, kids);
        assert_eq!(forced.rows[0].role, Role::Holder);
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
        let roles: Vec<&str> = q.rows.iter().map(|r| r.role.as_str()).collect();
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
        let roles: Vec<&str> = q.rows.iter().map(|r| r.role.as_str()).collect();
        assert_eq!(roles, ["holder", "holder", "waiting", "waiting"]);
        assert!(q.problems.is_empty());
    }

    #[test]
    fn curator_readers_share_until_a_writer() {
        let u = "8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d";
        let kids = vec![
            child(&format!("_c_{u}-__WRIT__0000000003"), "w", 3, 0),
            child(&format!("_c_{u}-__READ__0000000004"), "r3", 4, 0),
            child(&format!("_c_{u}-__READ__0000000001"), "r1", 1, 0),
            child(&format!("_c_{u}-__READ__0000000002"), "r2", 2, 0),
        ];
        let q = build_queue("/rw", RoleHint::Auto, kids);
        let got: Vec<(&[u8], &str)> = q
            .rows
            .iter()
            .map(|r| (r.data.as_slice(), r.role.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                (&b"r1"[..], "holder"),
                (b"r2", "holder"),
                (b"w", "waiting"),
                (b"r3", "waiting")
            ]
        );
        assert!(q.problems.is_empty(), "{:?}", q.problems);
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
            Role::Leader
        );
    }
}
