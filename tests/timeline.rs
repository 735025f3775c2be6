//! `zkdemo demo --timeline` and `zkdemo timeline`, checked by their pixels: the SVG is rendered
//! with resvg, and every lock hold in the JSON log must be a bar of the hold colour in its
//! participant's lane, at its time, in order, and no two bars of different lanes may overlap
//! (the lock is exclusive). Where the lanes are comes from `timeline::draw::Geometry`; what is
//! there, only from the pixels.

mod common;

use std::io::Write;
use std::path::Path;
use std::process::Stdio;
use std::time::{Duration, SystemTime};

use common::*;
use resvg::{tiny_skia, usvg};
use serde_json::Value;
use zkdemo::timeline::draw::{render, Geometry, HOLD};
use zkdemo::timeline::model::{parse, Timeline};

/// A bar of the hold colour found in a lane: its pixels [from, to), and the lane's name.
#[derive(Debug, Clone)]
struct Bar {
    lane: String,
    from: i32,
    to: i32,
}

/// Render the SVG and find the hold-coloured runs along the middle row of every lane's bars.
fn hold_bars(svg: &str, g: &Geometry) -> Vec<Bar> {
    let tree = usvg::Tree::from_str(svg, &usvg::Options::default()).expect("a valid SVG");
    let size = tree.size().to_int_size();
    assert_eq!((size.width(), size.height()), (g.width, g.height));
    let mut pixmap = tiny_skia::Pixmap::new(size.width(), size.height()).expect("a pixmap");
    resvg::render(&tree, tiny_skia::Transform::default(), &mut pixmap.as_mut());
    let is_hold = |x: i32, y: i32| {
        let p = pixmap.pixel(x as u32, y as u32).expect("inside");
        (p.red(), p.green(), p.blue(), p.alpha()) == (HOLD.0, HOLD.1, HOLD.2, 255)
    };
    let mut bars = Vec::new();
    for lane in &g.lanes {
        let y = (lane.bar_top + lane.bar_bottom) / 2;
        // The same runs a few rows up and down: a bar, not a line.
        for dy in [-3, 3] {
            for x in g.x0..g.x1 {
                assert_eq!(is_hold(x, y), is_hold(x, y + dy), "{} at x {x}", lane.name);
            }
        }
        let mut x = g.x0;
        while x < g.x1 {
            if is_hold(x, y) {
                let from = x;
                while x < g.x1 && is_hold(x, y) {
                    x += 1;
                }
                bars.push(Bar {
                    lane: lane.name.clone(),
                    from,
                    to: x,
                });
            }
            x += 1;
        }
    }
    bars.sort_by_key(|b| b.from);
    bars
}

fn ts(e: &Value) -> SystemTime {
    humantime::parse_rfc3339(e["ts"].as_str().expect("ts")).expect("RFC 3339")
}

/// The holds of a log, `acquired` to the next `released`/`lost` of the same lane, in time order:
/// (lane, from, to) in seconds since the log's first event.
fn holds(events: &[(String, Value)]) -> Vec<(String, f64, f64)> {
    let t0 = events.iter().map(|(_, e)| ts(e)).min().expect("events");
    let secs = |e: &Value| ts(e).duration_since(t0).unwrap().as_secs_f64();
    let mut open: Vec<(String, f64)> = Vec::new();
    let mut out = Vec::new();
    for (lane, e) in events {
        match e["event"].as_str() {
            Some("acquired") => open.push((lane.clone(), secs(e))),
            Some("released" | "lost") => {
                let i = open.iter().position(|(l, _)| l == lane).expect("held");
                let (l, from) = open.remove(i);
                out.push((l, from, secs(e)));
            }
            _ => {}
        }
    }
    assert!(open.is_empty(), "never released: {open:?}");
    out.sort_by(|a, b| a.1.total_cmp(&b.1));
    out
}

