//! Issue #14: a guarded command is dead before anyone else can hold. Signals to zkdemo while the
//! command takes seconds to stop, the other terminating signals, and processes the command
//! leaves behind (in its group, or gone from it with `setsid`).

mod common;

use std::process::Command;
use std::time::{Duration, Instant};

use common::*;

fn lock_cmd(path: &str, grace: &str, script: &str) -> Command {
    let mut cmd = zkdemo();
    cmd.args(["--zk", &shared().connect_string(), "--json"])
        .args(["lock", "--path", path, "--kill-grace", grace])
        .args(["--", "sh", "-c", script]);
    cmd
}

/// SIGTERM, SIGINT and SIGHUP to zkdemo while the command needs 1.5 s to clean up: zkdemo
/// passes the signal on, outlives the command, exits with the command's code, and leaves no
/// node behind (it closed its session).
#[test]
fn a_signal_waits_for_the_commands_cleanup_and_exits_with_its_code() {
    for sig in [libc::SIGTERM, libc::SIGINT, libc::SIGHUP] {
        let path = unique_path("sig");
        let dir = tempfile::tempdir().unwrap();
        let done = dir.path().join("done");
        let script = format!(
            "trap 'sleep 1.5; echo cleanup > {}; exit 7' TERM INT HUP; \
             while :; do sleep 0.05; done",
            done.display()
        );
        let mut p = Proc::spawn(lock_cmd(&path, "5s", &script));
        assert!(
            p.wait_event("acquired", Duration::from_secs(10)).is_some(),
            "{}",
            p.transcript()
        );
        std::thread::sleep(Duration::from_millis(200));
        let t = Instant::now();
        p.signal(sig);
        let st = p.wait_exit(Duration::from_secs(10));
        let took = t.elapsed();
        println!("MEASURE signal {sig}: zkdemo exited {st:?} after {took:?}");
        assert_eq!(st.and_then(|s| s.code()), Some(7), "{}", p.transcript());
        assert!(done.exists(), "the cleanup did not run: {}", p.transcript());
        assert!(took >= Duration::from_millis(1400), "exited after {took:?}");
        assert!(!p.stderr().contains("did not answer"), "{}", p.stderr());
        assert!(
            shared_children(&path).is_empty(),
            "a node was left: {:?}",
            shared_children(&path)
        );
    }
}

/// SIGQUIT (Ctrl-\) and SIGUSR1 take the same path: passed on, waited for, and the command's
/// code (128 + the signal, as it died of it) is zkdemo's.
#[test]
fn quit_and_usr1_are_passed_on_not_fatal_to_zkdemo_alone() {
    for sig in [libc::SIGQUIT, libc::SIGUSR1] {
        let path = unique_path("quit");
        let mut p = Proc::spawn(lock_cmd(&path, "2s", "sleep 30"));
        assert!(p.wait_event("acquired", Duration::from_secs(10)).is_some());
        let pid = p.pid();
        // `acquired` is said just before the command starts.
        let kids = eventually(Duration::from_secs(5), || {
            Some(children_of(pid)).filter(|k| !k.is_empty())
        })
        .expect("no command running");
        p.signal(sig);
        let st = p.wait_exit(Duration::from_secs(10));
        assert_eq!(
            st.and_then(|s| s.code()),
            Some(128 + sig),
            "{}",
            p.transcript()
        );
        for k in kids {
            assert!(!process_runs(k, "sleep"), "the command {k} runs on");
        }
        assert!(shared_children(&path).is_empty());
    }
}

/// A command that leaves a process behind (in its group, or gone from it with `setsid`) that
/// ignores SIGTERM: it is dead before the lock passes to the next holder, and zkdemo says so.
#[test]
fn what_the_command_leaves_behind_is_dead_before_the_next_holder_starts() {
    for how in ["group", "setsid"] {
        let path = unique_path("left");
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let lp = format!(
            "trap '' TERM; while :; do date +%s%N >> {}; sleep 0.02; done",
            a.display()
        );
        let script = match how {
            "group" => format!("({lp}) & sleep 0.3; exit 0"),
            _ => format!("setsid sh -c \"{lp}\" & sleep 0.3; exit 0"),
        };
        let mut first = Proc::spawn(lock_cmd(&path, "500ms", &script));
        assert!(first
            .wait_event("acquired", Duration::from_secs(10))
            .is_some());
        let mut second = Proc::spawn(lock_cmd(
            &path,
            "1s",
            &format!("date +%s%N >> {}", b.display()),
        ));
        let st = first.wait_exit(Duration::from_secs(10));
        assert_eq!(st.and_then(|s| s.code()), Some(0), "{}", first.transcript());
        let st2 = second.wait_exit(Duration::from_secs(10));
        assert_eq!(
            st2.and_then(|s| s.code()),
            Some(0),
            "{}",
            second.transcript()
        );
        std::thread::sleep(Duration::from_millis(300));
        let (left, next) = (stamps(&a), stamps(&b));
        let last_left = *left.last().expect("the loop ran");
        let started = *next.first().expect("the second holder ran");
        println!(
            "MEASURE {how}: the left-behind loop wrote last {} ms before the next holder started",
            (started as i128 - last_left as i128) / 1_000_000
        );
        assert!(
            last_left < started,
            "{how}: the left-behind loop wrote after the next holder started"
        );
        // And it stays dead.
        let before = stamps(&a).len();
        std::thread::sleep(Duration::from_millis(200));
        assert_eq!(stamps(&a).len(), before, "{how}: the loop still writes");
        assert!(
            first.stderr().contains("left behind"),
            "{how}: {}",
            first.stderr()
        );
    }
}

