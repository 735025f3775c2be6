//! Session lifecycle of whole zkdemo processes against real servers: restarts, link cuts,
//! half-open connections, long outages and a hung server, with the server's own view (`cons`)
//! of how many sessions each process holds, and what each process costs while it waits.
//!
//! Every test runs its own standalone server (tick 250 ms: a 4 s session timeout is granted as
//! asked) and prints `MEASURE` lines. Network faults come from `common::proxy::Proxy`.

mod common;

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::process::Command;
use std::thread::sleep;
use std::time::{Duration, Instant, SystemTime, UNIX_EPOCH};

use common::proxy::Proxy;
use common::*;
use serde_json::Value;

/// ZooKeeper's tick for every server here: sessions of 0.5 s to 5 s.
const TICK_MS: u32 = 250;
/// The session timeout every zkdemo process asks for.
const SESSION: Duration = Duration::from_secs(4);
/// What a busy 2-core machine adds on top of a protocol bound (JVM pauses, scheduling).
const SLACK: Duration = Duration::from_secs(4);

// --- processes -------------------------------------------------------------------------------

/// `zkdemo --zk ZK --session-timeout 4s --json` and `extra` global options.
fn zkdemo_on(zk: &str, extra: &[&str]) -> Command {
    let mut c = zkdemo();
    c.env_remove("ZKDEMO_AUTH")
        .args(["--zk", zk, "--session-timeout", "4s", "--json"])
        .args(extra);
    c
}

/// A lock worker: `lock --path P --id ID --hold 300ms --pause 100ms`.
fn lock_worker(zk: &str, path: &str, id: &str, global: &[&str]) -> Proc {
    let mut c = zkdemo_on(zk, global);
    c.args(["lock", "--path", path, "--id", id])
        .args(["--hold", "300ms", "--pause", "100ms"]);
    Proc::spawn(c)
}

/// An election node: `elect --path P --id ID [--lead D] [-- COMMAND…]`.
fn elect_node(
    zk: &str,
    path: &str,
    id: &str,
    lead: Option<&str>,
    command: &[&str],
    global: &[&str],
) -> Proc {
    let mut c = zkdemo_on(zk, global);
    c.args(["elect", "--path", path, "--id", id]);
    if let Some(d) = lead {
        c.args(["--lead", d]);
    }
    if !command.is_empty() {
        c.arg("--").args(command);
    }
    Proc::spawn(c)
}

/// `config --path P watch`, returned once it printed the initial state.
fn config_watch(zk: &str, path: &str, global: &[&str]) -> Proc {
    let mut c = zkdemo_on(zk, global);
    c.args(["config", "--path", path, "watch"]);
    let p = Proc::spawn(c);
    if p.wait_for(
        |j| j["event"] == "config" && j["initial"] == true,
        Duration::from_secs(20),
    )
    .is_none()
    {
        panic!("the watcher printed no initial state:\n{}", p.transcript());
    }
    p
}

/// `zkdemo --zk SERVER config --path P set k=v`, straight to the server; panics on failure.
fn config_set(server: SocketAddr, path: &str, kv: &str) {
    let mut c = zkdemo();
    c.env_remove("ZKDEMO_AUTH").args([
        "--zk",
        &server.to_string(),
        "config",
        "--path",
        path,
        "set",
        kv,
    ]);
    let (st, p) = run(c, Duration::from_secs(20));
    assert!(st.success(), "config set {kv}: {}", p.transcript());
}

/// When `p` printed event `name` (and `pred` holds) after `after`: the first such line.
fn event_after(
    p: &Proc,
    name: &str,
    after: Instant,
    pred: impl Fn(&Value) -> bool,
) -> Option<Instant> {
    p.lines().into_iter().find_map(|l| {
        let j = l.json.as_ref()?;
        (l.at > after && j["event"] == name && pred(j)).then_some(l.at)
    })
}

/// The `session` field of `p`'s last `name` event before `t` and its first one after: whether a
/// process kept its session across an outage.
fn sessions_around(p: &Proc, name: &str, t: Instant) -> (Value, Value) {
    let lines = p.lines();
    let of = |l: &Line| {
        l.json
            .as_ref()
            .filter(|j| j["event"] == name)
            .map(|j| j["session"].clone())
    };
    let before = lines.iter().filter(|l| l.at <= t).rev().find_map(of);
    let after = lines.iter().filter(|l| l.at > t).find_map(of);
    (before.unwrap_or(Value::Null), after.unwrap_or(Value::Null))
}

/// Wait up to `limit` for `event_after`.
fn wait_event_after(p: &Proc, name: &str, after: Instant, limit: Duration) -> Option<Instant> {
    eventually(limit, || event_after(p, name, after, |_| true))
}

/// Wait up to `limit` for a `config` change event whose data has `key` = `value`.
fn wait_config(
    p: &Proc,
    key: &str,
    value: &str,
    after: Instant,
    limit: Duration,
) -> Option<Instant> {
    eventually(limit, || {
        event_after(p, "config", after, |j| j["data"][key] == value)
    })
}

/// The index of the worker holding the lock now, by its own events: its last `acquired`,
/// `released` or `lost` is `acquired`.
fn holder(workers: &[&Proc]) -> Option<usize> {
    workers.iter().position(|w| {
        w.events()
            .iter()
            .rev()
            .find_map(|e| match e["event"].as_str() {
                Some(ev @ ("acquired" | "released" | "lost")) => Some(ev == "acquired"),
                _ => None,
            })
            .unwrap_or(false)
    })
}

/// Still running (not exited, not a zombie).
fn running(p: &mut Proc) -> bool {
    p.wait_exit(Duration::ZERO).is_none()
}

// --- the server's view -----------------------------------------------------------------------

