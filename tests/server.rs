//! `zkdemo::server` and `zkdemo server` against real ZooKeeper servers.
//! Run with `--nocapture` to see the measured start and failover times.

mod common;

use std::net::TcpListener;
use std::process::Command;
use std::time::{Duration, Instant};

use common::*;
use zkdemo::fourlw;

const BOOT: Duration = Duration::from_secs(90);

/// Run a kazoo snippet against `hosts`; `zk` is a started client. Returns its stdout.
fn kazoo(hosts: &str, body: &str) -> String {
    let script = format!(
        "import sys\nfrom kazoo.client import KazooClient\n\
         zk = KazooClient(hosts=sys.argv[1], timeout=10)\nzk.start(timeout=20)\n{body}\nzk.stop()\n"
    );
    let out = Command::new(kazoo_python())
        .args(["-c", &script, hosts])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kazoo failed: {}\n{}",
        out.status,
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).trim().to_owned()
}

fn free_port() -> u16 {
    TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port()
}

#[test]
fn shared_standalone_answers_and_serves_clients() {
    let c = shared();
    assert_eq!(c.len(), 1);
    assert!(fourlw::is_ok(&c.addr(0), Duration::from_secs(2)));
    assert_eq!(c.mode(0).as_deref(), Some("standalone"));
    assert_eq!(c.connect_string(), c.addr(0).to_string());
    assert_eq!(c.leader(), Some(0));
    let path = unique_path("shared");
    assert!(path.starts_with("/t-") && path.ends_with("-shared"));
    let got = kazoo(
        &c.connect_string(),
        &format!(
            "zk.create('{path}', b'hello', makepath=True)\nprint(zk.get('{path}')[0].decode())"
        ),
    );
    assert_eq!(got, "hello");
}

#[test]
fn standalone_start_time_and_stop() {
    let t = Instant::now();
    let mut c = standalone(200);
    let took = t.elapsed();
    eprintln!("standalone server ready in {took:?}");
    assert!(took < Duration::from_secs(30), "slow start: {took:?}");
    let pid = c.pid(0).expect("running");
    assert!(process_runs(pid, "QuorumPeerMain"));
    assert!(c.log_path(0).starts_with(c.data_dir()));

    c.stop(0);
    assert_eq!(c.pid(0), None);
    assert!(
        !process_runs(pid, "QuorumPeerMain"),
        "SIGTERM left the server running"
    );
    assert!(!fourlw::is_ok(&c.addr(0), Duration::from_millis(500)));
    assert_eq!(c.mode(0), None);

    let dir = c.data_dir().to_path_buf();
    assert!(dir.join("node-1/zoo.cfg").is_file());
    drop(c);
    assert!(
        !dir.exists(),
        "temporary data dir {} left behind",
        dir.display()
    );
}

#[test]
fn restart_keeps_the_data() {
    let mut c = standalone(200);
    let hosts = c.connect_string();
    kazoo(&hosts, "zk.create('/kept', b'across restarts')");
    let zxid_before = c.zxid(0).expect("srvr answers with a zxid");
    let pid_before = c.pid(0);

    let t = Instant::now();
    c.restart(0).unwrap();
    eprintln!(
        "standalone restart (stop + start + ruok) took {:?}",
        t.elapsed()
    );
    assert_ne!(c.pid(0), pid_before, "restart must start a new process");
    assert_eq!(c.connect_string(), hosts, "same ports after restart");
    assert!(c.zxid(0).expect("zxid") >= zxid_before);
    let got = kazoo(&hosts, "print(zk.get('/kept')[0].decode())");
    assert_eq!(got, "across restarts");
}

#[test]
fn pause_makes_ruok_time_out_and_resume_brings_it_back() {
    let c = standalone(200);
    let addr = c.addr(0);
    c.pause(0);
    let t = Instant::now();
    assert!(
        !fourlw::is_ok(&addr, Duration::from_millis(500)),
        "a SIGSTOPped server answered"
    );
    assert!(
        t.elapsed() < Duration::from_secs(2),
        "ruok took {:?} to time out",
        t.elapsed()
    );
    assert_eq!(c.mode(0), None);

    c.resume(0);
    let t = Instant::now();
    let back = eventually(Duration::from_secs(10), || {
        fourlw::is_ok(&addr, Duration::from_millis(500)).then_some(())
    });
    assert!(back.is_some(), "no imok after SIGCONT");
    eprintln!("resumed server answered ruok after {:?}", t.elapsed());
    c.wait_ready(Duration::from_secs(10)).unwrap();
}

