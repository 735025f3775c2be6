//! Logging on stderr, through env_logger.

use std::io::Write;

/// Set up logging on stderr: warnings by default, `-v` debug, `-vv` trace, `-q` errors only;
/// `RUST_LOG` wins when set. At the default level a warning reaches a person as a plain
/// `zkdemo: …` line, as zkdemo's other messages; with `-v` or `RUST_LOG`, records carry their
/// time, level and module. The `zookeeper` crate's own records stay off unless asked for: it
/// talks only to our relay, and its trace lines would show the session password.
pub fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error,zookeeper=off",
        (_, 0) => "warn,zookeeper=off",
        (_, 1) => "debug,zookeeper=off",
        _ => "trace,zookeeper=off",
    };
    let plain = verbose == 0 && std::env::var_os("RUST_LOG").is_none();
    let mut b =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default));
    if plain {
        b.format(|buf, record| writeln!(buf, "zkdemo: {}", record.args()));
    } else {
        b.format_timestamp_micros();
    }
    let _ = b.try_init();
}