/// Who to count sessions for: a name, and how to find its sessions on the server.
struct Counted<'a> {
    name: String,
    sessions: Box<dyn Fn() -> Vec<i64> + 'a>,
}

/// A process connected straight to `addr`.
fn by_pid<'a>(name: &str, addr: SocketAddr, pid: u32) -> Counted<'a> {
    Counted {
        name: format!("{name} (pid {pid})"),
        sessions: Box::new(move || sessions_of_pid(&addr, pid)),
    }
}

/// The one process behind `proxy`.
fn by_proxy<'a>(name: &str, addr: SocketAddr, proxy: &'a Proxy) -> Counted<'a> {
    Counted {
        name: format!("{name} (via proxy {})", proxy.addr()),
        sessions: Box::new(move || sessions_from_ports(&addr, &proxy.upstream_ports())),
    }
}

/// Each of `who` holds exactly one session on the server within `settle`, and still exactly one
/// at every look (every 250 ms) for `stay` after that. Returns a description of what went wrong.
fn one_session_each(
    addr: SocketAddr,
    who: &[Counted],
    settle: Duration,
    stay: Duration,
) -> Result<(), String> {
    let counts = || who.iter().map(|w| (w.sessions)()).collect::<Vec<_>>();
    let t = Instant::now();
    let ok = |c: &[Vec<i64>]| c.iter().all(|s| s.len() == 1);
    let first = eventually(settle, || {
        let c = counts();
        ok(&c).then_some(c)
    });
    let describe = |c: &[Vec<i64>]| {
        who.iter()
            .zip(c)
            .map(|(w, s)| {
                let ids: Vec<String> = s.iter().map(|x| format!("0x{x:x}")).collect();
                format!("{}: {} session(s) [{}]", w.name, s.len(), ids.join(" "))
            })
            .collect::<Vec<_>>()
            .join("; ")
    };
    let Some(first) = first else {
        let c = counts();
        return Err(format!(
            "not one session per process within {settle:?}: {}\nall sessions on the server: {:?}",
            describe(&c),
            all_sessions(addr)
        ));
    };
    eprintln!(
        "MEASURE one session each after {:?}: {}",
        t.elapsed(),
        describe(&first)
    );
    let until = Instant::now() + stay;
    while Instant::now() < until {
        let c = counts();
        if !ok(&c) {
            return Err(format!(
                "one session per process at first, then not ({:?} later): {}\nall sessions: {:?}",
                t.elapsed(),
                describe(&c),
                all_sessions(addr)
            ));
        }
        // The same sessions, too: a process that swapped its session for another is fine, but
        // say so.
        if c != first {
            eprintln!("MEASURE sessions changed: {}", describe(&c));
        }
        sleep(Duration::from_millis(250));
    }
    Ok(())
}

