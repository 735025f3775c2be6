//! The command line: global options, the list of subcommands, the flags `lock` and `elect`
//! share, and the parsers of values (durations, paths, credentials). Each subcommand's own
//! flags live next to the code that uses them (`lock::LockArgs`, …); man pages and
//! completions are generated from `Cli::command()`.
//!
//! The global options become a [`Context`] here, once; the session and recipe layers below
//! never see clap.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

mod parse;

pub use parse::{
    parse_connect_timeout, parse_count, parse_duration, parse_duration_or_zero, parse_lead,
    parse_max_leases, parse_node_path, parse_path, parse_session_timeout, parse_tick_time,
    AuthParser, IdParser, MAX_DURATION,
};

use crate::output::Output;
use crate::session::{AclMode, Auth, ConnectString, SessionConfig};

const AFTER_HELP: &str = "See it all at once: `zkdemo demo`. Or start a local server with \
`zkdemo server`, then try `zkdemo lock --id 1` in two terminals.";

/// Exit codes shared by the subcommands (`exit.rs`), for `--help` and the man page.
pub const EXIT_CODES: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "A ZooKeeper operation failed for another reason, a file could not be read or written \
         (`timeline`, `server --data-dir`), or a `demo` check failed.",
    ),
    (
        "2",
        "Bad command line or input (a path, a duration, a key=value); nothing was sent.",
    ),
    ("3", "The node or config key asked for does not exist."),
    (
        "65",
        "Data too large (over 1,000,000 bytes) or not of the expected form.",
    ),
    (
        "69",
        "No ZooKeeper reachable within --connect-timeout (`server`, `demo`: none installed).",
    ),
    (
        "75",
        "The lock was not acquired (--nonblock, --wait), or --expect-version did not match.",
    ),
    (
        "76",
        "The lock or election directory's sequence counter reached its limit: no safe order.",
    ),
    (
        "77",
        "Not allowed: the server refused for lack of rights (NoAuth) or bad credentials.",
    ),
    (
        "79",
        "The lock or the leadership was lost while held; the guarded command was stopped.",
    ),
    ("130, 143", "Stopped by SIGINT (Ctrl-C) or SIGTERM."),
    (
        "141",
        "Stdout's reader went away (`| head`): a watch or a worker ends as SIGPIPE would, \
         after letting go of what it holds.",
    ),
    (
        "other",
        "`lock`/`elect` with a command: the command's own code (127: it could not start).",
    ),
];

/// Environment variables zkdemo reads or sets, for `--help` and the man page.
pub const ENVIRONMENT: &[(&str, &str)] = &[
    ("ZKDEMO_ZK", "Default for --zk (the ZooKeeper connect string). `demo` starts its own server only when neither is given."),
    ("ZKDEMO_AUTH", "Default for --auth (USER:PASSWORD digest credentials)."),
    ("RUST_LOG", "Log filter for stderr (env_logger syntax), overriding -v/-q."),
    ("NO_COLOR", "When set, `demo` does not colour its output (it colours only on a terminal anyway)."),
    ("ZOOKEEPER_HOME, JAVA_HOME", "Where `server` and `demo` find ZooKeeper and Java (otherwise Debian's or Homebrew's ZooKeeper and the java on PATH)."),
    ("ZKDEMO_LOCK_PATH, ZKDEMO_LOCK_NODE, ZKDEMO_SESSION_ID, ZKDEMO_FENCING_TOKEN", "Set by `lock` for the command it guards."),
    ("ZKDEMO_ELECTION_PATH, ZKDEMO_LEADER_NODE, ZKDEMO_SESSION_ID, ZKDEMO_FENCING_TOKEN", "Set by `elect` for the leader command."),
    ("ZKDEMO_CONFIG_PATH, ZKDEMO_CONFIG_VERSION, ZKDEMO_CONFIG_MZXID, ZKDEMO_CONFIG_EXISTS", "Set by `config watch` for its --exec command."),
];

/// `zkdemo --help`: the short help's last words, then the exit codes and the environment.
fn after_long_help() -> String {
    let mut s = format!("{AFTER_HELP}\n\nExit codes:\n");
    for (code, what) in EXIT_CODES {
        s.push_str(&hanging(&format!("  {code:<9}"), what));
    }
    s.push_str("\nEnvironment:\n");
    for (var, what) in ENVIRONMENT {
        s.push_str(&hanging("  ", var));
        s.push_str(&hanging("      ", what));
    }
    s.trim_end().to_owned()
}

/// `text` after `first`, in lines of at most 80 columns, each further line indented as far:
/// clap would wrap a longer line at the terminal's width back to the margin.
fn hanging(first: &str, text: &str) -> String {
    let indent = " ".repeat(first.chars().count());
    let mut out = String::new();
    let (mut line, mut words) = (first.to_owned(), 0);
    for word in text.split_whitespace() {
        if words > 0 && line.chars().count() + 1 + word.chars().count() > 80 {
            out.push_str(&line);
            out.push('\n');
            (line, words) = (indent.clone(), 0);
        }
        if words > 0 {
            line.push(' ');
        }
        line.push_str(word);
        words += 1;
    }
    out.push_str(&line);
    out.push('\n');
    out
}

/// ZooKeeper coordination from the command line: locks, leader election, live config.
#[derive(Debug, Parser)]
#[command(
    name = "zkdemo",
    version,
    about,
    long_about = "ZooKeeper coordination from the command line: a fair distributed lock that can \
guard a command, leader election (when the leader exits, the next one leads within \
milliseconds; when it is killed or cut off, once its session expires: the session timeout), a live \
configuration that every watcher sees at once, and an inspector that shows who holds, who \
leads and who waits.\n\n\
The znodes are those of the recipes already in use: kazoo's by default \
(`<uuid>__lock__<seq>`), Curator's and go-zookeeper's with --format, so zkdemo and those \
clients on the same path exclude each other.",
    after_help = AFTER_HELP,
    after_long_help = after_long_help()
)]
pub struct Cli {
    #[command(flatten)]
    pub global: GlobalArgs,

