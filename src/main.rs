use clap::parser::ValueSource;
use clap::{CommandFactory, FromArgMatches};

use zkdemo::cli::{Cli, Command, Context};
use zkdemo::output::Event;
use zkdemo::{bench, config, demo, elect, exit, inspect, lock, manual, server, signals, timeline};

fn main() {
    let matches = Cli::command()
        .try_get_matches()
        .unwrap_or_else(|e| usage_without_env(e).exit());
    let cli = Cli::from_arg_matches(&matches).unwrap_or_else(|e| e.exit());
    // `demo` starts its own server unless a server was named (--zk or ZKDEMO_ZK).
    let zk_given = zk_given(&matches);
    let g = &cli.global;
    zkdemo::logging::init_logging(g.verbose, g.quiet);
    if let Err(e) = signals::install() {
        eprintln!("zkdemo: cannot install signal handlers: {e}");
        std::process::exit(exit::FAILURE);
    }
    // Ctrl-C ends a client within a second even when the server hangs; `server` stops its
    // servers in order instead, however long that takes.
    // `demo` stops its participants and its server first.
    if !matches!(cli.command, Command::Server(_) | Command::Demo(_)) {
        signals::force_exit_after(std::time::Duration::from_millis(800));
    }
    let ctx = Context {
        session: g.session_config(),
        out: g.output(),
        zk_given,
    };
    let out = ctx.out;
    let result = match &cli.command {
        Command::Lock(args) => lock::run(args, &ctx),
        Command::Elect(args) => elect::run(args, &ctx),
        Command::Config(args) => config::run(args, &ctx),
        Command::Inspect(args) => inspect::run(args, &ctx),
        Command::Server(args) => server::run(args, &ctx),
        Command::Bench(args) => bench::run(args, &ctx),
        Command::Demo(args) => demo::run(args, &ctx),
        Command::Timeline(args) => timeline::run(args, &ctx),
        Command::Man(args) => manual::run_man(args),
        Command::Completions(args) => manual::run_completions(args),
    };
    let code = match result {
        Ok(code) => code,
        Err(e) => {
            if out.json {
                out.emit(
                    &Event::new("error")
                        .with("code", e.code)
                        .with("message", e.message.clone()),
                );
            }
            eprintln!("zkdemo: {e}");
            e.code
        }
    };
    std::process::exit(code);
}

/// Whether --zk was given on the command line or in ZKDEMO_ZK (not just its default), before
/// or after the subcommand.
fn zk_given(m: &clap::ArgMatches) -> bool {
    let mut m = Some(m);
    while let Some(cur) = m {
        if matches!(
            cur.value_source("zk"),
            Some(ValueSource::CommandLine | ValueSource::EnvVariable)
        ) {
            return true;
        }
        m = cur.subcommand().map(|(_, sub)| sub);
    }
    false
}

/// clap's usage line after an error names every option given, and counts a value taken from
/// the environment as given: with ZKDEMO_ZK set, `zkdemo timeline` said `Usage: zkdemo timeline
/// --output <FILE.svg> --zk <CONNECT> <EVENTS>...`, as if --zk were required. The same command
/// line parsed without ZKDEMO_ZK and ZKDEMO_AUTH fails the same way, with the usage line of
/// what was typed: that one is shown. (Only for the error's text: the parse that counts is the
/// one above, with the environment.)
fn usage_without_env(mut e: clap::Error) -> clap::Error {
    use clap::error::ContextKind;
    if e.get(ContextKind::Usage).is_none() {
        return e;
    }
    let typed = Cli::command()
        .mut_arg("zk", |a| a.env(None::<&str>))
        .mut_arg("auth", |a| a.env(None::<&str>))
        .try_get_matches();
    if let Err(again) = typed {
        if again.kind() == e.kind() {
            if let Some(usage) = again.get(ContextKind::Usage) {
                e.insert(ContextKind::Usage, usage.clone());
            }
        }
    }
    e
}