/// Every session on the server, for messages: `0x… from 127.0.0.1:port`.
fn all_sessions(addr: SocketAddr) -> String {
    server_sessions(&addr)
        .iter()
        .map(|(sid, remote)| format!("0x{sid:x} from {remote}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Panic with every problem found, and the transcripts of `procs`.
fn verdict(problems: &[String], procs: &[(&str, &Proc)]) {
    if problems.is_empty() {
        return;
    }
    let mut msg = format!(
        "{} problem(s):\n- {}\n",
        problems.len(),
        problems.join("\n- ")
    );
    for (name, p) in procs {
        msg.push_str(&format!("\n=== {name} ===\n{}\n", p.transcript()));
    }
    panic!("{msg}");
}

// --- what a process costs --------------------------------------------------------------------

#[derive(Debug, Clone, Copy)]
struct Sample {
    at: Instant,
    /// utime + stime, in clock ticks.
    cpu: u64,
    threads: u64,
    fds: usize,
}

fn sample(pid: u32) -> Option<Sample> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    let rest: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
    if rest.first() == Some(&"Z") {
        return None;
    }
    // Fields after the command name start at field 3 (state): utime is 14, stime 15.
    let cpu = rest.get(11)?.parse::<u64>().ok()? + rest.get(12)?.parse::<u64>().ok()?;
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    let threads = status
        .lines()
        .find_map(|l| l.strip_prefix("Threads:"))?
        .trim()
        .parse()
        .ok()?;
    let fds = std::fs::read_dir(format!("/proc/{pid}/fd")).ok()?.count();
    Some(Sample {
        at: Instant::now(),
        cpu,
        threads,
        fds,
    })
}

fn clock_ticks_per_second() -> u64 {
    // SAFETY: sysconf has no preconditions.
    let t = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if t > 0 {
        t as u64
    } else {
        100
    }
}

// --- the proxy itself ------------------------------------------------------------------------

/// An echo server on a free port (its threads end with the test binary).
fn echo_server() -> SocketAddr {
    let l = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = l.local_addr().unwrap();
    std::thread::spawn(move || {
        for s in l.incoming().flatten() {
            std::thread::spawn(move || {
                let mut r = &s;
                let mut w = &s;
                let _ = io::copy(&mut r, &mut w);
            });
        }
    });
    addr
}

fn connect(addr: SocketAddr) -> io::Result<TcpStream> {
    let s = TcpStream::connect_timeout(&addr, Duration::from_secs(2))?;
    s.set_read_timeout(Some(Duration::from_millis(400)))?;
    Ok(s)
}

/// Write `msg` and read back as many bytes: Ok(what came back) or the read's error.
fn round_trip(s: &mut TcpStream, msg: &[u8]) -> io::Result<Vec<u8>> {
    s.write_all(msg)?;
    let mut got = vec![0u8; msg.len()];
    let mut n = 0;
    while n < got.len() {
        match s.read(&mut got[n..])? {
            0 => return Err(io::ErrorKind::UnexpectedEof.into()),
            k => n += k,
        }
    }
    Ok(got)
}

fn silent(r: io::Result<Vec<u8>>) -> bool {
    matches!(r, Err(e) if matches!(e.kind(), io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut))
}

/// The proxy itself: bytes pass intact; `blackhole_existing` silences the open flow and lets a
/// new one pass; `cut` resets open connections and refuses new ones; `heal` listens again;
/// `blackhole` silences old and new; dropping it resets what is left.
#[test]
fn proxy_passes_bytes_cuts_with_resets_and_blackholes() {
    let echo = echo_server();
    let p = Proxy::start(echo);
    let mut a = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut a, b"hello").unwrap(), b"hello");
    let big: Vec<u8> = (0..200_000u32).map(|i| i as u8).collect();
    let mut ab = a.try_clone().unwrap();
    ab.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
    assert_eq!(
        round_trip(&mut ab, &big).unwrap(),
        big,
        "200 kB pass intact"
    );
    // (The timeout is the socket's, shared by both handles.)
    a.set_read_timeout(Some(Duration::from_millis(400)))
        .unwrap();
    assert_eq!(p.open_connections(), 1);
    assert_eq!(p.upstream_ports().len(), 1);

    // Half-open: the old flow is dead both ways, a new one passes.
    p.blackhole_existing();
    assert!(silent(round_trip(&mut a, b"x")), "the old flow is silent");
    let mut b = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut b, b"new").unwrap(), b"new");
    assert!(
        silent(round_trip(&mut a, b"y")),
        "the old flow stays silent"
    );
    assert_eq!(p.open_connections(), 2);

    // Cut: resets for the open ones, refused for new ones.
    let t = Instant::now();
    p.cut();
    let cut_took = t.elapsed();
    let r = round_trip(&mut b, b"z");
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "an open connection sees a reset: {r:?}"
    );
    let mut buf = [0u8; 8];
    let r = a.read(&mut buf);
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "a silent one too: {r:?}"
    );
    let r = connect(p.addr());
    assert_eq!(
        r.as_ref().map(|_| ()).map_err(|e| e.kind()),
        Err(io::ErrorKind::ConnectionRefused),
        "new connections are refused while cut"
    );
    assert_eq!(p.open_connections(), 0);

    // Heal: the same port works again.
    p.heal();
    let mut c = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut c, b"again").unwrap(), b"again");

    // Blackhole: accepted, silent, old and new.
    p.blackhole();
    let mut d = connect(p.addr()).expect("accepted while blackholed");
    assert!(silent(round_trip(&mut d, b"q")), "a new flow is silent");
    assert!(silent(round_trip(&mut c, b"q")), "an open flow is silent");
    assert_eq!(p.open_connections(), 2);
    p.heal();
    let mut e = connect(p.addr()).unwrap();
    assert_eq!(round_trip(&mut e, b"healed").unwrap(), b"healed");
    assert_eq!(
        p.open_connections(),
        1,
        "the silent ones are closed by heal"
    );
    let r = d.read(&mut buf);
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "{r:?}"
    );

    let addr = p.addr();
    drop(p);
    let r = e.read(&mut buf);
    assert!(
        matches!(&r, Err(e) if e.kind() == io::ErrorKind::ConnectionReset),
        "{r:?}"
    );
    assert!(connect(addr).is_err(), "nothing listens after drop");
    eprintln!("MEASURE proxy: cut of 2 connections took {cut_took:?}");
}

/// `cons` as ZooKeeper 3.8 answers it: the 4lw connection itself (no sid) is left out.
#[test]
fn cons_answers_give_session_ids_and_client_addresses() {
    let answer = " /127.0.0.1:53790[0](queued=0,recved=1,sent=0)\n \
        /127.0.0.1:53780[1](queued=0,recved=32,sent=37,sid=0x10000cd08c70000,lop=EXIS,\
        est=1796081108234,to=5000,lcxid=0x1f,lzxid=0xe,lresp=13448749,llat=1,minlat=0,\
        avglat=1,maxlat=7)\n\n";
    assert_eq!(
        common::parse_cons(answer),
        [(0x10000cd08c70000, "127.0.0.1:53780".to_owned())]
    );
}

// --- a, b: a standalone restart shorter than the session timeout ------------------------------

/// Stop the server, wait 1.5 s, start it again with its data; returns (stopped, back).
fn restart_quickly(zk: &mut Cluster) -> (Instant, Instant) {
    zk.stop(0);
    let stopped = Instant::now();
    sleep(Duration::from_millis(1500));
    zk.start_node(0).expect("the server starts again");
    (stopped, Instant::now())
}

/// (a) The server stopped and started again with its data, down for less than the session
/// timeout, under two lock workers: each acquires again within a session timeout (+ slack) of
/// the server's return, and the server then sees exactly one session per process.
#[test]
fn lock_workers_acquire_again_after_a_short_restart_with_one_session_each() {
    let mut zk = standalone(TICK_MS);
    let addr = zk.addr(0);
    let path = unique_path("restart-lock");
    let workers: Vec<Proc> = (0..2)
        .map(|i| lock_worker(&addr.to_string(), &path, &format!("w{i}"), &[]))
        .collect();
    for w in &workers {
        if w.wait_event("acquired", Duration::from_secs(20)).is_none() {
            panic!("no first acquisition:\n{}", w.transcript());
        }
    }
    let (stopped, back) = restart_quickly(&mut zk);
    eprintln!("MEASURE server down for {:?}", back - stopped);
    let mut problems = Vec::new();
    for (i, w) in workers.iter().enumerate() {
        match wait_event_after(w, "acquired", back, SESSION + SLACK) {
            Some(at) => eprintln!(
                "MEASURE w{i} acquires {:?} after the server is back (session {:?} then {:?})",
                at - back,
                sessions_around(w, "acquired", back).0,
                sessions_around(w, "acquired", back).1
            ),
            None => problems.push(format!(
                "w{i} did not acquire within {:?} of the server's return",
                SESSION + SLACK
            )),
        }
    }
    // The server's view, also (above all) when something failed already.
    {
        let who: Vec<Counted> = workers
            .iter()
            .enumerate()
            .map(|(i, w)| by_pid(&format!("w{i}"), addr, w.pid()))
            .collect();
        if let Err(e) = one_session_each(addr, &who, Duration::from_secs(5), Duration::from_secs(3))
        {
            problems.push(e);
        }
    }
    if problems.is_empty() {
        // And the lock still goes round.
        let now = Instant::now();
        for (i, w) in workers.iter().enumerate() {
            if wait_event_after(w, "acquired", now, Duration::from_secs(5)).is_none() {
                problems.push(format!("w{i} stopped acquiring after the session check"));
            }
        }
    }
    verdict(&problems, &[("w0", &workers[0]), ("w1", &workers[1])]);
}