#[test]
fn paused_server_is_killed_on_drop() {
    let c = standalone(200);
    let pid = c.pid(0).unwrap();
    c.pause(0);
    drop(c);
    assert!(
        !process_runs(pid, "QuorumPeerMain"),
        "paused server survived drop"
    );
}

#[test]
fn ensemble_has_one_leader_and_two_followers() {
    let t = Instant::now();
    let c = ensemble(200);
    eprintln!("3-node ensemble ready in {:?}", t.elapsed());
    assert_eq!(c.len(), 3);
    let mut modes: Vec<String> = (0..3)
        .map(|i| c.mode(i).expect("every server serves"))
        .collect();
    modes.sort();
    assert_eq!(modes, ["follower", "follower", "leader"]);
    let l = c.leader().unwrap();
    assert_eq!(c.mode(l).as_deref(), Some("leader"));
    let hosts: Vec<String> = (0..3).map(|i| c.addr(i).to_string()).collect();
    assert_eq!(c.connect_string(), hosts.join(","));
    // Written through one server, read through another: it is one ensemble, not three.
    let path = unique_path("quorum");
    kazoo(&hosts[0], &format!("zk.create('{path}', b'q')"));
    let got = kazoo(
        &hosts[2],
        &format!("zk.sync('{path}')\nprint(zk.get('{path}')[0].decode())"),
    );
    assert_eq!(got, "q");
}

#[test]
fn killing_the_leader_elects_another_and_it_rejoins_as_follower() {
    let mut c = ensemble(200);
    let old = c.leader().expect("a leader");
    c.kill(old);
    assert_eq!(c.pid(old), None);
    let t = Instant::now();
    let new = eventually(Duration::from_secs(30), || c.leader().filter(|&l| l != old))
        .expect("no new leader within 30 s");
    let failover = t.elapsed();
    eprintln!("leader failover after SIGKILL (tick 200 ms): {failover:?}");
    assert!(
        failover < Duration::from_secs(10),
        "failover took {failover:?}"
    );
    c.wait_ready(Duration::from_secs(20)).unwrap();
    let others: Vec<usize> = (0..3).filter(|&i| i != old && i != new).collect();
    assert_eq!(c.mode(others[0]).as_deref(), Some("follower"));

    let t = Instant::now();
    c.start_node(old).unwrap();
    eprintln!("old leader restarted and rejoined in {:?}", t.elapsed());
    assert_eq!(c.mode(old).as_deref(), Some("follower"));
    assert_eq!(
        c.leader(),
        Some(new),
        "a rejoining server must not take over"
    );
    c.wait_ready(Duration::from_secs(20)).unwrap();
}

#[test]
fn a_lone_ensemble_member_does_not_serve() {
    let mut c = ensemble(200);
    let l = c.leader().unwrap();
    let followers: Vec<usize> = (0..3).filter(|&i| i != l).collect();
    c.stop(followers[0]);
    c.stop(followers[1]);
    // Without a quorum the leader steps down: it still says imok, but serves nothing.
    let lost = eventually(Duration::from_secs(20), || {
        c.mode(l).is_none().then_some(())
    });
    assert!(
        lost.is_some(),
        "a server without quorum still says {:?}",
        c.mode(l)
    );
    assert!(fourlw::is_ok(&c.addr(l), Duration::from_secs(1)));
    assert!(c.wait_ready(Duration::from_millis(500)).is_err());
    c.start_node(followers[0]).unwrap();
    c.wait_ready(Duration::from_secs(30)).unwrap();
    assert!(c.leader().is_some());
}

// ---- the `zkdemo server` command ----

#[test]
fn cli_json_ready_then_sigint_stops_everything() {
    let port = free_port();
    let mut cmd = zkdemo();
    cmd.args([
        "--json",
        "server",
        "--port",
        &port.to_string(),
        "--tick-time",
        "200ms",
    ]);
    let mut p = Proc::spawn(cmd);
    let ready = p
        .wait_event("ready", BOOT)
        .unwrap_or_else(|| panic!("no ready:\n{}", p.transcript()));
    eprintln!("zkdemo server ready after {:?}", p.started.elapsed());
    assert_eq!(ready["connect"], format!("127.0.0.1:{port}"));
    assert_eq!(ready["nodes"], 1);
    assert_eq!(ready["tick_ms"], 200);
    assert_eq!(ready["servers"][0]["mode"], "standalone");
    let java = ready["servers"][0]["pid"].as_u64().unwrap() as u32;
    let data_dir = std::path::PathBuf::from(ready["data_dir"].as_str().unwrap());
    assert!(data_dir.is_dir());
    assert!(
        children_of(p.pid()).contains(&java),
        "the server is not zkdemo's child"
    );
    assert!(fourlw::is_ok(
        &format!("127.0.0.1:{port}").parse().unwrap(),
        Duration::from_secs(2)
    ));

    p.signal(libc::SIGINT);
    let status = p
        .wait_exit(Duration::from_secs(20))
        .expect("zkdemo server did not exit on SIGINT");
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    assert!(p.events().iter().any(|e| e["event"] == "stopped"));
    assert!(
        !process_runs(java, "QuorumPeerMain"),
        "java {java} left running"
    );
    assert!(!data_dir.exists(), "temporary data dir left behind");
}

