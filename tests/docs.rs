//! The man pages in `man/` and the shell completions in `completions/` are generated from the
//! one CLI definition (`Cli::command()`), so they cannot drift from it: this test renders them
//! all in memory and fails when the committed files differ. To regenerate them:
//!
//!     ZKDEMO_REGENERATE=1 cargo test --test docs

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use clap_complete::{Generator, Shell};
use clap_mangen::roff::{bold, italic, roman, Roff};
use clap_mangen::Man;
use zkdemo::cli::{Cli, ENVIRONMENT, EXIT_CODES};

const REGENERATE: &str = "ZKDEMO_REGENERATE=1 cargo test --test docs";

/// The built CLI: subcommands know their full names (`zkdemo lock`, display name `zkdemo-lock`).
fn cli() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    cmd
}

/// Every file under `man/` and `completions/`, as the current CLI renders it.
fn render_all() -> BTreeMap<PathBuf, Vec<u8>> {
    let mut files = BTreeMap::new();
    let cmd = cli();
    page(&cmd, true, &mut files);
    for shell in [
        Shell::Bash,
        Shell::Zsh,
        Shell::Fish,
        Shell::Elvish,
        Shell::PowerShell,
    ] {
        let mut buf = Vec::new();
        clap_complete::generate(shell, &mut Cli::command(), "zkdemo", &mut buf);
        files.insert(
            Path::new("completions").join(shell.file_name("zkdemo")),
            buf,
        );
    }
    files
}

/// The page of `cmd`, then one for each of its subcommands (`zkdemo-config-watch.1`, …).
fn page(cmd: &clap::Command, top: bool, files: &mut BTreeMap<PathBuf, Vec<u8>>) {
    let man = Man::new(cmd.clone()).manual("zkdemo manual");
    let mut out = Vec::new();
    let io = |r: std::io::Result<()>| r.expect("rendering into memory");
    io(man.render_title(&mut out));
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

/// The generated files that exist now in `dir` (to find pages of removed subcommands).
fn committed(root: &Path, dir: &str) -> Vec<PathBuf> {
    let Ok(rd) = std::fs::read_dir(root.join(dir)) else {
        return Vec::new();
    };
    rd.flatten()
        .filter(|e| e.path().is_file())
        .map(|e| Path::new(dir).join(e.file_name()))
        .collect()
}

#[test]
fn man_pages_and_completions_match_the_cli() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let want = render_all();
    let have: Vec<PathBuf> = ["man", "completions"]
        .iter()
        .flat_map(|d| committed(root, d))
        .collect();
    if std::env::var_os("ZKDEMO_REGENERATE").is_some_and(|v| v == "1") {
        for p in have.iter().filter(|p| !want.contains_key(*p)) {
            std::fs::remove_file(root.join(p)).expect("removing a stale file");
        }
        for (p, data) in &want {
            let path = root.join(p);
            std::fs::create_dir_all(path.parent().unwrap()).expect("mkdir");
            std::fs::write(&path, data).expect("writing a generated file");
        }
        eprintln!("regenerated {} files in man/ and completions/", want.len());
        return;
    }
    let mut wrong = Vec::new();
    for (p, data) in &want {
        match std::fs::read(root.join(p)) {
            Ok(d) if d == *data => {}
            Ok(_) => wrong.push(format!("{} differs", p.display())),
            Err(_) => wrong.push(format!("{} is missing", p.display())),
        }
    }
    for p in have.iter().filter(|p| !want.contains_key(*p)) {
        wrong.push(format!(
            "{} is not generated any more (a removed subcommand?)",
            p.display()
        ));
    }
    assert!(
        wrong.is_empty(),
        "man/ and completions/ are stale (the CLI changed):\n  {}\nRegenerate them with:\n  {REGENERATE}",
        wrong.join("\n  ")
    );
}

#[test]
fn the_pages_are_complete() {
    let files = render_all();
    let top = String::from_utf8_lossy(&files[Path::new("man/zkdemo.1")]).into_owned();
    for needle in [
        "EXIT STATUS",
        "ENVIRONMENT",
        "ZKDEMO_ZK",
        "ZKDEMO_AUTH",
        "79",
        "zkdemo demo",
    ] {
        assert!(top.contains(needle), "zkdemo.1 lacks {needle:?}");
    }
    for sub in [
        "lock",
        "elect",
        "config",
        "inspect",
        "server",
        "demo",
        "config-watch",
    ] {
        let p = PathBuf::from(format!("man/zkdemo-{sub}.1"));
        let page = String::from_utf8_lossy(files.get(&p).unwrap_or_else(|| panic!("no {p:?}")))
            .into_owned();
        assert!(page.contains("EXAMPLES"), "{p:?} has no examples");
    }
    for f in [
        "zkdemo.bash",
        "_zkdemo",
        "zkdemo.fish",
        "zkdemo.elv",
        "_zkdemo.ps1",
    ] {
        let data = &files[&Path::new("completions").join(f)];
        let text = String::from_utf8_lossy(data);
        assert!(text.contains("demo") && text.contains("inspect"), "{f}");
    }
}