/// (b) The same restart under three rotating election nodes: each leads again, one session
/// per process.
#[test]
fn election_nodes_lead_again_after_a_short_restart_with_one_session_each() {
    let mut zk = standalone(TICK_MS);
    let addr = zk.addr(0);
    let s = addr.to_string();
    // Three bare nodes, each resigning after 500 ms and queueing again: leadership rotates.
    // (A leader command would not rotate: --lead does not apply to it.)
    let path = unique_path("restart-elect");
    let nodes: Vec<(String, Proc)> = (0..3)
        .map(|i| {
            let id = format!("n{i}");
            let p = elect_node(&s, &path, &id, Some("500ms"), &[], &[]);
            (id, p)
        })
        .collect();
    // Leadership goes round: each leads once before the restart.
    for (_, n) in &nodes {
        if n.wait_event("leader", Duration::from_secs(20)).is_none() {
            panic!("never led before the restart:\n{}", n.transcript());
        }
    }
    let (stopped, back) = restart_quickly(&mut zk);
    eprintln!("MEASURE server down for {:?}", back - stopped);
    // One session timeout, one rotation of three 500 ms terms, and slack.
    let limit = SESSION + Duration::from_millis(1500) + SLACK;
    let mut problems = Vec::new();
    for (id, n) in &nodes {
        match wait_event_after(n, "leader", back, limit) {
            Some(at) => eprintln!(
                "MEASURE {id} leads {:?} after the server is back (session {:?} then {:?})",
                at - back,
                sessions_around(n, "leader", back).0,
                sessions_around(n, "leader", back).1
            ),
            None => problems.push(format!(
                "{id} did not lead within {limit:?} of the server's return"
            )),
        }
    }
    // The server's view, also (above all) when something failed already.
    let who: Vec<Counted> = nodes
        .iter()
        .map(|(id, n)| by_pid(id, addr, n.pid()))
        .collect();
    if let Err(e) = one_session_each(addr, &who, Duration::from_secs(5), Duration::from_secs(3)) {
        problems.push(e);
    }
    let named: Vec<(&str, &Proc)> = nodes.iter().map(|(id, p)| (id.as_str(), p)).collect();
    verdict(&problems, &named);
}

// --- c: the holder's link cut and healed within the session timeout --------------------------

/// (c) The holder's link reset and refused for 1 s (well within the session timeout), then
/// healed: both workers acquire again, one session per process (counted behind each proxy).
#[test]
fn holder_link_cut_and_healed_within_the_timeout_both_acquire_again_one_session_each() {
    let zk = standalone(TICK_MS);
    let addr = zk.addr(0);
    let path = unique_path("cut-holder");
    let proxies = [Proxy::start(addr), Proxy::start(addr)];
    let workers: Vec<Proc> = proxies
        .iter()
        .enumerate()
        .map(|(i, p)| lock_worker(&p.addr().to_string(), &path, &format!("w{i}"), &[]))
        .collect();
    for w in &workers {
        if w.wait_event("acquired", Duration::from_secs(20)).is_none() {
            panic!("no first acquisition:\n{}", w.transcript());
        }
    }
    let refs: Vec<&Proc> = workers.iter().collect();
    let h = eventually(Duration::from_secs(5), || holder(&refs)).expect("someone holds the lock");
    proxies[h].cut();
    let cut = Instant::now();
    eprintln!("MEASURE cut w{h}'s link (it held the lock)");
    sleep(Duration::from_secs(1));
    proxies[h].heal();
    let healed = Instant::now();
    let mut problems = Vec::new();
    for (i, w) in workers.iter().enumerate() {
        match wait_event_after(w, "acquired", healed, SESSION + SLACK) {
            Some(at) => eprintln!(
                "MEASURE w{i} acquires {:?} after the heal ({:?} after the cut)",
                at - healed,
                at - cut
            ),
            None => problems.push(format!(
                "w{i} did not acquire within {:?} of the heal",
                SESSION + SLACK
            )),
        }
    }
    // The server's view, also (above all) when something failed already.
    {
        let who: Vec<Counted> = proxies
            .iter()
            .enumerate()
            .map(|(i, p)| by_proxy(&format!("w{i}"), addr, p))
            .collect();
        if let Err(e) = one_session_each(addr, &who, Duration::from_secs(5), Duration::from_secs(3))
        {
            problems.push(e);
        }
    }
    verdict(&problems, &[("w0", &workers[0]), ("w1", &workers[1])]);
}