    #[command(subcommand)]
    pub command: Command,
}

/// Options shared by every subcommand (shown under their own heading in every `--help`).
#[derive(Debug, Clone, Args)]
#[command(next_help_heading = "Global options")]
pub struct GlobalArgs {
    /// ZooKeeper servers: host:port[,host:port…][/chroot].
    #[arg(short = 'z', long = "zk", env = "ZKDEMO_ZK", global = true,
          default_value = "127.0.0.1:2181", value_name = "CONNECT",
          value_parser = ConnectString::parse)]
    pub zk: ConnectString,

    /// Session timeout asked of the server (it may clamp it between 2 and 20 ticks; -v says
    /// what it granted).
    #[arg(long, global = true, default_value = "10s", value_name = "DURATION",
          value_parser = parse_session_timeout)]
    pub session_timeout: Duration,

    /// How long to wait for a first session before giving up with exit code 69.
    #[arg(long, global = true, default_value = "5s", value_name = "DURATION",
          value_parser = parse_connect_timeout)]
    pub connect_timeout: Duration,

    /// Digest credentials, USER:PASSWORD, added to the session (and again after a reconnect).
    #[arg(long, env = "ZKDEMO_AUTH", global = true, value_name = "USER:PASSWORD",
          hide_env_values = true, value_parser = AuthParser)]
    pub auth: Option<Auth>,

    // -h shows `help` alone, --help and the man page `long_help` alone: each reads on its own.
    #[arg(long, global = true, value_enum, default_value_t = AclArg::Creator,
          requires_if("private", "auth"),
          help = "The ACL of the nodes zkdemo creates (what each value allows: see --help)",
          long_help = "The ACL of the nodes zkdemo creates: lock and election nodes, config \
nodes, and the parents zkdemo creates for them. With `creator` and --auth, others may read but \
cannot delete our lock node, change our config, or join our queue. Digest auth travels in \
clear over plain TCP (no TLS or SASL here): it keeps out mistakes, not eavesdroppers.")]
    pub acl: AclArg,

    /// Print every event as one JSON object per line (with "event" and "ts").
    #[arg(long, global = true)]
    pub json: bool,

    /// More log output on stderr (-v: debug, -vv: trace, including the zookeeper crate).
    #[arg(short, long, global = true, action = clap::ArgAction::Count, conflicts_with = "quiet")]
    pub verbose: u8,

    /// Print only errors (and JSON events when --json is given).
    #[arg(short, long, global = true)]
    pub quiet: bool,
}

impl GlobalArgs {
    /// What a session is made from.
    pub fn session_config(&self) -> SessionConfig {
        SessionConfig {
            connect: self.zk.clone(),
            session_timeout: self.session_timeout,
            connect_timeout: self.connect_timeout,
            auth: self.auth.clone(),
            acl: self.acl.into(),
        }
    }

    /// How to print.
    pub fn output(&self) -> Output {
        Output {
            json: self.json,
            quiet: self.quiet,
            text_to_stderr: false,
        }
    }
}

/// `--acl`: the ACL of the nodes zkdemo creates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum AclArg {
    /// With --auth: all rights for our identity, read for everyone. Without --auth there is no
    /// identity to grant anything to, so nodes are open.
    Creator,
    /// All rights for our identity, nothing for anyone else (not even read). Needs --auth.
    Private,
    /// Anyone may do anything (ZooKeeper's OPEN_ACL_UNSAFE), even with --auth.
    Open,
}

impl From<AclArg> for AclMode {
    fn from(a: AclArg) -> AclMode {
        match a {
            AclArg::Creator => AclMode::Creator,
            AclArg::Private => AclMode::Private,
            AclArg::Open => AclMode::Open,
        }
    }
}

/// What every command is given, built once from the global options.
#[derive(Debug, Clone)]
pub struct Context {
    /// What its sessions are made from.
    pub session: SessionConfig,
    /// How it prints.
    pub out: Output,
    /// Whether --zk was given (on the command line or in ZKDEMO_ZK), not just defaulted:
    /// `demo` starts its own server otherwise.
    pub zk_given: bool,
}

/// The flags `lock` and `elect` share: who we are, and the command to guard.
#[derive(Debug, Clone, Args)]
pub struct ContenderArgs {
    /// This contender's id, stored as its node's data [default: <hostname>-<pid>].
    #[arg(long, value_parser = IdParser)]
    pub id: Option<String>,

    /// After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right
    /// after SIGTERM). After a loss of contact, at most a quarter of --session-timeout.
    #[arg(long, default_value = "5s", value_parser = parse_duration_or_zero, value_name = "DURATION")]
    pub kill_grace: Duration,

    /// The command to guard (after `--`); `lock` and `elect` each say when it runs.
    #[arg(last = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    Lock(crate::lock::LockArgs),
    Elect(crate::elect::ElectArgs),
    Config(crate::config::ConfigArgs),
    Inspect(crate::inspect::InspectArgs),
    Server(crate::server::ServerArgs),
    Demo(crate::demo::DemoArgs),
    Bench(crate::bench::BenchArgs),
    Timeline(crate::timeline::TimelineArgs),
    Man(crate::manual::ManArgs),
    Completions(crate::manual::CompletionsArgs),
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
