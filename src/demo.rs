//! `zkdemo demo`: the seed's three scenarios in one command, with real participants.
//!
//! Every participant is a separate process of this same binary running a real subcommand
//! with `--json` (`lock`, `elect`, `config watch`, `config set`, `inspect`): separate
//! sessions, the same code paths a user runs by hand. The demo reads their JSON lines, prints
//! them prefixed (`[worker 1]`, `[node 2]`, `[watcher 3]`, `[updater]`) for people, or, with
//! `--json`, passes them through as one stream with a `participant` field added, plus its own
//! events (`demo`, `server`, `scenario`, `step`, `spawned`, `exited`, `summary`, `cleanup`).
//!
//! It works under a base znode of its own, `/zkdemo-demo-<16 hex>`, created at the start
//! (refusing one that exists) and deleted with everything under it at the end, so it never
//! touches a user's data, not even the seed's `/demo-lock`. Without `--zk` (neither the option
//! nor ZKDEMO_ZK) it starts a local standalone ZooKeeper on a free port and stops it at the end.

use std::collections::BTreeMap;
use std::io::{BufRead, BufReader, IsTerminal, Write};
use std::path::PathBuf;
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::{Duration, Instant, SystemTime};

use clap::{Args, ValueEnum};
use serde_json::{Map, Value};

use crate::cli::GlobalArgs;
use crate::exit::{self, Error};
use crate::output::{timestamp, Output};
use crate::server::{spawn_tied, Cluster, ClusterSpec, Distribution};
use crate::session::{self, ConnectString, NodeKind, Session};
use crate::signals;

const EXAMPLES: &str = "\
Examples:
  # Everything, on a local ZooKeeper started (and stopped) for the occasion:
  zkdemo demo

  # Only the seed's lock workers (or: elect, config)
  zkdemo demo --scenario lock

  # On your own server; the demo works under /zkdemo-demo-<random> and deletes it after
  zkdemo --zk 127.0.0.1:2181 demo

  # The whole event stream, one JSON object per line, each with its \"participant\"
  zkdemo --json demo | jq -c 'select(.participant == \"node 1\")'

Exit codes: 0 when every scenario played and every check held (one lock holder at a time,
one leader at a time, every watcher saw every update); 1 when a check failed or a
participant misbehaved; 69 no ZooKeeper (none reachable with --zk, or none installed to
start); 130/143 interrupted (everything started is stopped and removed first).";

/// Which of the seed's stories to play.
#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum Scenario {
    /// Three workers take turns holding a lock.
    Lock,
    /// Three nodes elect a leader; leaders are stopped and others take over.
    Elect,
    /// Three watchers receive three updates from an updater.
    Config,
    /// All three, one after the other.
    All,
}

/// Play the seed's scenarios (lock, election, config) with real participants, in one command.
#[derive(Debug, Args)]
#[command(
    long_about = "Play the seed's three scenarios in one terminal: three lock workers taking \
turns; three election nodes where the leader is stopped (SIGINT) and another takes over; three \
config watchers receiving three updates from an updater; then an `inspect` summary.\n\n\
The participants are real: each is a separate zkdemo process with its own session, running \
the same subcommand you would type (`zkdemo lock`, `zkdemo elect`, `zkdemo config watch`, \
`zkdemo config set`, `zkdemo inspect`). Their lines are shown prefixed with who said them.\n\n\
Without --zk (and without ZKDEMO_ZK) a local standalone ZooKeeper is started on a free port \
for the demo and stopped at the end (this needs Java and ZooKeeper: see `zkdemo server`). \
The demo works under its own znode, /zkdemo-demo-<random>, and deletes it and everything \
under it at the end; nothing else is touched.",
    after_help = EXAMPLES
)]
pub struct DemoArgs {
    /// Which scenario to play.
    #[arg(long, value_enum, default_value_t = Scenario::All)]
    pub scenario: Scenario,
}

/// tickTime of the server the demo starts: sessions of 0.5–5 s.
const TICK_MS: u32 = 250;
/// How long one step may take before the demo gives up on it.
const STEP: Duration = Duration::from_secs(10);

