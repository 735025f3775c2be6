//! `config watch`: print the config, then every change, at once and without polling.
//!
//! One loop thread owns the session and reads one inbox (`crate::inbox`): watch firings,
//! session events and signals all arrive there (callbacks only forward; DESIGN.md §2.5). The
//! node is kept by the `watch::DataWatch` recipe: it reads, arms the next watch (a data watch
//! while the node exists, an existence watch while it does not), and reports a state only when
//! it changed by `mzxid` (a `version` restarts when the node is deleted and created again), never
//! one older than what we printed. Between a firing and the re-read more writes can land; a
//! version that jumped by more than one is reported as `missed` instead of pretending we saw
//! every step.
//!
//! A reconnect of the same session fires every watch with `Reconnected` (the server forgot
//! them): we re-read. A lost session (expiry) is replaced by a new one, then re-read.

use std::collections::BTreeMap;
use std::sync::mpsc::RecvTimeoutError;
use std::time::Duration;

use clap::Args;

use super::doc::{Changes, Doc};
use super::exec::run_exec;
use crate::exit;
use crate::inbox::{self, Inbox, Wake, Waker};
use crate::output::{Event, Output};
use crate::session::{self, Session, SessionConfig, SessionEvent};
use crate::signals;
use crate::watch::{DataWatch, Node, Update};

/// Print the config and then every change (version; keys added, changed, removed).
#[derive(Debug, Args)]
#[command(
    after_help = "Examples (what the original config_client.py did; run it in 2 or 3 terminals):\n  \
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
    node: DataWatch,
    changes: u64,
}

