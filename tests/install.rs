//! `cargo install --path .` into a temporary root, then the installed binary runs: its
//! version, its help, and a demo scenario (the demo re-runs its own executable, so this also
//! checks that an installed zkdemo finds itself).
//!
//! A debug install (`--debug`) to keep it fast; its own target directory (persistent, under
//! CARGO_TARGET_TMPDIR) so it never waits for the lock of the target `cargo test` holds, and
//! rebuilds only what changed on later runs.

mod common;

use std::process::Command;
use std::time::Duration;

use common::*;

#[test]
fn cargo_install_gives_a_working_zkdemo() {
    let root = tempfile::tempdir().expect("temp root");
    let target = std::path::Path::new(env!("CARGO_TARGET_TMPDIR")).join("install-target");
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".into());
    let out = Command::new(&cargo)
        .args(["install", "--debug", "--locked", "--quiet", "--path"])
        .arg(env!("CARGO_MANIFEST_DIR"))
        .arg("--root")
        .arg(root.path())
        .env("CARGO_TARGET_DIR", &target)
        .output()
        .expect("cargo runs");
    assert!(
        out.status.success(),
        "cargo install failed:\n{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let bin = root.path().join("bin").join("zkdemo");
    assert!(bin.is_file(), "{} was not installed", bin.display());

    let version = Command::new(&bin).arg("--version").output().unwrap();
    assert!(version.status.success());
    assert_eq!(
        String::from_utf8_lossy(&version.stdout).trim(),
        format!("zkdemo {}", env!("CARGO_PKG_VERSION"))
    );

    let help = Command::new(&bin).arg("--help").output().unwrap();
    assert!(help.status.success());
    let help = String::from_utf8_lossy(&help.stdout);
    for word in [
        "lock",
        "elect",
        "config",
        "inspect",
        "server",
        "demo",
        "Exit codes",
    ] {
        assert!(help.contains(word), "--help lacks {word}:\n{help}");
    }

    // The binary alone carries its man pages and completions (issue #18): the committed ones.
    let repo = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    for (args, file) in [
        (&["man", "lock"][..], "man/zkdemo-lock.1"),
        (&["completions", "bash"][..], "completions/zkdemo.bash"),
    ] {
        let out = Command::new(&bin).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            out.stdout == std::fs::read(repo.join(file)).unwrap(),
            "the installed zkdemo {args:?} differs from {file}"
        );
    }

    let mut demo = Command::new(&bin);
    demo.env_remove("ZKDEMO_ZK").args([
        "--json",
        "--zk",
        &shared().connect_string(),
        "demo",
        "--scenario",
        "config",
    ]);
    let (status, p) = run(demo, Duration::from_secs(60));
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    let summary = p
        .events()
        .into_iter()
        .find(|e| e["event"] == "summary")
        .expect("a summary");
    assert_eq!(summary["ok"], true, "{summary}");
}
