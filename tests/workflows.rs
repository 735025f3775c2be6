//! The original scripts' workflows as a user runs them (issue #17): what the lines say, and
//! where they go.

mod common;

use std::time::Duration;

use common::*;

/// Issue #17, 3: `zkdemo lock -- ./report.sh > out.csv` must leave stdout to the command, as
/// `flock` and `etcdctl lock` do: zkdemo's own lines go to stderr and do not call the command
/// a worker. (Before: "worker vm-6853 holds the lock …" landed in the CSV.)
#[test]
fn command_mode_leaves_stdout_to_the_command() {
    let zk = shared().connect_string();
    let path = unique_path("stdout");
    for (what, args) in [
        ("lock", vec!["lock", "--path", path.as_str()]),
        ("elect", vec!["elect", "--path", path.as_str()]),
    ] {
        let mut cmd = zkdemo();
        cmd.args(["--zk", &zk])
            .args(&args)
            .args(["--", "sh", "-c", "echo a,b; echo 1,2"]);
        let (st, p) = run(cmd, Duration::from_secs(20));
        assert_eq!(st.code(), Some(0), "{what}: {}", p.transcript());
        let out: Vec<String> = p.lines().into_iter().map(|l| l.text).collect();
        assert_eq!(
            out,
            ["a,b", "1,2"],
            "{what}: stdout is the command's alone\n{}",
            p.transcript()
        );
        let err = p.stderr();
        assert!(!err.contains("worker"), "{what}: {err}");
        if what == "lock" {
            assert!(
                err.contains(&format!("holding the lock {path} (fencing token")),
                "{err}"
            );
        }
    }
}