pub fn run(args: &DemoArgs, g: &GlobalArgs, out: Output, zk_given: bool) -> exit::Result<i32> {
    let started = Instant::now();
    let (tx, rx) = mpsc::channel();
    let sig_tx = tx.clone();
    let _sub = signals::subscribe(move |sig| {
        let _ = sig_tx.send(Msg::Signal(sig));
    });
    let color =
        !out.json && std::io::stdout().is_terminal() && std::env::var_os("NO_COLOR").is_none();
    let mut hub = Hub {
        exe: std::env::current_exe()
            .map_err(|e| Error::failure(format!("cannot find our own executable: {e}")))?,
        connect: g.zk.clone(),
        global: g.clone(),
        out,
        color,
        tx,
        rx,
        procs: Vec::new(),
        log: Vec::new(),
    };

    // The server: the user's, or our own.
    let cluster = if zk_given {
        None
    } else {
        Distribution::find().map_err(|e| {
            Error::new(
                exit::UNAVAILABLE,
                format!(
                    "{e}\n(or run the demo against a server you have: zkdemo --zk HOST:PORT demo)"
                ),
            )
        })?;
        hub.say(
            "server",
            "starting",
            "starting a local ZooKeeper for the demo…",
            |e| e,
        );
        let t = Instant::now();
        let c = Cluster::start(&ClusterSpec::standalone(TICK_MS))
            .map_err(|e| Error::failure(format!("cannot start a local ZooKeeper: {e}")))?;
        hub.connect = ConnectString::parse(&c.connect_string()).map_err(Error::failure)?;
        let connect = hub.connect.to_string();
        hub.say(
            "server",
            "started",
            &format!(
                "local ZooKeeper ready on {connect} in {} (pid {}, stopped at the end)",
                session::fmt_duration(t.elapsed()),
                c.pid(0).unwrap_or(0)
            ),
            |e| {
                e.with("connect", connect.clone())
                    .with("pid", c.pid(0).unwrap_or(0))
                    .with("tick_ms", TICK_MS)
            },
        );
        Some(c)
    };

    let mut own = hub.session()?;
    let base = make_base(&own)?;
    let connect = hub.connect.to_string();
    hub.say(
        "demo",
        "start",
        &format!("working under {base} on {connect} (deleted at the end)"),
        |e| {
            e.with("base", base.clone())
                .with("zk", connect.clone())
                .with("own_server", cluster.is_some())
        },
    );

    let scenarios: &[Scenario] = match args.scenario {
        Scenario::All => &[Scenario::Lock, Scenario::Elect, Scenario::Config],
        Scenario::Lock => &[Scenario::Lock],
        Scenario::Elect => &[Scenario::Elect],
        Scenario::Config => &[Scenario::Config],
    };
    let paths = Paths::new(&base);
    let mut played = Ok(());
    for s in scenarios {
        played = match s {
            Scenario::Lock => hub.lock(&paths),
            Scenario::Elect => hub.elect(&paths),
            Scenario::Config => hub.config(&paths),
            Scenario::All => unreachable!(),
        };
        if played.is_err() {
            break;
        }
    }
    if played.is_ok() {
        let shown: Vec<String> = scenarios.iter().map(|s| paths.of(*s)).collect();
        played = hub.inspect("what is left, as `zkdemo inspect` shows it", &shown);
    }

    // Whatever happened: stop every participant, delete what we made, stop our server.
    hub.stop_all();
    if matches!(
        own.health(),
        session::Health::Lost | session::Health::Closed
    ) {
        if let Ok(s) = hub.session() {
            own = s;
        }
    }
    let deleted = delete_tree(&own, &base);
    let gone = matches!(own.exists(&base), Ok(None));
    own.close_within(Duration::from_secs(1));
    match &deleted {
        Ok(n) => hub.say(
            "cleanup",
            if gone { "done" } else { "incomplete" },
            &format!("deleted {base} and the {n} znode(s) under it"),
            |e| {
                e.with("path", base.clone())
                    .with("deleted", *n)
                    .with("gone", gone)
            },
        ),
        Err(e) => hub.say(
            "cleanup",
            "failed",
            &format!("could not delete {base}: {e}"),
            |ev| ev.with("path", base.clone()).with("error", e.to_string()),
        ),
    }
    if let Some(mut c) = cluster {
        c.stop_all();
        hub.say("server", "stopped", "local ZooKeeper stopped", |e| e);
    }

    let code = match played {
        Err(Stop::Signal(sig)) => return Ok(signals::exit_code(sig)),
        Err(Stop::Failed(why)) => return Err(Error::failure(format!("demo failed: {why}"))),
        Ok(()) => {
            let checks = hub.checks(scenarios);
            let ok = checks.ok && gone;
            let text = format!(
                "{} in {}: {}",
                if ok {
                    "all checks passed"
                } else {
                    "CHECKS FAILED"
                },
                session::fmt_duration(started.elapsed()),
                checks.lines.join("; ")
            );
            let elapsed = started.elapsed().as_millis() as u64;
            hub.say("summary", if ok { "ok" } else { "failed" }, &text, |e| {
                let mut e = e.with("ok", ok).with("elapsed_ms", elapsed);
                for (k, v) in &checks.fields {
                    e = e.with(k, v.clone());
                }
                e
            });
            if ok {
                exit::OK
            } else {
                exit::FAILURE
            }
        }
    };
    Ok(code)
}