/// Every hold is its bar: in its lane, at its time (to the pixel), in order; and no two bars
/// of different lanes overlap.
fn assert_bars_are_the_holds(bars: &[Bar], holds: &[(String, f64, f64)], g: &Geometry) {
    assert_eq!(
        bars.len(),
        holds.len(),
        "one bar per hold:\nbars {bars:?}\nholds {holds:?}"
    );
    for (b, (lane, from, to)) in bars.iter().zip(holds) {
        assert_eq!(&b.lane, lane, "bars in the holds' order: {bars:?}");
        assert!(
            (b.from - g.x_at(*from)).abs() <= 1 && (b.to - g.x_at(*to)).abs() <= 1,
            "{lane}'s hold {from:.3}–{to:.3} s is at x {}–{}, its bar at {}–{}",
            g.x_at(*from),
            g.x_at(*to),
            b.from,
            b.to
        );
        assert!(b.to - b.from >= 5, "a bar one can see: {b:?}");
    }
    for w in bars.windows(2) {
        assert!(w[0].lane != w[1].lane || w[0].to < w[1].from, "{w:?}");
        assert!(w[0].to <= w[1].from, "two bars at once: {w:?}");
    }
}

#[test]
fn the_demo_draws_each_lock_hold_as_a_bar_in_its_workers_lane() {
    let dir = tempfile::tempdir().unwrap();
    let svg_path = dir.path().join("lock.svg");
    let mut cmd = zkdemo();
    cmd.args(["--json", "--zk", &shared().connect_string(), "demo"])
        .args(["--scenario", "lock", "--timeline"])
        .arg(&svg_path);
    let (status, p) = run(cmd, Duration::from_secs(60));
    assert_eq!(status.code(), Some(0), "{}", p.transcript());
    let svg = std::fs::read_to_string(&svg_path).expect("the demo wrote its timeline");

    // Where the lanes are: the log drawn again by the library (the same picture, to the byte).
    let log: String = p.lines().iter().map(|l| format!("{}\n", l.text)).collect();
    let t = Timeline::of(&parse(&log, "demo").expect("the log parses")).expect("events");
    let (again, g) = render(&t).expect("drawn");
    assert!(again == svg, "the demo's picture is its log's");
    let names: Vec<&str> = g.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["worker 1", "worker 2", "worker 3"]);

    let events: Vec<(String, Value)> = p
        .events()
        .into_iter()
        .map(|e| (e["participant"].as_str().unwrap().to_owned(), e))
        .collect();
    let holds = holds(&events);
    assert_eq!(holds.len(), 6, "three workers, twice each: {holds:?}");
    assert_bars_are_the_holds(&hold_bars(&svg, &g), &holds, &g);

    // The saved log, through `zkdemo timeline`: the same picture.
    let saved = dir.path().join("demo.jsonl");
    std::fs::write(&saved, &log).unwrap();
    let out = dir.path().join("again.svg");
    let o = zkdemo()
        .arg("timeline")
        .arg(&saved)
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    assert!(std::fs::read_to_string(&out).unwrap() == svg);
    let said = String::from_utf8_lossy(&o.stdout);
    assert!(
        said.contains("3 participants") && said.contains("6 lock holds"),
        "{said}"
    );
}

#[test]
fn separate_lock_processes_logs_draw_one_lane_per_id() {
    let dir = tempfile::tempdir().unwrap();
    let path = unique_path("timeline");
    let mut procs: Vec<Proc> = ["a", "b"]
        .iter()
        .map(|id| {
            let mut cmd = zkdemo();
            cmd.args(["--json", "--zk", &shared().connect_string(), "lock"])
                .args(["--path", &path, "--id", id, "--hold", "300ms", "--pause"])
                .args(["100ms", "--count", "2"]);
            Proc::spawn(cmd)
        })
        .collect();
    let mut files = Vec::new();
    for (p, id) in procs.iter_mut().zip(["a", "b"]) {
        let status = p.wait_exit(Duration::from_secs(30)).expect("exits");
        assert_eq!(status.code(), Some(0), "{}", p.transcript());
        let log: String = p.lines().iter().map(|l| format!("{}\n", l.text)).collect();
        let f = dir.path().join(format!("worker-{id}.jsonl"));
        std::fs::write(&f, &log).unwrap();
        files.push((f, log));
    }
    let out = dir.path().join("lock.svg");
    let o = zkdemo()
        .arg("timeline")
        .args(files.iter().map(|f| &f.0))
        .arg("-o")
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{o:?}");
    let svg = std::fs::read_to_string(&out).unwrap();

    let mut records = Vec::new();
    let mut events = Vec::new();
    for (f, log) in &files {
        let name = f.file_stem().unwrap().to_str().unwrap();
        for r in parse(log, name).expect("parses") {
            events.push((r.lane.clone(), r.event.clone()));
            records.push(r);
        }
    }
    let (again, g) = render(&Timeline::of(&records).unwrap()).unwrap();
    assert!(again == svg);
    let names: Vec<&str> = g.lanes.iter().map(|l| l.name.as_str()).collect();
    assert_eq!(names, ["a", "b"], "lanes by --id");
    let holds = holds(&events);
    assert_eq!(holds.len(), 4);
    assert_bars_are_the_holds(&hold_bars(&svg, &g), &holds, &g);
}

