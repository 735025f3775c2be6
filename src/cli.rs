//! The command line: global options, the list of subcommands, the flags `lock` and `elect`
//! share, and the parsers of values (durations, paths, credentials). Each subcommand's own
//! flags live next to the code that uses them (`lock::LockArgs`, …); man pages and
//! completions are generated from `Cli::command()`.
//!
//! The global options become a [`Context`] here, once; the session and recipe layers below
//! never see clap.

use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};

use crate::output::Output;
use crate::session::{validate_path, AclMode, Auth, ConnectString, SessionConfig};

const AFTER_HELP: &str = "See it all at once: `zkdemo demo`. Or start a local server with \
`zkdemo server`, then try `zkdemo lock --id 1` in two terminals.";

/// Exit codes shared by the subcommands (`exit.rs`), for `--help` and the man page.
pub const EXIT_CODES: &[(&str, &str)] = &[
    ("0", "Success."),
    (
        "1",
        "A ZooKeeper operation failed for another reason; or a `demo` check failed.",
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
        "77",
        "Not allowed: the server refused for lack of rights (NoAuth) or bad credentials.",
    ),
    (
        "79",
        "The lock or the leadership was lost while held; the guarded command was stopped.",
    ),
    ("130, 143", "Stopped by SIGINT (Ctrl-C) or SIGTERM."),
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
        s.push_str(&format!("  {code:<9}{what}\n"));
    }
    s.push_str("\nEnvironment:\n");
    for (var, what) in ENVIRONMENT {
        s.push_str(&format!("  {var}\n      {what}\n"));
    }
    s.trim_end().to_owned()
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

    /// Session timeout asked of the server (it may clamp it between 2 and 20 ticks).
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

    /// The ACL of the nodes zkdemo creates (--help says which is which).
    ///
    /// It applies to lock and election nodes, config nodes, and the parents zkdemo creates for
    /// them. `creator`: with --auth, all rights for the --auth identity
    /// and read for everyone (others cannot delete our lock node, change our config, or join
    /// our queue); without --auth, open. `private`: all rights for our identity, nothing for
    /// anyone else (needs --auth). `open`: anyone may do anything. Digest auth travels in
    /// clear over plain TCP (no TLS or SASL here): it keeps out mistakes, not eavesdroppers.
    #[arg(long, global = true, value_enum, default_value_t = AclArg::Creator,
          requires_if("private", "auth"))]
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
    #[arg(long)]
    pub id: Option<String>,

    /// After SIGTERM, how long the command may take to stop before SIGKILL (0s: SIGKILL right
    /// after SIGTERM).
    #[arg(long, default_value = "5s", value_parser = parse_duration_or_zero, value_name = "DURATION")]
    pub kill_grace: Duration,

    /// The command to run while holding the lock or leading (after `--`).
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

/// `--auth`'s parser. A bad value is never echoed (clap's own error quotes the value given,
/// and a malformed `--auth` is often a bare password).
#[derive(Debug, Clone, Copy)]
pub struct AuthParser;

impl clap::builder::TypedValueParser for AuthParser {
    type Value = Auth;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        _arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<Auth, clap::Error> {
        let why = match value.to_str() {
            Some(s) => match Auth::parse(s) {
                Ok(a) => return Ok(a),
                Err(why) => why,
            },
            None => "not UTF-8".into(),
        };
        Err(clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            format!("invalid value for '--auth <USER:PASSWORD>' (not shown): {why}\n"),
        )
        .with_cmd(cmd))
    }
}

/// The longest duration any option takes (10 years): `now + d` never overflows the clock.
pub const MAX_DURATION: Duration = Duration::from_secs(3650 * 24 * 3600);

/// A validated znode path.
pub fn parse_path(s: &str) -> Result<String, String> {
    validate_path(s)?;
    Ok(s.to_owned())
}

/// The znode of a lock, an election or a config: a validated path other than the root (the
/// root's children are the whole tree, not a queue).
pub fn parse_node_path(s: &str) -> Result<String, String> {
    if s == "/" {
        return Err(
            "the root cannot be a lock, an election or a config node: name a node \
                    under it (e.g. /demo-lock)"
                .into(),
        );
    }
    parse_path(s)
}

/// Parse `250ms`, `2s`, `1m`, `1h 30m` (humantime's grammar), zero included: for the options
/// where zero means "at once" (`--hold`, `--pause`, `-w`, `--kill-grace`).
pub fn parse_duration_or_zero(s: &str) -> Result<Duration, String> {
    let d = humantime::parse_duration(s.trim())
        .map_err(|e| format!("{e} (write a duration like 250ms, 2s, 1m)"))?;
    // Deadlines are instants on the monotonic clock: keep every sum far from its limit.
    if d > MAX_DURATION {
        return Err("too long: at most 3650 days".into());
    }
    Ok(d)
}

/// A duration longer than zero; `why` says why zero means nothing for this option.
fn positive(s: &str, why: &str) -> Result<Duration, String> {
    let d = parse_duration_or_zero(s)?;
    if d.is_zero() {
        return Err(format!("must be longer than zero: {why}"));
    }
    Ok(d)
}

/// A duration longer than zero, for an option that has no use for zero.
pub fn parse_duration(s: &str) -> Result<Duration, String> {
    positive(s, "zero has no meaning here")
}

/// `--session-timeout`: a session cannot live for no time.
pub fn parse_session_timeout(s: &str) -> Result<Duration, String> {
    positive(
        s,
        "a session must last some time (the server grants 2 to 20 ticks: 4s to 40s with \
         its default tick of 2s)",
    )
}

/// `--connect-timeout`: no session is made in no time.
pub fn parse_connect_timeout(s: &str) -> Result<Duration, String> {
    positive(
        s,
        "no session can be made in no time (to give up at once on a held lock, use `lock -n`)",
    )
}

/// `elect --lead`: a leader that resigns the moment it leads would never lead.
pub fn parse_lead(s: &str) -> Result<Duration, String> {
    positive(
        s,
        "a leader that resigns the moment it leads never leads (and its command would be \
         stopped as it starts); to lead once and exit, use --count 1",
    )
}

/// `server --tick-time`: ZooKeeper refuses a tick of zero.
pub fn parse_tick_time(s: &str) -> Result<Duration, String> {
    positive(
        s,
        "ZooKeeper needs a tick to time sessions (its default is 2s)",
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations() {
        assert_eq!(parse_duration("250ms").unwrap(), Duration::from_millis(250));
        assert_eq!(parse_duration("2s").unwrap(), Duration::from_secs(2));
        assert_eq!(parse_duration("1m").unwrap(), Duration::from_secs(60));
        assert!(parse_duration("0s").is_err());
        assert_eq!(parse_duration_or_zero("0s").unwrap(), Duration::ZERO);
        assert!(parse_duration_or_zero("3651days").is_err());
        for zero_refused in [
            parse_session_timeout,
            parse_connect_timeout,
            parse_lead,
            parse_tick_time,
        ] {
            assert!(zero_refused("0ms")
                .unwrap_err()
                .contains("longer than zero: "));
            assert!(zero_refused("1ms").is_ok());
        }
        assert!(parse_duration("ten").is_err());
        assert!(parse_duration("5").is_err());
        assert!(parse_duration("18446744073709551615s").is_err());
        assert!(parse_duration("3651days").is_err());
        assert!(parse_duration("3650days").is_ok());
    }

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }
}
