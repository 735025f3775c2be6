//! The session layer against real servers: every behaviour issue #2 asks of it.
//! Tests print `MEASURE` lines with the times they observed.

mod common;

use std::net::TcpListener;
use std::sync::mpsc::{self, Receiver};
use std::time::{Duration, Instant};

use common::*;
use zkdemo::session::{
    AclMode, Auth, Error, Health, NodeKind, Session, SessionConfig, SessionEvent, SessionId,
    WatchEvent,
};

fn config(connect: &str, timeout: Duration) -> SessionConfig {
    session_config(connect, timeout)
}

type Events = Receiver<(Instant, SessionEvent)>;

fn connect(cfg: &SessionConfig) -> (Session, Events) {
    let (tx, rx) = mpsc::channel();
    let s = Session::connect(cfg, move |e| {
        let _ = tx.send((Instant::now(), e));
    })
    .unwrap_or_else(|e| panic!("connect to {}: {e}", cfg.connect));
    (s, rx)
}

/// The next session event, or panic after `limit`.
fn next_event(rx: &Events, limit: Duration) -> (Instant, SessionEvent) {
    rx.recv_timeout(limit)
        .unwrap_or_else(|_| panic!("no session event within {limit:?}"))
}

#[test]
fn unreachable_servers_fail_within_the_connect_timeout_with_exit_69() {
    // A port that accepts TCP and never answers, as a hung server or a wrong service does.
    let silent = TcpListener::bind("127.0.0.1:0").unwrap();
    let silent_addr = silent.local_addr().unwrap().to_string();
    let free = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let cases = [
        ("nothing listening", "127.0.0.1:1".to_owned()),
        ("wrong port", free),
        ("unresolvable host", "no-such-host.invalid:2181".to_owned()),
        ("silent server", silent_addr),
    ];
    let commands: [&[&str]; 4] = [
        &["lock", "-n", "--", "true"],
        &["lock", "--id", "w"],
        &["elect", "--observe"],
        &["inspect", "/demo-lock"],
    ];
    for (what, zk) in &cases {
        for args in commands {
            let mut cmd = zkdemo();
            cmd.args(["--zk", zk, "--connect-timeout", "1s"]).args(args);
            let t = Instant::now();
            let (status, p) = run(cmd, Duration::from_secs(10));
            let took = t.elapsed();
            let err = p.stderr();
            assert_eq!(
                status.code(),
                Some(69),
                "{what} {args:?}: {}",
                p.transcript()
            );
            assert!(
                took < Duration::from_secs(2),
                "{what} {args:?} took {took:?}"
            );
            assert_eq!(
                err.trim().lines().count(),
                1,
                "{what} {args:?}: one line, got {err}"
            );
            assert!(
                err.contains(zk.as_str()),
                "{what}: names the connect string: {err}"
            );
            assert!(!err.contains("panicked"), "{what}: {err}");
        }
    }
    drop(silent);
}

#[test]
fn session_id_is_the_owner_of_our_ephemeral_nodes() {
    let cfg = config(&shared().connect_string(), Duration::from_secs(4));
    let (s, _rx) = connect(&cfg);
    let base = unique_path("sid");
    s.ensure_path(&base).unwrap();
    let p = s
        .create(&format!("{base}/e"), vec![], NodeKind::Ephemeral)
        .unwrap();
    let stat = s.exists(&p).unwrap().unwrap();
    assert_ne!(s.id().0, 0);
    assert_eq!(stat.owner(), Some(s.id()));
    assert_eq!(s.id().to_string(), format!("0x{:x}", stat.ephemeral_owner));
    // The server clamps the timeout to [2, 20] ticks (tick 200 ms): 4 s is granted as asked.
    assert_eq!(s.timeout(), Duration::from_secs(4));
}