#[test]
fn cli_human_ready_line_then_sigterm() {
    let port = free_port();
    let mut cmd = zkdemo();
    cmd.args(["server", "--port", &port.to_string()]);
    let mut p = Proc::spawn(cmd);
    let line = eventually(BOOT, || p.lines().into_iter().next()).expect("no ready line");
    assert_eq!(
        line.text,
        format!("ZooKeeper standalone ready on 127.0.0.1:{port} — try: zkdemo --zk 127.0.0.1:{port} lock --id 1"),
        "{}",
        p.transcript()
    );
    let java = children_of(p.pid());
    assert_eq!(java.len(), 1, "one server process expected: {java:?}");
    p.signal(libc::SIGTERM);
    let status = p
        .wait_exit(Duration::from_secs(20))
        .expect("no exit on SIGTERM");
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    assert!(!process_runs(java[0], "QuorumPeerMain"));
}

#[test]
fn cli_ensemble_keeps_a_given_data_dir() {
    let dir = tempfile::tempdir().unwrap();
    let mut cmd = zkdemo();
    cmd.args([
        "--json",
        "server",
        "--nodes",
        "3",
        "--port",
        "0",
        "--tick-time",
        "200ms",
    ]);
    cmd.arg("--data-dir").arg(dir.path());
    let mut p = Proc::spawn(cmd);
    let ready = p
        .wait_event("ready", BOOT)
        .unwrap_or_else(|| panic!("no ready:\n{}", p.transcript()));
    eprintln!(
        "zkdemo server --nodes 3 ready after {:?}",
        p.started.elapsed()
    );
    assert_eq!(ready["nodes"], 3);
    let servers = ready["servers"].as_array().unwrap();
    let leaders = servers.iter().filter(|s| s["mode"] == "leader").count();
    let followers = servers.iter().filter(|s| s["mode"] == "follower").count();
    assert_eq!((leaders, followers), (1, 2), "{ready}");
    assert_eq!(ready["connect"].as_str().unwrap().split(',').count(), 3);
    p.signal(libc::SIGINT);
    assert_eq!(
        p.wait_exit(Duration::from_secs(30)).and_then(|s| s.code()),
        Some(0)
    );
    for n in 1..=3 {
        let node = dir.path().join(format!("node-{n}"));
        assert!(node.join("zoo.cfg").is_file());
        assert_eq!(
            std::fs::read_to_string(node.join("myid")).unwrap().trim(),
            n.to_string()
        );
        assert!(
            node.join("version-2").is_dir(),
            "no ZooKeeper data in {}",
            node.display()
        );
    }
    for s in servers {
        assert!(!process_runs(
            s["pid"].as_u64().unwrap() as u32,
            "QuorumPeerMain"
        ));
    }
}

/// `zkdemo --json server --port 0`, and its `ready` event.
fn server_cli() -> (Proc, serde_json::Value) {
    let mut cmd = zkdemo();
    cmd.args(["--json", "server", "--port", "0"]);
    let p = Proc::spawn(cmd);
    let ready = p
        .wait_event("ready", BOOT)
        .unwrap_or_else(|| panic!("no ready:\n{}", p.transcript()));
    (p, ready)
}

#[test]
fn cli_reports_a_server_that_dies() {
    let (mut p, ready) = server_cli();
    let java = ready["servers"][0]["pid"].as_u64().unwrap() as u32;
    zkdemo::signals::send(java as i32, libc::SIGKILL);
    let status = p
        .wait_exit(Duration::from_secs(10))
        .expect("zkdemo did not notice");
    assert_eq!(status.code(), Some(1), "{}", p.transcript());
    assert!(
        p.stderr().contains("exited on its own"),
        "{}",
        p.transcript()
    );
}

