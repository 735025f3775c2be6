//! The layering holds, as `tests/docs.rs` holds the docs: data flows one way, `cli` → the
//! commands → the recipes → `session` → the `zookeeper` crate (README, "Architecture").
//!
//! - The session layer and the recipes (`contender`, `queue`, `watch`, and the `inbox` they
//!   share) never name the command line (`cli`, `clap`) or exit codes (`exit`): they return
//!   their own errors, and `exit.rs` alone turns errors into exit codes and advice.
//! - Only `session/` names the `zookeeper` crate: no crate type leaks out of it.
//! - Only `cli.rs` and the commands' own argument structs use clap; the commands get a
//!   `cli::Context`, never the parsed global options.
//! - No source file is over 400 lines.

use std::fs;
use std::path::{Path, PathBuf};

/// Every `.rs` file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let Ok(entries) = fs::read_dir(dir) else {
        return out;
    };
    for e in entries.flatten() {
        let p = e.path();
        if p.is_dir() {
            out.extend(sources(&p));
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
    out.sort();
    out
}

fn src() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The code of a file without its comments (a doc comment may well say "exit code 69").
fn code(p: &Path) -> String {
    let text = fs::read_to_string(p).unwrap_or_else(|e| panic!("{}: {e}", p.display()));
    text.lines()
        .map(|l| match l.find("//") {
            Some(i) => &l[..i],
            None => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// `(file, line, text)` of every line in `files` that names one of `words`.
fn naming(files: &[PathBuf], words: &[&str]) -> Vec<String> {
    let mut found = Vec::new();
    for f in files {
        for (i, line) in code(f).lines().enumerate() {
            if let Some(w) = words.iter().find(|w| line.contains(*w)) {
                found.push(format!(
                    "{}:{}: names `{w}`: {}",
                    f.strip_prefix(src()).unwrap_or(f).display(),
                    i + 1,
                    line.trim()
                ));
            }
        }
    }
    found
}

/// The session layer and the recipes, by path under `src/`.
fn lower_layers() -> Vec<PathBuf> {
    let mut files = Vec::new();
    for dir in ["session", "contender", "queue", "watch"] {
        files.extend(sources(&src().join(dir)));
    }
    for file in ["watch.rs", "inbox.rs"] {
        let p = src().join(file);
        if p.exists() {
            files.push(p);
        }
    }
    assert!(
        files.len() > 10,
        "the lower layers were not found: {files:?}"
    );
    files
}

#[test]
fn the_session_and_recipe_layers_never_name_the_command_line_or_exit_codes() {
    let found = naming(
        &lower_layers(),
        &[
            "crate::cli",
            "clap",
            "crate::exit",
            "exit::",
            "process::exit",
        ],
    );
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

#[test]
fn only_the_session_layer_names_the_zookeeper_crate() {
    let outside: Vec<PathBuf> = sources(&src())
        .into_iter()
        .filter(|p| !p.starts_with(src().join("session")))
        .collect();
    let found = naming(&outside, &["zookeeper::"]);
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

#[test]
fn commands_take_the_context_not_the_parsed_options() {
    let found = naming(&sources(&src()), &["GlobalArgs"])
        .into_iter()
        .filter(|l| !l.starts_with("cli.rs:") && !l.starts_with("main.rs:"))
        .collect::<Vec<_>>();
    assert!(found.is_empty(), "\n{}", found.join("\n"));
}

#[test]
fn no_source_file_is_over_400_lines() {
    let long: Vec<String> = sources(&src())
        .into_iter()
        .filter_map(|p| {
            let n = fs::read_to_string(&p).ok()?.lines().count();
            (n > 400).then(|| format!("{}: {n} lines", p.display()))
        })
        .collect();
    assert!(
        long.is_empty(),
        "split these into modules that say what they are:\n{}",
        long.join("\n")
    );
}