/// Issue #17, 5: one meaning of position everywhere (1 = the holder, as `inspect`'s POS), and
/// the contender ahead named by its id; `lock -n` says who holds.
#[test]
fn the_waiting_line_agrees_with_inspect_and_names_who_is_ahead() {
    let zk = shared().connect_string();
    let path = unique_path("position");
    let worker = |id: &str| {
        let mut cmd = zkdemo();
        cmd.args([
            "--zk", &zk, "lock", "--path", &path, "--id", id, "--hold", "30s", "--count", "1",
        ]);
        Proc::spawn(cmd)
    };
    let holder = worker("h");
    holder
        .wait_text("worker h holds the lock", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", holder.transcript()));
    let first = worker("a");
    let waits = first
        .wait_text("worker a waits for the lock ", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", first.transcript()));
    assert_eq!(waits, "(position 2, behind worker h)");
    let second = worker("b");
    let waits = second
        .wait_text("worker b waits for the lock ", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", second.transcript()));
    assert_eq!(waits, "(position 3, behind worker a)");

    // inspect puts b at POS 3 too.
    let mut cmd = zkdemo();
    cmd.args(["--zk", &zk, "--json", "inspect", &path]);
    let (st, p) = run(cmd, Duration::from_secs(10));
    assert_eq!(st.code(), Some(0), "{}", p.transcript());
    let ev = p.events().pop().expect("an inspect event");
    let rows = ev["paths"][0]["contenders"]
        .as_array()
        .cloned()
        .unwrap_or_else(|| panic!("{ev}"));
    let b = rows
        .iter()
        .find(|r| r["id"] == "b")
        .unwrap_or_else(|| panic!("{ev}"));
    assert_eq!(b["pos"], 3, "{ev}");

    // -n says who holds.
    let mut cmd = zkdemo();
    cmd.args(["--zk", &zk, "lock", "-n", "--path", &path, "--", "true"]);
    let (st, p) = run(cmd, Duration::from_secs(10));
    assert_eq!(st.code(), Some(75), "{}", p.transcript());
    assert!(
        p.stderr()
            .contains("not acquired: the lock is held by worker h"),
        "{}",
        p.transcript()
    );
    for w in [&holder, &first, &second] {
        w.signal(libc::SIGTERM);
    }
}

/// Issue #17, 4: after node 1 stops and node 2 leads, node 3 says it follows node 2 (before,
/// it said "follows node 1" until it led itself: it watched only node 2, the one ahead).
#[test]
fn followers_say_whom_they_follow_after_every_change() {
    let zk = shared().connect_string();
    let path = unique_path("followers");
    let node = |id: &str| {
        let mut cmd = zkdemo();
        cmd.args(["--zk", &zk, "elect", "--path", &path, "--id", id]);
        Proc::spawn(cmd)
    };
    let one = node("1");
    one.wait_text("node 1 is the leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", one.transcript()));
    let two = node("2");
    two.wait_text("node 2 follows node 1", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", two.transcript()));
    let three = node("3");
    three
        .wait_text("node 3 follows node 1", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", three.transcript()));
    one.signal(libc::SIGTERM);
    two.wait_text("node 2 is the leader", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", two.transcript()));
    three
        .wait_text("node 3 follows node 2", Duration::from_secs(5))
        .unwrap_or_else(|| panic!("node 3 still follows node 1:\n{}", three.transcript()));
    for p in [&two, &three] {
        p.signal(libc::SIGTERM);
    }
}

/// Issue #17, 9: `-h` keeps a command's own options apart from the global ones, and the long
/// `--acl` text for `--help`; bash completion offers no file names for `server --nodes`.
#[test]
fn help_groups_global_options_and_keeps_long_texts_for_long_help() {
    for sub in [
        "lock", "elect", "config", "inspect", "server", "demo", "bench",
    ] {
        let out = zkdemo().args([sub, "-h"]).output().expect("zkdemo runs");
        let text = String::from_utf8_lossy(&out.stdout).into_owned();
        let (own, global) = text
            .split_once("Global options:")
            .unwrap_or_else(|| panic!("{sub} -h has no 'Global options:' heading:\n{text}"));
        // The lines that define an option: "  -z, --zk <CONNECT>  …", "      --json  …".
        let defines = |part: &str, flag: &str| {
            part.lines().any(|l| {
                let l = l.trim_start();
                let l = l.split_once(", ").map_or(l, |(short, rest)| {
                    if short.len() == 2 && short.starts_with('-') {
                        rest
                    } else {
                        l
                    }
                });
                l.split_whitespace().next() == Some(flag)
            })
        };
        for flag in ["--zk", "--session-timeout", "--auth", "--acl", "--json"] {
            assert!(
                !defines(own, flag),
                "{sub} -h: {flag} among its own options:\n{text}"
            );
            assert!(defines(global, flag), "{sub} -h: {flag} missing:\n{text}");
        }
        assert!(
            !text.contains("eavesdroppers"),
            "{sub} -h has the long --acl text"
        );
    }
    let long = zkdemo().args(["lock", "--help"]).output().expect("runs");
    assert!(String::from_utf8_lossy(&long.stdout).contains("eavesdroppers"));
    let bash = std::fs::read_to_string(
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("completions/zkdemo.bash"),
    )
    .expect("bash completion");
    let nodes = bash
        .split("--nodes)")
        .nth(1)
        .and_then(|rest| rest.split(";;").next())
        .expect("a --nodes case");
    assert!(
        !nodes.contains("compgen -f"),
        "server --nodes completes file names: {nodes}"
    );
}

/// Issue #17, 10: the README's by-hand story tells all three original scripts (lock, election,
/// config with its updater), in the lines zkdemo prints today, and how to keep the server's data.
#[test]
fn the_readme_story_tells_all_three_scripts() {
    let readme =
        std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
            .expect("README.md");
    let story = readme
        .split("Or by hand")
        .nth(1)
        .and_then(|s| s.split("## Commands").next())
        .expect("the by-hand story");
    for line in [
        "zkdemo server --data-dir",
        "zkdemo lock --id 3",
        "worker 3 waits for the lock (position 3, behind worker 2)",
        "zkdemo elect --id 3",
        "node 3 follows node 2",
        "zkdemo config watch",
        "zkdemo config set",
        "/configs/demo version 1 (changed): +size=10",
    ] {
        assert!(story.contains(line), "the README's story lacks {line:?}");
    }
}

/// `zkdemo config …` with `input` piped to stdin: (exit code, stdout, stderr).
fn config_piped(
    zk: &str,
    path: &str,
    args: &[&str],
    input: &[u8],
) -> (Option<i32>, Vec<u8>, String) {
    use std::io::Write;
    let mut cmd = zkdemo();
    cmd.args(["--zk", zk, "config", "--path", path])
        .args(args)
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped());
    let mut child = cmd.spawn().expect("zkdemo runs");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("written");
    let out = child.wait_with_output().expect("exits");
    (
        out.status.code(),
        out.stdout,
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Issue #17, 1: the original updater wrote whatever line was typed as the node's whole value.
/// `config set --raw` without TEXT does that; the key=value error points to it; and piped input
/// with a refused line exits non-zero (before: 0, and `--raw` wanted a value).
#[test]
fn the_raw_updater_writes_whole_lines_and_refusals_are_not_exit_0() {
    let zk = shared().connect_string();
    let path = unique_path("rawset");
    let (code, _, err) = config_piped(
        &zk,
        &path,
        &["set", "--raw"],
        b"blue\nhello world\n{\"a\":1}\n",
    );
    assert_eq!(code, Some(0), "{err}");
    let (code, out, err) = config_piped(&zk, &path, &["get", "--raw"], b"");
    assert_eq!(code, Some(0), "{err}");
    assert_eq!(out, b"{\"a\":1}", "get --raw prints the bytes as stored");

    let path = unique_path("keyset");
    let (code, _, err) = config_piped(&zk, &path, &["set"], b"a=1\nblue\nb=2\n");
    assert_eq!(code, Some(2), "a refused line, piped: exit 2\n{err}");
    assert!(err.contains("line 2:") && err.contains("--raw"), "{err}");
    let (_, out, _) = config_piped(&zk, &path, &["get"], b"");
    assert_eq!(
        String::from_utf8_lossy(&out),
        "a=1\nb=2\n",
        "the good lines were written"
    );
}

/// Issue #17, 2: one way to show data that is not key=value, in `config get`, `config watch`
/// and `inspect`, and `(empty)` for no data.
#[test]
fn raw_and_empty_values_are_shown_one_way() {
    let zk = shared().connect_string();
    // Under /configs, as `config --name` puts it: inspect shows it as a config.
    let path = format!("/configs{}", unique_path("rawshow"));
    let (code, _, err) = config_piped(&zk, &path, &["set", "--raw", "hello world"], b"");
    assert_eq!(code, Some(0), "{err}");
    let want = "(not key=value) \"hello world\"";
    let (_, out, _) = config_piped(&zk, &path, &["get"], b"");
    assert_eq!(String::from_utf8_lossy(&out), format!("{want}\n"));
    let mut cmd = zkdemo();
    cmd.args(["--zk", &zk, "inspect", &path]);
    let (_, p) = run(cmd, Duration::from_secs(10));
    let text: Vec<String> = p.lines().into_iter().map(|l| l.text).collect();
    assert!(
        text.iter().any(|l| l.trim() == want),
        "inspect: {}",
        p.transcript()
    );
    let mut cmd = zkdemo();
    cmd.args([
        "--zk", &zk, "config", "--path", &path, "watch", "--count", "1",
    ]);
    let watcher = Proc::spawn(cmd);
    watcher
        .wait_text(&format!("  {want}"), Duration::from_secs(10))
        .unwrap_or_else(|| panic!("config watch: {}", watcher.transcript()));
    let (code, _, err) = config_piped(&zk, &path, &["set", "--raw", ""], b"");
    assert_eq!(code, Some(0), "{err}");
    watcher
        .wait_text("  (empty)", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("config watch: {}", watcher.transcript()));
    let (_, out, _) = config_piped(&zk, &path, &["get"], b"");
    assert_eq!(String::from_utf8_lossy(&out), "(empty)\n");
}