#[test]
fn cli_killed_takes_its_servers_along() {
    let (mut p, ready) = server_cli();
    let java = ready["servers"][0]["pid"].as_u64().unwrap() as u32;
    let data_dir = ready["data_dir"].as_str().unwrap().to_owned();
    // SIGKILL: no cleanup code runs in zkdemo; PDEATHSIG must take the server down.
    p.signal(libc::SIGKILL);
    p.wait_exit(Duration::from_secs(10))
        .expect("SIGKILL did not kill zkdemo");
    let gone = eventually(Duration::from_secs(10), || {
        (!process_runs(java, "QuorumPeerMain")).then_some(())
    });
    let _ = std::fs::remove_dir_all(&data_dir);
    assert!(gone.is_some(), "java {java} outlived its zkdemo");
}

#[test]
fn cli_busy_port_is_a_clear_usage_error() {
    let held = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = held.local_addr().unwrap().port();
    let mut cmd = zkdemo();
    cmd.args(["server", "--port", &port.to_string()]);
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(status.code(), Some(2), "{}", p.transcript());
    let err = p.stderr();
    assert!(err.contains(&format!("port {port} is in use")), "{err}");
    assert!(
        err.contains("is a ZooKeeper already running?") && err.contains("--port"),
        "{err}"
    );
    assert!(children_of(p.pid()).is_empty());
}

#[test]
fn cli_without_zookeeper_says_how_to_install_it() {
    let mut cmd = zkdemo();
    cmd.args(["--json", "server", "--port", "0"])
        .env("ZOOKEEPER_HOME", "/nonexistent");
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(status.code(), Some(69), "{}", p.transcript());
    let err = p.stderr();
    assert!(err.contains("apt-get install zookeeper"), "{err}");
    assert!(err.contains("brew install zookeeper"), "{err}");
    assert!(err.contains("ZOOKEEPER_HOME=/nonexistent"), "{err}");
    let e = p.events();
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(
        (e[0]["event"].as_str(), e[0]["code"].as_i64()),
        (Some("error"), Some(69))
    );
}

#[test]
fn cli_without_java_says_how_to_install_it() {
    let mut cmd = zkdemo();
    cmd.args(["server", "--port", "0"])
        .env_remove("JAVA_HOME")
        .env("PATH", "/nonexistent");
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(status.code(), Some(69), "{}", p.transcript());
    let err = p.stderr();
    assert!(
        err.contains("apt-get install default-jre-headless"),
        "{err}"
    );
    assert!(err.contains("brew install openjdk"), "{err}");
    assert!(
        !err.contains("install zookeeper"),
        "ZooKeeper is installed here: {err}"
    );
}

#[test]
fn cli_rejects_two_nodes() {
    let mut cmd = zkdemo();
    cmd.args(["server", "--nodes", "2"]);
    let (status, p) = run(cmd, Duration::from_secs(20));
    assert_eq!(status.code(), Some(2));
    assert!(
        p.stderr().contains("1 (standalone) or 3 (ensemble)"),
        "{}",
        p.stderr()
    );
}

/// `zkdemo --json server --nodes N --port 0 --tick-time 200ms --data-dir DIR`, and its `ready`.
fn server_on(dir: &std::path::Path, nodes: &str) -> (Proc, serde_json::Value) {
    let mut cmd = zkdemo();
    cmd.args(["--json", "server", "--nodes", nodes, "--port", "0"])
        .args(["--tick-time", "200ms", "--data-dir"])
        .arg(dir);
    let p = Proc::spawn(cmd);
    let ready = p
        .wait_event("ready", BOOT)
        .unwrap_or_else(|| panic!("no ready:\n{}", p.transcript()));
    (p, ready)
}

