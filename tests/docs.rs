//! The man pages in `man/` and the shell completions in `completions/` are generated from the
//! one CLI definition (`Cli::command()`), so they cannot drift from it: this test renders them
//! all in memory and fails when the committed files differ. To regenerate them:
//!
//!     ZKDEMO_REGENERATE=1 cargo test --test docs

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use clap::CommandFactory;
use zkdemo::cli::Cli;

const REGENERATE: &str = "ZKDEMO_REGENERATE=1 cargo test --test docs";

/// The built CLI: subcommands know their full names (`zkdemo lock`, display name `zkdemo-lock`).
fn cli() -> clap::Command {
    let mut cmd = Cli::command();
    cmd.build();
    cmd
}

/// Every file under `man/` and `completions/`, as the current CLI renders it (what `zkdemo man`
/// and `zkdemo completions` print).
fn render_all() -> BTreeMap<PathBuf, Vec<u8>> {
    zkdemo::manual::files()
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

/// Every exit code of `exit.rs` is in the list `--help` and zkdemo(1) print, and in README's
/// table (76 was in README and `lock --help` only).
#[test]
fn every_exit_code_is_documented() {
    use zkdemo::exit;
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let table = readme
        .split("## Exit codes")
        .nth(1)
        .and_then(|s| s.split("\n## ").next())
        .expect("README has an Exit codes section");
    let listed: Vec<&str> = zkdemo::cli::EXIT_CODES.iter().map(|(c, _)| *c).collect();
    for code in [
        exit::OK,
        exit::FAILURE,
        exit::USAGE,
        exit::NOT_FOUND,
        exit::DATA,
        exit::UNAVAILABLE,
        exit::CONFLICT,
        exit::SEQUENCE_LIMIT,
        exit::NO_PERMISSION,
        exit::LOST,
    ] {
        assert!(
            listed.contains(&code.to_string().as_str()),
            "{code} not in EXIT_CODES"
        );
        assert!(
            table.contains(&format!("\n| {code} |")),
            "{code} not in README's table"
        );
    }
    let top = String::from_utf8_lossy(&render_all()[Path::new("man/zkdemo.1")]).into_owned();
    let status = top
        .split(".SH \"EXIT STATUS\"")
        .nth(1)
        .expect("EXIT STATUS");
    assert!(status.contains("\n76\n"), "zkdemo.1's EXIT STATUS lacks 76");
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

/// `zkdemo CMD --help` in a terminal 80 columns wide: every line of an example block is a
/// comment or a command, so that the block can be pasted (elect's first comment wrapped, and
/// its `Ctrl-C and` line would have run).
#[test]
fn example_blocks_survive_an_80_column_terminal() {
    for sub in ["lock", "elect", "man", "completions"] {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zkdemo"))
            .args([sub, "--help"])
            .env("COLUMNS", "80")
            .output()
            .unwrap();
        let help = String::from_utf8_lossy(&out.stdout).into_owned();
        let block = help
            .lines()
            .skip_while(|l| !l.starts_with("Examples:"))
            .skip(1)
            .take_while(|l| l.is_empty() || l.starts_with("  "));
        let mut continued = false;
        for line in block.filter(|l| !l.trim().is_empty()) {
            let code = line.trim_start();
            let command = ["zkdemo ", "for ", "mkdir ", "done"]
                .iter()
                .any(|c| code.starts_with(c));
            assert!(
                continued || command || code.starts_with('#'),
                "zkdemo {sub} --help: {line:?} is neither a comment nor a command:\n{help}"
            );
            continued = code.ends_with('\\') || code.ends_with("; do");
        }
    }
}

/// `lock` and `elect` share their [COMMAND] argument; each says when the command runs in its
/// own words (lock's said "while holding the lock or leading"). --acl's short help does not
/// point at the --help it is part of.
#[test]
fn shared_arguments_speak_for_their_command() {
    let help = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zkdemo"))
            .args(args)
            .output()
            .unwrap();
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.split_whitespace().collect::<Vec<_>>().join(" ")
    };
    let lock = help(&["lock", "--help"]);
    assert!(lock.contains("while holding the lock"), "{lock}");
    assert!(!lock.contains("lead"), "{lock}");
    let elect = help(&["elect", "--help"]);
    assert!(elect.contains("while this node leads"), "{elect}");
    assert!(!elect.contains("holding the lock"), "{elect}");
    let long = help(&["--help"]);
    assert!(!long.contains("--help says"), "{long}");
    let short = help(&["-h"]);
    assert!(short.contains("see --help"), "{short}");
}

/// `zkdemo man`'s COMMAND takes exactly the pages there are (they are its possible values, for
/// completion), and every shell's completion offers them (bash offered nothing after
/// `zkdemo man con`; clap_complete writes no positional values for fish, elvish, PowerShell).
#[test]
fn man_offers_every_page_and_every_shell_completes_them() {
    let files = render_all();
    let mut pages: Vec<String> = files
        .keys()
        .filter_map(|p| p.strip_prefix("man").ok()?.to_str()?.strip_suffix(".1"))
        .filter_map(|n| n.strip_prefix("zkdemo-"))
        .map(str::to_owned)
        .collect();
    pages.sort();
    let mut offered: Vec<String> = zkdemo::manual::PAGES
        .iter()
        .map(|p| p.to_string())
        .collect();
    offered.sort();
    assert_eq!(offered, pages);
    for (path, data) in files.iter().filter(|(p, _)| p.starts_with("completions")) {
        let script = String::from_utf8_lossy(data);
        for page in &pages {
            assert!(
                script.contains(page.as_str()),
                "{path:?} does not offer {page}"
            );
        }
    }
    // The install loop of `zkdemo man --help` names them all.
    let man = cli().find_subcommand("man").unwrap().clone();
    let examples = man.get_after_help().unwrap().to_string();
    let words: Vec<&str> = examples
        .split(|c: char| c.is_whitespace() || c == ';')
        .collect();
    for page in &pages {
        assert!(
            words.contains(&page.as_str()),
            "the install loop misses {page}"
        );
    }
}

/// Every page's .TH line has its five fields: clap_mangen's empty date vanished from it, so
/// man read the source (`"lock "`) as the date.
#[test]
fn man_title_lines_have_every_field() {
    for (path, data) in render_all().iter().filter(|(p, _)| p.starts_with("man")) {
        let page = String::from_utf8_lossy(data);
        let th = page.lines().find(|l| l.starts_with(".TH ")).expect(".TH");
        let name = path.file_stem().unwrap().to_str().unwrap();
        let want = format!(
            ".TH {name} 1 \"\" \"zkdemo {}\" \"zkdemo manual\"",
            env!("CARGO_PKG_VERSION")
        );
        assert_eq!(th, want, "{path:?}");
    }
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

/// Issue #18, 2: a user who installed the binary alone prints the same pages and completions
/// as the committed files.
#[test]
fn the_binary_prints_the_committed_pages_and_completions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = |args: &[&str]| {
        let out = std::process::Command::new(env!("CARGO_BIN_EXE_zkdemo"))
            .args(args)
            .output()
            .expect("zkdemo runs");
        assert!(out.status.success(), "{args:?}: {out:?}");
        out.stdout
    };
    for (args, file) in [
        (&["man"][..], "man/zkdemo.1"),
        (&["man", "lock"][..], "man/zkdemo-lock.1"),
        (&["man", "config", "set"][..], "man/zkdemo-config-set.1"),
        (&["completions", "bash"][..], "completions/zkdemo.bash"),
        (&["completions", "zsh"][..], "completions/_zkdemo"),
        (&["completions", "fish"][..], "completions/zkdemo.fish"),
    ] {
        let committed = std::fs::read(root.join(file)).expect("committed");
        assert!(
            run(args) == committed,
            "zkdemo {args:?} differs from {file}"
        );
    }
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_zkdemo"))
        .args(["man", "nosuch"])
        .output()
        .expect("zkdemo runs");
    assert_eq!(out.status.code(), Some(2));
}
