//! Logging on stderr, through env_logger.

/// Set up logging on stderr: warnings by default, `-v` debug, `-vv` trace (the crate too),
/// `-q` errors only; `RUST_LOG` wins when set. The `zookeeper` crate's own records stay off
/// unless asked for: it talks only to our relay, and its trace lines would show the session
/// password.
pub fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error,zookeeper=off",
        (_, 0) => "warn,zookeeper=off",
        (_, 1) => "debug,zookeeper=off",
        _ => "trace,zookeeper=off",
    };
    let _ = env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default))
        .format_timestamp_micros()
        .try_init();
}
