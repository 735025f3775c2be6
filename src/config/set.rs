//! `config set`, `unset`, `get`: read-modify-write as a compare-and-set on the node's version.
//!
//! Two updaters that read version 7 both try to write version 8; the server takes one and
//! answers the other BadVersion, which then reads again and merges into the winner's document.
//! So no key is ever lost, without any lock.

use std::time::Duration;

use clap::Args;
use rand::Rng;

use super::connect;
use super::doc::{self, Doc};
use crate::exit;
use crate::output::{Event, Output};
use crate::session::{self, Error, Health, NodeKind, Session, SessionConfig};

/// Merge key=value pairs into the config in one write (or, with no pairs, read them from stdin).
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
zkdemo config set color=blue size=3      # one write; prints the new version\n  \
zkdemo config set --expect-version 4 color=red\n  \
zkdemo config set --raw 'anything at all' # replace the whole data, as the original config_updater.py did\n  \
zkdemo config set                        # interactive: one key=value per line\n  \
zkdemo config set --raw                  # interactive: each line replaces the whole data\n\
\n\
Interactive input: each line is `key=value` (blanks around the first = are dropped, as in \
.properties files: `c = 3` sets c to 3; the value is the rest of the line, later spaces and = \
included) or `unset KEY [KEY…]`; it is written at once and answered with the new version. A bad \
line is answered with an error and the loop goes on; blank lines are skipped. With --raw and no \
TEXT, each line (a blank one too) replaces the whole data, as the original config_updater.py \
did. The `> ` prompt is shown only when stdin is a terminal (and not with --json); Ctrl-D ends \
its line, so the shell's prompt starts on a line of its own. End of input exits 0, or, when \
stdin is not a terminal and a line was refused, with the code of the first refused line (2 for \
a line that is not key=value), so that a script can tell.\n\
\n\
A server restart or a lost session does not lose a write: every edit can be applied twice \
with one result, so zkdemo reads and writes again once the session is back (or on a new \
session). Only with --expect-version is a write cut off by the connection reported (exit 69: it \
may or may not have been applied).\n\
\n\
Exit codes: 2 bad key=value (nothing sent), 65 document over 1,000,000 bytes or the node holds \
data that is not key=value, 69 no server (within --connect-timeout), 75 --expect-version did \
not match.")]
pub struct SetArgs {
    /// key=value pairs to merge (the value may be empty or hold '='). None: read stdin.
    #[arg(value_name = "KEY=VALUE", conflicts_with = "raw")]
    pub pairs: Vec<String>,

    /// Replace the whole data with TEXT, whatever it holds. Without TEXT: interactive, each
    /// line of stdin replaces the whole data.
    #[arg(long, value_name = "TEXT", num_args = 0..=1)]
    pub raw: Option<Option<String>>,

    /// Write only if the node is at version V now (exit code 75 otherwise).
    #[arg(long, value_name = "V")]
    pub expect_version: Option<i32>,
}

/// One change to the document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Set these keys, keep the others.
    Merge(Vec<(String, String)>),
    /// Remove these keys.
    Unset(Vec<String>),
    /// Replace the whole data.
    Raw(Vec<u8>),
}

impl Edit {
    /// The new data for a node that holds `current` (None: no node), or None when nothing
    /// would change. Checks the size and the form before anything is written.
    fn apply(&self, current: Option<&[u8]>) -> exit::Result<Option<Vec<u8>>> {
        let not_keys = || {
            exit::Error::new(
                exit::DATA,
                "the node holds data that is not key=value lines; nothing was written \
                 (`config set --raw` replaces it whole)",
            )
        };
        let new = match (self, current) {
            (Edit::Raw(b), _) => b.clone(),
            (Edit::Unset(_), None) => {
                return Err(exit::Error::new(exit::NOT_FOUND, "no such node"));
            }
            (Edit::Merge(pairs), None) => Doc::Keys(pairs.iter().cloned().collect()).render(),
            (Edit::Merge(pairs), Some(data)) => match Doc::parse(data) {
                Doc::Keys(mut keys) => {
                    keys.extend(pairs.iter().cloned());
                    Doc::Keys(keys).render()
                }
                Doc::Raw(_) => return Err(not_keys()),
            },
            (Edit::Unset(ks), Some(data)) => match Doc::parse(data) {
                Doc::Keys(mut keys) => {
                    for k in ks {
                        keys.remove(k);
                    }
                    Doc::Keys(keys).render()
                }
                Doc::Raw(_) => return Err(not_keys()),
            },
        };
        doc::check_size(new.len())?;
        // An unchanged document is not written again: a write would wake every watcher for
        // nothing. A node that does not exist is always created.
        Ok(match current {
            Some(c) if c == new.as_slice() => None,
            _ => Some(new),
        })
    }
}

