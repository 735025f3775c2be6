//! Four updaters × 250 distinct keys into one config node, three watchers, and faults: kill
//! and restart a server, kill the ensemble's leader, SIGSTOP a watcher or an interactive
//! updater past its session timeout. Two updaters are interactive (`config set` reading one
//! key=value per line, the seed's updater), two run `config set KEY=VALUE` once per key. No
//! updater retries anything itself: zkdemo must not lose a write. Checks: all 1,000 keys are
//! in the node at the end; every updater answered every key with success; every watcher's
//! last printed state is the node's, and no watcher ever printed an older version after a
//! newer one.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::Command;
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rand::Rng;
use serde_json::Value;

use crate::common::*;
use crate::history::{append, now_ns};
use crate::workers::server_fault;
use crate::{signal, Run};

const INTERACTIVE: usize = 2;
const ONE_SHOT: usize = 2;
const KEYS: usize = 250;
const WATCHERS: usize = 3;

fn key(updater: usize, j: usize) -> (String, String) {
    (format!("u{updater}k{j:03}"), format!("v{j}"))
}

#[derive(Default, Debug)]
struct Faults {
    restart_server: u32,
    kill_leader: u32,
    pause_watcher: u32,
    pause_updater: u32,
}

/// The last state a watcher printed, and whether its versions only ever went up.
fn last_state(events: &[Value]) -> (Option<(i64, Value)>, Vec<String>) {
    let mut last: Option<(i64, Value)> = None;
    let mut backwards = Vec::new();
    for e in events.iter().filter(|e| e["event"] == "config") {
        if e["exists"] != true {
            continue;
        }
        let v = e["version"].as_i64().unwrap();
        if let Some((lv, _)) = &last {
            if v <= *lv && e["initial"] != true {
                backwards.push(format!("version {v} printed after {lv}"));
            }
        }
        last = Some((v, e["data"].clone()));
    }
    (last, backwards)
}

