//! Bad input, one test per class (issue #9): a bad path, a bad connect string, a bad duration,
//! an oversized value, an unknown key, non-UTF-8 node data, a malformed `--auth`. Each must end
//! with a one-line error and its documented exit code, and write nothing: the whole tree of the
//! server (every node's data, mzxid, cversion) is the same before and after.
//!
//! The tests of this file share one server and compare its whole tree, so they run one at a
//! time (a lock), not in parallel with each other.

mod common;

use std::process::Command;
use std::sync::Mutex;
use std::time::Duration;

use common::*;
use zkdemo::session::{NodeKind, Session};

static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Every node but /zookeeper: (path, data, mzxid, cversion), sorted.
fn tree(s: &Session) -> Vec<(String, Vec<u8>, i64, i32)> {
    let mut out = Vec::new();
    let mut todo = vec!["/".to_owned()];
    while let Some(p) = todo.pop() {
        if p == "/zookeeper" {
            continue;
        }
        let Ok((data, st)) = s.get_data(&p) else {
            continue; // deleted meanwhile by nobody: the comparison will say
        };
        for c in s.get_children(&p).unwrap_or_default() {
            todo.push(if p == "/" {
                format!("/{c}")
            } else {
                format!("{p}/{c}")
            });
        }
        out.push((p, data, st.mzxid, st.cversion));
    }
    out.sort();
    out
}

/// Run zkdemo against the shared server with `args`; expect `code`, a one-line error on
/// stderr, and the tree unchanged. Returns the error line.
fn refused(s: &Session, args: &[&str], code: i32) -> String {
    let before = tree(s);
    let mut cmd = zkdemo();
    cmd.env("ZKDEMO_ZK", shared().connect_string()).args(args);
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(status.code(), Some(code), "{args:?}\n{}", p.transcript());
    let err = p.stderr();
    // clap follows its error with a blank line and a hint to try --help: not part of it.
    let lines: Vec<&str> = err
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with("For more information, try"))
        .collect();
    assert_eq!(lines.len(), 1, "{args:?}: not a one-line error:\n{err}");
    assert!(
        lines[0].starts_with("error:") || lines[0].starts_with("zkdemo:"),
        "{err}"
    );
    assert_eq!(tree(s), before, "{args:?} changed the tree");
    lines[0].to_owned()
}

fn marker() -> (tempfile::TempDir, String) {
    let d = tempfile::tempdir().unwrap();
    let m = d.path().join("ran").display().to_string();
    (d, m)
}

#[test]
fn bad_paths_are_refused_with_code_2() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let (_d, ran) = marker();
    for bad in [
        "relative/p",
        "/trailing/",
        "/a//b",
        "/a/../b",
        "/a\u{1}b",
        "/.",
    ] {
        refused(&s, &["lock", "--path", bad, "--", "touch", &ran], 2);
        refused(&s, &["elect", "--path", bad, "--", "touch", &ran], 2);
        refused(&s, &["config", "--path", bad, "set", "k=v"], 2);
        refused(&s, &["inspect", bad], 2);
    }
    refused(&s, &["config", "--name", "a/b", "set", "k=v"], 2);
    assert!(!std::path::Path::new(&ran).exists(), "a command ran");
}

#[test]
fn bad_connect_strings_are_refused_with_code_2() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let good = shared().connect_string();
    for bad in [
        "127.0.0.1:0".to_owned(),
        "127.0.0.1:70000".to_owned(),
        format!("{good},,"),
        format!("{good}/app/"),
        format!("{good}//x"),
        "a b:2181".to_owned(),
        "::1:2181".to_owned(),
        String::new(),
    ] {
        let line = refused(&s, &["--zk", &bad, "config", "set", "k=v"], 2);
        assert!(line.contains("--zk"), "{line}");
    }
}

