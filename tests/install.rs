//! The crate as crates.io would get it, installed and run: `cargo package` (what `cargo publish
//! --dry-run` packs, and the check that it packs at all), its `.crate` unpacked, `cargo install
//! --locked` from that, then the installed binary runs: its version, its help, its man pages
//! and completions, and a demo scenario (the demo re-runs its own executable, so this also
//! checks that an installed zkdemo finds itself).
//!
//! Building the unpacked package is what `cargo publish --dry-run` verifies, so the package is
//! made with `--no-verify` and not built twice. A debug install (`--debug`) to keep it fast;
//! its own target directory (persistent, under CARGO_TARGET_TMPDIR) so it never waits for the
//! lock of the target `cargo test` holds, and rebuilds only what changed on later runs.
//!
//! Every cargo step runs `--offline` first (the registry cache holds all it needs once `cargo
//! test` has built the tests), then, only if that fails, online.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::time::Duration;

use common::*;

/// The package's files the installed binary and a packager need; and what stays out.
const PACKED: [&str; 8] = [
    "Cargo.toml",
    "Cargo.lock",
    "LICENSE",
    "README.md",
    "src/main.rs",
    "src/lib.rs",
    "man/zkdemo-lock.1",
    "completions/zkdemo.bash",
];
const LEFT_OUT: [&str; 4] = ["tests", "BENCHMARKS.md", ".ci", "target"];

#[test]
fn cargo_install_from_the_package_gives_a_working_zkdemo() {
    let repo = Path::new(env!("CARGO_MANIFEST_DIR"));
    let work = Path::new(env!("CARGO_TARGET_TMPDIR"));
    let target = work.join("install-target");
    let name = format!("zkdemo-{}", env!("CARGO_PKG_VERSION"));

    // `--allow-dirty`: a developer runs this with uncommitted changes; `--locked`: the lock
    // file that ships is the repository's, unchanged.
    let out = cargo(&target, |c| {
        c.args([
            "package",
            "--no-verify",
            "--allow-dirty",
            "--locked",
            "--manifest-path",
        ])
        .arg(repo.join("Cargo.toml"));
    });
    let warnings = String::from_utf8_lossy(&out.stderr);
    assert!(
        !warnings.contains("manifest has no"),
        "the package lacks metadata crates.io wants:\n{warnings}"
    );
    let krate = target.join("package").join(format!("{name}.crate"));
    let size = std::fs::metadata(&krate).expect("the .crate").len();
    assert!(size < 1 << 20, "{} is {size} bytes", krate.display());

    let unpacked = unpack(&krate, &work.join("install-src"), &name);
    for f in PACKED {
        assert!(unpacked.join(f).is_file(), "the package lacks {f}");
    }
    for f in LEFT_OUT {
        assert!(!unpacked.join(f).exists(), "the package carries {f}");
    }

    let root = tempfile::tempdir().expect("temp root");
    cargo(&target, |c| {
        c.args(["install", "--debug", "--locked", "--quiet", "--path"])
            .arg(&unpacked)
            .arg("--root")
            .arg(root.path());
    });
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

    // The binary alone carries its man pages and completions (issue #18): the ones the package
    // ships, which are the committed ones.
    for (args, file) in [
        (&["man", "lock"][..], "man/zkdemo-lock.1"),
        (&["completions", "bash"][..], "completions/zkdemo.bash"),
    ] {
        let shipped = std::fs::read(unpacked.join(file)).unwrap();
        assert!(
            shipped == std::fs::read(repo.join(file)).unwrap(),
            "the package's {file} differs from the repository's"
        );
        let out = Command::new(&bin).args(args).output().unwrap();
        assert!(out.status.success(), "{args:?}: {out:?}");
        assert!(
            out.stdout == shipped,
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

/// Run cargo (as `args` sets it up) with `target` as its target directory: `--offline` first,
/// then online; panics with what cargo said when both fail.
fn cargo(target: &Path, args: impl Fn(&mut Command)) -> Output {
    let attempt = |offline: bool| {
        let mut cmd = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
        args(&mut cmd);
        if offline {
            cmd.arg("--offline");
        }
        cmd.env("CARGO_TARGET_DIR", target)
            .output()
            .expect("cargo runs")
    };
    let offline = attempt(true);
    if offline.status.success() {
        return offline;
    }
    let online = attempt(false);
    assert!(
        online.status.success(),
        "cargo failed offline:\n{}\nand online:\n{}",
        String::from_utf8_lossy(&offline.stderr),
        String::from_utf8_lossy(&online.stderr)
    );
    online
}

/// Unpack `krate` (a .tar.gz: `tar` reads it on Linux and macOS alike) into `dir/name`,
/// writing only the files whose bytes changed. Every file in a .crate carries one fixed old
/// mtime: unpacked as is, an edited file would look older than the last build and not be
/// rebuilt; unpacked afresh with new times, the crate would be rebuilt on every run.
fn unpack(krate: &Path, dir: &Path, name: &str) -> PathBuf {
    let staging = dir.join("staging");
    let _ = std::fs::remove_dir_all(&staging);
    std::fs::create_dir_all(&staging).unwrap();
    let st = Command::new("tar")
        .arg("-xzf")
        .arg(krate)
        .arg("-C")
        .arg(&staging)
        .status()
        .expect("tar runs");
    assert!(st.success(), "tar -xzf {} failed", krate.display());
    let dest = dir.join(name);
    sync(&staging.join(name), &dest);
    std::fs::remove_dir_all(&staging).unwrap();
    dest
}

/// Make `to` hold the files of `from`: remove what `from` lacks, write what differs.
fn sync(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(to).unwrap().flatten() {
        let (here, there) = (e.path(), from.join(e.file_name()));
        if there.is_dir() != here.is_dir() || !there.exists() {
            if here.is_dir() {
                std::fs::remove_dir_all(&here).unwrap();
            } else {
                std::fs::remove_file(&here).unwrap();
            }
        }
    }
    for e in std::fs::read_dir(from).unwrap().flatten() {
        let (src, dst) = (e.path(), to.join(e.file_name()));
        if src.is_dir() {
            sync(&src, &dst);
        } else {
            let bytes = std::fs::read(&src).unwrap();
            if std::fs::read(&dst).ok().as_ref() != Some(&bytes) {
                std::fs::write(&dst, bytes).unwrap();
            }
        }
    }
}