/// (c2) The same short cut under a guarded command, with the default --kill-grace (5 s)
/// longer than the 4 s session: the command is not stopped. Out of contact the grace is at most
/// a quarter of the timeout; before, SIGTERM went out the moment the reset was noticed (found by
/// a fault trial: a 3 s server restart stopped every guarded command).
#[test]
fn a_short_cut_does_not_stop_a_guarded_command_under_the_default_grace() {
    let zk = standalone(TICK_MS);
    let proxy = Proxy::start(zk.addr(0));
    let mut c = zkdemo_on(&proxy.addr().to_string(), &[]);
    c.args(["lock", "--path", &unique_path("cut-guarded"), "--"])
        .args([
            "sh",
            "-c",
            "trap 'echo TERM; exit 0' TERM; echo started; while :; do sleep 0.1; done",
        ]);
    let mut holder = Proc::spawn(c);
    holder
        .wait_text("started", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("the command runs:\n{}", holder.transcript()));
    proxy.cut();
    sleep(Duration::from_secs(1));
    proxy.heal();
    // Past the time a SIGTERM would have come (it came at once) and past the session timeout.
    sleep(SESSION);
    assert!(
        running(&mut holder) && holder.wait_text("TERM", Duration::ZERO).is_none(),
        "the command was stopped by a 1 s cut:\n{}",
        holder.transcript()
    );
    holder.signal(libc::SIGTERM);
    let st = holder.wait_exit(Duration::from_secs(10)).expect("exits");
    assert_eq!(
        st.code(),
        Some(0),
        "the command's own code after SIGTERM:\n{}",
        holder.transcript()
    );
}

/// (c3) A command queued for the lock (no -n, no -w) waits out an outage longer than the
/// session and connect timeouts, as a worker does, and runs once the server is back; it used
/// to exit 69 during the outage (found by a fault trial).
#[test]
fn a_queued_command_waits_out_an_outage_and_runs() {
    let mut zk = standalone(TICK_MS);
    let zs = zk.connect_string();
    let path = unique_path("outage-queued");
    let mut c = zkdemo_on(&zs, &["--connect-timeout", "2s"]);
    c.args(["lock", "--path", &path, "--", "sleep", "60"]);
    let holder = Proc::spawn(c);
    holder
        .wait_event("acquired", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("the holder holds:\n{}", holder.transcript()));
    let mut c = zkdemo_on(&zs, &["--connect-timeout", "2s"]);
    c.args(["lock", "--path", &path, "--", "echo", "ran"]);
    let mut waiter = Proc::spawn(c);
    waiter
        .wait_event("queued", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("the waiter queues:\n{}", waiter.transcript()));
    zk.stop(0);
    // Longer than the session (4 s) and connect (2 s) timeouts: the holder loses the lock.
    sleep(SESSION + Duration::from_secs(3));
    assert!(
        running(&mut waiter),
        "the queued command gave up during the outage:\n{}",
        waiter.transcript()
    );
    zk.start_node(0).expect("the server starts again");
    let st = waiter
        .wait_exit(SESSION + SLACK + Duration::from_secs(10))
        .unwrap_or_else(|| panic!("the waiter never ran:\n{}", waiter.transcript()));
    assert!(st.success(), "{}", waiter.transcript());
    assert!(
        waiter.wait_text("ran", Duration::ZERO).is_some(),
        "{}",
        waiter.transcript()
    );
    drop(holder);
}

/// (c4) zkdemo itself stopped (SIGSTOP) past the session timeout while its command holds:
/// on waking it does not claim to give up "before the session can expire" (found by a fault
/// trial, when the closed connection is seen first); it says it noticed late, or that the
/// session timeout passed, and exits 79.
#[test]
fn a_holder_woken_after_the_session_could_expire_says_it_noticed_late() {
    let zk = standalone(TICK_MS);
    let mut c = zkdemo_on(&zk.connect_string(), &[]);
    c.args([
        "lock",
        "--path",
        &unique_path("stopped-holder"),
        "--kill-grace",
        "1s",
    ])
    .args(["--", "sleep", "60"]);
    let mut holder = Proc::spawn(c);
    holder
        .wait_event("acquired", Duration::from_secs(20))
        .unwrap_or_else(|| panic!("the holder holds:\n{}", holder.transcript()));
    holder.signal(libc::SIGSTOP);
    sleep(SESSION + Duration::from_secs(2));
    holder.signal(libc::SIGCONT);
    let st = holder
        .wait_exit(Duration::from_secs(10))
        .unwrap_or_else(|| panic!("it ends after waking:\n{}", holder.transcript()));
    assert_eq!(st.code(), Some(79), "{}", holder.transcript());
    let lost = holder
        .events()
        .into_iter()
        .find(|e| e["event"] == "lost")
        .unwrap_or_else(|| panic!("it says it lost the lock:\n{}", holder.transcript()));
    let why = lost["reason"].as_str().unwrap_or_default();
    // Which comes first on waking decides the words: the session's own verdict (no contact
    // for the session timeout), or the closed connection with a hold already past its time.
    assert!(
        !why.contains("before the session can expire")
            && (why.contains("late") || why.contains("for the session timeout")),
        "{lost}"
    );
}

// --- d: a link cut for longer than the session and connect timeouts -------------------------

