//! Issue #14: the sequence limit. A lock directory's counter is set near and at 2^31 - 1
//! offline, with the server's own classes (restore the `DataTree` through `FileTxnSnapLog`,
//! `setCversionPzxid`, save), then a holder and two contenders meet there: never two inside.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use common::*;

const SET_CVERSION: &str = r#"
import java.io.File;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.zookeeper.server.DataTree;
import org.apache.zookeeper.server.persistence.FileTxnSnapLog;

/** SetCversion DATADIR PATH N: set PATH's child counter (cversion) to N in a stopped server's data. */
public class SetCversion {
    public static void main(String[] a) throws Exception {
        File dir = new File(a[0]);
        FileTxnSnapLog snap = new FileTxnSnapLog(dir, dir);
        DataTree dt = new DataTree();
        ConcurrentHashMap<Long, Integer> sessions = new ConcurrentHashMap<>();
        snap.restore(dt, sessions, (hdr, rec, digest) -> {});
        dt.setCversionPzxid(a[1], Integer.parseInt(a[2]), dt.lastProcessedZxid);
        snap.save(dt, sessions, true);
        snap.close();
    }
}
"#;

/// The compiled tool's directory and the classpath to run it with.
fn tool() -> (tempfile::TempDir, String) {
    let dist = Distribution::find().unwrap_or_else(|e| panic!("{e}"));
    let javac = dist.java.with_file_name("javac");
    let javac = if javac.exists() {
        javac
    } else {
        PathBuf::from("javac")
    };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("SetCversion.java"), SET_CVERSION).unwrap();
    let cp = dist.classpath_arg().to_string_lossy().into_owned();
    let out = Command::new(&javac)
        .args(["-cp", &cp, "-d"])
        .arg(dir.path())
        .arg(dir.path().join("SetCversion.java"))
        .output()
        .unwrap_or_else(|e| {
            panic!(
                "this test compiles a small Java tool against ZooKeeper's classes and needs \
                 javac ({e}): apt-get install default-jdk-headless"
            )
        });
    assert!(
        out.status.success(),
        "javac failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let run_cp = format!("{}:{cp}", dir.path().display());
    (dir, run_cp)
}

fn set_cversion(java: &Path, cp: &str, data: &Path, path: &str, n: i32) {
    let out = Command::new(java)
        .args(["-cp", cp, "SetCversion"])
        .arg(data)
        .args([path, &n.to_string()])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "SetCversion failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn lock(zk: &str, path: &str, script: &str) -> Command {
    let mut cmd = zkdemo();
    cmd.args(["--zk", zk, "lock", "-n", "--path", path, "--"])
        .args(["sh", "-c", script]);
    cmd
}

#[test]
fn at_the_sequence_limit_nobody_joins_the_holder_and_near_it_zkdemo_warns() {
    let (_tool, cp) = tool();
    let java = Distribution::find().unwrap().java;
    let mut zk = standalone(200);
    let connect = zk.connect_string();
    let data = zk.data_dir().join("node-1");
    let (near, at, flag) = ("/near", "/at", "/flag");
    {
        let cfg = session_config(&connect, Duration::from_secs(4));
        let s = zkdemo::session::Session::connect(&cfg, |_| {}).unwrap();
        for p in [near, at, flag] {
            s.create(p, Vec::new(), zkdemo::session::NodeKind::Persistent)
                .unwrap();
        }
        s.close();
    }
    zk.stop(0);
    set_cversion(&java, &cp, &data, near, i32::MAX - 100);
    set_cversion(&java, &cp, &data, at, i32::MAX);
    set_cversion(&java, &cp, &data, flag, i32::MAX);
    zk.start_node(0).expect("the server comes back");

    // Near the limit: it works, and says so.
    let (st, p) = run(lock(&connect, near, "true"), Duration::from_secs(20));
    assert_eq!(st.code(), Some(0), "{}", p.transcript());
    assert!(p.stderr().contains("of the limit"), "{}", p.stderr());
    // ...and, nobody else contending, resets the counter: the empty directory is deleted (the
    // next contender creates it again, from 0).
    let cfg = session_config(&connect, Duration::from_secs(4));
    let s = zkdemo::session::Session::connect(&cfg, |_| {}).unwrap();
    assert!(s.exists(near).unwrap().is_none(), "{near} was not reset");
    let (st, p) = run(lock(&connect, near, "true"), Duration::from_secs(20));
    assert_eq!(st.code(), Some(0), "{}", p.transcript());
    assert!(!p.stderr().contains("of the limit"), "{}", p.stderr());
    s.close();

    // At the limit: a holder, then two contenders; neither may run its command.
    let dir = tempfile::tempdir().unwrap();
    let ran = |i: usize| dir.path().join(format!("ran{i}"));
    let mut holder = Proc::spawn({
        let mut c = zkdemo();
        c.args(["--zk", &connect, "--json", "lock", "--path", at, "--"])
            .args(["sh", "-c", "sleep 4"]);
        c
    });
    assert!(
        holder
            .wait_event("acquired", Duration::from_secs(10))
            .is_some(),
        "{}",
        holder.transcript()
    );
    let mut codes = Vec::new();
    for i in 0..2 {
        let script = format!("touch {}", ran(i).display());
        let (st, p) = run(lock(&connect, at, &script), Duration::from_secs(20));
        println!(
            "MEASURE contender {i} at the limit: {:?}: {}",
            st.code(),
            p.stderr()
        );
        codes.push(st.code());
        assert!(!ran(i).exists(), "contender {i} ran while the holder held");
    }
    assert!(
        codes.iter().all(|c| matches!(c, Some(75) | Some(76))),
        "{codes:?}"
    );
    assert!(codes.contains(&Some(76)), "nobody saw the limit: {codes:?}");
    assert_eq!(
        holder
            .wait_exit(Duration::from_secs(10))
            .and_then(|s| s.code()),
        Some(0)
    );
    // The holder left the directory empty at the limit: it was reset.
    let s = zkdemo::session::Session::connect(&cfg, |_| {}).unwrap();
    assert!(s.exists(at).unwrap().is_none(), "{at} was not reset");
    s.close();
    // inspect flags a collision: two contenders planted at the limit.
    let cfg = session_config(&connect, Duration::from_secs(4));
    let planter = zkdemo::session::Session::connect(&cfg, |_| {}).unwrap();
    for p in ["a", "b"] {
        planter
            .create(
                &format!("{flag}/{}__lock__", p.repeat(32)),
                b"planted".to_vec(),
                zkdemo::session::NodeKind::EphemeralSequential,
            )
            .unwrap();
    }
    let out = zkdemo()
        .args(["--zk", &connect, "inspect", flag])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("sequence-limit") || text.contains("share or wrapped"),
        "{text}"
    );
    planter.close();
}
