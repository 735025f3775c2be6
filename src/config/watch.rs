//! `config watch`: print the config, then every change, at once and without polling.
//!
//! One loop thread owns the session and reads one channel: watch firings, session events and
//! signals all arrive there (callbacks only forward; DESIGN.md §2.5). ZooKeeper watches fire
//! once, so every read arms the next watch: `get_data_w` while the node exists, `exists_w`
//! while it does not. Between a firing and the re-read more writes can land, so we always
//! read the latest state and compare it with what we printed by `mzxid` (a `version` restarts
//! when the node is deleted and created again); a version that jumped by more than one is
//! reported as `missed` instead of pretending we saw every step.
//!
//! A reconnect of the same session fires every watch with `Reconnected` (the server forgot
//! them): we re-read. A lost session (expiry) is replaced by a new one, then re-read.

use std::collections::BTreeMap;
use std::io::Write;
use std::process::{Command, Stdio};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::time::Duration;

use clap::Args;

use super::doc::{Changes, Doc};
use crate::cli::GlobalArgs;
use crate::exit;
use crate::output::{Event, Output};
use crate::session::{self, NodeStat, Session, SessionEvent, WatchEvent};
use crate::signals;

/// Print the config and then every change (version; keys added, changed, removed).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples (the seed's config_client.py; run it in 2 or 3 terminals):\n  \
zkdemo config watch\n  \
zkdemo config watch --count 1            # wait for the next change, then exit\n  \
zkdemo config watch --exec 'cp /dev/stdin app.conf && kill -HUP \"$(cat app.pid)\"'\n  \
zkdemo --json config watch               # one JSON line per event\n\
\n\
--exec runs CMD with `sh -c` after each change (not for the state found at start), with the \
document on its stdin and ZKDEMO_CONFIG_VERSION, ZKDEMO_CONFIG_MZXID, ZKDEMO_CONFIG_PATH in its \
environment; after a delete, stdin is empty, ZKDEMO_CONFIG_EXISTS=0 and the version is unset. \
Its output goes to stderr (stdout stays the event stream). If it fails, the failure is \
reported and the watch goes on; changes made while it runs are read when it is done.\n\
\n\
JSON events: config (path, exists, version, mzxid, data, changes), missed (versions not seen), \
session (state: suspended, reconnected, lost, waiting, new), exec (the command's status)."
)]
pub struct WatchArgs {
    /// Exit 0 after N changes (the state printed at start is not a change).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u64).range(1..))]
    pub count: Option<u64>,

    /// Run CMD (with sh -c) after each change; the document on its stdin.
    #[arg(long, value_name = "CMD")]
    pub exec: Option<String>,
}

/// What the loop thread hears. Session and watch messages carry the generation of the session
/// they came from, so a late one from a replaced session is ignored.
enum Msg {
    Watch(u64, WatchEvent),
    Session(u64, SessionEvent),
    Signal(i32),
}

/// The state last printed.
#[derive(Debug, Clone)]
struct Seen {
    czxid: i64,
    mzxid: i64,
    version: i32,
    doc: Doc,
    data: Vec<u8>,
}

/// The `config` event for a node read at `stat` (also what `config get --json` prints).
pub fn snapshot_event(path: &str, doc: &Doc, version: i32, mzxid: i64) -> Event {
    Event::new("config")
        .with("path", path)
        .with("exists", true)
        .with("version", version)
        .with("mzxid", mzxid)
        .with("data", doc.to_json())
}

fn indented(doc: &Doc) -> String {
    doc.to_lines().iter().map(|l| format!("\n  {l}")).collect()
}

struct Watcher<'a> {
    path: &'a str,
    out: Output,
    args: &'a WatchArgs,
    /// None before the first read; Some(None) while the node does not exist.
    last: Option<Option<Seen>>,
    changes: u64,
}