/// A command leaves behind, out of its group (`setsid`), a shell that ignores SIGTERM and has
/// a child `sleep 30` in the shell's own group; or such a shell that double-forks another like
/// it; or one whose SIGTERM trap starts a `sleep 30`. When a process is killed, its children are
/// re-parented to zkdemo: they are found and stopped too. Nothing of the tree is alive when the
/// next holder starts (its command looks), nor after zkdemo has exited.
#[test]
fn what_left_the_group_is_stopped_with_its_children_before_the_next_holder_starts() {
    for how in ["setsid", "double-fork", "trap"] {
        let path = unique_path("tree");
        let dir = tempfile::tempdir().unwrap();
        let d = dir.path();
        let (pids, alive_file) = (d.join("pids"), d.join("alive"));
        let _cleanup = KillListed(pids.clone());
        let pf = pids.display();
        // Ignores SIGTERM (as does its `sleep`, which inherits that), says who they are.
        let daemon = d.join("daemon.sh");
        std::fs::write(
            &daemon,
            format!("trap '' TERM\necho $$ >> {pf}\nsleep 30 & echo $! >> {pf}\nwait\n"),
        )
        .unwrap();
        // The same, and first a double fork: `sh daemon.sh` is re-parented at once.
        let forker = d.join("forker.sh");
        std::fs::write(
            &forker,
            format!(
                "trap '' TERM\necho $$ >> {pf}\n( sh {} & )\nsleep 30 & echo $! >> {pf}\nwait\n",
                daemon.display()
            ),
        )
        .unwrap();
        // On SIGTERM, a `sleep 30` that does not ignore it.
        let trapper = d.join("trapper.sh");
        std::fs::write(
            &trapper,
            format!(
                "echo $$ >> {pf}\ntrap 'sleep 30 & echo $! >> {pf}; wait $!; exit 0' TERM\n\
                 while :; do sleep 0.1; done\n"
            ),
        )
        .unwrap();
        let (script, expected) = match how {
            "setsid" => (&daemon, 2),
            "double-fork" => (&forker, 4),
            _ => (&trapper, 1),
        };
        let mut first = Proc::spawn(lock_cmd(
            &path,
            "1s",
            &format!("setsid sh {} & sleep 1; exit 0", script.display()),
        ));
        assert!(
            first
                .wait_event("acquired", Duration::from_secs(10))
                .is_some(),
            "{}",
            first.transcript()
        );
        // The next holder's command writes down which of them still live when it starts.
        let check = format!(
            "for p in $(cat {pf}); do s=$(sed 's/.*) //' /proc/$p/stat 2>/dev/null | cut -c1); \
             if [ -n \"$s\" ] && [ \"$s\" != Z ]; then echo $p; fi; done > {}",
            alive_file.display()
        );
        let mut second = Proc::spawn(lock_cmd(&path, "1s", &check));
        let st = first.wait_exit(Duration::from_secs(15));
        let took = first.started.elapsed();
        assert_eq!(st.and_then(|s| s.code()), Some(0), "{}", first.transcript());
        let listed = pids_in(&pids);
        assert!(
            listed.len() >= expected,
            "{how}: the command listed {listed:?}"
        );
        let left: Vec<u32> = listed.iter().copied().filter(|&p| alive(p)).collect();
        println!(
            "MEASURE {how}: zkdemo exited after {took:?}; of {listed:?} alive: {left:?}; it said: {}",
            first.stderr().trim()
        );
        assert!(
            left.is_empty(),
            "{how}: {left:?} of {listed:?} outlived zkdemo\n{}",
            first.transcript()
        );
        let st2 = second.wait_exit(Duration::from_secs(10));
        assert_eq!(
            st2.and_then(|s| s.code()),
            Some(0),
            "{}",
            second.transcript()
        );
        let seen = std::fs::read_to_string(&alive_file).expect("the next holder ran");
        assert!(
            seen.trim().is_empty(),
            "{how}: alive when the next holder started: {seen:?} (of {listed:?})"
        );
        // And they stay dead.
        std::thread::sleep(Duration::from_millis(300));
        let late: Vec<u32> = pids_in(&pids).into_iter().filter(|&p| alive(p)).collect();
        assert!(late.is_empty(), "{how}: {late:?} alive later");
        assert!(
            first.stderr().contains("left behind"),
            "{how}: {}",
            first.stderr()
        );
    }
}