#[test]
fn a_panicking_watch_callback_does_not_kill_the_client() {
    let cfg = config(&shared().connect_string(), Duration::from_secs(4));
    let (s, _rx) = connect(&cfg);
    let (writer, _wrx) = connect(&cfg);
    let p = unique_path("panic");
    s.create(&p, b"0".to_vec(), NodeKind::Persistent).unwrap();
    s.watch_data(&p, |_| panic!("a careless watcher")).unwrap();
    writer.set_data(&p, b"1".to_vec(), None).unwrap();
    std::thread::sleep(Duration::from_millis(200));
    // The crate's event thread must still deliver the next watch.
    let (tx, rx) = mpsc::channel();
    s.watch_data(&p, move |e| {
        let _ = tx.send(e);
    })
    .unwrap();
    writer.set_data(&p, b"2".to_vec(), None).unwrap();
    assert_eq!(
        rx.recv_timeout(Duration::from_secs(2)),
        Ok(WatchEvent::DataChanged)
    );
    assert_eq!(s.get_data(&p).unwrap().0, b"2");
}

#[test]
fn a_hung_server_makes_calls_fail_in_bounded_time_and_the_session_suspended() {
    let mut zk = standalone(200);
    let cfg = config(&zk.connect_string(), Duration::from_secs(3));
    let (s, rx) = connect(&cfg);
    let p = unique_path("hang");
    s.create(&p, vec![], NodeKind::Persistent).unwrap();
    zk.pause(0);
    let paused = Instant::now();
    let t = Instant::now();
    let r = s.get_data(&p);
    let call_took = t.elapsed();
    // The relay finds the connection silent after a third of the timeout and drops it: the
    // call fails with a connection loss, sooner than its own deadline (a timeout).
    assert!(r.as_ref().is_err_and(|e| e.is_connection()), "{r:?}");
    assert!(call_took <= s.timeout() / 2, "call took {call_took:?}");
    let (at, ev) = next_event(&rx, Duration::from_secs(3));
    assert!(matches!(ev, SessionEvent::Suspended { .. }), "{ev:?}");
    println!(
        "MEASURE hung server: call failed after {call_took:?} (bound: 1/2 of {:?}); suspended {:?} after the pause",
        s.timeout(),
        at - paused
    );
    // Back before the session timeout: the same session goes on.
    zk.resume(0);
    let (_, ev) = next_event(&rx, Duration::from_secs(3));
    assert_eq!(ev, SessionEvent::Reconnected);
    assert!(s.exists(&p).unwrap().is_some());
    zk.stop(0);
}

#[test]
fn a_restart_shorter_than_the_timeout_keeps_session_auth_and_watches() {
    let mut zk = standalone(500);
    let mut cfg = config(&zk.connect_string(), Duration::from_secs(10));
    cfg.auth = Some(Auth::parse("alice:secret").unwrap());
    let (s, rx) = connect(&cfg);
    let id = s.id();
    let base = unique_path("restart");
    s.ensure_path(&base).unwrap();
    let eph = s
        .create(&format!("{base}/eph"), vec![], NodeKind::Ephemeral)
        .unwrap();
    // Only alice may write this node (the default ACL with credentials: all rights for alice,
    // read for the world): a write after the reconnect proves the auth is back.
    let private = format!("{base}/private");
    s.create(&private, b"a".to_vec(), NodeKind::Persistent)
        .unwrap();
    // Anyone may write this one (alice, with `--acl open`).
    let watched = format!("{base}/watched");
    let mut open = cfg.clone();
    open.acl = AclMode::Open;
    connect(&open)
        .0
        .create(&watched, b"0".to_vec(), NodeKind::Persistent)
        .unwrap();
    let (wtx, wrx) = mpsc::channel();
    let arm = |s: &Session| {
        let wtx = wtx.clone();
        s.watch_data(&watched, move |e| {
            let _ = wtx.send(e);
        })
        .unwrap();
    };
    arm(&s);

    zk.stop(0);
    let stopped = Instant::now();
    let (_, ev) = next_event(&rx, Duration::from_secs(3));
    assert!(matches!(ev, SessionEvent::Suspended { .. }), "{ev:?}");
    zk.start_node(0).unwrap();
    let back = Instant::now();
    let (at, ev) = next_event(&rx, Duration::from_secs(8));
    assert_eq!(ev, SessionEvent::Reconnected);
    println!(
        "MEASURE restart: server down {:?}, session back {:?} after the stop",
        back - stopped,
        at - stopped
    );
    assert_eq!(s.id(), id, "the same session");
    assert!(
        s.exists(&eph).unwrap().is_some(),
        "our ephemeral node survived"
    );
    s.set_data(&private, b"b".to_vec(), None)
        .expect("auth replayed after the reconnect");
    // The armed watch was fired to say "re-read": re-arm, as a recipe does, and it works.
    assert_eq!(
        wrx.recv_timeout(Duration::from_secs(1)),
        Ok(WatchEvent::Reconnected)
    );
    arm(&s);
    let other = connect(&config(&zk.connect_string(), Duration::from_secs(4))).0;
    other.set_data(&watched, b"1".to_vec(), None).unwrap();
    assert_eq!(
        wrx.recv_timeout(Duration::from_secs(2)),
        Ok(WatchEvent::DataChanged)
    );
    // Another client without the credentials may not write alice's node.
    assert_eq!(
        other.set_data(&private, b"c".to_vec(), None).unwrap_err(),
        Error::NoAuth
    );
}

