//! A real Apache Curator contender for interoperability tests: `tests/peers/CuratorPeer.java`,
//! compiled with `javac` against Debian's Curator 5 jars, run as a child [`Proc`].
//!
//! `curator_peer(zk, recipe, path, id, extra)` runs
//! `CuratorPeer ZK RECIPE PATH ID [--rounds N] [--hold-ms H] [--pause-ms P] [--session-ms S]`
//! (recipes `mutex`, `read`, `write`, `latch`, `selector`; see the Java file). It prints the
//! lines the kazoo worker of tests/lock.rs prints (`ready`, `acquired`/`released` with `ts`,
//! `id`, `seq`), plus `node`; `leader`/`stepped-down` for latch and selector; `closed` after
//! SIGTERM. H defaults to "until killed", N to 1.

use std::hash::{Hash, Hasher};
use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::OnceLock;

use super::{Distribution, Proc};

const SOURCE: &str = include_str!("../peers/CuratorPeer.java");

/// Where Debian puts the jars.
const SHARE: &str = "/usr/share/java";

/// The classpath the peer needs, found by trial (with the manifests' `Class-Path` stripped):
/// neither netty, jackson nor metrics is used by a client; guava 31 from Debian carries
/// `failureaccess` inside; slf4j-nop keeps logging quiet.
const JARS: [&str; 8] = [
    "curator-recipes.jar",
    "curator-framework.jar",
    "curator-client.jar",
    "zookeeper.jar",
    "zookeeper-jute.jar",
    "guava.jar",
    "slf4j-api.jar",
    "slf4j-nop.jar",
];

/// A Curator peer on `zk` running `recipe` on `path` as `id`; `extra` are the options
/// (`--rounds`, `--hold-ms`, `--pause-ms`, `--session-ms`).
pub fn curator_peer(zk: &str, recipe: &str, path: &str, id: &str, extra: &[&str]) -> Proc {
    let (java, cp) = compiled();
    let mut cmd = Command::new(java);
    // A small, quick-starting JVM: tests run several at once on a shared 2-core machine.
    cmd.args([
        "-Xmx64m",
        "-XX:+UseSerialGC",
        "-XX:TieredStopAtLevel=1",
        "-Xshare:auto",
        "-cp",
        cp,
        "CuratorPeer",
        zk,
        recipe,
        path,
        id,
    ])
    .args(extra);
    Proc::spawn(cmd)
}

/// The jars, or a panic naming the missing ones and the package that brings them all.
pub fn curator_classpath() -> Vec<PathBuf> {
    let jars: Vec<PathBuf> = JARS.iter().map(|j| Path::new(SHARE).join(j)).collect();
    let missing: Vec<String> = jars
        .iter()
        .filter(|j| !j.exists())
        .map(|j| j.display().to_string())
        .collect();
    if !missing.is_empty() {
        panic!(
            "the Curator peer (tests/peers/CuratorPeer.java) needs Debian's Curator 5 jars; \
             missing: {}. Install them with: apt-get install libcurator-recipes-java \
             (it brings curator-framework, curator-client, zookeeper, guava and slf4j)",
            missing.join(", ")
        );
    }
    jars
}

/// `java` and the run classpath (the classes first), compiling the peer on first use.
///
/// The classes go to `CARGO_TARGET_TMPDIR/curator-peer/<hash of source and classpath>`:
/// compiled into a fresh temporary directory beside it, then renamed into place, so test
/// binaries running at once never see half-written classes; a directory already there (same
/// source) is used as it is.
fn compiled() -> &'static (PathBuf, String) {
    static COMPILED: OnceLock<(PathBuf, String)> = OnceLock::new();
    COMPILED.get_or_init(|| {
        let dist = Distribution::find()
            .unwrap_or_else(|e| panic!("the Curator peer runs on the JVM.\n{e}"));
        let jars = curator_classpath();
        let cp = std::env::join_paths(&jars)
            .expect("jar paths without ':'")
            .into_string()
            .expect("UTF-8 jar paths");
        let mut h = std::collections::hash_map::DefaultHasher::new();
        (SOURCE, &cp).hash(&mut h);
        let base = Path::new(env!("CARGO_TARGET_TMPDIR")).join("curator-peer");
        let dir = base.join(format!("{:016x}", h.finish()));
        if !dir.join("CuratorPeer.class").exists() {
            std::fs::create_dir_all(&base).unwrap();
            let tmp = tempfile::tempdir_in(&base).unwrap();
            let src = tmp.path().join("CuratorPeer.java");
            std::fs::write(&src, SOURCE).unwrap();
            let javac = dist.java.with_file_name("javac");
            let javac = if javac.exists() {
                javac
            } else {
                PathBuf::from("javac")
            };
            let out = Command::new(&javac)
                .args(["-cp", &cp, "-d"])
                .arg(tmp.path())
                .arg(&src)
                .output()
                .unwrap_or_else(|e| {
                    panic!(
                        "the Curator peer is compiled with javac ({}: {e}): \
                         apt-get install default-jdk-headless",
                        javac.display()
                    )
                });
            assert!(
                out.status.success(),
                "javac CuratorPeer.java failed:\n{}",
                String::from_utf8_lossy(&out.stderr)
            );
            // Another test binary may have won the race: its classes are the same.
            let tmp = tmp.keep();
            if std::fs::rename(&tmp, &dir).is_err() {
                let _ = std::fs::remove_dir_all(&tmp);
                assert!(
                    dir.join("CuratorPeer.class").exists(),
                    "cannot move the compiled peer to {}",
                    dir.display()
                );
            }
        }
        let run_cp = format!("{}:{cp}", dir.display());
        (dist.java, run_cp)
    })
}
