use clap::Parser;

use zkdemo::cli::{Cli, Command};
use zkdemo::output::{Event, Output};
use zkdemo::{bench, config, elect, exit, inspect, lock, server, session, signals};

fn main() {
    let cli = Cli::parse();
    let g = &cli.global;
    session::init_logging(g.verbose, g.quiet);
    if let Err(e) = signals::install() {
        eprintln!("zkdemo: cannot install signal handlers: {e}");
        std::process::exit(exit::FAILURE);
    }
    // Ctrl-C ends a client within a second even when the server hangs; `server` stops its
    // servers in order instead, however long that takes.
    if !matches!(cli.command, Command::Server(_)) {
        signals::force_exit_after(std::time::Duration::from_millis(800));
    }
    let out = Output {
        json: g.json,
        quiet: g.quiet,
    };
    let result = match &cli.command {
        Command::Lock(args) => lock::run(args, g, out),
        Command::Elect(args) => elect::run(args, g, out),
        Command::Config(args) => config::run(args, g, out),
        Command::Inspect(args) => inspect::run(args, g, out),
        Command::Server(args) => server::run(args, g, out),
        Command::Bench(args) => bench::run(args, g, out),
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