/// (d) A watcher's and a worker's links cut for longer than session timeout + connect
/// timeout, then healed: both still run, each holds exactly one session within a few seconds
/// and for 5 s after, the watcher sees a later change and the worker acquires again.
#[test]
fn long_cut_then_heal_leaves_one_session_per_process_and_they_work() {
    let zk = standalone(TICK_MS);
    let addr = zk.addr(0);
    let cfg_path = unique_path("cut-config");
    let lock_path = unique_path("cut-lock");
    config_set(addr, &cfg_path, "k=before");
    let global = ["--connect-timeout", "2s"];
    let (pw, pl) = (Proxy::start(addr), Proxy::start(addr));
    let mut watcher = config_watch(&pw.addr().to_string(), &cfg_path, &global);
    let mut worker = lock_worker(&pl.addr().to_string(), &lock_path, "w", &global);
    if worker
        .wait_event("acquired", Duration::from_secs(20))
        .is_none()
    {
        panic!("no first acquisition:\n{}", worker.transcript());
    }
    // Longer than the session timeout plus the connect timeout, with room.
    let outage = SESSION + Duration::from_secs(2) + Duration::from_secs(2);
    pw.cut();
    pl.cut();
    let cut = Instant::now();
    sleep(outage);
    pw.heal();
    pl.heal();
    let healed = Instant::now();
    eprintln!("MEASURE links cut for {:?}", healed - cut);
    let mut problems = Vec::new();
    for (name, p) in [("watcher", &mut watcher), ("worker", &mut worker)] {
        if !running(p) {
            problems.push(format!("the {name} exited during the cut"));
        }
    }
    // The server's view, also (above all) when something failed already.
    {
        let who = [
            by_proxy("watcher", addr, &pw),
            by_proxy("worker", addr, &pl),
        ];
        if let Err(e) = one_session_each(addr, &who, Duration::from_secs(8), Duration::from_secs(5))
        {
            problems.push(e);
        }
        eprintln!(
            "MEASURE {:?} after the heal: proxies hold {} (watcher) and {} (worker) connections",
            healed.elapsed(),
            pw.open_connections(),
            pl.open_connections()
        );
        let set = Instant::now();
        config_set(addr, &cfg_path, "k=after");
        match wait_config(&watcher, "k", "after", set, Duration::from_secs(10)) {
            Some(at) => eprintln!(
                "MEASURE the watcher saw the change {:?} after the set",
                at - set
            ),
            None => problems.push("the watcher did not see `k=after` within 10 s".into()),
        }
        if wait_event_after(&worker, "acquired", healed, Duration::from_secs(5)).is_none() {
            problems.push("the worker did not acquire again".into());
        }
    }
    verdict(&problems, &[("watcher", &watcher), ("worker", &worker)]);
}

// --- e: a half-open connection under a guarded command ---------------------------------------

fn now_ns() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .unwrap()
        .as_nanos()
}

/// Kills a guarded command's process group when dropped (a command that ignores SIGTERM would
/// otherwise outlive a killed zkdemo).
struct GroupKiller(Vec<u32>);

impl Drop for GroupKiller {
    fn drop(&mut self) {
        for &pg in &self.0 {
            // SAFETY: kill(2) with a negative pid signals that process group.
            unsafe {
                libc::kill(-(pg as i32), libc::SIGKILL);
            }
        }
    }
}

const TRAPPED: &str = "trap '' TERM; while :; do date +%s%N >> \"$0\"; sleep 0.05; done";

/// (e) The holder's connection goes half-open (nothing passes, nothing closes; new connections
/// still work), its guarded command ignoring SIGTERM: the command's group is dead before the
/// waiter's command starts, and the waiter starts within 15 s. Three trials, the flow dying at
/// different points of the holder's ping cycle.
#[test]
fn half_open_holder_stops_its_command_before_the_waiter_starts() {
    let zk = standalone(TICK_MS);
    let addr = zk.addr(0);
    let mut problems = Vec::new();
    // Different idle times before the flow dies put it at different points of the ping cycle.
    for (trial, idle) in [300u64, 1300, 2300].into_iter().enumerate() {
        let dir = tempfile::tempdir().unwrap();
        let (a, b) = (dir.path().join("A"), dir.path().join("B"));
        let path = unique_path("half-open");
        let proxy = Proxy::start(addr);
        let mut c = zkdemo();
        c.env_remove("ZKDEMO_AUTH").args([
            "--zk",
            &proxy.addr().to_string(),
            "--session-timeout",
            "4s",
            "lock",
            "--path",
            &path,
            "--json",
            "--",
            "sh",
            "-c",
            TRAPPED,
            a.to_str().unwrap(),
        ]);
        let holder = Proc::spawn(c);
        if holder
            .wait_event("acquired", Duration::from_secs(20))
            .is_none()
        {
            panic!("the holder did not acquire:\n{}", holder.transcript());
        }
        let groups = eventually(Duration::from_secs(5), || {
            let k = children_of(holder.pid());
            (!k.is_empty() && stamps(&a).len() >= 2).then_some(k)
        })
        .unwrap_or_else(|| panic!("the guarded command does not run:\n{}", holder.transcript()));
        let _kill_groups = GroupKiller(groups);
        let mut c = zkdemo();
        c.env_remove("ZKDEMO_AUTH").args([
            "--zk",
            &addr.to_string(),
            "--json",
            "lock",
            "--path",
            &path,
            "--",
            "sh",
            "-c",
            "date +%s%N >> \"$0\"",
            b.to_str().unwrap(),
        ]);
        let waiter = Proc::spawn(c);
        if waiter
            .wait_event("queued", Duration::from_secs(20))
            .is_none()
        {
            panic!("the waiter did not queue:\n{}", waiter.transcript());
        }
        sleep(Duration::from_millis(idle));
        // The holder's connection goes silent, and so does every new one it tries: it can
        // reach no server, the server expires its session, and the waiter may take the lock.
        // (With new connections passing, the holder now resumes its session on one and keeps
        // the lock, rightly: before the loss grace was capped, its 5 s grace only made it stop
        // its command the moment the silence was noticed.)
        proxy.blackhole();
        let dead = now_ns();
        let t = Instant::now();
        let started = eventually(Duration::from_secs(20), || stamps(&b).first().copied());
        // Give a command still running the time to show it.
        sleep(Duration::from_secs(1));
        let looked = now_ns();
        let last_a = stamps(&a).into_iter().max().unwrap_or(0);
        let ms = |x: u128, y: u128| (x as f64 - y as f64) / 1e6;
        let said: Vec<String> = holder
            .events()
            .iter()
            .filter_map(|e| e["event"].as_str().map(str::to_owned))
            .collect();
        // Writing every 50 ms: a last line under 300 ms old means it still runs.
        let still = ms(looked, last_a) < 300.0;
        eprintln!(
            "MEASURE trial {trial} (idle {idle} ms): waiter started {} after the flow died; the \
             holder's command last wrote {:.0} ms after it{}; the holder said {said:?}",
            started.map_or("never (20 s)".into(), |b0| format!(
                "{:.0} ms",
                ms(b0, dead)
            )),
            ms(last_a, dead),
            if still { " (still running)" } else { "" },
        );
        match started {
            None => problems.push(format!(
                "trial {trial} (idle {idle} ms): the waiter never started (20 s)"
            )),
            Some(b0) => {
                if last_a >= b0 {
                    let how = if still {
                        "was still running when we looked, a second after".to_owned()
                    } else {
                        format!("ran on {:.0} ms after", ms(last_a, b0))
                    };
                    problems.push(format!(
                        "trial {trial} (idle {idle} ms): the holder's command {how} the \
                         waiter's command started, {:.0} ms after the flow died (two \
                         holders; the holder said {said:?})",
                        ms(b0, dead)
                    ));
                }
                if ms(b0, dead) > 15_000.0 {
                    problems.push(format!(
                        "trial {trial}: the waiter started only {:.0} ms after the flow died",
                        ms(b0, dead)
                    ));
                }
            }
        }
        eprintln!("trial {trial} took {:?} after the flow died", t.elapsed());
        drop(waiter);
        drop(holder);
    }
    assert!(
        problems.is_empty(),
        "{} problem(s):\n- {}",
        problems.len(),
        problems.join("\n- ")
    );
}