#[test]
fn a_long_outage_loses_the_session_and_a_new_one_can_be_made() {
    let mut zk = standalone(200);
    let cfg = config(&zk.connect_string(), Duration::from_secs(1));
    let (s, rx) = connect(&cfg);
    zk.pause(0);
    let paused = Instant::now();
    let mut lost = None;
    while lost.is_none() {
        let (at, ev) = next_event(&rx, Duration::from_secs(4));
        if let SessionEvent::Lost { reason } = ev {
            lost = Some((at, reason));
        }
    }
    let (at, reason) = lost.unwrap();
    println!(
        "MEASURE outage: lost {:?} after the pause ({reason})",
        at - paused
    );
    assert!(
        at - paused <= s.timeout() + Duration::from_millis(500),
        "{:?}",
        at - paused
    );
    assert!(matches!(s.health(), Health::Lost | Health::Closed));
    assert_eq!(s.exists("/").unwrap_err(), Error::Lost);
    zk.resume(0);
    let (s2, _rx2) = connect(&cfg);
    assert_ne!(s2.id(), s.id());
    assert!(s2.exists("/").unwrap().is_some());
    zk.stop(0);
}

#[test]
fn an_expired_session_is_lost_even_if_the_client_reconnects() {
    // Stop the server past the timeout, then bring it back: the crate reconnects and the
    // server hands it a new session; that must read as Lost, never as Reconnected.
    let mut zk = standalone(200);
    let cfg = config(&zk.connect_string(), Duration::from_secs(1));
    let (s, rx) = connect(&cfg);
    zk.stop(0);
    std::thread::sleep(Duration::from_millis(1500));
    zk.start_node(0).unwrap();
    let mut saw = Vec::new();
    loop {
        let (_, ev) = next_event(&rx, Duration::from_secs(4));
        saw.push(ev.clone());
        if matches!(ev, SessionEvent::Lost { .. }) {
            break;
        }
        assert_ne!(ev, SessionEvent::Reconnected, "{saw:?}");
    }
    assert!(matches!(s.health(), Health::Lost | Health::Closed));
}

/// Which server holds our session (its `cons` lists our session id).
fn server_of(zk: &Cluster, sid: SessionId) -> usize {
    let needle = format!("sid={sid}");
    (0..zk.len())
        .find(|&i| {
            zkdemo::fourlw::ask(&zk.addr(i), "cons", Duration::from_secs(2))
                .is_ok_and(|a| a.contains(&needle))
        })
        .expect("some server holds our session")
}

#[test]
fn losing_our_ensemble_server_moves_the_session_to_another() {
    let mut zk = ensemble(200);
    let cfg = config(&zk.connect_string(), Duration::from_secs(4));
    let (s, rx) = connect(&cfg);
    let id = s.id();
    let p = unique_path("move");
    s.create(&p, vec![], NodeKind::Ephemeral).unwrap();
    let ours = server_of(&zk, id);
    zk.kill(ours);
    let killed = Instant::now();
    let (_, ev) = next_event(&rx, Duration::from_secs(3));
    assert!(matches!(ev, SessionEvent::Suspended { .. }), "{ev:?}");
    let (at, ev) = next_event(&rx, Duration::from_secs(6));
    assert_eq!(ev, SessionEvent::Reconnected);
    println!(
        "MEASURE ensemble: moved to another server {:?} after a SIGKILL of ours",
        at - killed
    );
    assert_eq!(s.id(), id);
    assert_ne!(server_of(&zk, id), ours);
    assert!(s.exists(&p).unwrap().is_some());
}

