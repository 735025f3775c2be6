//! zkdemo: ZooKeeper coordination from the command line.
//!
//! Data flows one way: `cli` (clap, once: a `Context`) → a command module (`lock`, `elect`,
//! `config`, `inspect`, `server`, `demo`, `bench`, `timeline`) → the recipes (`contender`, `queue`,
//! `watch`) → `session` → the `zookeeper` crate. Only `session` touches the crate; the session
//! and the recipes never see clap or exit codes (`tests/layers.rs`). README, "Architecture".

pub mod bench;
pub mod child;
pub mod cli;
pub mod config;
pub mod contender;
pub mod demo;
pub mod elect;
pub mod exit;
pub mod fourlw;
pub mod inbox;
pub mod inspect;
pub mod lock;
pub mod logging;
pub mod manual;
pub mod output;
pub mod queue;
pub mod server;
pub mod session;
pub mod signals;
pub mod text;
pub mod timeline;
pub mod watch;
