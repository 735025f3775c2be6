//! `zkdemo man` and `zkdemo completions`: the man pages and shell completions, generated from
//! the one CLI definition (`Cli::command()`), as ripgrep's `--generate` does, so that a user who
//! installed with `cargo install` (the binary alone) has them too. The files committed in `man/`
//! and `completions/` are exactly these (`tests/docs.rs` checks it and regenerates them).

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};

use clap::builder::PossibleValue;
use clap::{Args, CommandFactory};
use clap_complete::{Generator, Shell};
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;

mod values;

use crate::cli::{Cli, ENVIRONMENT, EXIT_CODES};
use crate::exit;

/// The pages besides zkdemo(1), as `zkdemo man` names them (`config-set` is `config set`'s):
/// COMMAND's possible values, so that every shell completes them. `tests/docs.rs` checks that
/// they are exactly the pages generated.
pub const PAGES: &[&str] = &[
    "lock",
    "elect",
    "config",
    "config-get",
    "config-set",
    "config-unset",
    "config-watch",
    "inspect",
    "server",
    "demo",
    "bench",
    "timeline",
    "man",
    "completions",
];

/// The second words of two-word pages (`zkdemo man config set`): accepted, not offered.
const SECOND_WORDS: &[&str] = &["get", "set", "unset", "watch"];

/// Print a man page (roff): zkdemo's, or a subcommand's.
#[derive(Debug, Args)]
#[command(after_help = man_examples())]
pub struct ManArgs {
    /// The command whose page to print (`lock`, `config set` or `config-set`, …); none:
    /// zkdemo(1).
    #[arg(value_name = "COMMAND", value_parser = page_names())]
    pub command: Vec<String>,
}

/// COMMAND's values: every page, and the second words of `config set` and the like (hidden).
fn page_names() -> clap::builder::PossibleValuesParser {
    let pages = PAGES.iter().map(|p| PossibleValue::new(*p));
    let words = SECOND_WORDS
        .iter()
        .map(|w| PossibleValue::new(*w).hide(true));
    pages.chain(words).collect::<Vec<_>>().into()
}

/// `zkdemo man --help`'s examples: the install loop names every page.
fn man_examples() -> String {
    let mut s = String::from(
        "Examples:\n  \
zkdemo man | man -l -                     # read zkdemo(1) now\n  \
zkdemo man config set | man -l -          # one subcommand's page\n\n  \
# Install every page: zkdemo(1), then each command's\n  \
mkdir -p ~/.local/share/man/man1\n  \
for c in \"\"",
    );
    let mut width = "  for c in \"\"".len();
    for p in PAGES {
        if width + 1 + p.len() + 2 > 80 {
            s.push_str(" \\\n     ");
            width = 5;
        }
        s.push(' ');
        s.push_str(p);
        width += 1 + p.len();
    }
    s.push_str(
        "; do\n    \
zkdemo man $c > ~/.local/share/man/man1/zkdemo${c:+-$c}.1\n  \
done\n\n\
Exit codes: 2 when there is no such command.",
    );
    s
}

/// Print the completion script for a shell.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
zkdemo completions bash > ~/.local/share/bash-completion/completions/zkdemo\n  \
# zsh: with fpath+=~/.zfunc before compinit in ~/.zshrc\n  \
zkdemo completions zsh > ~/.zfunc/_zkdemo\n  \
zkdemo completions fish > ~/.config/fish/completions/zkdemo.fish")]
pub struct CompletionsArgs {
    /// The shell.
    #[arg(value_enum)]
    pub shell: Shell,
}

/// `zkdemo man [COMMAND…]`.
pub fn run_man(a: &ManArgs) -> exit::Result<i32> {
    let mut name = String::from("zkdemo");
    for c in &a.command {
        name.push('-');
        name.push_str(c);
    }
    let pages = man_pages();
    let page = pages
        .get(&Path::new("man").join(format!("{name}.1")))
        .ok_or_else(|| {
            exit::Error::usage(format!(
                "no man page for `{}`: try `zkdemo --help` for the commands",
                name.replace('-', " ")
            ))
        })?;
    crate::output::print_bytes(page);
    Ok(exit::OK)
}

/// `zkdemo completions SHELL`.
pub fn run_completions(a: &CompletionsArgs) -> exit::Result<i32> {
    crate::output::print_bytes(&completion(a.shell));
    Ok(exit::OK)
}

/// The shells completions are made for, and their files' names.
pub const SHELLS: [Shell; 5] = [
    Shell::Bash,
    Shell::Zsh,
    Shell::Fish,
    Shell::Elvish,
    Shell::PowerShell,
];

/// The completion script for `shell`.
pub fn completion(shell: Shell) -> Vec<u8> {
    let mut buf = Vec::new();
    let mut cmd = Cli::command();
    clap_complete::generate(shell, &mut cmd, "zkdemo", &mut buf);
    values::add(shell, buf, &cmd)
}

/// Every file under `man/` and `completions/`, by path.
pub fn files() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = man_pages();
    for shell in SHELLS {
        files.insert(
            Path::new("completions").join(shell.file_name("zkdemo")),
            completion(shell),
        );
    }
    files
}

/// Every man page: `man/zkdemo.1`, `man/zkdemo-lock.1`, `man/zkdemo-config-watch.1`, …
pub fn man_pages() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut cmd = Cli::command();
    // Built, subcommands know their full names (`zkdemo lock`, display name `zkdemo-lock`).
    cmd.build();
    let mut files = BTreeMap::new();
    page(&cmd, true, &mut files);
    files
}