/// A hung member of a healthy ensemble (SIGSTOP: it keeps accepting connections, answers
/// nothing): every session on it moves to another member at once after its suspension. The
/// resume used to try the servers in a fixed order, the hung one first a third of the time,
/// and spent T/3 on it: with a guarded command's grace to honour, the command was stopped
/// though two servers were fine (found by a fault trial, 3 times out of 3).
#[test]
fn a_hung_ensemble_member_is_tried_last_when_the_session_moves() {
    let zk = ensemble(200);
    let cfg = config(&zk.connect_string(), Duration::from_secs(4));
    // Sessions until one member holds at least three of them (the crate picks at random).
    let mut all: Vec<(Session, Events, usize)> = Vec::new();
    let victim = loop {
        let (s, rx) = connect(&cfg);
        let at = server_of(&zk, s.id());
        all.push((s, rx, at));
        if let Some(i) = (0..zk.len()).find(|&i| all.iter().filter(|x| x.2 == i).count() >= 3) {
            break i;
        }
        assert!(all.len() < 30, "30 sessions and no member holds three");
    };
    zk.pause(victim);
    let mut moved = Vec::new();
    for (s, rx, _) in all.iter().filter(|x| x.2 == victim) {
        let (suspended, ev) = next_event(rx, Duration::from_secs(4));
        assert!(matches!(ev, SessionEvent::Suspended { .. }), "{ev:?}");
        let (back, ev) = next_event(rx, Duration::from_secs(4));
        assert_eq!(ev, SessionEvent::Reconnected);
        assert!(s.exists("/").is_ok());
        moved.push(back - suspended);
    }
    zk.resume(victim);
    println!("MEASURE hung ensemble member: sessions moved {moved:?} after their suspension");
    for m in &moved {
        assert!(
            *m < Duration::from_millis(800),
            "a session tried the hung server first: moved {m:?} after its suspension \
             (all: {moved:?})"
        );
    }
}

#[test]
fn sigterm_removes_our_nodes_at_once_and_exits_fast_even_with_the_server_gone() {
    let zk = standalone(200);
    let path = unique_path("exit");
    let start = |sig_path: &str| {
        let mut cmd = zkdemo();
        cmd.args([
            "--zk",
            &zk.connect_string(),
            "--session-timeout",
            "4s",
            "--json",
            "-vv",
        ])
        .args([
            "lock", "--path", sig_path, "--id", "holder", "--hold", "60s",
        ]);
        let p = Proc::spawn(cmd);
        if p.wait_event("acquired", Duration::from_secs(5)).is_none() {
            panic!("not acquired:\n{}", p.transcript());
        }
        p
    };
    // Server up: the node is gone as soon as the process is.
    let mut holder = start(&path);
    let (watcher, _rx) = connect(&config(&zk.connect_string(), Duration::from_secs(4)));
    assert_eq!(watcher.get_children(&path).unwrap().len(), 1);
    holder.signal(libc::SIGTERM);
    let t = Instant::now();
    let status = holder.wait_exit(Duration::from_secs(2)).expect("exits");
    assert_eq!(status.code(), Some(143));
    assert!(
        watcher.get_children(&path).unwrap().is_empty(),
        "node deleted on exit"
    );
    println!("MEASURE exit with server up: {:?}", t.elapsed());
    // Server hung: Ctrl-C still ends the process within a second.
    let mut holder = start(&path);
    zk.pause(0);
    holder.signal(libc::SIGINT);
    let t = Instant::now();
    let status = holder.wait_exit(Duration::from_secs(3));
    let status = status.unwrap_or_else(|| panic!("no exit:\n{}", holder.transcript()));
    let took = t.elapsed();
    zk.resume(0);
    assert_eq!(status.code(), Some(130));
    assert!(
        took < Duration::from_secs(1),
        "exit took {took:?} with a hung server"
    );
    println!("MEASURE exit with server hung: {took:?}");
}