#[test]
fn bad_durations_are_refused_with_code_2() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let (_d, ran) = marker();
    for bad in ["ten", "5", "-1s", "1.5.s", ""] {
        let opt = |o: &str| format!("{o}={bad}");
        let touch = ["--", "touch", ran.as_str()];
        let st = opt("--session-timeout");
        refused(&s, &[&[st.as_str(), "lock"][..], &touch].concat(), 2);
        let ct = opt("--connect-timeout");
        refused(&s, &[&[ct.as_str(), "lock"][..], &touch].concat(), 2);
        let w = opt("--wait");
        refused(&s, &[&["lock", w.as_str()][..], &touch].concat(), 2);
        refused(&s, &["lock", &opt("--hold")], 2);
        refused(&s, &["elect", &opt("--lead")], 2);
    }
    // Zero, where it has no meaning (issue #17: where it does, `lock`'s tests show it accepted),
    // is refused with the reason.
    let touch = ["--", "touch", ran.as_str()];
    for args in [
        &[&["--session-timeout=0s", "lock"][..], &touch].concat(),
        &[&["--connect-timeout=0s", "lock"][..], &touch].concat(),
        &["elect", "--lead=0s"][..].to_vec(),
        &["server", "--tick-time=0s", "--port", "0"][..].to_vec(),
    ] {
        let line = refused(&s, args, 2);
        assert!(
            line.contains("must be longer than zero: "),
            "{args:?}: {line}"
        );
    }
    assert!(!std::path::Path::new(&ran).exists(), "a command ran");
}

#[test]
fn an_oversized_value_is_refused_with_code_65_and_nothing_written() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let path = unique_path("big");
    // 960 kB already there: a 60 kB value more passes the 1,000,000-byte limit. (One argument
    // cannot hold a whole megabyte: the kernel caps it at 128 kB.)
    let doc = format!("a={}\n", "x".repeat(960_000));
    s.create(&path, doc.into_bytes(), NodeKind::Persistent)
        .unwrap();
    let big = format!("b={}", "y".repeat(60_000));
    let line = refused(&s, &["config", "--path", &path, "set", &big], 65);
    assert!(line.contains("nothing was written"), "{line}");
    // A new node with a value of 120 kB in each of nine keys: refused before any write.
    let fresh = unique_path("big-new");
    let v = "z".repeat(120_000);
    let pairs: Vec<String> = (0..9).map(|i| format!("k{i}={v}")).collect();
    let mut args = vec!["config", "--path", &fresh, "set"];
    args.extend(pairs.iter().map(String::as_str));
    refused(&s, &args, 65);
    assert!(s.exists(&fresh).unwrap().is_none());
}

#[test]
fn an_unknown_key_or_node_is_code_3() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let path = unique_path("keys");
    s.create(&path, b"color=blue\n".to_vec(), NodeKind::Persistent)
        .unwrap();
    let line = refused(&s, &["config", "--path", &path, "get", "size"], 3);
    assert!(line.contains("size"), "{line}");
    refused(&s, &["config", "--path", &unique_path("none"), "get"], 3);
    refused(
        &s,
        &["config", "--path", &unique_path("none"), "unset", "k"],
        3,
    );
    // Keys that cannot be keys: usage, nothing sent.
    refused(&s, &["config", "--path", &path, "set", "=v"], 2);
    refused(&s, &["config", "--path", &path, "set", "novalue"], 2);
    refused(&s, &["config", "--path", &path, "set", "k=a\nb"], 2);
    refused(&s, &["config", "--path", &path, "get", "a=b"], 2);
}

#[test]
fn non_utf8_node_data_is_code_65_and_left_alone() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let path = unique_path("binary");
    let data = b"\xff\xfe=\x00\x80k=v\n".to_vec();
    s.create(&path, data.clone(), NodeKind::Persistent).unwrap();
    refused(&s, &["config", "--path", &path, "get", "k"], 65);
    refused(&s, &["config", "--path", &path, "set", "k=w"], 65);
    refused(&s, &["config", "--path", &path, "unset", "k"], 65);
    assert_eq!(s.get_data(&path).unwrap().0, data);
    // Reading the whole node works and shows the bytes escaped, on one line.
    let mut cmd = zkdemo();
    cmd.args([
        "--zk",
        &shared().connect_string(),
        "config",
        "--path",
        &path,
    ])
    .arg("get");
    let (status, p) = run(cmd, Duration::from_secs(10));
    assert!(status.success(), "{}", p.transcript());
    let out: Vec<String> = p.lines().into_iter().map(|l| l.text).collect();
    assert_eq!(out.len(), 1, "{out:?}");
    assert!(out[0].contains("\\xff\\xfe"), "{out:?}");
    // A lock node holding non-UTF-8 data (another client's) does not trouble inspect or lock.
    let lock = unique_path("binlock");
    s.ensure_path(&lock).unwrap();
    s.create(
        &format!("{lock}/0123456789abcdef0123456789abcdef__lock__"),
        b"\xff\xff".to_vec(),
        NodeKind::EphemeralSequential,
    )
    .unwrap();
    let mut cmd = zkdemo();
    cmd.args(["--zk", &shared().connect_string(), "inspect", &lock]);
    let (status, p) = run(cmd, Duration::from_secs(10));
    assert!(status.success(), "{}", p.transcript());
    let mut cmd = zkdemo();
    cmd.args([
        "--zk",
        &shared().connect_string(),
        "lock",
        "--path",
        &lock,
        "-n",
        "--",
        "true",
    ]);
    let (status, p) = run(cmd, Duration::from_secs(10));
    assert_eq!(status.code(), Some(75), "{}", p.transcript());
}

