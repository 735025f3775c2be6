//! What `inspect` shows, built from what was read, and how it is printed for people and as
//! JSON. Nothing here talks to ZooKeeper: the reading is in `read`, so the judgement (who
//! holds, what is wrong) is unit-tested without a server.
//!
//! - `queue`: a lock or election directory as a queue: who holds or leads, who waits, and
//!   what is wrong (`duplicates`: one id in several sessions);
//! - `semaphore`: a kazoo `Semaphore`: its limit, the leases in use, and the contenders queued
//!   at its lock for one;
//! - `config`: whether a node is a config, by the one `key=value` grammar (`config::doc`);
//! - `text` and `json`: a view printed for people and as JSON, with `format`'s helpers.

mod config;
mod duplicates;
mod format;
mod json;
mod queue;
mod roles;
mod semaphore;
mod text;

pub use crate::session::NodeStat;
pub use config::{is_config, parse_config};
pub use format::{fmt_age, fmt_time};
pub use json::to_json;
pub use queue::{build_queue, name_suggests_queue, Problem, Queue, Role, RoleHint, Row};
pub use semaphore::{build_semaphore, is_semaphore, Lease, Semaphore};
pub use text::to_text;

/// One child of a directory as read: name, data, stat.
#[derive(Debug, Clone, PartialEq)]
pub struct Child {
    pub name: String,
    pub data: Vec<u8>,
    pub stat: NodeStat,
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
    /// The node's ACL does not let this session read it (NoAuth): shown by name, so that one
    /// private node does not hide the others.
    Denied {
        path: String,
    },
    Queue(Queue),
    Semaphore(Semaphore),
    Config(Config),
    Node(Node),
    Tree(Tree),
}

impl View {
    pub fn path(&self) -> &str {
        match self {
            View::Absent { path } | View::Denied { path } => path,
            View::Queue(q) => &q.path,
            View::Semaphore(s) => &s.path,
            View::Config(c) => &c.path,
            View::Node(n) => &n.path,
            View::Tree(t) => &t.root,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_and_json_of_a_queue() {
        let kids = vec![Child {
            name: "0123456789abcdef0123456789abcdef__lock__0000000003".into(),
            data: "w\u{1}1".as_bytes().to_vec(),
            stat: NodeStat {
                ephemeral_owner: 0x10a,
                ctime: 1000,
                ..NodeStat::default()
            },
        }];
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

    #[test]
    fn text_and_json_of_a_semaphore() {
        let stat = |owner: i64, ctime: i64| NodeStat {
            ephemeral_owner: owner,
            ctime,
            ..NodeStat::default()
        };
        let lease = Child {
            name: "0123456789abcdef0123456789abcdef".into(),
            data: b"w1".to_vec(),
            stat: stat(0x10a, 1000),
        };
        let queued = Child {
            name: "fedcba9876543210fedcba9876543210__lock__0000000007".into(),
            data: b"b'w2'".to_vec(),
            stat: stat(0x10b, 3000),
        };
        let v = View::Semaphore(build_semaphore("/s", Some(3), vec![lease], vec![queued]));
        let t = to_text(&v, 13_000);
        assert!(
            t.starts_with("/s  (semaphore: 1 of 3 leases in use, 2 free)\n"),
            "{t}"
        );
        assert!(
            t.contains("w1") && t.contains("0x10a") && t.contains("12s"),
            "{t}"
        );
        assert!(t.contains("queued for a lease at /s-__lock__ (1;"), "{t}");
        assert!(t.contains("acquiring  w2"), "{t}");
        let j = to_json(&v, 13_000);
        assert_eq!(j["kind"], "semaphore");
        assert_eq!(
            (j["limit"].as_u64(), j["in_use"].as_u64()),
            (Some(3), Some(1))
        );
        assert_eq!(j["free"], 2);
        assert_eq!(j["leases"][0]["id"], "w1");
        assert_eq!(j["leases"][0]["session"], "0x10a");
        assert_eq!(j["leases"][0]["since"], "1970-01-01T00:00:01.000Z");
        assert_eq!(j["contenders"][0]["role"], "acquiring");
        assert_eq!(j["contenders"][0]["id"], "w2");
        assert_eq!(j["lock_path"], "/s-__lock__");
    }
}
