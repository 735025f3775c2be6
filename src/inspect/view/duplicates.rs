//! `inspect`'s `same-id` problem: one contender id on nodes of different sessions, the visible
//! sign of a stuck session (issue #17).

use std::collections::BTreeMap;

use super::queue::{Problem, Row};
use crate::session::SessionId;
use crate::text::escape_display;

/// One id on nodes of different sessions: most often an old session of the same worker (a
/// process killed or hung, its session not yet expired) still in line next to its new one, or
/// two contenders given one `--id`. (Nodes of one session are `same-session`'s.)
pub(super) fn same_id(rows: &[Row]) -> Vec<Problem> {
    same_id_among(
        rows.iter()
            .map(|r| Node {
                label: format!("POS {} {}", r.pos, r.name.name),
                id: &r.data,
                owner: r.stat.ephemeral_owner,
            })
            .collect(),
    )
}

/// A node as `same_id_among` names it: how the message points at it, its id, its owner.
pub(super) struct Node<'a> {
    pub label: String,
    pub id: &'a [u8],
    pub owner: i64,
}

/// `same-id` among any nodes (a semaphore's leases and the contenders queued for one too).
pub(super) fn same_id_among(nodes: Vec<Node<'_>>) -> Vec<Problem> {
    let mut by_id: BTreeMap<&[u8], Vec<Node<'_>>> = BTreeMap::new();
    for n in nodes.into_iter().filter(|n| !n.id.is_empty()) {
        by_id.entry(n.id).or_default().push(n);
    }
    let mut problems = Vec::new();
    for (id, nodes) in by_id {
        let mut sessions: Vec<i64> = nodes.iter().map(|n| n.owner).collect();
        sessions.sort();
        sessions.dedup();
        if sessions.len() < 2 {
            continue;
        }
        let named: Vec<String> = nodes
            .iter()
            .map(|n| format!("{} ({})", n.label, owner_name(n.owner)))
            .collect();
        problems.push(Problem {
            kind: "same-id",
            message: format!(
                "id {} is on {} nodes of different sessions: {}. An old session of the same \
                 contender (killed or stuck, not yet expired) keeps its place until it expires, \
                 or two contenders were given one --id",
                escape_display(id, true),
                nodes.len(),
                named.join(", ")
            ),
        });
    }
    problems
}

fn owner_name(owner: i64) -> String {
    if owner == 0 {
        "not ephemeral".into()
    } else {
        format!("session {}", SessionId(owner))
    }
}

#[cfg(test)]
mod tests {
    use super::super::{Child, NodeStat};

    const K: &str = "0123456789abcdef0123456789abcdef";

    fn child(name: &str, data: &str, owner: i64) -> Child {
        Child {
            name: name.into(),
            data: data.as_bytes().to_vec(),
            stat: NodeStat {
                ephemeral_owner: owner,
                ..NodeStat::default()
            },
        }
    }

    #[test]
    fn flags_one_id_in_two_sessions() {
        let kids = vec![
            child(&format!("{K}__lock__0000000001"), "w1", 7),
            child(&format!("{K}__lock__0000000002"), "w2", 8),
            child(&format!("{K}__lock__0000000003"), "w1", 9),
        ];
        let q = super::super::build_queue("/demo-lock", super::super::RoleHint::Auto, kids);
        let kinds: Vec<&str> = q.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["same-id"]);
        let m = &q.problems[0].message;
        assert!(
            m.contains("id w1 is on 2 nodes") && m.contains("0x7") && m.contains("0x9"),
            "{m}"
        );
    }

    #[test]
    fn one_session_or_no_id_is_not_flagged() {
        let kids = vec![
            child(&format!("{K}__lock__0000000001"), "w1", 7),
            child(&format!("{K}__lock__0000000002"), "w1", 7),
            child(&format!("{K}__lock__0000000003"), "", 8),
            child(&format!("{K}__lock__0000000004"), "", 9),
        ];
        let q = super::super::build_queue("/demo-lock", super::super::RoleHint::Auto, kids);
        let kinds: Vec<&str> = q.problems.iter().map(|p| p.kind).collect();
        assert_eq!(kinds, ["same-session"]);
    }
}