impl Watcher<'_> {
    /// Print what the recipe saw change.
    fn saw(&mut self, Update { was, now }: Update<Option<Node>>) {
        let Some(last) = was else {
            self.print_initial(&now);
            return;
        };
        match (&last, &now) {
            (None, None) => {}
            (Some(l), None) => {
                let old = Doc::parse(&l.data);
                self.out.emit(
                    &Event::new("config")
                        .with("path", self.path)
                        .with("exists", false)
                        .with("changes", changes_json(Some(&old), None))
                        .text(format!(
                            "{} deleted (it was at version {})",
                            self.path, l.stat.version
                        )),
                );
                self.changed(None);
            }
            (_, Some(n)) => {
                let same_node = last.as_ref().is_some_and(|l| l.stat.czxid == n.stat.czxid);
                // Versions between the last one printed and this one; for a node created
                // anew, its versions before this one.
                let missed = match &last {
                    Some(l) if same_node => n.stat.version - l.stat.version - 1,
                    _ => n.stat.version,
                };
                if missed > 0 {
                    let from = if same_node {
                        last.as_ref().map(|l| l.stat.version)
                    } else {
                        None
                    };
                    let mut ev = Event::new("missed")
                        .with("path", self.path)
                        .with("count", missed)
                        .with("version", n.stat.version);
                    if let Some(f) = from {
                        ev = ev.with("from", f);
                    }
                    self.out.emit(&ev.text(format!(
                        "missed {missed} version(s) of {} before version {} (they changed \
                         faster than we could read)",
                        self.path, n.stat.version
                    )));
                }
                let old = last.as_ref().map(|l| Doc::parse(&l.data));
                let doc = Doc::parse(&n.data);
                let what = match (&last, same_node) {
                    (None, _) => "created",
                    (Some(_), false) => "deleted and created again",
                    (Some(_), true) => "changed",
                };
                let summary = match (&old, &doc) {
                    (Some(Doc::Keys(o)), Doc::Keys(k)) => Changes::between(o, k).summary(),
                    (None, Doc::Keys(k)) => Changes::between(&Default::default(), k).summary(),
                    _ => "data replaced".into(),
                };
                self.out.emit(
                    &snapshot_event(self.path, &doc, n.stat.version, n.stat.mzxid)
                        .with("changes", changes_json(old.as_ref(), Some(&doc)))
                        .with("kind", what)
                        .text(format!(
                            "{} version {} ({what}): {summary}{}",
                            self.path,
                            n.stat.version,
                            indented(&doc)
                        )),
                );
                self.changed(Some(n));
            }
        }
    }

    fn print_initial(&self, now: &Option<Node>) {
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
            Some(n) => {
                let doc = Doc::parse(&n.data);
                self.out.emit(
                    &snapshot_event(self.path, &doc, n.stat.version, n.stat.mzxid)
                        .with("initial", true)
                        .text(format!(
                            "{} version {} (mzxid 0x{:x}):{}",
                            self.path,
                            n.stat.version,
                            n.stat.mzxid,
                            indented(&doc)
                        )),
                )
            }
        }
    }

    fn changed(&mut self, now: Option<&Node>) {
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

fn session_event(state: &str, text: String) -> Event {
    Event::new("session").with("state", state).text(text)
}

/// How long to wait before reading again after a connection error.
const RETRY: Duration = Duration::from_millis(250);

pub fn run(args: &WatchArgs, path: &str, cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    let (mut tx, rx, _sub) = inbox::channel();
    let mut session = inbox::connect(cfg, &tx)?;
    let mut w = Watcher {
        path,
        out,
        args,
        node: DataWatch::new(path),
        changes: 0,
    };
    let mut need_read = true;
    loop {
        if need_read {
            match w.node.refresh(&session, &tx) {
                Ok(update) => {
                    need_read = false;
                    if let Some(u) = update {
                        w.saw(u);
                    }
                }
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
        let wakes = match first {
            Ok(m) => std::iter::once(m)
                .chain(std::iter::from_fn(|| rx.try_recv().ok()))
                .collect::<Vec<_>>(),
            Err(_) => continue,
        };
        for wake in wakes {
            // A firing of our watch, or a reconnect: read again.
            need_read |= w.node.on_wake(&wake);
            match wake {
                Wake::Signal(sig) => {
                    session.close();
                    return Ok(signals::exit_code(sig));
                }
                Wake::Watch(_, ev) => log::debug!("watch on {path} fired: {ev:?}"),
                Wake::Session(SessionEvent::Suspended { reason, .. }) => out.emit(&session_event(
                    "suspended",
                    format!("connection to ZooKeeper suspended: {reason}; waiting"),
                )),
                Wake::Session(SessionEvent::Reconnected) => out.emit(&session_event(
                    "reconnected",
                    "reconnected (same session); reading the config again".into(),
                )),
                Wake::Session(SessionEvent::Lost { reason }) => {
                    out.emit(
                        &session_event(
                            "lost",
                            format!("session lost: {reason}; connecting a new one"),
                        )
                        .with("reason", reason),
                    );
                    // From now on, what the old session still sends is dropped.
                    tx = inbox::next_generation(&tx, &rx);
                    match reconnect(cfg, &tx, &rx, out)? {
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
                Wake::ChildExit { .. } | Wake::Timer(_) => {}
            }
        }
    }
}

/// Connect a new session after the old one was lost, as long as it takes (the server may be
/// down for a while); a signal ends the wait with its exit code (`Ok(Err(code))`).
fn reconnect(
    cfg: &SessionConfig,
    tx: &Waker,
    rx: &Inbox,
    out: Output,
) -> exit::Result<Result<Session, i32>> {
    let mut told = false;
    loop {
        match inbox::connect(cfg, tx) {
            Ok(s) => return Ok(Ok(s)),
            Err(e @ (session::Error::Unreachable(_) | session::Error::Unresolved(_))) => {
                if !told {
                    out.emit(&session_event(
                        "waiting",
                        format!("{e}; trying again until it answers"),
                    ));
                    told = true;
                }
            }
            Err(e) => return Err(e.into()),
        }
        // Let a signal through while we wait; stale events are dropped.
        if let Ok(Wake::Signal(sig)) = rx.recv_timeout(Duration::from_secs(1)) {
            return Ok(Err(signals::exit_code(sig)));
        }
    }
}
