//! Logging, and the session facts the `zookeeper` crate keeps to itself.
//!
//! The crate (0.8) exposes neither the session id nor the timeout the server negotiated, but
//! its I/O thread logs both, at trace level, the moment a session is established:
//! `Connected: ConnectResponse { …, timeout: 4000, session_id: 72…, passwd: […], … }`,
//! and then calls the state listeners on that same thread. So our logger taps that record:
//! it keeps the facts in a thread-local of the I/O thread (read by our state listener a moment
//! later) and hands the first one of a new I/O thread to the `connect` that is waiting for it.
//! Everything else goes to env_logger, with the crate's noise (it logs an ERROR per refused
//! reconnect, thousands a second) off unless asked for, and the session password never shown.

use std::cell::Cell;
use std::collections::HashSet;
use std::fmt::{self, Write as _};
use std::sync::mpsc::Sender;
use std::sync::{Mutex, OnceLock};
use std::thread::{self, ThreadId};
use std::time::Instant;

/// What a server said when it (re)established a session.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Established {
    pub session_id: i64,
    /// The negotiated session timeout, in milliseconds.
    pub timeout_ms: u64,
}

/// When each I/O thread (one per session) last got an answer to the crate's own ping. The
/// crate pings only after 2/3 of the session timeout without traffic, and such a ping renews
/// the session at the server just as our requests do; the expiry bound must count it, and
/// nothing that does not reach the session (a `ruok` probe does not).
static PINGS: OnceLock<Mutex<std::collections::HashMap<ThreadId, Instant>>> = OnceLock::new();

/// The last ping answer seen on the I/O thread `io`.
pub fn last_ping(io: ThreadId) -> Option<Instant> {
    PINGS
        .get()?
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .get(&io)
        .copied()
}

fn on_ping_answer() {
    PINGS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner())
        .insert(thread::current().id(), Instant::now());
}

thread_local! {
    static LAST: Cell<Option<Established>> = const { Cell::new(None) };
}

/// The last session established on the current thread (the crate's I/O thread).
pub fn last_established() -> Option<Established> {
    LAST.with(|c| c.get())
}

struct Claim {
    connector: ThreadId,
    tx: Sender<(ThreadId, Established)>,
}

static CLAIM: Mutex<Option<Claim>> = Mutex::new(None);
static KNOWN_IO_THREADS: OnceLock<Mutex<HashSet<ThreadId>>> = OnceLock::new();
/// Serialises session creation, so that the one new I/O thread a claim sees is ours.
pub static CONNECTING: Mutex<()> = Mutex::new(());
static INSTALLED: OnceLock<bool> = OnceLock::new();

/// Wait for the next session established on an I/O thread not seen before. The caller holds
/// `CONNECTING` while it creates the crate's handle and waits on the receiver.
pub fn claim_next(tx: Sender<(ThreadId, Established)>) {
    *CLAIM.lock().unwrap_or_else(|e| e.into_inner()) = Some(Claim {
        connector: thread::current().id(),
        tx,
    });
}

pub fn cancel_claim() {
    *CLAIM.lock().unwrap_or_else(|e| e.into_inner()) = None;
}

/// True when the tap is in place (else session ids are unknown, and we say so).
pub fn installed() -> bool {
    INSTALLED.get().copied().unwrap_or(false)
}

struct Tap {
    inner: Option<env_logger::Logger>,
}

impl log::Log for Tap {
    fn enabled(&self, _: &log::Metadata) -> bool {
        true
    }

    fn log(&self, record: &log::Record) {
        if record.level() == log::Level::Trace && record.target() == "zookeeper::io" {
            if sniff(record.args(), PING_PREFIX).is_some() {
                on_ping_answer();
            } else if let Some(est) = parse_established(record.args()) {
                on_established(est);
                if let Some(inner) = &self.inner {
                    if inner.enabled(record.metadata()) {
                        // Re-logged without the session password the crate would print.
                        inner.log(
                            &log::Record::builder()
                                .metadata(record.metadata().clone())
                                .args(format_args!(
                                    "Connected: session 0x{:x}, timeout {} ms",
                                    est.session_id, est.timeout_ms
                                ))
                                .module_path(record.module_path())
                                .file(record.file())
                                .line(record.line())
                                .build(),
                        );
                    }
                }
                return;
            }
        }
        if let Some(inner) = &self.inner {
            if inner.enabled(record.metadata()) {
                inner.log(record);
            }
        }
    }