/// Issue #14: a one-way partition (what the holder sends is lost, what the server sends
/// arrives) right before a write to the holder's node: the notification arrives, the re-watch
/// never gets an answer. The holder's command (which dies on SIGTERM) is dead before the
/// waiter starts, in every trial.
#[test]
fn a_one_way_cut_with_a_rewatch_in_flight_stops_the_holder_before_the_waiter_starts() {
    let server = shared().addr(0);
    let cfg = session_config(&shared().connect_string(), Duration::from_secs(4));
    let writer = zkdemo::session::Session::connect(&cfg, |_| {}).unwrap();
    for trial in 0..3 {
        let proxy = common::proxy::Proxy::start(server);
        let path = unique_path("oneway");
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("a"), dir.path().join("b"));
        let mut holder = Proc::spawn({
            let mut c = zkdemo();
            c.args(["--zk", &proxy.addr().to_string(), "--session-timeout", "4s"])
                .args(["--json", "lock", "--path", &path, "--kill-grace", "300ms"])
                .args(["--", "sh", "-c"])
                .arg(format!(
                    "while :; do date +%s%N >> {}; sleep 0.02; done",
                    a.display()
                ));
            c
        });
        let acquired = holder
            .wait_event("acquired", Duration::from_secs(10))
            .unwrap_or_else(|| panic!("{}", holder.transcript()));
        std::thread::sleep(Duration::from_millis(200 + 500 * trial));
        proxy.drop_uploads();
        let node = format!("{path}/{}", acquired["node"].as_str().unwrap());
        writer.set_data(&node, b"poke".to_vec(), None).unwrap();
        let mut waiter = Proc::spawn({
            let mut c = zkdemo();
            c.args(["--zk", &shared().connect_string()])
                .args(["lock", "--path", &path, "--", "sh", "-c"])
                .arg(format!("date +%s%N >> {}", b.display()));
            c
        });
        let st = waiter.wait_exit(Duration::from_secs(20));
        assert_eq!(
            st.and_then(|s| s.code()),
            Some(0),
            "{}",
            waiter.transcript()
        );
        let hst = holder.wait_exit(Duration::from_secs(10));
        std::thread::sleep(Duration::from_millis(100));
        let (held, next) = (stamps(&a), stamps(&b));
        let last = *held.last().expect("the holder's command ran");
        let first = *next.first().expect("the waiter's command ran");
        println!(
            "MEASURE trial {trial}: the holder's command wrote last {} ms before the waiter \
             started; the holder exited {:?}",
            (first as i128 - last as i128) / 1_000_000,
            hst.and_then(|s| s.code())
        );
        assert!(
            last < first,
            "trial {trial}: the holder's command wrote after the waiter started\n{}",
            holder.transcript()
        );
        proxy.heal();
    }
    writer.close();
}

/// Issue #14: the first use of a new path, with the answer to each request in turn lost (the
/// connection reset right after the server got it): the lock is taken and the command runs
/// every time, and nothing is left in the queue. In kazoo's format and in Curator's (whose
/// lost create is found again by its `_c_<uuid>` prefix, issue #16).
#[test]
fn a_lost_answer_anywhere_on_a_new_paths_first_use_is_survived() {
    let server = shared().addr(0);
    // The handshake is frame 1; then the look for foreign nodes, the lock node's create, the
    // lookups and creates of the missing parents, the create again, the listing.
    for (format, n) in ["kazoo", "curator"]
        .into_iter()
        .flat_map(|f| (2..=9).map(move |n| (f, n)))
    {
        let proxy = common::proxy::Proxy::start(server);
        proxy.reset_after_requests(n);
        let base = unique_path("newpath");
        let path = format!("{base}/a/b");
        let dir = tempfile::tempdir().unwrap();
        let ran = dir.path().join("ran");
        let mut cmd = zkdemo();
        cmd.args(["--zk", &proxy.addr().to_string(), "--session-timeout", "4s"])
            .args([
                "lock", "-n", "--format", format, "--path", &path, "--", "touch",
            ])
            .arg(&ran)
            .env("RUST_LOG", "zkdemo=debug");
        let (st, p) = run(cmd, Duration::from_secs(30));
        // The fault happened: the relay saw its connection go and resumed the session.
        assert!(
            p.stderr().contains("reconnected"),
            "{format}, answer {n}: no reset seen:\n{}",
            p.stderr()
        );
        assert_eq!(
            st.code(),
            Some(0),
            "{format}, answer {n} lost:\n{}",
            p.transcript()
        );
        assert!(
            ran.exists(),
            "{format}, answer {n} lost: the command did not run"
        );
        assert!(
            shared_children(&path).is_empty(),
            "{format}, answer {n} lost: a node was left"
        );
    }
}