/// The znodes of one run.
struct Paths {
    lock: String,
    election: String,
    config: String,
}

impl Paths {
    fn new(base: &str) -> Paths {
        Paths {
            lock: format!("{base}/lock"),
            election: format!("{base}/election"),
            config: format!("{base}/configs/demo"),
        }
    }
    fn of(&self, s: Scenario) -> String {
        match s {
            Scenario::Lock => self.lock.clone(),
            Scenario::Elect => self.election.clone(),
            _ => self.config.clone(),
        }
    }
}

/// Create our base node; a random name that already exists is never reused.
fn make_base(s: &Session) -> exit::Result<String> {
    for _ in 0..5 {
        let base = format!("/zkdemo-demo-{:016x}", rand::random::<u64>());
        match s.create(&base, b"zkdemo demo".to_vec(), NodeKind::Persistent) {
            Ok(_) => return Ok(base),
            Err(session::Error::NodeExists) => continue,
            Err(e) => return Err(e.to_exit(&format!("creating {base}"))),
        }
    }
    Err(Error::failure(
        "cannot find a free name for the demo's znode",
    ))
}

/// Delete `path` and everything under it (children first); the number of znodes deleted.
fn delete_tree(s: &Session, path: &str) -> session::Result<usize> {
    let mut n = 0;
    let children = match s.get_children(path) {
        Ok(c) => c,
        Err(session::Error::NoNode) => return Ok(0),
        Err(e) => return Err(e),
    };
    for c in children {
        n += delete_tree(s, &format!("{path}/{c}"))?;
    }
    match s.delete(path, None) {
        Ok(()) => Ok(n + 1),
        Err(session::Error::NoNode) => Ok(n),
        Err(e) => Err(e),
    }
}

/// What `Hub::next` saw.
enum Got {
    Event(usize, Value),
    Text,
    Eof,
    Timeout,
}

enum Msg {
    Line(usize, String),
    Eof(usize),
    Signal(i32),
}

/// Why a scenario ended early.
#[derive(Debug)]
enum Stop {
    Signal(i32),
    Failed(String),
}

type Step<T = ()> = Result<T, Stop>;

struct Proc {
    name: String,
    child: Child,
    stdin: Option<ChildStdin>,
    eof: bool,
    exit: Option<i32>,
}

/// The participants, their output, and the event log the checks read.
struct Hub {
    exe: PathBuf,
    connect: ConnectString,
    global: GlobalArgs,
    out: Output,
    color: bool,
    tx: Sender<Msg>,
    rx: Receiver<Msg>,
    procs: Vec<Proc>,
    /// Every participant event, in the order read.
    log: Vec<Value>,
}

impl Hub {
    fn session(&self) -> exit::Result<Session> {
        let mut g = self.global.clone();
        g.zk = self.connect.clone();
        Ok(Session::connect(&g.session_config(), |_| {})?)
    }