// --- f: every server stopped for twice the session timeout ------------------------------------

/// (f) The only server stopped for twice the session timeout under a worker, a watcher and an
/// election node: while it is down each uses at most 2 % of a core, and its threads and open
/// files do not grow; once it is back each resumes (acquires, sees a change, leads).
#[test]
fn long_outage_costs_little_and_every_process_resumes() {
    let mut zk = standalone(TICK_MS);
    let addr = zk.addr(0);
    let s = addr.to_string();
    let (lock_path, cfg_path, el_path) = (
        unique_path("outage-lock"),
        unique_path("outage-config"),
        unique_path("outage-elect"),
    );
    config_set(addr, &cfg_path, "k=before");
    let global = ["--connect-timeout", "2s"];
    let mut worker = lock_worker(&s, &lock_path, "w", &global);
    let mut watcher = config_watch(&s, &cfg_path, &global);
    let mut node = elect_node(&s, &el_path, "e", None, &[], &global);
    if worker
        .wait_event("acquired", Duration::from_secs(20))
        .is_none()
    {
        panic!("no first acquisition:\n{}", worker.transcript());
    }
    if node.wait_event("leader", Duration::from_secs(20)).is_none() {
        panic!("never led:\n{}", node.transcript());
    }
    let outage = 2 * SESSION + Duration::from_secs(2);
    zk.stop(0);
    let stopped = Instant::now();
    sleep(Duration::from_millis(500));
    let pids = [
        ("worker", worker.pid()),
        ("watcher", watcher.pid()),
        ("elect", node.pid()),
    ];
    let mut series: Vec<Vec<Sample>> = vec![Vec::new(); pids.len()];
    let mut problems = Vec::new();
    while stopped.elapsed() < outage - Duration::from_millis(400) {
        for (k, (name, pid)) in pids.iter().enumerate() {
            match sample(*pid) {
                Some(x) => series[k].push(x),
                None => {
                    let msg = format!("the {name} exited during the outage");
                    if !problems.contains(&msg) {
                        problems.push(msg);
                    }
                }
            }
        }
        sleep(Duration::from_secs(1));
    }
    zk.start_node(0).expect("the server starts again");
    let back = Instant::now();
    eprintln!("MEASURE server down for {:?}", back - stopped);
    let tck = clock_ticks_per_second();
    for (k, (name, _)) in pids.iter().enumerate() {
        let v = &series[k];
        if v.len() < 2 {
            continue;
        }
        let (first, last) = (v[0], v[v.len() - 1]);
        let secs = (last.at - first.at).as_secs_f64();
        let cpu = (last.cpu - first.cpu) as f64 / tck as f64 / secs * 100.0;
        let threads: Vec<u64> = v.iter().map(|x| x.threads).collect();
        let fds: Vec<usize> = v.iter().map(|x| x.fds).collect();
        eprintln!(
            "MEASURE {name} while the server is down ({secs:.1} s): CPU {cpu:.2} % of a core, \
             threads {threads:?}, fds {fds:?}"
        );
        if cpu > 2.0 {
            problems.push(format!(
                "the {name} used {cpu:.1} % of a core while the server was down"
            ));
        }
        // Growth, not a passing helper thread: the last samples against the first ones.
        let n = v.len().min(3);
        let (t0, t1) = (
            threads[..n].iter().max().unwrap(),
            threads[threads.len() - n..].iter().min().unwrap(),
        );
        if t1 > t0 {
            problems.push(format!(
                "the {name}'s threads grew during the outage: {threads:?}"
            ));
        }
        let (f0, f1) = (
            fds[..n].iter().max().unwrap(),
            fds[fds.len() - n..].iter().min().unwrap(),
        );
        if f1 > f0 {
            problems.push(format!(
                "the {name}'s open files grew during the outage: {fds:?}"
            ));
        }
    }
    // Back: each resumes.
    let limit = SESSION + 2 * SLACK;
    match wait_event_after(&worker, "acquired", back, limit) {
        Some(at) => eprintln!(
            "MEASURE worker acquires {:?} after the server is back",
            at - back
        ),
        None => problems.push(format!(
            "the worker did not acquire within {limit:?} of the return"
        )),
    }
    match wait_event_after(&node, "leader", back, limit) {
        Some(at) => eprintln!(
            "MEASURE elect node leads {:?} after the server is back",
            at - back
        ),
        None => problems.push(format!(
            "the elect node did not lead within {limit:?} of the return"
        )),
    }
    watcher_sees_a_change(&mut watcher, addr, &cfg_path, limit, &mut problems);
    for (name, p) in [("worker", &mut worker), ("elect", &mut node)] {
        if !running(p) {
            problems.push(format!("the {name} is not running after the outage"));
        }
    }
    verdict(
        &problems,
        &[("worker", &worker), ("watcher", &watcher), ("elect", &node)],
    );
}