/// A hung server noticed first by the probe, then by the crate (its connection drops, and it
/// looks for another server while the ensemble elects a new leader): the session must not read
/// as reconnected until the crate has a connection again. (Found by the election chaos run: a
/// probe with nothing to probe counted as "alive", the owner was told Reconnected, its calls
/// failed, and it waited for a Reconnected that had already come.)
#[test]
fn reconnected_means_calls_work_after_a_hung_then_dead_ensemble_leader() {
    let mut zk = ensemble(200);
    let cfg = config(&zk.connect_string(), Duration::from_secs(4));
    let leader = zk.leader().expect("the ensemble has a leader");
    // A session on the leader (the crate picks a server at random).
    let (s, rx) = (0..30)
        .map(|_| connect(&cfg))
        .find(|(s, _)| server_of(&zk, s.id()) == leader)
        .expect("a session on the leader within 30 tries");
    // Hung: the probe notices first. Then dead: the crate's connection drops.
    zk.pause(leader);
    let paused = Instant::now();
    let (at, ev) = next_event(&rx, Duration::from_secs(3));
    assert!(matches!(ev, SessionEvent::Suspended { .. }), "{ev:?}");
    let mut events = vec![(at - paused, ev)];
    zk.kill(leader);
    let outcome = loop {
        let (at, ev) = next_event(&rx, Duration::from_secs(10));
        events.push((at - paused, ev.clone()));
        match ev {
            SessionEvent::Suspended { .. } => {}
            SessionEvent::Reconnected => break s.exists("/"),
            SessionEvent::Lost { .. } => break Err(Error::Lost),
        }
    };
    println!("MEASURE hung, then dead ensemble leader: events {events:?}");
    assert!(
        outcome.is_ok(),
        "the first call after the last event failed: {outcome:?}; events {events:?}"
    );
}

/// Issue #13: say what happened. A stopped server (connection refused) is reported at once,
/// as such, not after the whole --connect-timeout; a chroot that does not exist is named.
#[test]
fn a_refused_connection_is_said_at_once_and_a_missing_chroot_is_named() {
    let free = {
        let l = TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().to_string()
    };
    let t = Instant::now();
    let out = zkdemo()
        .args(["--zk", &free, "--connect-timeout", "10s", "config", "get"])
        .output()
        .unwrap();
    let took = t.elapsed();
    let err = String::from_utf8_lossy(&out.stderr);
    println!("MEASURE refused connection reported after {took:?}");
    assert_eq!(out.status.code(), Some(69), "{err}");
    assert!(err.contains("connection refused"), "{err}");
    assert!(!err.contains("hung"), "{err}");
    assert!(took < Duration::from_secs(3), "took {took:?}");

    let zk = shared();
    let missing = unique_path("chroot");
    let connect = format!("{}{missing}", zk.connect_string());
    let out = zkdemo()
        .args(["--zk", &connect, "lock", "-n", "--path", "/l", "--", "true"])
        .output()
        .unwrap();
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(3), "{err}");
    assert!(err.contains(&format!("the chroot {missing}")), "{err}");
    assert!(err.lines().count() == 1, "one line: {err}");
}

/// A session timeout the server bounds (its maxSessionTimeout is 20 ticks: 4 s here) is said
/// with -v, not clamped in silence (found by a fault trial).
#[test]
fn a_session_timeout_the_server_bounds_is_said_with_v() {
    let mut c = zkdemo();
    c.env_remove("ZKDEMO_AUTH").args([
        "--zk",
        &shared().connect_string(),
        "-v",
        "--session-timeout",
        "30s",
        "inspect",
        "/",
    ]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert!(st.success(), "{}", p.transcript());
    assert!(
        p.stderr()
            .contains("the server granted a session timeout of 4s (asked: 30s)"),
        "{}",
        p.stderr()
    );
}