#[test]
fn a_malformed_auth_is_code_2_and_never_echoed() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    for bad in ["Sup3rSecretPw", ":Sup3rSecretPw", "Sup3rSecretPw:", ""] {
        let line = refused(&s, &["--auth", bad, "config", "set", "k=v"], 2);
        assert!(line.contains("--auth"), "{line}");
        assert!(!line.contains("Sup3rSecretPw"), "echoed: {line}");
        if bad.is_empty() {
            continue; // an empty variable is no credentials at all (clap treats it as unset)
        }
        // The same from the environment.
        let before = tree(&s);
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_zkdemo"));
        cmd.env("ZKDEMO_ZK", shared().connect_string())
            .env("ZKDEMO_AUTH", bad)
            .args(["config", "set", "k=v"]);
        let (status, p) = run(cmd, Duration::from_secs(10));
        assert_eq!(status.code(), Some(2), "{}", p.transcript());
        assert!(!p.stderr().contains("Sup3rSecretPw"), "{}", p.stderr());
        assert_eq!(tree(&s), before);
    }
}

/// Issue #14: durations past what the clock can hold, `--count 0`, a path ZooKeeper would
/// refuse (outside the BMP) and the root as a lock: exit 2, nothing sent, never a panic.
#[test]
fn out_of_range_durations_counts_and_paths_are_refused_with_code_2() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let huge = "18446744073709551615s";
    let cases: Vec<Vec<&str>> = vec![
        vec!["lock", "--kill-grace", huge, "--", "true"],
        vec!["--connect-timeout", huge, "lock", "-n", "--", "true"],
        vec!["lock", "-w", huge, "--", "true"],
        vec!["lock", "--id", "1", "--hold", "3651days"],
        vec!["elect", "--lead", huge],
        vec!["lock", "--id", "1", "--count", "0"],
        vec!["elect", "--count", "0"],
        vec!["lock", "-n", "--path", "/ünïcødé/🔒", "--", "true"],
        vec!["lock", "-n", "--path", "/", "--", "true"],
        vec!["elect", "--path", "/"],
        // The server's own subtree (a lock there left /zookeeper/x behind).
        vec!["lock", "-n", "--path", "/zookeeper/x", "--", "true"],
        vec!["elect", "--path", "/zookeeper"],
        vec!["config", "--path", "/zookeeper/cfg", "set", "a=1"],
    ];
    for args in cases {
        let line = refused(&s, &args, 2);
        assert!(!line.contains("panicked"), "{args:?}: {line}");
    }
    // Said the same way for every count (--count said `0 is not in 1..18446744073709551615`).
    for args in [
        &["lock", "--id", "1", "--count", "0"][..],
        &["elect", "--count", "0"][..],
        &["lock", "--max-leases", "0", "--", "true"][..],
    ] {
        let line = refused(&s, args, 2);
        assert!(line.ends_with(": must be at least 1"), "{args:?}: {line}");
    }
}

