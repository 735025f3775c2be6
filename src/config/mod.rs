//! `zkdemo config`: a live configuration in one znode, as `key=value` lines.
//!
//! - `watch` prints the config and every change at once (no polling), and survives the node
//!   being deleted and created again, a server restart and a session expiry (`watch.rs`).
//! - `set`, `unset` merge into the document with a compare-and-set on the node's version, so
//!   concurrent updaters never lose each other's keys; `set` without pairs is the interactive
//!   updater reading stdin (`set.rs`, `interactive.rs`).
//! - `get` prints the document or one key (`get.rs`).
//!
//! Exit codes (besides the global ones, 69 for an unreachable server, 77 for NoAuth):
//! - 2 (`USAGE`): a bad key or `key=value` pair, or a bad path; nothing was sent.
//! - 3 (`NOT_FOUND`): `get` of a node or key that does not exist, `unset` on a missing node.
//! - 65 (`DATA`): the document would exceed 1,000,000 bytes, or the node holds data that is not
//!   `key=value` text and a key was asked of it (use `--raw` to replace it); nothing written.
//! - 75 (`CONFLICT`): `--expect-version V` and the node is not at version V (or is missing).

pub mod doc;
mod exec;
pub mod get;
mod interactive;
pub mod set;
pub mod unset;
pub mod watch;

use clap::{Args, Subcommand};

use crate::cli::parse_path;
use crate::cli::Context;
use crate::exit;
use crate::session::{Session, SessionConfig};

/// Watch, set, get and unset a live configuration (a znode of key=value lines).
#[derive(Debug, Args)]
#[command(
    long_about = "A live configuration in one znode (by default /configs/demo), held as \
UTF-8 key=value lines with the keys sorted. Watchers print every new version at once, with the \
keys added, changed and removed; updaters merge keys with a compare-and-set, so two of them \
never lose each other's keys.\n\n\
Exit codes: 0 ok; 2 bad key or key=value (nothing sent); 3 node or key not found; 65 document \
over 1,000,000 bytes, or the node holds data that is not key=value (nothing written); 69 no \
server; 75 --expect-version did not match; 77 not allowed (ACL).",
    after_help = "Examples (what the original config_client.py / config_updater.py did):\n  \
zkdemo config watch                 # in 2 or 3 terminals\n  \
zkdemo config set                   # the updater: type key=value lines, one per enter\n  \
zkdemo config set color=blue size=3 # or one write from a script\n  \
zkdemo config get color"
)]
pub struct ConfigArgs {
    /// The config's name: the node is /configs/NAME.
    #[arg(long, global = true, default_value = "demo", value_name = "NAME",
          value_parser = parse_name, conflicts_with = "path")]
    pub name: String,

    /// Any znode instead of /configs/NAME.
    #[arg(long, global = true, value_name = "ZNODE", value_parser = crate::cli::parse_node_path)]
    pub path: Option<String>,

    #[command(subcommand)]
    pub command: ConfigCommand,
}

impl ConfigArgs {
    /// The znode this command works on.
    pub fn node(&self) -> String {
        match &self.path {
            Some(p) => p.clone(),
            None => format!("/configs/{}", self.name),
        }
    }
}

#[derive(Debug, Subcommand)]
pub enum ConfigCommand {
    Watch(watch::WatchArgs),
    Set(set::SetArgs),
    Unset(unset::UnsetArgs),
    Get(get::GetArgs),
}

/// A name is one path segment under /configs.
fn parse_name(s: &str) -> Result<String, String> {
    if s.is_empty() {
        return Err("an empty name (the node is /configs/NAME; the default is demo)".into());
    }
    if s.contains('/') {
        return Err("a name is one segment (no /); use --path for any znode".into());
    }
    parse_path(&format!("/configs/{s}"))?;
    Ok(s.to_owned())
}

pub fn run(args: &ConfigArgs, ctx: &Context) -> exit::Result<i32> {
    let (cfg, out) = (&ctx.session, ctx.out);
    let path = args.node();
    match &args.command {
        ConfigCommand::Watch(a) => watch::run(a, &path, cfg, out),
        ConfigCommand::Set(a) => set::run_set(a, &path, cfg, out),
        ConfigCommand::Unset(a) => unset::run_unset(a, &path, cfg, out),
        ConfigCommand::Get(a) => get::run_get(a, &path, cfg, out),
    }
}

/// A session for one command (no events wanted: `set`, `unset`, `get` end on their own).
fn connect(cfg: &SessionConfig) -> exit::Result<Session> {
    Ok(Session::connect(cfg, |_| {})?)
}

/// A `NOT_FOUND` names the node.
fn with_path(mut e: exit::Error, path: &str) -> exit::Error {
    if e.code == exit::NOT_FOUND {
        e.message = format!("{path}: {}", e.message);
    }
    e
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names() {
        assert!(parse_name("demo").is_ok());
        assert!(parse_name("a/b").is_err());
        assert!(parse_name("..").is_err());
        // Said as what it is (it read "a path must not end with /").
        assert!(parse_name("").unwrap_err().starts_with("an empty name"));
    }
}