// --- g: a hung server -------------------------------------------------------------------------

/// (g) The server hung (SIGSTOP) for 20 s under two workers (one holding, one waiting) and a
/// watcher: threads and open files, sampled every 2 s, stay within a few of what they were
/// before; after the resume both workers acquire and the watcher sees a change.
#[test]
fn hung_server_threads_and_files_stay_bounded_and_all_resume() {
    let zk = standalone(TICK_MS);
    let addr = zk.addr(0);
    let s = addr.to_string();
    let (lock_path, cfg_path) = (unique_path("hung-lock"), unique_path("hung-config"));
    config_set(addr, &cfg_path, "k=before");
    // Two workers: at any moment one holds and one waits.
    let workers: Vec<Proc> = (0..2)
        .map(|i| lock_worker(&s, &lock_path, &format!("w{i}"), &[]))
        .collect();
    let mut watcher = config_watch(&s, &cfg_path, &[]);
    for w in &workers {
        if w.wait_event("acquired", Duration::from_secs(20)).is_none() {
            panic!("no first acquisition:\n{}", w.transcript());
        }
    }
    let mut procs: Vec<(String, u32)> = workers
        .iter()
        .enumerate()
        .map(|(i, w)| (format!("w{i}"), w.pid()))
        .collect();
    procs.push(("watcher".into(), watcher.pid()));
    let base: Vec<Sample> = procs
        .iter()
        .map(|(n, pid)| sample(*pid).unwrap_or_else(|| panic!("{n} is gone")))
        .collect();
    let refs: Vec<&Proc> = workers.iter().collect();
    let h = holder(&refs);
    zk.pause(0);
    let paused = Instant::now();
    eprintln!("MEASURE paused the server; holder then: {h:?}");
    let mut series: Vec<Vec<Sample>> = vec![Vec::new(); procs.len()];
    let mut problems = Vec::new();
    while paused.elapsed() < Duration::from_secs(20) {
        sleep(Duration::from_secs(2));
        for (k, (name, pid)) in procs.iter().enumerate() {
            match sample(*pid) {
                Some(x) => series[k].push(x),
                None => {
                    let msg = format!("{name} exited while the server hung");
                    if !problems.contains(&msg) {
                        problems.push(msg);
                    }
                }
            }
        }
    }
    zk.resume(0);
    let back = Instant::now();
    // A small bound: a few helper threads and sockets (a call in flight, a probe) may come and
    // go; one per retry must not pile up.
    const BOUND: u64 = 4;
    for (k, (name, _)) in procs.iter().enumerate() {
        let threads: Vec<u64> = series[k].iter().map(|x| x.threads).collect();
        let fds: Vec<usize> = series[k].iter().map(|x| x.fds).collect();
        let cpu = series[k]
            .last()
            .map(|l| (l.cpu - base[k].cpu) as f64 / clock_ticks_per_second() as f64)
            .unwrap_or(0.0);
        eprintln!(
            "MEASURE {name} while the server hung: threads {} then {threads:?}, fds {} then \
             {fds:?}, CPU {cpu:.2} s",
            base[k].threads, base[k].fds
        );
        if let Some(m) = threads
            .iter()
            .max()
            .filter(|&&m| m > base[k].threads + BOUND)
        {
            problems.push(format!(
                "{name}'s threads grew from {} to {m} while the server hung: {threads:?}",
                base[k].threads
            ));
        }
        if let Some(m) = fds
            .iter()
            .max()
            .filter(|&&m| m as u64 > base[k].fds as u64 + BOUND)
        {
            problems.push(format!(
                "{name}'s open files grew from {} to {m} while the server hung: {fds:?}",
                base[k].fds
            ));
        }
    }
    let limit = SESSION + 2 * SLACK;
    for (i, w) in workers.iter().enumerate() {
        match wait_event_after(w, "acquired", back, limit) {
            Some(at) => eprintln!("MEASURE w{i} acquires {:?} after the resume", at - back),
            None => problems.push(format!(
                "w{i} did not acquire within {limit:?} of the resume"
            )),
        }
    }
    watcher_sees_a_change(&mut watcher, addr, &cfg_path, limit, &mut problems);
    verdict(
        &problems,
        &[
            ("w0", &workers[0]),
            ("w1", &workers[1]),
            ("watcher", &watcher),
        ],
    );
}

/// After an outage: the watcher still runs and sees a change made now (`k=after`), within
/// `limit`; a problem is noted otherwise.
fn watcher_sees_a_change(
    watcher: &mut Proc,
    addr: SocketAddr,
    cfg_path: &str,
    limit: Duration,
    problems: &mut Vec<String>,
) {
    if !running(watcher) {
        problems.push("the watcher is not running after the outage".into());
        return;
    }
    let set = Instant::now();
    config_set(addr, cfg_path, "k=after");
    match wait_config(watcher, "k", "after", set, limit) {
        Some(at) => eprintln!(
            "MEASURE the watcher saw the change {:?} after the set",
            at - set
        ),
        None => problems.push(format!(
            "the watcher did not see `k=after` within {limit:?}"
        )),
    }
}
