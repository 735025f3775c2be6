//! Security (issue #9): with `--auth USER:PASSWORD`, the nodes zkdemo creates carry an ACL
//! (`--acl`, default `creator`: all rights for that identity, read for everyone), so another
//! client without the credentials (an unauthenticated kazoo client, or one with other
//! credentials) cannot delete a holder's lock node, join the lock's queue, change the config,
//! or delete or join an election: it gets NoAuth. And the password never appears in anything
//! zkdemo prints: `-vv` logs, `--json` events, error messages.

mod common;

use std::time::Duration;

use common::*;
use serde_json::Value;

const PASSWORD: &str = "Pw-d0nt-l3ak-9f27";

fn auth() -> String {
    format!("alice:{PASSWORD}")
}

/// Run `ops` in a kazoo client (with `auth` digest credentials, if any); one result per op:
/// "ok", or the kazoo exception's class name (NoAuthError, …).
const KAZOO_OPS: &str = r#"
import json, sys
from kazoo.client import KazooClient
from kazoo.security import OPEN_ACL_UNSAFE
zk = KazooClient(hosts=sys.argv[1])
zk.start(timeout=10)
if sys.argv[2]:
    zk.add_auth("digest", sys.argv[2])
out = []
for op, path, arg in json.loads(sys.argv[3]):
    try:
        if op == "delete": zk.delete(path)
        elif op == "set": zk.set(path, arg.encode())
        elif op == "get": zk.get(path)
        elif op == "create": zk.create(path, arg.encode(), ephemeral=True, sequence=True)
        elif op == "acl": zk.set_acls(path, OPEN_ACL_UNSAFE)
        out.append("ok")
    except Exception as e:
        out.append(type(e).__name__)
print(json.dumps(out), flush=True)
zk.stop()
"#;

fn kazoo(auth: &str, ops: &[(&str, &str, &str)]) -> Vec<String> {
    let mut cmd = std::process::Command::new(kazoo_python());
    let ops = serde_json::to_string(ops).unwrap();
    cmd.args(["-c", KAZOO_OPS, &shared().connect_string(), auth, &ops]);
    let (status, p) = run(cmd, Duration::from_secs(30));
    assert!(status.success(), "{}", p.transcript());
    let last = p.lines().last().expect("kazoo answered").text.clone();
    serde_json::from_str(&last).unwrap()
}

/// zkdemo with `--auth` and `-vv --json`, against the shared server.
fn zk_authed(extra_global: &[&str], args: &[&str]) -> std::process::Command {
    let mut cmd = zkdemo();
    let a = auth();
    cmd.args([
        "--zk",
        &shared().connect_string(),
        "--auth",
        &a,
        "-vv",
        "--json",
    ])
    .args(extra_global)
    .args(args);
    cmd
}

fn assert_no_password(p: &Proc) {
    let all = p.transcript();
    assert!(!all.contains(PASSWORD), "the password leaked:\n{all}");
    assert!(!all.contains("alice:Pw"), "the credentials leaked:\n{all}");
}

fn node_of(event: &Value) -> String {
    event["node"].as_str().expect("node").to_owned()
}