/// `zkdemo timeline` with `args`, `stdin` on its stdin: exit code, stdout, stderr.
fn timeline(args: &[&str], stdin: &str, dir: &Path) -> (i32, Vec<u8>, String) {
    let mut child = zkdemo()
        .arg("timeline")
        .args(args)
        .current_dir(dir)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let o = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&o.stderr).trim().to_owned();
    (o.status.code().unwrap_or(-1), o.stdout, err)
}

#[test]
fn a_saved_log_with_a_bad_line_is_exit_65_naming_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let good = [
        r#"{"event":"acquired","ts":"2026-01-02T03:04:05.000000Z","participant":"worker 1"}"#,
        r#"{"event":"released","ts":"2026-01-02T03:04:05.700000Z","participant":"worker 1"}"#,
    ];
    let bad = format!("{}\n\n[demo] working under /x\n{}\n", good[0], good[1]);
    std::fs::write(dir.path().join("bad.jsonl"), bad).unwrap();
    let (code, out, err) = timeline(&["bad.jsonl", "-o", "bad.svg"], "", dir.path());
    assert_eq!(code, 65, "{err}");
    assert!(out.is_empty());
    assert!(err.starts_with("zkdemo: bad.jsonl:3: not JSON"), "{err}");
    assert_eq!(err.lines().count(), 1, "one line: {err}");
    assert!(!dir.path().join("bad.svg").exists(), "nothing written");

    let (code, _, err) = timeline(&["-", "-o", "none.svg"], "\n\n", dir.path());
    assert_eq!((code, err.as_str()), (65, "zkdemo: no events in stdin"));
    assert!(!dir.path().join("none.svg").exists());

    let log = good.join("\n");
    let (code, _, err) = timeline(&["-", "-o", "no/such/dir.svg"], &log, dir.path());
    assert_eq!(code, 1, "{err}");
    assert!(
        err.starts_with("zkdemo: cannot write no/such/dir.svg: "),
        "{err}"
    );

    // From stdin, to stdout.
    let (code, out, err) = timeline(&["-", "-o", "-"], &log, dir.path());
    assert_eq!(code, 0, "{err}");
    let svg = String::from_utf8(out).unwrap();
    assert!(svg.starts_with("<svg") && svg.contains("worker 1"), "{svg}");
}

#[test]
fn the_demo_refuses_a_picture_it_cannot_write_and_leaves_none_when_it_cannot_start() {
    let dir = tempfile::tempdir().unwrap();
    // Checked before anything starts: no server, no participant.
    let o = zkdemo()
        .args(["--zk", &shared().connect_string(), "demo", "--timeline"])
        .arg(dir.path().join("no/such/dir.svg"))
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(1), "{o:?}");
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(err.starts_with("zkdemo: cannot write "), "{err}");
    assert!(o.stdout.is_empty(), "nothing started: {o:?}");

    // No ZooKeeper: exit 69, and no empty picture left behind.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let svg = dir.path().join("none.svg");
    let o = zkdemo()
        .args([
            "--zk",
            &format!("127.0.0.1:{port}"),
            "--connect-timeout",
            "1s",
        ])
        .args(["demo", "--timeline"])
        .arg(&svg)
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(69), "{o:?}");
    assert!(!svg.exists());
}