/// Issue #14: an ancestor the user may not write (`/team`: admin may do anything, the world
/// only read). zkdemo creates only what is missing, so it works under `/team/app` as kazoo
/// does; where it must create under `/team`, the error names that node (exit 77).
#[test]
fn an_ancestor_we_may_not_write_is_looked_at_not_recreated() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let mut cfg = session_config(&shared().connect_string(), Duration::from_secs(4));
    cfg.auth = Some(zkdemo::session::Auth::parse("admin:secret").expect("an auth"));
    let admin = Session::connect(&cfg, |_| {}).unwrap();
    let team = unique_path("team");
    // The default ACL with credentials: all rights for admin, read for the world.
    admin
        .create(&team, Vec::new(), NodeKind::Persistent)
        .unwrap();
    let app = format!("{team}/app");
    let mut open = cfg.clone();
    open.acl = zkdemo::session::AclMode::Open;
    Session::connect(&open, |_| {})
        .unwrap()
        .create(&app, Vec::new(), NodeKind::Persistent)
        .unwrap();
    let zk = shared().connect_string();
    let lock = format!("{app}/lock");
    let mut cmd = zkdemo();
    cmd.args(["--zk", &zk, "lock", "-n", "--path", &lock, "--", "true"]);
    let (st, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(st.code(), Some(0), "{}", p.transcript());
    let cfg_path = format!("{app}/cfg/x");
    let mut cmd = zkdemo();
    cmd.args(["--zk", &zk, "config", "--path", &cfg_path, "set", "a=1"]);
    let (st, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(st.code(), Some(0), "{}", p.transcript());
    // Under /team itself we may not create: the error names the node.
    let denied = format!("{team}/other/lock");
    let mut cmd = zkdemo();
    cmd.args(["--zk", &zk, "lock", "-n", "--path", &denied, "--", "true"]);
    let (st, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(st.code(), Some(77), "{}", p.transcript());
    assert!(
        p.stderr().contains(&format!("{team}/other")),
        "{}",
        p.stderr()
    );
}

/// clap's usage line after an error names the options given; with ZKDEMO_ZK and ZKDEMO_AUTH
/// set it named --zk and --auth too (`Usage: zkdemo timeline --output <FILE.svg> --zk
/// <CONNECT> <EVENTS>...`), as if they were required. The line shows what was typed.
#[test]
fn usage_lines_do_not_show_options_taken_from_the_environment() {
    for args in [
        &["timeline"][..],
        &["lock", "-n", "-w", "5s"][..],
        &["config", "unset"][..],
    ] {
        let mut cmd = zkdemo();
        cmd.env("ZKDEMO_ZK", "127.0.0.1:1")
            .env("ZKDEMO_AUTH", "user:Sup3rSecretPw")
            .args(args);
        let (status, p) = run(cmd, Duration::from_secs(10));
        assert_eq!(status.code(), Some(2), "{args:?}\n{}", p.transcript());
        let err = p.stderr();
        let usage = err
            .lines()
            .find(|l| l.starts_with("Usage: zkdemo "))
            .unwrap_or_else(|| panic!("{args:?}: no usage line in\n{err}"));
        assert!(
            !usage.contains("--zk") && !usage.contains("--auth"),
            "{args:?}: {usage}"
        );
        assert!(!err.contains("Sup3rSecretPw"), "{err}");
    }
    // What was typed is still shown.
    let mut cmd = zkdemo();
    cmd.env("ZKDEMO_ZK", "127.0.0.1:1")
        .args(["config", "unset", "--zk", "127.0.0.1:2"]);
    let (status, p) = run(cmd, Duration::from_secs(10));
    assert_eq!(status.code(), Some(2), "{}", p.transcript());
    assert!(
        p.stderr()
            .contains("Usage: zkdemo config unset --zk <CONNECT> <KEY>..."),
        "{}",
        p.stderr()
    );
}

/// An empty --id printed `worker  holds the lock`, and one holding a newline split a status
/// line in two (the id is stored as the node's data and shown in one-line status): both are
/// refused by the command line, exit 2, the value escaped in the one-line error, nothing
/// written.
#[test]
fn an_empty_id_or_one_with_control_characters_is_refused_with_code_2() {
    let _one = ONE_AT_A_TIME.lock().unwrap_or_else(|e| e.into_inner());
    let s = shared_session();
    let lock = unique_path("id-lock");
    let election = unique_path("id-election");
    for id in ["", "a\nb", "tab\there", "esc\u{1b}[31m"] {
        for args in [
            vec!["lock", "--path", &lock, "--id", id, "-n", "--", "true"],
            vec!["lock", "--path", &lock, "--id", id, "--count", "1"],
            vec!["elect", "--path", &election, "--id", id, "--count", "1"],
        ] {
            let line = refused(&s, &args, 2);
            assert!(line.contains("'--id <ID>'"), "{args:?}: {line}");
            assert!(!line.contains('\u{1b}') && !line.contains('\t'), "{line:?}");
        }
    }
    assert!(s.exists(&lock).unwrap().is_none() && s.exists(&election).unwrap().is_none());
    // Spaces and any other text are ids as before.
    let mut cmd = zkdemo();
    cmd.env("ZKDEMO_ZK", shared().connect_string()).args([
        "lock",
        "--path",
        &lock,
        "--id",
        "worker ünï 1",
        "-n",
        "--",
        "true",
    ]);
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
}