#[test]
fn others_cannot_delete_the_holders_lock_node_nor_join_its_queue() {
    let path = unique_path("acl-lock");
    let mut holder = Proc::spawn(zk_authed(
        &[],
        &["lock", "--path", &path, "--hold", "30s", "--count", "1"],
    ));
    let acquired = holder
        .wait_event("acquired", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", holder.transcript()));
    let node = format!("{path}/{}", node_of(&acquired));
    let join = format!("{path}/0123456789abcdef0123456789abcdef__lock__");
    let ops = [
        ("delete", node.as_str(), ""),
        ("set", node.as_str(), "mine now"),
        ("create", join.as_str(), "intruder"),
        ("acl", node.as_str(), ""),
        ("get", node.as_str(), ""),
    ];
    let no = ["NoAuthError"; 4];
    for who in ["", "mallory:guess"] {
        let r = kazoo(who, &ops);
        assert_eq!(r[..4], no, "as {who:?}: {r:?}");
        assert_eq!(r[4], "ok", "everyone may read: {r:?}");
    }
    // The right credentials may (so the ACL is the identity's, not a broken one).
    assert_eq!(kazoo(&auth(), &[("get", &node, "")]), ["ok"]);
    // The holder never noticed anything.
    holder.signal(libc::SIGINT);
    holder.wait_exit(Duration::from_secs(5)).expect("exits");
    assert!(
        !holder.events().iter().any(|e| e["event"] == "lost"),
        "{}",
        holder.transcript()
    );
    assert_no_password(&holder);
}

#[test]
fn others_cannot_change_the_config() {
    let path = format!("{}/cfg", unique_path("acl-config"));
    let mut cmd = zk_authed(&[], &["config", "--path", &path, "set", "color=blue"]);
    let (status, p) = run_with(&mut cmd);
    assert!(status.success(), "{}", p.transcript());
    assert_no_password(&p);
    let parent = path.rsplit_once('/').unwrap().0.to_owned();
    let r = kazoo(
        "",
        &[
            ("set", &path, "color=red\n"),
            ("delete", &path, ""),
            ("create", &format!("{parent}/sibling"), ""),
            ("get", &path, ""),
        ],
    );
    assert_eq!(r, ["NoAuthError", "NoAuthError", "NoAuthError", "ok"]);
    // zkdemo itself without (or with wrong) credentials: NoAuth is exit code 77, and the
    // error message shows neither password.
    for creds in [None, Some("alice:WrongPw-77")] {
        let mut cmd = zkdemo();
        cmd.args(["--zk", &shared().connect_string(), "-vv", "--json"]);
        if let Some(c) = creds {
            cmd.args(["--auth", c]);
        }
        cmd.args(["config", "--path", &path, "set", "color=red"]);
        let (status, p) = run(cmd, Duration::from_secs(10));
        assert_eq!(status.code(), Some(77), "{}", p.transcript());
        assert!(p.stderr().contains("NoAuth"), "{}", p.stderr());
        assert!(!p.transcript().contains("WrongPw-77"), "{}", p.transcript());
    }
    // Still blue.
    let mut cmd = zk_authed(&[], &["config", "--path", &path, "get", "color"]);
    let (status, p) = run_with(&mut cmd);
    assert!(status.success());
    assert!(p.events().iter().any(|e| e["value"] == "blue"));
    assert_no_password(&p);
}

#[test]
fn others_cannot_delete_or_join_an_election() {
    let path = unique_path("acl-elect");
    let mut leader = Proc::spawn(zk_authed(
        &[],
        &["elect", "--path", &path, "--id", "a", "--", "sleep", "30"],
    ));
    let elected = leader
        .wait_for(|e| e["node"].is_string(), Duration::from_secs(10))
        .unwrap_or_else(|| panic!("{}", leader.transcript()));
    let node = format!("{path}/{}", node_of(&elected));
    let join = format!("{path}/0123456789abcdef0123456789abcdef__lock__");
    let r = kazoo(
        "",
        &[
            ("delete", &node, ""),
            ("create", &join, "usurper"),
            ("set", &node, "x"),
        ],
    );
    assert_eq!(r, ["NoAuthError"; 3]);
    leader.signal(libc::SIGINT);
    leader.wait_exit(Duration::from_secs(5)).expect("exits");
    let evs = leader.events();
    assert!(
        !evs.iter()
            .any(|e| e["event"] == "lost" || e["event"] == "deposed"),
        "{}",
        leader.transcript()
    );
    assert_no_password(&leader);
}

#[test]
fn acl_private_hides_even_reads_and_open_lets_anyone() {
    let private = unique_path("acl-private");
    let mut cmd = zk_authed(
        &["--acl", "private"],
        &["config", "--path", &private, "set", "k=v"],
    );
    let (status, p) = run_with(&mut cmd);
    assert!(status.success(), "{}", p.transcript());
    assert_eq!(
        kazoo("", &[("get", &private, ""), ("set", &private, "")]),
        ["NoAuthError", "NoAuthError"]
    );
    assert_eq!(kazoo(&auth(), &[("get", &private, "")]), ["ok"]);

    let open = unique_path("acl-open");
    let mut cmd = zk_authed(
        &["--acl", "open"],
        &["config", "--path", &open, "set", "k=v"],
    );
    let (status, p) = run_with(&mut cmd);
    assert!(status.success(), "{}", p.transcript());
    assert_eq!(
        kazoo("", &[("set", &open, "k=w\n"), ("delete", &open, "")]),
        ["ok", "ok"]
    );

    // --acl private without --auth: refused before anything is sent.
    let mut cmd = zkdemo();
    cmd.args(["--zk", &shared().connect_string(), "--acl", "private"])
        .args(["config", "--path", &unique_path("x"), "set", "k=v"]);
    let (status, _) = run(cmd, Duration::from_secs(10));
    assert_eq!(status.code(), Some(2));
}

fn run_with(cmd: &mut std::process::Command) -> (std::process::ExitStatus, Proc) {
    let c = std::mem::replace(cmd, zkdemo());
    run(c, Duration::from_secs(15))
}

/// One private node does not hide the others: `inspect` lists what it may read and names the
/// node it may not (text and JSON); asked for that node alone, it says so (exit 77).
#[test]
fn inspect_shows_what_it_may_read_and_names_a_private_node() {
    let private = format!("/configs{}", unique_path("inspect-private"));
    let public = format!("/configs{}", unique_path("inspect-public"));
    // The public one first: /configs is made by it, open (a private set would make it private).
    let mut cmd = zkdemo();
    cmd.args(["--zk", &shared().connect_string()]).args([
        "config",
        "--path",
        &public,
        "set",
        "shown=yes",
    ]);
    let (status, p) = run(cmd, Duration::from_secs(15));
    assert!(status.success(), "{}", p.transcript());
    let mut cmd = zk_authed(
        &["--acl", "private"],
        &["config", "--path", &private, "set", "k=v"],
    );
    let (status, p) = run_with(&mut cmd);
    assert!(status.success(), "{}", p.transcript());

    let inspect = |args: &[&str]| {
        let mut cmd = zkdemo();
        cmd.env_remove("ZKDEMO_AUTH")
            .args(["--zk", &shared().connect_string()])
            .args(args);
        run(cmd, Duration::from_secs(15))
    };
    let (status, p) = inspect(&["inspect"]);
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    let out: String = p.lines().into_iter().map(|l| l.text + "\n").collect();
    assert!(out.contains(&public) && out.contains("shown"), "{out}");
    assert!(
        out.contains(&format!("{private}: not readable")),
        "the private node is named: {out}"
    );
    let (status, p) = inspect(&["--json", "inspect"]);
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    let paths = p.events()[0]["paths"].clone();
    assert!(
        paths
            .as_array()
            .unwrap()
            .iter()
            .any(|v| v["path"] == private.as_str() && v["kind"] == "denied"),
        "{paths}"
    );
    let (status, p) = inspect(&["inspect", &private]);
    assert_eq!(status.code(), Some(77), "{}", p.transcript());
    assert!(
        p.stderr()
            .contains(&format!("not allowed to read {private}")),
        "{}",
        p.stderr()
    );
    // With the credentials it reads as any config.
    let mut cmd = zk_authed(&[], &["inspect", &private]);
    let (status, p) = run_with(&mut cmd);
    assert!(status.success(), "{}", p.transcript());
}