    /// A demo event (participant "demo").
    fn say(
        &self,
        event: &str,
        state: &str,
        text: &str,
        more: impl FnOnce(crate::output::Event) -> crate::output::Event,
    ) {
        let mut m = Map::new();
        m.insert("event".into(), Value::from(event));
        m.insert("ts".into(), Value::from(timestamp()));
        m.insert("participant".into(), Value::from("demo"));
        m.insert("state".into(), Value::from(state));
        let extra = more(crate::output::Event::new("x"));
        if let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(&extra.to_json()) {
            for (k, v) in fields {
                if k != "event" && k != "ts" {
                    m.insert(k, v);
                }
            }
        }
        if self.out.json {
            print_line(&Value::Object(m).to_string());
        } else {
            // A participant that ended as planned is not worth a line for people.
            let routine = event == "exited" && state == "ok";
            if self.out.quiet || routine {
                return;
            }
            let line = if event == "scenario" && state == "start" {
                self.paint("1", &format!("\n== {text} =="))
            } else {
                format!("{} {text}", self.paint("1", &pad("[demo]")))
            };
            print_line(&line);
        }
    }

    fn step(&self, text: &str) {
        self.say("step", "info", text, |e| e.with("text", text));
    }

    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_owned()
        }
    }

    /// Start a participant: this binary with `--zk … --json` and `args`.
    fn spawn(&mut self, name: &str, args: &[&str], stdin: bool) -> Step<usize> {
        let mut cmd = Command::new(&self.exe);
        let g = &self.global;
        cmd.arg("--zk")
            .arg(self.connect.to_string())
            .arg("--session-timeout")
            .arg(humantime::format_duration(g.session_timeout).to_string())
            .arg("--connect-timeout")
            .arg(humantime::format_duration(g.connect_timeout).to_string())
            .args(args)
            .env_remove("ZKDEMO_ZK")
            .env_remove("ZKDEMO_AUTH")
            .stdin(if stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Credentials go through the environment, never the command line (`ps` shows that).
        if let Some(a) = &g.auth {
            cmd.env(
                "ZKDEMO_AUTH",
                String::from_utf8_lossy(&a.digest_bytes()).into_owned(),
            );
        }
        let mut child =
            spawn_tied(cmd).map_err(|e| Stop::Failed(format!("cannot start {name}: {e}")))?;
        let idx = self.procs.len();
        let stdout = child.stdout.take().expect("piped");
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(Msg::Line(idx, line)).is_err() {
                    return;
                }
            }
            let _ = tx.send(Msg::Eof(idx));
        });
        let stderr = child.stderr.take().expect("piped");
        let prefix = pad(&format!("[{name}]"));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                eprintln!("{prefix} {line}");
            }
        });
        let pid = child.id();
        let stdin = child.stdin.take();
        self.procs.push(Proc {
            name: name.to_owned(),
            child,
            stdin,
            eof: false,
            exit: None,
        });
        let what = format!(
            "zkdemo {}",
            args.iter()
                .filter(|a| **a != "--json")
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        );
        self.say(
            "spawned",
            "running",
            &format!("{name}: {what} (pid {pid})"),
            |e| {
                e.with("name", name)
                    .with("pid", pid)
                    .with("command", what.clone())
            },
        );
        Ok(idx)
    }

    /// The next thing that happens before `deadline`.
    fn next(&mut self, deadline: Instant, what: &str) -> Step<Got> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(Msg::Signal(sig)) => Err(Stop::Signal(sig)),
            Ok(Msg::Line(i, line)) => Ok(match self.handle(i, &line) {
                Some(ev) => Got::Event(i, ev),
                None => Got::Text,
            }),
            Ok(Msg::Eof(i)) => {
                self.procs[i].eof = true;
                Ok(Got::Eof)
            }
            Err(RecvTimeoutError::Timeout) => Ok(Got::Timeout),
            Err(RecvTimeoutError::Disconnected) => Err(Stop::Failed(format!(
                "event channel closed while waiting for {what}"
            ))),
        }
    }

    /// Read output until `pred` holds for a new event (participant index, event), or fail.
    fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        mut pred: impl FnMut(usize, &Value) -> bool,
    ) -> Step<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.next(deadline, what)? {
                Got::Event(i, ev) if pred(i, &ev) => return Ok(ev),
                Got::Timeout => return Err(Stop::Failed(format!("timed out waiting for {what}"))),
                _ => {}
            }
        }
    }

    /// Show what arrives for `d`.
    fn pump(&mut self, d: Duration) -> Step {
        let deadline = Instant::now() + d;
        while !matches!(self.next(deadline, "")?, Got::Timeout) {}
        Ok(())
    }

    /// Wait for participant `i` to exit (its output read to the end); its exit code.
    fn wait_exit(&mut self, i: usize, timeout: Duration) -> Step<i32> {
        let deadline = Instant::now() + timeout;
        let name = self.procs[i].name.clone();
        while !self.procs[i].eof {
            if let Got::Timeout = self.next(deadline, &format!("{name} to finish"))? {
                return Err(Stop::Failed(format!("{name} did not finish in time")));
            }
        }
        let status = loop {
            if let Ok(Some(st)) = self.procs[i].child.try_wait() {
                break st;
            }
            if Instant::now() >= deadline {
                return Err(Stop::Failed(format!("{name} does not exit")));
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let code = status.code().unwrap_or_else(|| {
            use std::os::unix::process::ExitStatusExt;
            128 + status.signal().unwrap_or(0)
        });
        self.procs[i].exit = Some(code);
        let state = if code == 0 { "ok" } else { "exited" };
        self.say(
            "exited",
            state,
            &format!("{name} exited with {code}"),
            |e| e.with("name", name.clone()).with("code", code),
        );
        Ok(code)
    }

    /// Wait for participant `i` to exit with `expected`.
    fn finish(&mut self, i: usize, expected: i32) -> Step {
        let code = self.wait_exit(i, STEP)?;
        if code != expected {
            return Err(Stop::Failed(format!(
                "{} exited with {code}, not {expected}",
                self.procs[i].name
            )));
        }
        Ok(())
    }

    fn signal(&self, i: usize, sig: i32) {
        if self.procs[i].exit.is_none() {
            crate::server::signal(self.procs[i].child.id(), sig);
        }
    }

    /// One line from participant `i`: record and show it. The event, when it is one.
    fn handle(&mut self, i: usize, line: &str) -> Option<Value> {
        let name = self.procs[i].name.clone();
        let Ok(Value::Object(fields)) = serde_json::from_str::<Value>(line) else {
            // Plain text (inspect for people): shown as it is, prefixed.
            if !self.out.quiet && !self.out.json {
                print_line(&format!(
                    "{} {line}",
                    self.paint(role_color(&name), &pad(&format!("[{name}]")))
                ));
            }
            return None;
        };
        // event, ts, participant, then the participant's own fields.
        let mut m = Map::new();
        for k in ["event", "ts"] {
            if let Some(v) = fields.get(k) {
                m.insert(k.into(), v.clone());
            }
        }
        m.insert("participant".into(), Value::from(name.clone()));
        for (k, v) in fields {
            m.entry(k).or_insert(v);
        }
        let ev = Value::Object(m);
        if self.out.json {
            print_line(&ev.to_string());
        } else if !self.out.quiet {
            if let Some(text) = describe(&ev) {
                let prefix = self.paint(role_color(&name), &pad(&format!("[{name}]")));
                for l in text.lines() {
                    print_line(&format!("{prefix} {l}"));
                }
            }
        }
        self.log.push(ev.clone());
        Some(ev)
    }

    /// Stop every participant still running: SIGINT, a grace period, then SIGKILL.
    fn stop_all(&mut self) {
        let running: Vec<usize> = (0..self.procs.len())
            .filter(|&i| self.procs[i].exit.is_none())
            .collect();
        for &i in &running {
            self.procs[i].stdin = None;
            self.signal(i, libc::SIGINT);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        for &i in &running {
            loop {
                match self.procs[i].child.try_wait() {
                    Ok(Some(st)) => {
                        self.procs[i].exit = Some(st.code().unwrap_or(-1));
                        break;
                    }
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(20))
                    }
                    _ => {
                        let _ = self.procs[i].child.kill();
                        let _ = self.procs[i].child.wait();
                        self.procs[i].exit = Some(-1);
                        break;
                    }
                }
            }
        }
        // Show what they said on the way out.
        while let Ok(m) = self.rx.try_recv() {
            if let Msg::Line(i, line) = m {
                self.handle(i, &line);
            }
        }
    }

    // ---- the scenarios -------------------------------------------------------------------

    /// The seed's lock_worker.py, three times: each worker takes the lock twice.
    fn lock(&mut self, p: &Paths) -> Step {
        self.say(
            "scenario",
            "start",
            &format!("lock: three workers take turns on {}", p.lock),
            |e| e.with("name", "lock").with("path", p.lock.clone()),
        );
        let mut workers = Vec::new();
        for n in 1..=3 {
            let id = n.to_string();
            workers.push(self.spawn(
                &format!("worker {n}"),
                &[
                    "--json", "lock", "--path", &p.lock, "--id", &id, "--hold", "700ms", "--pause",
                    "300ms", "--count", "2",
                ],
                false,
            )?);
        }
        // Once one holds and two wait, show the queue as `inspect` sees it.
        let mut holding = 0;
        let mut queued = 0;
        self.wait_until("the workers to queue", STEP, |_, ev| {
            match ev["event"].as_str() {
                Some("acquired") => holding += 1,
                Some("queued") => queued += 1,
                _ => {}
            }
            holding >= 1 && queued >= 2
        })?;
        self.inspect(
            "one holds, two wait: the queue as `zkdemo inspect` shows it",
            std::slice::from_ref(&p.lock),
        )?;
        for w in workers {
            self.finish(w, exit::OK)?;
        }
        self.say("scenario", "end", "lock: done", |e| e.with("name", "lock"));
        Ok(())
    }

    /// The seed's leader_node.py, three times: the leader is stopped, another takes over.
    fn elect(&mut self, p: &Paths) -> Step {
        self.say(
            "scenario",
            "start",
            &format!(
                "elect: three nodes elect a leader on {}; each leader is stopped in turn",
                p.election
            ),
            |e| e.with("name", "elect").with("path", p.election.clone()),
        );
        let mut nodes = Vec::new();
        for n in 1..=3 {
            let id = n.to_string();
            let i = self.spawn(
                &format!("node {n}"),
                &["--json", "elect", "--path", &p.election, "--id", &id],
                false,
            )?;
            nodes.push(i);
            // One at a time, so node 1 leads and the others queue in order.
            let want = if n == 1 { "leader" } else { "follower" };
            self.wait_until(&format!("node {n} to join"), STEP, |j, ev| {
                j == i && ev["event"] == want
            })?;
        }
        self.inspect(
            "the election as `zkdemo inspect` shows it",
            std::slice::from_ref(&p.election),
        )?;
        let mut leader = nodes[0];
        let mut left = nodes.clone();
        while left.len() > 1 {
            self.pump(Duration::from_millis(500))?;
            let name = self.procs[leader].name.clone();
            self.step(&format!(
                "stopping the leader, {name}, with SIGINT (Ctrl-C)"
            ));
            self.signal(leader, libc::SIGINT);
            let stopped = leader;
            let ev = self.wait_until("another node to lead", STEP, |j, ev| {
                j != stopped && ev["event"] == "leader"
            })?;
            self.finish(stopped, signals::exit_code(libc::SIGINT))?;
            left.retain(|&i| i != stopped);
            leader = *left
                .iter()
                .find(|&&i| Some(self.procs[i].name.as_str()) == ev["participant"].as_str())
                .expect("a running node leads");
        }
        self.pump(Duration::from_millis(500))?;
        let name = self.procs[leader].name.clone();
        self.step(&format!("stopping the last node, {name}"));
        self.signal(leader, libc::SIGINT);
        self.finish(leader, signals::exit_code(libc::SIGINT))?;
        self.say("scenario", "end", "elect: done", |e| {
            e.with("name", "elect")
        });
        Ok(())
    }

    /// The seed's config_client.py three times and config_updater.py once.
    fn config(&mut self, p: &Paths) -> Step {
        self.say(
            "scenario",
            "start",
            &format!(
                "config: three watchers, one updater, three updates of {}",
                p.config
            ),
            |e| e.with("name", "config").with("path", p.config.clone()),
        );
        let mut watchers = Vec::new();
        for n in 1..=3 {
            let i = self.spawn(
                &format!("watcher {n}"),
                &[
                    "--json", "config", "--path", &p.config, "watch", "--count", "3",
                ],
                false,
            )?;
            watchers.push(i);
        }
        let mut ready = Vec::new();
        self.wait_until("the watchers to start", STEP, |j, ev| {
            if watchers.contains(&j) && ev["event"] == "config" && ev["initial"] == true {
                ready.push(j);
            }
            ready.len() == watchers.len()
        })?;
        let updater = self.spawn(
            "updater",
            &["--json", "config", "--path", &p.config, "set"],
            true,
        )?;
        for line in ["color=blue", "color=green", "replicas=3"] {
            self.step(&format!("the updater types: {line}"));
            let written = self.procs[updater]
                .stdin
                .as_mut()
                .map(|s| writeln!(s, "{line}").and_then(|_| s.flush()));
            if !matches!(written, Some(Ok(()))) {
                return Err(Stop::Failed("cannot write to the updater".into()));
            }
            let set = self.wait_until("the update to be written", STEP, |j, ev| {
                j == updater && ev["event"] == "set"
            })?;
            // The watchers may print it before the updater hears back: look at what came too.
            let version = set["version"].clone();
            let sees = |j: usize, ev: &Value| {
                watchers.contains(&j) && ev["event"] == "config" && ev["version"] == version
            };
            let mut saw: Vec<usize> = watchers
                .iter()
                .copied()
                .filter(|&w| {
                    let name = self.procs[w].name.as_str();
                    self.log
                        .iter()
                        .any(|ev| ev["participant"] == name && sees(w, ev))
                })
                .collect();
            if saw.len() < watchers.len() {
                self.wait_until("every watcher to see the update", STEP, |j, ev| {
                    if sees(j, ev) && !saw.contains(&j) {
                        saw.push(j);
                    }
                    saw.len() == watchers.len()
                })?;
            }
        }
        self.procs[updater].stdin = None; // end of input: the updater exits
        self.finish(updater, exit::OK)?;
        for w in watchers {
            self.finish(w, exit::OK)?;
        }
        self.say("scenario", "end", "config: done", |e| {
            e.with("name", "config")
        });
        Ok(())
    }

    /// Run `zkdemo inspect PATHS` once and show what it says.
    fn inspect(&mut self, why: &str, paths: &[String]) -> Step {
        let mut args: Vec<&str> = Vec::new();
        if self.out.json {
            args.push("--json");
        }
        args.push("inspect");
        args.extend(paths.iter().map(String::as_str));
        self.say("step", "info", why, |e| {
            e.with("text", format!("inspect {}", paths.join(" ")))
                .with("why", why)
        });
        let i = self.spawn("inspect", &args, false)?;
        self.finish(i, exit::OK)
    }

    // ---- the checks ----------------------------------------------------------------------

    fn checks(&self, played: &[Scenario]) -> Checks {
        let mut c = Checks {
            ok: true,
            lines: Vec::new(),
            fields: Vec::new(),
        };
        if played.contains(&Scenario::Lock) {
            let (n, overlaps) = overlaps(&self.log, "acquired", &["released", "lost"], "worker");
            let ok = n == 6 && overlaps == 0;
            c.ok &= ok;
            c.lines
                .push(format!("{n} lock holds, {overlaps} overlapping"));
            c.fields.push(("lock_holds".into(), n.into()));
            c.fields.push(("lock_overlaps".into(), overlaps.into()));
        }
        if played.contains(&Scenario::Elect) {
            let (n, overlaps) = overlaps(&self.log, "leader", &["resigned", "lost"], "node");
            let ok = n == 3 && overlaps == 0;
            c.ok &= ok;
            c.lines.push(format!("{n} leaders, {overlaps} overlapping"));
            c.fields.push(("leaders".into(), n.into()));
            c.fields.push(("leader_overlaps".into(), overlaps.into()));
        }
        if played.contains(&Scenario::Config) {
            let sets: Vec<&Value> = self
                .log
                .iter()
                .filter(|e| e["participant"] == "updater" && e["event"] == "set")
                .collect();
            let mut seen: BTreeMap<String, Vec<Value>> = BTreeMap::new();
            for e in &self.log {
                let who = e["participant"].as_str().unwrap_or("");
                if who.starts_with("watcher") && e["event"] == "config" && e["initial"] != true {
                    seen.entry(who.to_owned())
                        .or_default()
                        .push(e["version"].clone());
                }
            }
            let all = seen.len() == 3
                && seen
                    .values()
                    .all(|v| sets.iter().all(|s| v.contains(&s["version"])));
            c.ok &= all && sets.len() == 3;
            c.lines.push(format!(
                "{} updates, every watcher saw every one: {}",
                sets.len(),
                if all { "yes" } else { "NO" }
            ));
            c.fields.push(("updates".into(), sets.len().into()));
            c.fields.push(("watchers_saw_all".into(), all.into()));
        }
        c
    }
}