#[test]
fn config_chaos_no_update_lost_and_every_watcher_ends_on_the_nodes_state() {
    let mut chaos = Run::start("config", 40);
    let (connect, path, seconds) = (chaos.connect.clone(), chaos.path.clone(), chaos.seconds);
    let base = {
        let (connect, path) = (connect.clone(), path.clone());
        move || {
            let mut cmd = zkdemo();
            cmd.args(["--json", "--zk", &connect, "--session-timeout", "2s"])
                .args(["--connect-timeout", "10s", "config", "--path", &path]);
            cmd
        }
    };

    let watchers: Vec<Proc> = (0..WATCHERS)
        .map(|_| {
            let mut cmd = base();
            cmd.arg("watch");
            let p = Proc::spawn(cmd);
            p.wait_for(|e| e["initial"] == true, Duration::from_secs(20))
                .unwrap_or_else(|| panic!("the watcher never started:\n{}", p.transcript()));
            p
        })
        .collect();

    // Each updater writes key j at start + j × pace, so the writes span the faults.
    let pace = Duration::from_secs(seconds) / KEYS as u32;
    let start = Instant::now() + Duration::from_secs(1);
    let at = move |j: usize| {
        let t = start + pace * j as u32;
        thread::sleep(t.saturating_duration_since(Instant::now()));
    };
    let mut interactive = Vec::new();
    let mut updater_pids = Vec::new();
    let mut feeders = Vec::new();
    for u in 0..INTERACTIVE {
        let mut cmd = base();
        cmd.arg("set");
        let (p, mut stdin) = Proc::spawn_with_stdin(cmd);
        updater_pids.push(p.pid());
        interactive.push(p);
        feeders.push(thread::spawn(move || {
            for j in 0..KEYS {
                at(j);
                let (k, v) = key(u, j);
                writeln!(stdin, "{k}={v}").expect("the updater reads its stdin");
            }
            // Dropping stdin ends the updater's input: it exits once every line is written.
        }));
    }
    // One-shot updaters: the exit code of each `config set` (anything but 0 is a lost write).
    let failures: Arc<Mutex<Vec<String>>> = Arc::default();
    for u in INTERACTIVE..INTERACTIVE + ONE_SHOT {
        let (base, failures) = (base.clone(), failures.clone());
        feeders.push(thread::spawn(move || {
            for j in 0..KEYS {
                at(j);
                let (k, v) = key(u, j);
                let mut cmd: Command = base();
                cmd.args(["set", &format!("{k}={v}")]);
                let (st, p) = run(cmd, Duration::from_secs(60));
                if !st.success() {
                    failures
                        .lock()
                        .unwrap()
                        .push(format!("u{u} {k}: {st}: {}", p.stderr().trim()));
                }
            }
        }));
    }

    // Faults until the updaters are through.
    let mut faults = Faults::default();
    thread::sleep(Duration::from_secs(2));
    let writing = |feeders: &Vec<thread::JoinHandle<()>>| feeders.iter().any(|f| !f.is_finished());
    while writing(&feeders) {
        let (zk, rng, file) = (&mut chaos.zk, &mut chaos.rng, chaos.file.as_path());
        match rng.gen_range(0..4) {
            k @ (0 | 1) => {
                if server_fault(zk, rng, k == 1, file) {
                    if k == 0 {
                        faults.restart_server += 1;
                    } else {
                        faults.kill_leader += 1;
                    }
                }
            }
            k => {
                // Past the 2 s session timeout: the session expires meanwhile.
                let (who, pid) = if k == 2 {
                    faults.pause_watcher += 1;
                    let i = rng.gen_range(0..WATCHERS);
                    (format!("watcher{i}"), watchers[i].pid())
                } else {
                    faults.pause_updater += 1;
                    let i = rng.gen_range(0..INTERACTIVE);
                    (format!("u{i}"), updater_pids[i])
                };
                signal(pid as i32, libc::SIGSTOP);
                append(file, &format!("pause {who} {}", now_ns()));
                thread::sleep(Duration::from_millis(rng.gen_range(2500..4000)));
                signal(pid as i32, libc::SIGCONT);
                append(file, &format!("resume {who} {}", now_ns()));
            }
        }
        thread::sleep(Duration::from_millis(chaos.rng.gen_range(500..2000)));
    }
    for f in feeders {
        f.join().unwrap();
    }
    chaos
        .zk
        .wait_ready(Duration::from_secs(30))
        .expect("ensemble ready");

    // The interactive updaters answer every line, then exit 0 at the end of their input.
    let mut answers = Vec::new();
    for (u, p) in interactive.iter_mut().enumerate() {
        let st = p.wait_exit(Duration::from_secs(60));
        let ev = p.events();
        let sets = ev.iter().filter(|e| e["event"] == "set").count();
        let errors: Vec<&Value> = ev.iter().filter(|e| e["event"] == "error").collect();
        for e in &errors {
            failures.lock().unwrap().push(format!("u{u}: {e}"));
        }
        assert!(
            st.is_some_and(|s| s.success()),
            "interactive updater u{u} did not exit 0 ({st:?}):\n{}",
            p.stderr()
        );
        answers.push(sets);
    }

    // The node now.
    let s = zkdemo::session::Session::connect(
        &session_config(&connect, Duration::from_secs(10)),
        |_| {},
    )
    .expect("a session");
    let (data, stat) = s.get_data(&path).expect("the config node");
    s.close();
    let text = String::from_utf8(data).expect("UTF-8");
    let node: BTreeMap<String, String> = text
        .lines()
        .filter_map(|l| l.split_once('='))
        .map(|(k, v)| (k.to_owned(), v.to_owned()))
        .collect();
    let mut missing = Vec::new();
    for u in 0..INTERACTIVE + ONE_SHOT {
        for j in 0..KEYS {
            let (k, v) = key(u, j);
            if node.get(&k) != Some(&v) {
                missing.push(k);
            }
        }
    }
    let want: Value = Value::Object(
        node.iter()
            .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
            .collect(),
    );

    // Every watcher ends on the node's state (give the paused ones time to catch up).
    let mut in_sync = 0;
    let mut watcher_problems = Vec::new();
    let mut missed_notices = 0;
    for (i, w) in watchers.iter().enumerate() {
        let synced = eventually(Duration::from_secs(20), || {
            let (last, _) = last_state(&w.events());
            last.filter(|(v, d)| *v == stat.version as i64 && *d == want)
        });
        let events = w.events();
        let (last, backwards) = last_state(&events);
        missed_notices += events.iter().filter(|e| e["event"] == "missed").count();
        if synced.is_some() {
            in_sync += 1;
        } else {
            watcher_problems.push(format!(
                "watcher {i} ended on version {:?}, the node is at {}",
                last.map(|l| l.0),
                stat.version
            ));
        }
        for b in backwards {
            watcher_problems.push(format!("watcher {i}: {b}"));
        }
    }

    let failures = failures.lock().unwrap().clone();
    println!(
        "CHAOS config: {seconds} s, faults injected {} (server kill+restart {}, leader kill {}, \
         watcher SIGSTOP past the session timeout {}, interactive updater SIGSTOP {}), keys \
         written {}, keys in the node {}, lost {}, failed writes {}, interactive answers {:?}, \
         node version {}, watchers on the node's last state {in_sync}/{WATCHERS}, \
         `missed` notices {missed_notices}",
        faults.restart_server + faults.kill_leader + faults.pause_watcher + faults.pause_updater,
        faults.restart_server,
        faults.kill_leader,
        faults.pause_watcher,
        faults.pause_updater,
        (INTERACTIVE + ONE_SHOT) * KEYS,
        node.len(),
        missing.len(),
        failures.len(),
        answers,
        stat.version,
    );
    chaos.keep_if(
        !missing.is_empty()
            || !failures.is_empty()
            || answers != vec![KEYS; INTERACTIVE]
            || !watcher_problems.is_empty(),
    );
    assert!(missing.is_empty(), "keys lost: {missing:?}");
    assert!(
        failures.is_empty(),
        "failed writes:\n{}",
        failures.join("\n")
    );
    assert_eq!(answers, vec![KEYS; INTERACTIVE], "one answer per line");
    assert!(
        watcher_problems.is_empty(),
        "{}",
        watcher_problems.join("\n")
    );
}
