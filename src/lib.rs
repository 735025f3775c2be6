//! zkdemo: ZooKeeper coordination from the command line.
//!
//! Data flows one way: `cli` → a command module (`lock`, `elect`, `config`, `inspect`,
//! `server`, `demo`) → the recipes (`queue`) → `session` → the `zookeeper` crate. Only `session`
//! touches the crate's handle.

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
pub mod output;
pub mod queue;
pub mod server;
pub mod session;
pub mod signals;
pub mod text;
pub mod watch;
