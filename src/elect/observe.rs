//! `zkdemo elect --observe`: who leads, and every change, without campaigning.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::ElectArgs;
use crate::exit::{self, Error};
use crate::inbox::{self, connect, Wake};
use crate::inspect::view::{escape_display, escape_invalid};
use crate::output::{Event, Output};
use crate::queue::name;
use crate::session::{self, Session, SessionConfig, SessionEvent, WatchEvent};
use crate::signals;

/// `--observe`: watch the children (a child watch: an observer wants every change) and report
/// the head whenever it changes. Does not campaign.
pub(super) fn observe(args: &ElectArgs, cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    let (mut tx, rx, _signals) = inbox::channel();
    let mut session = connect(cfg, &tx)?;
    // None until the first listing: an empty election is reported too ("no leader").
    let mut last: Option<Option<String>> = None;
    loop {
        let s = &session;
        let wtx = tx.clone();
        let listed = s.watch_children(&args.path, move |ev| {
            let _ = wtx.send(Wake::Watch(String::new(), ev));
        });
        let children = match listed {
            Ok(c) => Some(c),
            Err(session::Error::NoNode) => {
                // Wait for the election to be created.
                let wtx = tx.clone();
                match s.watch_exists(&args.path, move |ev| {
                    let _ = wtx.send(Wake::Watch(String::new(), ev));
                }) {
                    Ok(Some(_)) => continue,
                    Ok(None) => Some(Vec::new()),
                    Err(e) if e.is_connection() => None,
                    Err(e) => return Err(e.to_exit(&format!("watching {}", args.path))),
                }
            }
            Err(e) if e.is_connection() => None,
            Err(e) => return Err(e.to_exit(&format!("watching {}", args.path))),
        };
        if let Some(children) = children {
            let head = name::contenders(&children).into_iter().next();
            let head_name = head.as_ref().map(|n| n.name.clone());
            if last.as_ref() != Some(&head_name) {
                last = Some(head_name);
                out.emit(&leader_event(s, &args.path, head.as_ref()));
            }
        }
        loop {
            match rx.recv() {
                Ok(Wake::Signal(sig)) => {
                    session.close_within(Duration::from_millis(600));
                    return Ok(signals::exit_code(sig));
                }
                Ok(Wake::Session(SessionEvent::Lost { reason })) => {
                    log::info!("observer session lost ({reason}); connecting again");
                    tx = inbox::next_generation(&tx, &rx);
                    session = connect(cfg, &tx)?;
                    break;
                }
                Ok(Wake::Session(SessionEvent::Reconnected)) => break,
                Ok(Wake::Watch(_, WatchEvent::SessionLost)) => {}
                Ok(Wake::Watch(..)) => break,
                Ok(_) => {}
                Err(_) => return Err(Error::failure("event channel closed")),
            }
        }
    }
}

fn leader_event(s: &Session, path: &str, head: Option<&name::Name>) -> Event {
    let Some(head) = head else {
        return Event::new("leader_changed")
            .with("path", path)
            .with("leader", serde_json::Value::Null)
            .text(format!("{path}: no leader"));
    };
    let node = format!("{path}/{}", head.name);
    let (raw, since) = match s.get_data(&node) {
        Ok((d, st)) => (d, st.ctime),
        Err(_) => (Vec::new(), 0),
    };
    let id = escape_invalid(&raw);
    let shown = escape_display(&raw, true);
    let since_txt =
        humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(since.max(0) as u64));
    let ago = SystemTime::now()
        .duration_since(UNIX_EPOCH + Duration::from_millis(since.max(0) as u64))
        .unwrap_or_default();
    Event::new("leader_changed")
        .with("path", path)
        .with("leader", id.clone())
        .with("node", head.name.clone())
        .with("seq", head.seq)
        .with("format", head.format.as_str())
        .with("since", since_txt.to_string())
        .text(format!(
            "{path}: node {shown} leads ({}, since {since_txt}, {} ago)",
            head.name,
            session::fmt_duration(Duration::from_secs(ago.as_secs()))
        ))
}
