//! The parsers of option values: durations, counts, znode paths, credentials, ids. Each refuses what it
//! cannot use with a one-line reason (clap prints it after the value), so that a bad value is
//! exit 2 before anything is sent.

use std::time::Duration;

use crate::session::{validate_path, Auth};

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

/// `lock --id`, `elect --id`: the id is stored as the node's data and shown inside one-line
/// status lines (`worker ID holds the lock`), so it cannot be empty or hold a control
/// character (a newline printed raw split the line). clap's own error would print the value
/// as given, newline and all: this one escapes it.
#[derive(Debug, Clone, Copy)]
pub struct IdParser;

impl clap::builder::TypedValueParser for IdParser {
    type Value = String;

    fn parse_ref(
        &self,
        cmd: &clap::Command,
        arg: Option<&clap::Arg>,
        value: &std::ffi::OsStr,
    ) -> Result<String, clap::Error> {
        let why = match value.to_str() {
            None => "not UTF-8",
            Some("") => "an id cannot be empty (leave out --id for <hostname>-<pid>)",
            Some(s) if s.chars().any(char::is_control) => {
                "an id cannot hold a control character (it is shown in one-line status lines)"
            }
            Some(s) => return Ok(s.to_owned()),
        };
        let shown = crate::text::escape(value.as_encoded_bytes());
        let arg = arg.map_or("--id <ID>".to_owned(), |a| a.to_string());
        Err(clap::Error::raw(
            clap::error::ErrorKind::ValueValidation,
            format!("invalid value '{shown}' for '{arg}': {why}\n"),
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
/// root's children are the whole tree, not a queue) and outside `/zookeeper`, which the
/// server keeps for itself (quotas, the dynamic config; the ZooKeeper Programmer's Guide:
/// "the /zookeeper subtree … is reserved").
pub fn parse_node_path(s: &str) -> Result<String, String> {
    if s == "/" {
        return Err(
            "the root cannot be a lock, an election or a config node: name a node \
                    under it (e.g. /demo-lock)"
                .into(),
        );
    }
    if s == "/zookeeper" || s.starts_with("/zookeeper/") {
        return Err(
            "/zookeeper is reserved for ZooKeeper itself (quotas, its config): name a node \
             elsewhere (e.g. /demo-lock)"
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

/// `--count`: a whole number, at least 1 (clap's range said `0 is not in
/// 1..18446744073709551615`).
pub fn parse_count(s: &str) -> Result<u64, String> {
    at_least_one(s, u64::MAX)
}

/// `--max-leases`: a whole number, at least 1, that kazoo's Semaphore can store.
pub fn parse_max_leases(s: &str) -> Result<u32, String> {
    at_least_one(s, u32::MAX.into()).map(|n| n as u32)
}

fn at_least_one(s: &str, max: u64) -> Result<u64, String> {
    match s.trim().parse::<u64>() {
        Ok(0) => Err("must be at least 1".into()),
        Ok(n) if n <= max => Ok(n),
        Err(e) if *e.kind() != std::num::IntErrorKind::PosOverflow => {
            Err("not a whole number (write 1, 2, 3, …)".into())
        }
        _ => Err(format!("must be at most {max}")),
    }
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
    fn node_paths() {
        assert_eq!(parse_node_path("/demo-lock").unwrap(), "/demo-lock");
        assert_eq!(parse_node_path("/zookeeperish").unwrap(), "/zookeeperish");
        for reserved in ["/", "/zookeeper", "/zookeeper/x", "/zookeeper/quota/a"] {
            assert!(parse_node_path(reserved).is_err(), "{reserved}");
        }
    }

    #[test]
    fn ids() {
        let parse = |id: &str| {
            clap::Command::new("t")
                .arg(clap::Arg::new("id").long("id").value_parser(IdParser))
                .try_get_matches_from(["t", "--id", id])
                .map(|m| m.get_one::<String>("id").cloned())
                .map_err(|e| e.to_string())
        };
        assert_eq!(parse("worker 1"), Ok(Some("worker 1".into())));
        assert!(parse("").unwrap_err().contains("cannot be empty"));
        let e = parse("a\nb").unwrap_err();
        assert!(
            e.contains("'a\\nb'") && e.contains("control character"),
            "{e}"
        );
        assert_eq!(e.trim_end().lines().count(), 1, "{e}");
    }

    #[test]
    fn counts() {
        assert_eq!(parse_count("1"), Ok(1));
        assert_eq!(parse_count("0").unwrap_err(), "must be at least 1");
        assert_eq!(parse_max_leases("0").unwrap_err(), "must be at least 1");
        assert_eq!(parse_max_leases("4294967295"), Ok(u32::MAX));
        assert_eq!(
            parse_max_leases("4294967296").unwrap_err(),
            "must be at most 4294967295"
        );
        assert!(parse_count("18446744073709551616")
            .unwrap_err()
            .starts_with("must be at most"));
        for bad in ["-1", "two", "1.5", ""] {
            assert!(parse_count(bad)
                .unwrap_err()
                .starts_with("not a whole number"));
        }
    }
}