/// What a write did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Written {
    pub version: i32,
    /// Unknown for a node we just created (create does not return its stat in the crate).
    pub mzxid: Option<i64>,
    /// False when the document already was what we asked for (nothing written).
    pub changed: bool,
    pub created: bool,
}

/// How often to retry after losing a compare-and-set race before giving up.
const MAX_ATTEMPTS: u32 = 100;

/// How many sessions one edit may use: after an expiry (or an outage longer than the session
/// timeout) the edit is redone on a new session, at most this many times.
const MAX_SESSIONS: u32 = 3;

/// Apply `edit` to `path` with a compare-and-set on its version, retrying on a conflict;
/// create the node and its parents when missing. `expect`: write only at this version.
///
/// A connection error does not lose the edit. Every edit is idempotent (merging the same
/// pairs, removing the same keys, or writing the same raw data twice gives one result), so
/// after a connection error, when nobody can know whether the write was applied, we wait for
/// the session to come back and read and write again; a lost session is replaced by a new one
/// (`connect`). Not with `expect`: a redone write would find its own version and read as a
/// conflict, so there a connection error during the write is reported (exit 69).
pub fn apply_surviving(
    session: &mut Session,
    connect: impl Fn() -> exit::Result<Session>,
    path: &str,
    edit: &Edit,
    expect: Option<i32>,
) -> exit::Result<Written> {
    let mut sessions = 1;
    loop {
        if matches!(session.health(), Health::Lost | Health::Closed) {
            *session = connect()?;
        }
        match apply(session, path, edit, expect) {
            Err(e)
                if matches!(session.health(), Health::Lost | Health::Closed)
                    && expect.is_none()
                    && sessions < MAX_SESSIONS =>
            {
                log::info!("{e}; the session is lost, redoing the edit on a new one");
                sessions += 1;
            }
            r => return r,
        }
    }
}

/// Wait until `s` is in contact again after a connection error. Err when the session is lost
/// (or no contact comes in twice the session timeout, which the session layer declares lost
/// earlier anyway).
fn wait_for_contact(s: &Session, e: &Error, what: &str) -> exit::Result<()> {
    log::debug!("{what}: {e}; waiting for the session to be in contact again");
    if s.wait_healthy(s.timeout() * 2) {
        Ok(())
    } else {
        Err(e.to_exit(what))
    }
}

/// One session's part of `apply_surviving`: retries conflicts and, while the session lives,
/// connection errors.
pub fn apply(s: &Session, path: &str, edit: &Edit, expect: Option<i32>) -> exit::Result<Written> {
    let conflict = |found: &str| {
        exit::Error::new(
            exit::CONFLICT,
            format!(
                "{path} is {found}, not at version {}: nothing was written",
                expect.unwrap_or_default()
            ),
        )
    };
    let reading = format!("reading {path}");
    let mut attempt = 0;
    loop {
        if attempt >= MAX_ATTEMPTS {
            return Err(exit::Error::failure(format!(
                "{path} changed under us {MAX_ATTEMPTS} times in a row; nothing was written, \
                 try again"
            )));
        }
        if attempt > 0 {
            // Back off a little at random so that racing updaters stop colliding.
            let ms = rand::thread_rng().gen_range(0..=attempt.min(20) as u64);
            std::thread::sleep(Duration::from_millis(ms));
        }
        attempt += 1;
        match s.get_data(path) {
            Ok((data, stat)) => {
                if let Some(v) = expect {
                    if stat.version != v {
                        return Err(conflict(&format!("at version {}", stat.version)));
                    }
                }
                let Some(new) = edit.apply(Some(&data))? else {
                    return Ok(Written {
                        version: stat.version,
                        mzxid: Some(stat.mzxid),
                        changed: false,
                        created: false,
                    });
                };
                match s.set_data(path, new, Some(stat.version)) {
                    Ok(st) => {
                        return Ok(Written {
                            version: st.version,
                            mzxid: Some(st.mzxid),
                            changed: true,
                            created: false,
                        })
                    }
                    Err(e) if (e == session::Error::BadVersion) && expect.is_some() => {
                        return Err(conflict("changed meanwhile"))
                    }
                    // Someone wrote (or deleted) between our read and our write: read again.
                    Err(session::Error::BadVersion | session::Error::NoNode) => continue,
                    // Applied or not, reading again tells (the edit is idempotent).
                    Err(e) if e.is_connection() && expect.is_none() => {
                        wait_for_contact(s, &e, &format!("writing {path}"))?;
                    }
                    Err(e) => return Err(write_error(&e, path)),
                }
            }
            Err(session::Error::NoNode) => {
                if expect.is_some() {
                    return Err(conflict("missing"));
                }
                let new = edit.apply(None)?.unwrap_or_default();
                match s.create(path, new, NodeKind::Persistent) {
                    Ok(_) => {
                        return Ok(Written {
                            version: 0,
                            mzxid: None,
                            changed: true,
                            created: true,
                        })
                    }
                    // Another updater created it first (or our own create went through before
                    // the connection dropped): merge into what is there.
                    Err(session::Error::NodeExists) => continue,
                    // A parent is missing (only the first write ever pays for this).
                    Err(session::Error::NoNode) => {
                        let parent = match path.rsplit_once('/') {
                            Some((p, _)) if !p.is_empty() => p,
                            _ => "/",
                        };
                        match s.ensure_path(parent) {
                            Ok(()) => continue,
                            Err(e) if e.is_connection() => {
                                wait_for_contact(s, &e, &format!("creating {parent}"))?
                            }
                            Err(e) => return Err(e.to_exit(&format!("creating {parent}"))),
                        }
                    }
                    Err(e) if e.is_connection() => {
                        wait_for_contact(s, &e, &format!("creating {path}"))?;
                    }
                    Err(e) => return Err(write_error(&e, path)),
                }
            }
            Err(e) if e.is_connection() => wait_for_contact(s, &e, &reading)?,
            Err(e) => return Err(e.to_exit(&reading)),
        }
    }
}