struct Checks {
    ok: bool,
    lines: Vec<String>,
    fields: Vec<(String, Value)>,
}

/// Holds (from `start` to the next `end` of the same participant, whose name starts with
/// `who`), and how many of them began before the previous one ended. Times are the
/// participants' own `ts` (one clock: they all run here).
fn overlaps(log: &[Value], start: &str, ends: &[&str], who: &str) -> (usize, usize) {
    let ts = |e: &Value| {
        e["ts"]
            .as_str()
            .and_then(|t| humantime::parse_rfc3339(t).ok())
            .unwrap_or(SystemTime::UNIX_EPOCH)
    };
    let mut open: BTreeMap<&str, SystemTime> = BTreeMap::new();
    let mut spans = Vec::new();
    for e in log {
        let Some(p) = e["participant"].as_str().filter(|p| p.starts_with(who)) else {
            continue;
        };
        let name = e["event"].as_str().unwrap_or("");
        if name == start {
            open.insert(p, ts(e));
        } else if ends.contains(&name) {
            if let Some(s) = open.remove(p) {
                spans.push((s, ts(e)));
            }
        }
    }
    // A hold never ended counts until forever.
    for s in open.into_values() {
        spans.push((
            s,
            SystemTime::UNIX_EPOCH + Duration::from_secs(u32::MAX as u64),
        ));
    }
    spans.sort();
    let bad = spans.windows(2).filter(|w| w[1].0 < w[0].1).count();
    (spans.len(), bad)
}