/// The page of `cmd`, then one for each of its subcommands (`zkdemo-config-watch.1`, …).
fn page(cmd: &clap::Command, top: bool, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let man = Man::new(cmd.clone());
    let mut out = Vec::new();
    let io = |r: std::io::Result<()>| r.expect("rendering into memory");
    // .TH title section date source manual. clap_mangen's date is empty and vanishes from the
    // line, so man read the source ("lock ") as the date; the date stays empty, quoted (the
    // pages are generated and committed: a date would change them every day).
    io(writeln!(
        out,
        ".TH {} 1 \"\" \"zkdemo {}\" \"zkdemo manual\"",
        display_name(cmd),
        env!("CARGO_PKG_VERSION")
    ));
    io(man.render_name_section(&mut out));
    io(synopsis(cmd).to_writer(&mut out));
    io(man.render_description_section(&mut out));
    if cmd.get_arguments().any(|a| !a.is_hide_set()) {
        io(man.render_options_section(&mut out));
    }
    if cmd.get_subcommands().any(|s| !s.is_hide_set()) {
        io(man.render_subcommands_section(&mut out));
    }
    let mut roff = Roff::default();
    // The examples as written (clap_mangen would fill them into one paragraph). The top page's
    // long help holds the exit codes and environment, rendered as sections of their own below.
    let extra = if top {
        cmd.get_after_help()
    } else {
        cmd.get_after_long_help().or_else(|| cmd.get_after_help())
    };
    if let Some(text) = extra {
        roff.control("SH", ["EXAMPLES"]);
        roff.control("nf", []);
        for line in text.to_string().lines() {
            roff.text([roman(line)]);
        }
        roff.control("fi", []);
    }
    if top {
        roff.control("SH", ["EXIT STATUS"]);
        for (code, what) in EXIT_CODES {
            roff.control("TP", []);
            roff.text([roman(*code)]);
            roff.text([roman(*what)]);
        }
        roff.control("SH", ["ENVIRONMENT"]);
        for (var, what) in ENVIRONMENT {
            roff.control("TP", []);
            roff.text([roman(*var)]);
            roff.text([roman(*what)]);
        }
    }
    roff.control("SH", ["SEE ALSO"]);
    let mut see: Vec<String> = Vec::new();
    if !top {
        see.push("zkdemo(1) for the global options, exit codes and environment".into());
    }
    for s in documented(cmd) {
        see.push(format!("{}(1)", display_name(s)));
    }
    roff.text([roman(see.join(", "))]);
    io(roff.to_writer(&mut out));
    if cmd.get_version().is_some() || top {
        io(man.render_version_section(&mut out));
    }
    files.insert(
        Path::new("man").join(format!("{}.1", display_name(cmd))),
        out,
    );
    for sub in documented(cmd) {
        page(sub, false, files);
    }
}

/// SYNOPSIS with every option's value, as `--help` shows them (`[--path PATH]`; clap_mangen
/// writes `[--path]` alone).
fn synopsis(cmd: &clap::Command) -> Roff {
    let mut line = vec![bold(display_name(cmd).replace('-', " "))];
    // Options first, then the positional arguments, as `--help`'s usage line has them.
    let mut args: Vec<&clap::Arg> = cmd.get_arguments().filter(|a| !a.is_hide_set()).collect();
    args.sort_by_key(|a| a.is_positional());
    for a in args {
        let values: Vec<String> = a
            .get_value_names()
            .map(|v| v.iter().map(|n| n.to_string()).collect())
            .unwrap_or_else(|| vec![a.get_id().as_str().to_uppercase()]);
        let takes = a.get_action().takes_values();
        line.push(roman(" ["));
        match (a.get_short(), a.get_long()) {
            (None, None) => {
                if a.is_last_set() {
                    line.push(roman("-- "));
                }
                line.push(italic(values.join(" ")));
                line.push(roman("]"));
                if a.get_num_args().is_some_and(|n| n.max_values() > 1) {
                    line.push(roman("..."));
                }
                continue;
            }
            (Some(s), Some(l)) => {
                line.push(bold(format!("-{s}")));
                line.push(roman("|"));
                line.push(bold(format!("--{l}")));
            }
            (Some(s), None) => line.push(bold(format!("-{s}"))),
            (None, Some(l)) => line.push(bold(format!("--{l}"))),
        }
        if takes {
            line.push(roman(" "));
            line.push(italic(values.join(" ")));
        }
        line.push(roman("]"));
        if matches!(
            a.get_action(),
            clap::ArgAction::Count | clap::ArgAction::Append
        ) {
            line.push(roman("..."));
        }
    }
    if cmd.has_subcommands() {
        line.push(roman(" "));
        line.push(italic("COMMAND"));
    }
    let mut roff = Roff::default();
    roff.control("SH", ["SYNOPSIS"]);
    roff.text(line);
    roff
}

/// The subcommands that get a page (not clap's `help`).
fn documented(cmd: &clap::Command) -> impl Iterator<Item = &clap::Command> {
    cmd.get_subcommands()
        .filter(|s| !s.is_hide_set() && s.get_name() != "help")
}

fn display_name(cmd: &clap::Command) -> String {
    cmd.get_display_name()
        .unwrap_or_else(|| cmd.get_name())
        .to_owned()
}