/// A failed write; after a connection error we cannot know whether it was applied.
fn write_error(e: &Error, path: &str) -> exit::Error {
    if e.is_connection() {
        e.to_exit(&format!(
            "writing {path} (the write may or may not have been applied; `config get` tells)"
        ))
    } else {
        e.to_exit(&format!("writing {path}"))
    }
}

pub(super) fn set_event(path: &str, w: &Written) -> Event {
    let mut ev = Event::new("set")
        .with("path", path)
        .with("version", w.version)
        .with("changed", w.changed)
        .with("created", w.created);
    if let Some(z) = w.mzxid {
        ev = ev.with("mzxid", z);
    }
    let text = match (w.created, w.changed) {
        (true, _) => format!("created {path}: version {}", w.version),
        (false, true) => format!("set {path}: version {}", w.version),
        (false, false) => format!("unchanged {path}: version {}", w.version),
    };
    ev.text(text)
}

pub fn run_set(a: &SetArgs, path: &str, cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    let edit = match (&a.raw, a.pairs.is_empty()) {
        (Some(Some(raw)), _) => Edit::Raw(raw.clone().into_bytes()),
        (Some(None) | None, true) if a.expect_version.is_some() => return Err(exit::Error::usage(
            "--expect-version needs KEY=VALUE pairs or --raw TEXT (not the interactive updater)",
        )),
        (Some(None), _) => return super::interactive::run(path, cfg, out, true),
        (None, true) => return super::interactive::run(path, cfg, out, false),
        (None, false) => {
            let pairs = a
                .pairs
                .iter()
                .map(|p| doc::parse_pair(p))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|e| exit::Error::usage(format!("{e}; nothing was sent")))?;
            Edit::Merge(pairs)
        }
    };
    // The pairs (or the raw text) alone too large: refuse before even connecting.
    doc::check_size(edit_len(&edit))?;
    let mut s = connect(cfg)?;
    let w = apply_surviving(&mut s, || connect(cfg), path, &edit, a.expect_version)?;
    out.emit(&set_event(path, &w));
    s.close();
    Ok(exit::OK)
}

fn edit_len(e: &Edit) -> usize {
    match e {
        Edit::Raw(b) => b.len(),
        Edit::Merge(p) => p.iter().map(|(k, v)| k.len() + v.len() + 2).sum(),
        Edit::Unset(_) => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn edits() {
        let m = Edit::Merge(vec![("b".into(), "2".into())]);
        assert_eq!(m.apply(None).unwrap().unwrap(), b"b=2\n");
        assert_eq!(
            m.apply(Some(b"c=3\na=1\n")).unwrap().unwrap(),
            b"a=1\nb=2\nc=3\n"
        );
        assert_eq!(
            m.apply(Some(b"b=2\n")).unwrap(),
            None,
            "no write when unchanged"
        );
        assert_eq!(m.apply(Some(b"junk")).unwrap_err().code, exit::DATA);
        assert_eq!(m.apply(Some(b"\xff")).unwrap_err().code, exit::DATA);
        let u = Edit::Unset(vec!["a".into(), "zz".into()]);
        assert_eq!(u.apply(Some(b"a=1\nb=2\n")).unwrap().unwrap(), b"b=2\n");
        assert_eq!(u.apply(None).unwrap_err().code, exit::NOT_FOUND);
        let r = Edit::Raw(b"anything".to_vec());
        assert_eq!(r.apply(Some(b"\xff")).unwrap().unwrap(), b"anything");
        let big = Edit::Merge(vec![("k".into(), "x".repeat(doc::MAX_BYTES))]);
        assert_eq!(big.apply(None).unwrap_err().code, exit::DATA);
    }
}