impl Watcher<'_> {
    /// Read the node and arm the next watch; print what changed since the last read.
    fn read(&mut self, s: &Session, gen: u64, tx: &Sender<Msg>) -> session::Result<()> {
        let watch = || {
            let tx = tx.clone();
            move |ev| {
                let _ = tx.send(Msg::Watch(gen, ev));
            }
        };
        loop {
            match s.watch_data(self.path, watch()) {
                Ok((data, stat)) => {
                    self.saw(Some((data, stat)));
                    return Ok(());
                }
                Err(session::Error::NoNode) => {
                    match s.watch_exists(self.path, watch())? {
                        None => {
                            self.saw(None);
                            return Ok(());
                        }
                        // Created between the two calls: read it (its exists watch stays armed
                        // and at worst costs one more read that prints nothing).
                        Some(_) => continue,
                    }
                }
                Err(e) => return Err(e),
            }
        }
    }

    fn saw(&mut self, now: Option<(Vec<u8>, NodeStat)>) {
        let now = now.map(|(data, stat)| Seen {
            czxid: stat.czxid,
            mzxid: stat.mzxid,
            version: stat.version,
            doc: Doc::parse(&data),
            data,
        });
        let Some(last) = self.last.take() else {
            self.print_initial(&now);
            self.last = Some(now);
            return;
        };
        match (&last, &now) {
            (None, None) => {}
            (Some(l), Some(n)) if l.mzxid == n.mzxid => {}
            // Older than what we printed: a new session (after an expiry) may land on a
            // follower that is behind. Never print the past; the armed watch fires when that
            // server catches up.
            (Some(l), Some(n)) if l.czxid == n.czxid && n.mzxid < l.mzxid => {
                log::debug!(
                    "read version {} of {} after version {}: the server is behind; waiting",
                    n.version,
                    self.path,
                    l.version
                );
                self.last = Some(last);
                return;
            }
            (Some(l), None) => {
                self.out.emit(
                    &Event::new("config")
                        .with("path", self.path)
                        .with("exists", false)
                        .with("changes", changes_json(Some(&l.doc), None))
                        .text(format!(
                            "{} deleted (it was at version {})",
                            self.path, l.version
                        )),
                );
                self.changed(None);
            }
            (_, Some(n)) => {
                let same_node = last.as_ref().is_some_and(|l| l.czxid == n.czxid);
                // Versions between the last one printed and this one; for a node created
                // anew, its versions before this one.
                let missed = match &last {
                    Some(l) if same_node => n.version - l.version - 1,
                    _ => n.version,
                };
                if missed > 0 {
                    let from = if same_node {
                        last.as_ref().map(|l| l.version)
                    } else {
                        None
                    };
                    let mut ev = Event::new("missed")
                        .with("path", self.path)
                        .with("count", missed)
                        .with("version", n.version);
                    if let Some(f) = from {
                        ev = ev.with("from", f);
                    }
                    self.out.emit(&ev.text(format!(
                        "missed {missed} version(s) of {} before version {} (they changed \
                         faster than we could read)",
                        self.path, n.version
                    )));
                }
                let old = last.as_ref().map(|l| &l.doc);
                let what = match (&last, same_node) {
                    (None, _) => "created",
                    (Some(_), false) => "deleted and created again",
                    (Some(_), true) => "changed",
                };
                let summary = match (old, &n.doc) {
                    (Some(Doc::Keys(o)), Doc::Keys(k)) => Changes::between(o, k).summary(),
                    (None, Doc::Keys(k)) => Changes::between(&Default::default(), k).summary(),
                    _ => "data replaced".into(),
                };
                self.out.emit(
                    &snapshot_event(self.path, &n.doc, n.version, n.mzxid)
                        .with("changes", changes_json(old, Some(&n.doc)))
                        .with("kind", what)
                        .text(format!(
                            "{} version {} ({what}): {summary}{}",
                            self.path,
                            n.version,
                            indented(&n.doc)
                        )),
                );
                self.changed(Some(n));
            }
        }
        self.last = Some(now);
    }

    fn print_initial(&self, now: &Option<Seen>) {
        match now {
            None => self.out.emit(
                &Event::new("config")
                    .with("path", self.path)
                    .with("exists", false)
                    .with("initial", true)
                    .text(format!(
                        "{} does not exist yet; waiting for it to be created",
                        self.path
                    )),
            ),
            Some(n) => self.out.emit(
                &snapshot_event(self.path, &n.doc, n.version, n.mzxid)
                    .with("initial", true)
                    .text(format!(
                        "{} version {} (mzxid 0x{:x}):{}",
                        self.path,
                        n.version,
                        n.mzxid,
                        indented(&n.doc)
                    )),
            ),
        }
    }

    fn changed(&mut self, now: Option<&Seen>) {
        self.changes += 1;
        if let Some(cmd) = &self.args.exec {
            run_exec(cmd, self.path, now, self.out);
        }
    }

    fn done(&self) -> bool {
        self.args.count.is_some_and(|n| self.changes >= n)
    }
}

