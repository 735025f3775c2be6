//! What `inspect` shows, built from what was read, and how it is printed for people and as
//! JSON. Nothing here talks to ZooKeeper: the reading is in `read`, so the judgement (who
//! holds, what is wrong) is unit-tested without a server.
//!
//! - `queue`: a lock or election directory as a queue: who holds or leads, who waits, and
//!   what is wrong (`duplicates`: one id in several sessions);
//! - `config`: whether a node is a config, by the one `key=value` grammar (`config::doc`);
//! - `text` and `json`: a view printed for people and as JSON, with `format`'s helpers.

mod config;
mod duplicates;
mod format;
mod json;
mod queue;
mod roles;
mod text;

pub use crate::session::NodeStat;
pub use config::{is_config, parse_config};
pub use format::{fmt_age, fmt_time};
pub use json::to_json;
pub use queue::{build_queue, name_suggests_queue, Problem, Queue, Role, RoleHint, Row};
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
}
