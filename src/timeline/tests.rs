//! The model from event lines, and what the drawing says about where things are.

use super::draw::{render, HOLD};
use super::model::*;

/// `event` name, participant and more fields, as `zkdemo --json demo` writes them.
fn ev(ms: u64, event: &str, who: &str, more: &str) -> String {
    let ts = format!("2026-01-02T03:04:{:02}.{:03}000Z", 5 + ms / 1000, ms % 1000);
    format!(r#"{{"event":"{event}","ts":"{ts}","participant":"{who}"{more}}}"#)
}

fn timeline(lines: &[String]) -> Timeline {
    Timeline::of(&parse(&lines.join("\n"), "file").expect("parses")).expect("events")
}

fn lane<'a>(t: &'a Timeline, name: &str) -> &'a Lane {
    t.lanes
        .iter()
        .find(|l| l.name == name)
        .unwrap_or_else(|| panic!("no lane {name}: {t:?}"))
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

#[test]
fn a_lane_is_the_participant_else_the_id_else_the_file() {
    let text = [
        ev(0, "queued", "worker 1", r#","id":"1""#),
        String::new(),
        r#"{"event":"acquired","ts":"2026-01-02T03:04:05.5Z","id":"7"}"#.to_owned(),
        r#"{"event":"config","ts":"2026-01-02T03:04:06Z","version":0}"#.to_owned(),
        r#"{"event":"leader","ts":"2026-01-02T03:04:06Z","id":3}"#.to_owned(),
    ]
    .join("\n");
    let lanes: Vec<String> = parse(&text, "w1")
        .unwrap()
        .into_iter()
        .map(|r| r.lane)
        .collect();
    assert_eq!(lanes, ["worker 1", "7", "w1", "3"]);
}

#[test]
fn a_bad_line_is_named_by_its_number() {
    let ok = ev(0, "queued", "worker 1", "");
    for (bad, why) in [
        (
            "worker 1 holds the lock",
            "not JSON (expected value, column 1)",
        ),
        ("[1, 2]", "not a JSON object"),
        (r#"{"ts":"2026-01-02T03:04:05Z"}"#, "no \"event\""),
        (r#"{"event":"x"}"#, "no \"ts\""),
        (r#"{"event":"x","ts":"yesterday"}"#, "not an RFC 3339 time"),
    ] {
        let text = format!("{ok}\n\n{bad}\n{ok}");
        let e = parse(&text, "f").unwrap_err();
        assert_eq!(e.line, 3, "{bad}");
        assert!(e.why.contains(why), "{bad}: {}", e.why);
        assert!(!e.why.contains("line 1"), "{}", e.why);
    }
    assert!(Timeline::of(&parse("\n\n", "f").unwrap()).is_none());
}

#[test]
fn lock_holds_and_waits_become_spans_in_their_lanes() {
    let t = timeline(&[
        ev(0, "acquired", "worker 1", ""),
        ev(100, "queued", "worker 2", r#","position":2"#),
        ev(150, "queued", "worker 2", r#","position":2"#),
        ev(700, "released", "worker 1", ""),
        ev(710, "acquired", "worker 2", ""),
        ev(1400, "released", "worker 2", ""),
        ev(1500, "acquired", "worker 1", ""),
    ]);
    assert!(close(t.end, 1.5));
    let names: Vec<&str> = t.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["worker 1", "worker 2"]);
    let holds: Vec<(usize, f64, f64, bool)> = t
        .spans(SpanKind::Hold)
        .into_iter()
        .map(|(i, s)| (i, s.from, s.to, s.open))
        .collect();
    assert_eq!(holds.len(), 3);
    assert!(holds[0].0 == 0 && close(holds[0].1, 0.0) && close(holds[0].2, 0.7));
    assert!(holds[1].0 == 1 && close(holds[1].1, 0.71) && close(holds[1].2, 1.4));
    // Never released: drawn to the end.
    assert!(holds[2].0 == 0 && close(holds[2].1, 1.5) && holds[2].3);
    // One wait, however often the place was told.
    let waits = t.spans(SpanKind::Wait);
    assert_eq!(waits.len(), 1);
    assert!(close(waits[0].1.from, 0.1) && close(waits[0].1.to, 0.71));
}

#[test]
fn terms_end_with_resigned_or_lost_and_a_loss_is_a_fault() {
    let t = timeline(&[
        ev(0, "joined", "node 1", ""),
        ev(10, "leader", "node 1", ""),
        ev(20, "joined", "node 2", ""),
        ev(30, "follower", "node 2", ""),
        ev(500, "lost", "node 1", r#","reason":"session expired""#),
        ev(520, "leader", "node 2", ""),
        ev(900, "resigned", "node 2", ""),
    ]);
    let terms: Vec<(usize, f64, f64)> = t
        .spans(SpanKind::Lead)
        .into_iter()
        .map(|(i, s)| (i, s.from, s.to))
        .collect();
    assert_eq!(terms.len(), 2);
    assert!(terms[0].0 == 0 && close(terms[0].1, 0.01) && close(terms[0].2, 0.5));
    assert!(terms[1].0 == 1 && close(terms[1].1, 0.52) && close(terms[1].2, 0.9));
    let n1 = lane(&t, "node 1");
    assert_eq!(n1.marks.len(), 1);
    assert_eq!(
        (n1.marks[0].kind, n1.marks[0].label.as_str()),
        (MarkKind::Fault, "lost")
    );
    assert!(
        close(lane(&t, "node 2").spans[0].to, 0.52),
        "node 2 waited until it led"
    );
}

#[test]
fn config_versions_are_marks_labelled_as_received() {
    let t = timeline(&[
        ev(
            0,
            "config",
            "watcher 1",
            r#","exists":false,"initial":true"#,
        ),
        ev(100, "set", "updater", r#","version":0,"created":true"#),
        ev(
            110,
            "config",
            "watcher 1",
            r#","exists":true,"version":0,"initial":false"#,
        ),
        ev(
            200,
            "config",
            "watcher 1",
            r#","exists":false,"initial":false"#,
        ),
        ev(300, "missed", "watcher 1", r#","count":2"#),
        ev(400, "session", "watcher 1", r#","state":"suspended""#),
        ev(450, "session", "watcher 1", r#","state":"reconnected""#),
    ]);
    let marks: Vec<(MarkKind, &str)> = lane(&t, "watcher 1")
        .marks
        .iter()
        .map(|m| (m.kind, m.label.as_str()))
        .collect();
    use MarkKind::*;
    assert_eq!(
        marks,
        [
            (Config, "none"),
            (Config, "v0"),
            (Config, "deleted"),
            (Fault, "missed 2"),
            (Fault, "session suspended")
        ]
    );
    assert_eq!(lane(&t, "updater").marks[0].label, "v0");
    assert_eq!(lane(&t, "updater").marks[0].kind, Write);
}

#[test]
fn the_demo_draws_no_lane_but_bands_and_the_exits_it_saw() {
    let t = timeline(&[
        ev(0, "demo", "demo", r#","state":"start""#),
        ev(10, "scenario", "demo", r#","state":"start","name":"elect""#),
        ev(
            20,
            "spawned",
            "demo",
            r#","state":"running","name":"node 1""#,
        ),
        ev(
            30,
            "spawned",
            "demo",
            r#","state":"running","name":"node 2""#,
        ),
        ev(40, "leader", "node 1", ""),
        ev(
            50,
            "spawned",
            "demo",
            r#","state":"running","name":"inspect""#,
        ),
        ev(60, "inspect", "inspect", r#","paths":[]"#),
        ev(
            70,
            "exited",
            "demo",
            r#","state":"ok","name":"inspect","code":0"#,
        ),
        ev(
            80,
            "step",
            "demo",
            r#","state":"info","text":"stopping the leader""#,
        ),
        ev(90, "resigned", "node 1", ""),
        ev(95, "leader", "node 2", ""),
        ev(
            100,
            "exited",
            "demo",
            r#","state":"exited","name":"node 1","code":130"#,
        ),
        ev(200, "scenario", "demo", r#","state":"end","name":"elect""#),
        ev(
            300,
            "scenario",
            "demo",
            r#","state":"start","name":"config""#,
        ),
    ]);
    let names: Vec<&str> = t.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(
        names,
        ["node 1", "node 2"],
        "no demo lane, no empty inspect lane"
    );
    let n1 = lane(&t, "node 1");
    assert!(close(n1.life.0, 0.02) && close(n1.life.1, 0.1));
    assert_eq!(n1.marks[0].label, "stopped (SIGINT)");
    assert_eq!(n1.marks[0].kind, MarkKind::Fault);
    assert!(close(n1.marks[0].at, 0.1));
    assert!(lane(&t, "node 2")
        .spans
        .iter()
        .any(|s| s.kind == SpanKind::Lead && s.open));
    assert_eq!(t.bands.len(), 2);
    assert!(
        t.bands[0].name == "elect" && close(t.bands[0].from, 0.01) && close(t.bands[0].to, 0.2)
    );
    assert!(
        close(t.bands[1].to, t.end),
        "a scenario never ended runs to the end"
    );
    assert_eq!(exit_label(-1), "killed");
    assert_eq!(exit_label(3), "exit 3");
}

#[test]
fn times_count_from_the_earliest_event_whatever_the_order_of_the_logs() {
    let t = timeline(&[
        ev(900, "acquired", "2", ""),
        ev(1000, "released", "2", ""),
        ev(0, "acquired", "1", ""),
        ev(800, "released", "1", ""),
    ]);
    assert!(close(t.end, 1.0));
    let holds = t.spans(SpanKind::Hold);
    assert!(close(holds[0].1.from, 0.0) && holds[0].0 == 1);
    assert!(close(holds[1].1.from, 0.9) && holds[1].0 == 0);
}

#[test]
fn the_picture_has_a_lane_per_participant_and_its_holds_in_the_hold_colour() {
    let t = timeline(&[
        ev(0, "acquired", "worker 1", ""),
        ev(700, "released", "worker 1", ""),
        ev(710, "acquired", "worker 2", ""),
        ev(1400, "released", "worker 2", ""),
    ]);
    let (svg, g) = render(&t).expect("drawn");
    assert!(svg.starts_with("<svg") && svg.contains("worker 2"), "{svg}");
    let hold = format!("#{:02X}{:02X}{:02X}", HOLD.0, HOLD.1, HOLD.2);
    assert_eq!(
        svg.matches(hold.as_str()).count(),
        3,
        "two holds and the legend"
    );
    assert_eq!(g.lanes.len(), 2);
    assert_eq!(g.lanes[0].name, "worker 1");
    for l in &g.lanes {
        assert!(l.top < l.bar_top && l.bar_top < l.bar_bottom && l.bar_bottom < l.bottom);
    }
    assert!(g.lanes[0].bottom <= g.lanes[1].top, "lane 0 on top");
    assert_eq!(g.x_at(0.0), g.x0);
    assert!(g.x_at(0.7) < g.x_at(0.71) + 1 && g.x_at(1.4) < g.x1);
}

#[test]
fn the_summary_counts_in_the_singular_and_the_plural() {
    let one = timeline(&[
        ev(0, "acquired", "worker 1", ""),
        ev(500, "released", "worker 1", ""),
    ]);
    let said = super::summary(&one, std::path::Path::new("a.svg"));
    assert_eq!(
        said,
        "timeline of 1 participant over 0.5 s (1 lock hold, 0 leadership terms) written to a.svg"
    );
    let two = timeline(&[
        ev(0, "acquired", "worker 1", ""),
        ev(500, "released", "worker 1", ""),
        ev(510, "acquired", "worker 2", ""),
        ev(900, "released", "worker 2", ""),
    ]);
    let said = super::summary(&two, std::path::Path::new("a.svg"));
    assert!(
        said.contains("2 participants") && said.contains("2 lock holds"),
        "{said}"
    );
}