fn changes_json(old: Option<&Doc>, new: Option<&Doc>) -> serde_json::Value {
    let empty = BTreeMap::new();
    fn keys<'a>(
        d: Option<&'a Doc>,
        empty: &'a BTreeMap<String, String>,
    ) -> Option<&'a BTreeMap<String, String>> {
        match d {
            None => Some(empty),
            Some(Doc::Keys(k)) => Some(k),
            Some(Doc::Raw(_)) => None,
        }
    }
    match (keys(old, &empty), keys(new, &empty)) {
        (Some(o), Some(n)) => Changes::between(o, n).to_json(),
        // Not key=value on one side: there are no keys to compare.
        _ => serde_json::Value::Null,
    }
}

/// Run the user's command after a change. It gets the document on stdin (written from a
/// thread of its own, so a command that does not read cannot block us) and the version in
/// its environment. Its stdout goes to our stderr: our stdout is the event stream.
fn run_exec(cmd: &str, path: &str, now: Option<&Seen>, out: Output) {
    let mut c = Command::new("sh");
    c.arg("-c").arg(cmd).env("ZKDEMO_CONFIG_PATH", path);
    match now {
        Some(n) => {
            c.env("ZKDEMO_CONFIG_VERSION", n.version.to_string())
                .env("ZKDEMO_CONFIG_MZXID", n.mzxid.to_string())
                .env("ZKDEMO_CONFIG_EXISTS", "1");
        }
        None => {
            c.env_remove("ZKDEMO_CONFIG_VERSION")
                .env_remove("ZKDEMO_CONFIG_MZXID")
                .env("ZKDEMO_CONFIG_EXISTS", "0");
        }
    }
    let stderr = std::io::stderr();
    let child_out = match std::os::fd::AsFd::as_fd(&stderr).try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::null(),
    };
    c.stdin(Stdio::piped()).stdout(child_out);
    let version = now.map(|n| n.version);
    let result = c.spawn().and_then(|mut child| {
        if let Some(mut stdin) = child.stdin.take() {
            let data = now.map(|n| n.data.clone()).unwrap_or_default();
            // A command that exits without reading gives EPIPE here: not our failure.
            let _ = std::thread::Builder::new()
                .name("exec-stdin".into())
                .spawn(move || {
                    let _ = stdin.write_all(&data);
                });
        }
        child.wait()
    });
    let mut ev = Event::new("exec").with("command", cmd);
    if let Some(v) = version {
        ev = ev.with("version", v);
    }
    let ev = match result {
        Ok(st) if st.success() => ev.with("ok", true),
        Ok(st) => ev
            .with("ok", false)
            .with("status", st.to_string())
            .text(format!("--exec command failed ({st}); still watching")),
        Err(e) => ev
            .with("ok", false)
            .with("status", e.to_string())
            .text(format!(
                "--exec command could not start ({e}); still watching"
            )),
    };
    out.emit(&ev);
}

fn connect(g: &GlobalArgs, gen: u64, tx: &Sender<Msg>) -> exit::Result<Session> {
    let tx = tx.clone();
    Ok(Session::connect(&g.session_config(), move |ev| {
        let _ = tx.send(Msg::Session(gen, ev));
    })?)
}