    fn flush(&self) {
        if let Some(inner) = &self.inner {
            inner.flush();
        }
    }
}

fn on_established(est: Established) {
    LAST.with(|c| c.set(Some(est)));
    let me = thread::current().id();
    let mut known = KNOWN_IO_THREADS
        .get_or_init(Default::default)
        .lock()
        .unwrap_or_else(|e| e.into_inner());
    if known.contains(&me) {
        return;
    }
    let mut claim = CLAIM.lock().unwrap_or_else(|e| e.into_inner());
    if let Some(c) = claim.as_ref() {
        if c.connector != me {
            known.insert(me);
            let _ = c.tx.send((me, est));
            *claim = None;
        }
    }
}

/// A `fmt::Write` that keeps what is written and gives up as soon as the text can no longer be
/// the record we look for, so the crate's other trace lines cost almost nothing.
struct Sniff {
    buf: String,
    prefix: &'static str,
}

const PREFIX: &str = "Connected: ConnectResponse {";
/// The crate's trace line when its ping is answered: `Got ping response in 1.2ms`.
const PING_PREFIX: &str = "Got ping response";

impl fmt::Write for Sniff {
    fn write_str(&mut self, s: &str) -> fmt::Result {
        self.buf.push_str(s);
        let n = self.buf.len().min(self.prefix.len());
        if self.buf.as_bytes()[..n] != self.prefix.as_bytes()[..n] {
            return Err(fmt::Error);
        }
        Ok(())
    }
}

/// The record's text when it starts with `prefix`.
fn sniff(args: &fmt::Arguments, prefix: &'static str) -> Option<String> {
    let mut s = Sniff {
        buf: String::new(),
        prefix,
    };
    s.write_fmt(*args).ok()?;
    (s.buf.len() >= prefix.len()).then_some(s.buf)
}

fn parse_established(args: &fmt::Arguments) -> Option<Established> {
    parse_connect_response(&sniff(args, PREFIX)?)
}

/// Read `timeout` and `session_id` out of the crate's `Debug` of a `ConnectResponse`.
pub fn parse_connect_response(text: &str) -> Option<Established> {
    let field = |name: &str| -> Option<i64> {
        let start = text.find(&format!(" {name}: "))? + name.len() + 3;
        let digits: String = text[start..]
            .chars()
            .take_while(|c| c.is_ascii_digit() || *c == '-')
            .collect();
        digits.parse().ok()
    };
    Some(Established {
        session_id: field("session_id")?,
        timeout_ms: field("timeout")? as u64,
    })
}

/// Set up logging on stderr: warnings by default, `-v` debug, `-vv` trace (the crate too),
/// `-q` errors only; `RUST_LOG` wins when set. Also installs the tap (see the module doc).
pub fn init_logging(verbose: u8, quiet: bool) {
    let default = match (quiet, verbose) {
        (true, _) => "error,zookeeper=off",
        (_, 0) => "warn,zookeeper=off",
        (_, 1) => "debug,zookeeper=off",
        _ => "trace",
    };
    let inner =
        env_logger::Builder::from_env(env_logger::Env::default().default_filter_or(default))
            .format_timestamp_micros()
            .build();
    install(Some(inner));
}

/// Make sure the tap is in place (library users and tests that never call `init_logging`).
pub fn ensure_installed() {
    if INSTALLED.get().is_none() {
        install(None);
    }
}

fn install(inner: Option<env_logger::Logger>) {
    let _ = INSTALLED.get_or_init(|| {
        let ok = log::set_boxed_logger(Box::new(Tap { inner })).is_ok();
        if ok {
            log::set_max_level(log::LevelFilter::Trace);
        }
        ok
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_crates_connect_response() {
        let text = "Connected: ConnectResponse { protocol_version: 0, timeout: 4000, \
                    session_id: 72057962089283584, passwd: [1, 2], read_only: false }";
        assert_eq!(
            parse_connect_response(text),
            Some(Established {
                session_id: 72057962089283584,
                timeout_ms: 4000
            })
        );
        let args_ok = format_args!(
            "Connected: {}",
            "ConnectResponse { timeout: 10, session_id: 5 }"
        );
        assert_eq!(parse_established(&args_ok).map(|e| e.session_id), Some(5));
        let other = format_args!("event token={:?} ready={:?}", 1, 2);
        assert_eq!(parse_established(&other), None);
    }
}