#[test]
fn cli_refuses_a_data_dir_another_server_runs_on() {
    // Two servers on one directory share one transaction log: ZooKeeper later finds it
    // corrupted ("First digest mismatch on txn"). The second must be refused, touching nothing.
    let dir = tempfile::tempdir().unwrap();
    let (mut first, ready) = server_on(dir.path(), "1");
    let java = ready["servers"][0]["pid"].as_u64().unwrap() as u32;
    let cfg = dir.path().join("node-1/zoo.cfg");
    let cfg_before = std::fs::read_to_string(&cfg).unwrap();
    let log_len = std::fs::metadata(dir.path().join("node-1/server.log"))
        .unwrap()
        .len();

    let port = free_port();
    let mut cmd = zkdemo();
    cmd.args(["server", "--port", &port.to_string(), "--data-dir"])
        .arg(dir.path());
    let (status, second) = run(cmd, Duration::from_secs(30));
    assert_eq!(status.code(), Some(2), "{}", second.transcript());
    let err = second.stderr();
    assert_eq!(
        err.trim_end().lines().count(),
        1,
        "one line expected: {err}"
    );
    assert!(err.contains(&dir.path().display().to_string()), "{err}");
    assert!(err.contains(&format!("pid {}", first.pid())), "{err}");
    assert!(children_of(second.pid()).is_empty(), "a server was started");
    assert_eq!(
        std::fs::read_to_string(&cfg).unwrap(),
        cfg_before,
        "the refused server rewrote zoo.cfg"
    );
    assert_eq!(
        std::fs::metadata(dir.path().join("node-1/server.log"))
            .unwrap()
            .len(),
        log_len,
        "the refused server wrote to the running one's log"
    );
    assert!(!fourlw::is_ok(
        &format!("127.0.0.1:{port}").parse().unwrap(),
        Duration::from_millis(500)
    ));

    // SIGKILL: no cleanup runs in zkdemo, and still the directory is free once it is gone.
    first.signal(libc::SIGKILL);
    first.wait_exit(Duration::from_secs(10)).expect("SIGKILL");
    let gone = eventually(Duration::from_secs(10), || {
        (!process_runs(java, "QuorumPeerMain")).then_some(())
    });
    assert!(gone.is_some(), "java {java} outlived its zkdemo");
    let (mut third, _) = server_on(dir.path(), "1");
    third.signal(libc::SIGINT);
    let status = third.wait_exit(Duration::from_secs(20)).expect("SIGINT");
    assert_eq!(status.code(), Some(0), "{}", third.transcript());
}

#[test]
fn cli_ensemble_runs_on_when_a_member_dies() {
    let dir = tempfile::tempdir().unwrap();
    let (mut p, ready) = server_on(dir.path(), "3");
    let servers = ready["servers"].as_array().unwrap().clone();
    let leader = servers.iter().position(|s| s["mode"] == "leader").unwrap();
    let addr = |i: usize| servers[i]["addr"].as_str().unwrap().to_owned();
    let pid = |i: usize| servers[i]["pid"].as_u64().unwrap() as u32;

    // The leader crashes: the others elect another one and serve on.
    zkdemo::signals::send(pid(leader) as i32, libc::SIGKILL);
    let t = Instant::now();
    let said = p
        .wait_event("server", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the death went unreported:\n{}", p.transcript()));
    assert_eq!(said["status"], "exited", "{said}");
    assert_eq!(said["server"], addr(leader), "{said}");
    assert_eq!(said["pid"], pid(leader), "{said}");
    assert!(
        said["message"].as_str().unwrap().contains("SIGKILL"),
        "{said}"
    );
    let others: Vec<usize> = (0..3).filter(|&i| i != leader).collect();
    let zk = format!("{},{}", addr(others[0]), addr(others[1]));
    assert_eq!(said["connect"], zk, "{said}");
    let written = eventually(Duration::from_secs(30), || {
        let mut cmd = zkdemo();
        cmd.args([
            "--zk",
            &zk,
            "--connect-timeout",
            "10s",
            "config",
            "set",
            "a=1",
        ]);
        let (status, _) = run(cmd, Duration::from_secs(30));
        status.success().then_some(())
    });
    assert!(written.is_some(), "no write through the two survivors");
    eprintln!(
        "ensemble wrote again {:?} after its leader died",
        t.elapsed()
    );
    assert!(
        process_runs(p.pid(), "server"),
        "zkdemo server stopped:\n{}",
        p.transcript()
    );
    for &i in &others {
        assert!(process_runs(pid(i), "QuorumPeerMain"), "server {i} stopped");
    }

    // A second one dies: no quorum, and zkdemo still runs until Ctrl-C.
    zkdemo::signals::send(pid(others[0]) as i32, libc::SIGKILL);
    let said = p
        .wait_event("server", Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the death went unreported:\n{}", p.transcript()));
    assert_eq!(said["server"], addr(others[0]), "{said}");
    assert_eq!(said["connect"], addr(others[1]), "{said}");
    std::thread::sleep(Duration::from_secs(1));
    assert!(process_runs(p.pid(), "server"), "{}", p.transcript());
    assert!(process_runs(pid(others[1]), "QuorumPeerMain"));
    p.signal(libc::SIGINT);
    let status = p.wait_exit(Duration::from_secs(20)).expect("SIGINT");
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    assert!(!process_runs(pid(others[1]), "QuorumPeerMain"));
}