fn session_event(state: &str, text: String) -> Event {
    Event::new("session").with("state", state).text(text)
}

/// How long to wait before reading again after a connection error.
const RETRY: Duration = Duration::from_millis(250);

pub fn run(args: &WatchArgs, path: &str, g: &GlobalArgs, out: Output) -> exit::Result<i32> {
    let (tx, rx) = mpsc::channel();
    let sig_tx = tx.clone();
    let _sub = signals::subscribe(move |sig| {
        let _ = sig_tx.send(Msg::Signal(sig));
    });
    let mut gen = 0u64;
    let mut session = connect(g, gen, &tx)?;
    let mut w = Watcher {
        path,
        out,
        args,
        last: None,
        changes: 0,
    };
    let mut need_read = true;
    loop {
        if need_read {
            match w.read(&session, gen, &tx) {
                Ok(()) => need_read = false,
                // Wait for the session to come back (or be lost), then read again.
                Err(e) if e.is_connection() => log::debug!("reading {path}: {e}"),
                Err(e) => return Err(e.to_exit(&format!("watching {path}"))),
            }
            if w.done() {
                session.close();
                return Ok(exit::OK);
            }
        }
        let first = if need_read {
            rx.recv_timeout(RETRY)
        } else {
            rx.recv().map_err(|_| RecvTimeoutError::Disconnected)
        };
        // Take everything that is pending, so that a burst of firings costs one read.
        let msgs = match first {
            Ok(m) => std::iter::once(m).chain(rx.try_iter()).collect::<Vec<_>>(),
            Err(_) => continue,
        };
        for m in msgs {
            match m {
                Msg::Signal(sig) => {
                    session.close();
                    return Ok(signals::exit_code(sig));
                }
                Msg::Watch(g0, ev) if g0 == gen => {
                    log::debug!("watch on {path} fired: {ev:?}");
                    need_read = true;
                }
                Msg::Session(g0, ev) if g0 == gen => match ev {
                    SessionEvent::Suspended { reason, .. } => out.emit(&session_event(
                        "suspended",
                        format!("connection to ZooKeeper suspended: {reason}; waiting"),
                    )),
                    SessionEvent::Reconnected => {
                        out.emit(&session_event(
                            "reconnected",
                            "reconnected (same session); reading the config again".into(),
                        ));
                        need_read = true;
                    }
                    SessionEvent::Lost { reason } => {
                        out.emit(
                            &session_event(
                                "lost",
                                format!("session lost: {reason}; connecting a new one"),
                            )
                            .with("reason", reason),
                        );
                        gen += 1;
                        match reconnect(g, gen, &tx, &rx, out)? {
                            Ok(s) => session = s,
                            Err(code) => return Ok(code),
                        }
                        out.emit(
                            &session_event(
                                "new",
                                format!("new session {}; reading the config again", session.id()),
                            )
                            .with("session_id", session.id().to_string()),
                        );
                        need_read = true;
                    }
                },
                // From a replaced session.
                Msg::Watch(..) | Msg::Session(..) => {}
            }
        }
    }
}

/// Connect a new session after the old one was lost, as long as it takes (the server may be
/// down for a while); a signal ends the wait with its exit code (`Ok(Err(code))`).
fn reconnect(
    g: &GlobalArgs,
    gen: u64,
    tx: &Sender<Msg>,
    rx: &Receiver<Msg>,
    out: Output,
) -> exit::Result<Result<Session, i32>> {
    let mut told = false;
    loop {
        match connect(g, gen, tx) {
            Ok(s) => return Ok(Ok(s)),
            Err(e) if e.code == exit::UNAVAILABLE => {
                if !told {
                    out.emit(&session_event(
                        "waiting",
                        format!("{e}; trying again until it answers"),
                    ));
                    told = true;
                }
            }
            Err(e) => return Err(e),
        }
        // Let a signal through while we wait; stale messages are dropped.
        if let Ok(Msg::Signal(sig)) = rx.recv_timeout(Duration::from_secs(1)) {
            return Ok(Err(signals::exit_code(sig)));
        }
    }
}