/// Every subcommand's --help ends with examples (taken from the seed's scenarios: its three
/// lock workers, three election nodes, config client and updater, zkCli, zkServer).
#[test]
fn every_subcommand_has_examples() {
    fn walk(cmd: &clap::Command, missing: &mut Vec<String>) {
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            let help = sub
                .get_after_long_help()
                .or_else(|| sub.get_after_help())
                .map(|h| h.to_string())
                .unwrap_or_default();
            if !(help.contains("Example") && help.contains("zkdemo ")) {
                missing.push(display_name(sub));
            }
            walk(sub, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&cli(), &mut missing);
    assert!(missing.is_empty(), "no examples in --help of {missing:?}");
    // The seed's own scenarios, by name.
    let long = |path: &[&str]| {
        let mut c = cli();
        let mut h = String::new();
        for p in path {
            c = c.find_subcommand(p).unwrap().clone();
            h = c
                .get_after_long_help()
                .or_else(|| c.get_after_help())
                .unwrap()
                .to_string();
        }
        h
    };
    assert!(long(&["lock"]).contains("zkdemo lock --id 3"));
    assert!(long(&["elect"]).contains("zkdemo elect --id 3"));
    assert!(long(&["config"]).contains("zkdemo config watch"));
    assert!(long(&["inspect"]).contains("zkdemo inspect /demo-lock"));
    assert!(long(&["server"]).contains("zkdemo server"));
    assert!(long(&["demo"]).contains("zkdemo demo --scenario lock"));
}

/// Issue #17, 9: the man pages' SYNOPSIS shows what each option takes (clap_mangen's own
/// wrote `[--path]` alone).
#[test]
fn man_synopses_show_option_values() {
    let files = render_all();
    let lock = String::from_utf8_lossy(&files[Path::new("man/zkdemo-lock.1")]).into_owned();
    let synopsis = lock
        .split(".SH SYNOPSIS")
        .nth(1)
        .and_then(|s| s.split(".SH").next())
        .expect("a SYNOPSIS");
    for want in [
        r"[\fB\-\-path\fR \fIPATH\fR]",
        r"[\fB\-w\fR|\fB\-\-wait\fR \fIDURATION\fR]",
        r"[\-\- \fICOMMAND\fR]...",
    ] {
        assert!(synopsis.contains(want), "{want} not in {synopsis}");
    }
}

/// Issue #17, item 9: every argument and option says what it is in `--help`
/// (`config unset <KEY>` did not).
#[test]
fn every_argument_has_a_description() {
    fn walk(cmd: &clap::Command, missing: &mut Vec<String>) {
        for a in cmd.get_arguments().filter(|a| !a.is_hide_set()) {
            let id = a.get_id().as_str();
            if id != "help" && id != "version" && a.get_help().is_none() {
                missing.push(format!("{} {id}", display_name(cmd)));
            }
        }
        for sub in cmd.get_subcommands().filter(|s| s.get_name() != "help") {
            walk(sub, missing);
        }
    }
    let mut missing = Vec::new();
    walk(&cli(), &mut missing);
    assert!(missing.is_empty(), "no description in --help: {missing:?}");

    // As a user reads it: the line after `<KEY>...` says what the keys are.
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zkdemo"))
        .args(["config", "unset", "--help"])
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    let after = help
        .lines()
        .skip_while(|l| l.trim() != "<KEY>...")
        .nth(1)
        .unwrap_or("");
    assert!(!after.trim().is_empty(), "{help}");
}

/// Issue #17, item 9: `--help` promises no "instant failover": a leader that exits hands over
/// within milliseconds, one that dies only once its session expires.
#[test]
fn help_says_how_fast_failover_is() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zkdemo"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout).replace('\n', " ");
    let help = help.split_whitespace().collect::<Vec<_>>().join(" ");
    assert!(!help.contains("instant failover"), "{help}");
    assert!(help.contains("session timeout"), "{help}");
}