/// `[worker 1]` and the others padded to one width.
fn pad(s: &str) -> String {
    format!("{s:<11}")
}

fn role_color(name: &str) -> &'static str {
    match name.split(' ').next().unwrap_or("") {
        "worker" => "36",
        "node" => "35",
        "watcher" => "32",
        "updater" => "33",
        "inspect" => "34",
        _ => "1",
    }
}

fn print_line(line: &str) {
    let stdout = std::io::stdout();
    let mut l = stdout.lock();
    let _ = writeln!(l, "{line}");
    let _ = l.flush();
}

/// A participant's event for people; None for those not worth a line.
fn describe(ev: &Value) -> Option<String> {
    let s = |k: &str| match &ev[k] {
        Value::String(s) => s.clone(),
        Value::Null => String::new(),
        v => v.to_string(),
    };
    let text = match ev["event"].as_str()? {
        "queued" => format!("waits for the lock ({} ahead of it)", s("position")),
        "acquired" => format!(
            "HOLDS the lock (waited {} ms, fencing token {})",
            s("waited_ms"),
            s("fencing_token")
        ),
        "released" => format!("released the lock after {} ms", s("held_ms")),
        "gave_up" => format!("gave up: {}", s("reason")),
        "joined" => format!("joined the election as {}", s("node")),
        "follower" => format!("follows node {}", s("leader")),
        "leader" => "is the LEADER".to_owned(),
        "resigned" => "resigned (its node is deleted: the next one leads)".to_owned(),
        "lost" => format!("LOST: {}", s("reason")),
        "config" if ev["exists"] == false && ev["initial"] == true => {
            format!("watching {}: not created yet", s("path"))
        }
        "config" if ev["exists"] == false => format!("{} was deleted", s("path")),
        "config" => {
            let data = match &ev["data"] {
                Value::Object(m) => m
                    .iter()
                    .map(|(k, v)| format!("{k}={}", v.as_str().unwrap_or("")))
                    .collect::<Vec<_>>()
                    .join(" "),
                v => v.to_string(),
            };
            let what = if ev["initial"] == true { "has" } else { "sees" };
            format!("{what} version {}: {data}", s("version"))
        }
        "missed" => format!("missed {} version(s)", s("count")),
        "set" => format!(
            "wrote version {}{}",
            s("version"),
            if ev["created"] == true {
                " (created the node)"
            } else {
                ""
            }
        ),
        "session" => format!("session {}", s("state")),
        "error" => format!("error: {}", s("message")),
        "inspect" => return None,
        other => format!("{other} {}", ev),
    };
    Some(text)
}
