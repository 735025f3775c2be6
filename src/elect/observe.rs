//! `zkdemo elect --observe`: who leads, and every change, without campaigning.

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use super::ElectArgs;
use crate::exit::{self, Error};
use crate::inbox::{self, Wake};
use crate::output::{Event, Output};
use crate::queue::name::{self, Format};
use crate::queue::Recipe;
use crate::session::{self, Session, SessionConfig, SessionEvent};
use crate::signals;
use crate::text::{escape_display, escape_invalid};
use crate::watch::ChildrenWatch;

/// `--observe`: watch the children (a `ChildrenWatch`: an observer wants every change) and
/// report the head whenever it changes. Does not campaign.
pub(super) fn observe(args: &ElectArgs, cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    let (mut tx, rx, _signals) = inbox::channel();
    let mut session = inbox::connect(cfg, &tx)?;
    let mut kids = ChildrenWatch::new(&args.path);
    // None until the first listing: an empty election is reported too ("no leader").
    let mut last: Option<Option<String>> = None;
    // Contact was lost since the last listing: a change found now happened unseen.
    let mut gap = false;
    loop {
        match kids.refresh(&session, &tx) {
            // A missing election has no leader (it is watched until it is created).
            Ok(Some(u)) => {
                let children = u.now.unwrap_or_default();
                // Ordered as the recipe whose nodes these are orders them (Curator's LeaderLatch
                // by the text after `latch-`, kazoo's Election by sequence).
                let recipe = Recipe::of_children(&children);
                let head = recipe
                    .sorted(&children)
                    .into_iter()
                    .find(|n| n.format != Format::Other);
                // Nodes of recipes that do not see each other: each side may have a leader.
                let mixed = matches!(recipe.check_directory(&children), Err(f) if f.mixed);
                let head_name = head.as_ref().map(|n| n.name.clone());
                if last.as_ref() != Some(&head_name) {
                    let seen = match (&last, gap) {
                        (None, _) => Seen::AtStart,
                        (Some(_), true) => Seen::AfterGap,
                        (Some(_), false) => Seen::Live,
                    };
                    last = Some(head_name);
                    let ev = leader_event(&session, &args.path, head.as_ref(), seen, mixed);
                    out.emit(&ev);
                }
                gap = false;
            }
            Ok(None) => gap = false,
            // The session says Reconnected or Lost next.
            Err(e) if e.is_connection() => {}
            Err(e) => return Err(e.to_exit(&format!("watching {}", args.path))),
        }
        loop {
            let wake = rx
                .recv()
                .map_err(|_| Error::failure("event channel closed"))?;
            if matches!(
                wake,
                Wake::Session(SessionEvent::Suspended { .. } | SessionEvent::Lost { .. })
            ) {
                gap = true;
            }
            if kids.on_wake(&wake) {
                break;
            }
            match wake {
                Wake::Signal(sig) => {
                    session.close_within(Duration::from_millis(600));
                    return Ok(signals::exit_code(sig));
                }
                Wake::Session(SessionEvent::Lost { reason }) => {
                    log::info!("observer session lost ({reason}); connecting again");
                    tx = inbox::next_generation(&tx, &rx);
                    session = inbox::connect(cfg, &tx)?;
                    break;
                }
                _ => {}
            }
        }
    }
}

/// How this observer came to know the leader: what it can honestly say of when it began.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Seen {
    /// Leading already when the observer started: when it began is not known.
    AtStart,
    /// A change seen as it happened (a watch fired): it began to lead about now.
    Live,
    /// Found on reading again after a loss of contact: it began while we were away.
    AfterGap,
}

fn rfc3339(ms: i64) -> String {
    humantime::format_rfc3339_millis(UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64))
        .to_string()
}

/// `mixed`: the election's nodes are of recipes that do not see each other (the leader named
/// is by the recipe of the most nodes there; the others' users may follow another).
fn leader_event(
    s: &Session,
    path: &str,
    head: Option<&name::Name>,
    seen: Seen,
    mixed: bool,
) -> Event {
    let Some(head) = head else {
        return Event::new("leader_changed")
            .with("path", path)
            .with("leader", serde_json::Value::Null)
            .text(format!("{path}: no leader"));
    };
    let node = format!("{path}/{}", head.name);
    let (raw, created) = match s.get_data(&node) {
        Ok((d, st)) => (d, Some(st.ctime)),
        Err(_) => (Vec::new(), None),
    };
    let id = escape_invalid(&raw);
    let shown = escape_display(&raw, true);
    let now = humantime::format_rfc3339_millis(SystemTime::now()).to_string();
    let created_txt = created.map(|ms| {
        let ago = SystemTime::now()
            .duration_since(UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64))
            .unwrap_or_default();
        format!(
            "node created {}, {} ago",
            rfc3339(ms),
            session::fmt_duration(Duration::from_secs(ago.as_secs()))
        )
    });
    let when = match (seen, &created_txt) {
        (Seen::Live, _) => format!("leading since it was seen at {now}"),
        (Seen::AtStart, Some(c)) => c.clone(),
        (Seen::AtStart, None) => "leading when we started".to_owned(),
        (Seen::AfterGap, c) => format!(
            "seen at {now}, after a loss of contact: it began to lead unseen{}",
            c.as_ref().map(|c| format!("; {c}")).unwrap_or_default()
        ),
    };
    let since = match seen {
        Seen::Live => serde_json::Value::from(now),
        Seen::AtStart | Seen::AfterGap => serde_json::Value::Null,
    };
    Event::new("leader_changed")
        .with("path", path)
        .with("leader", id.clone())
        .with("node", head.name.clone())
        .with("seq", head.seq)
        .with("format", head.format.as_str())
        .with("since", since)
        .with("created", created.map(rfc3339))
        .with("mixed", mixed)
        .text(format!(
            "{path}: node {shown} leads ({}, {when}){}",
            head.name,
            if mixed {
                "; but its nodes mix formats whose users do not see each other, so another \
                 may lead for them (`zkdemo inspect` shows who is there)"
            } else {
                ""
            }
        ))
}
