//! `zkdemo timeline` and `zkdemo demo --timeline`: what happened, as a picture.
//!
//! `model` turns JSON event lines into lanes, spans and marks (pure); `draw` renders them as an
//! SVG with plotters. The demo collects the events it passes on and draws them at its end with
//! the same code, so `zkdemo --json demo --timeline a.svg > log` and `zkdemo timeline log -o
//! b.svg` draw the same picture.

pub mod draw;
pub mod model;
#[cfg(test)]
mod tests;

use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use crate::cli::Context;
use crate::exit::{self, Error};
use model::{Record, SpanKind, Timeline};

const EXAMPLES: &str = "\
Examples:
  # The demo's story as a picture (zkdemo demo --timeline demo.svg does both)
  zkdemo --json demo > demo.jsonl
  zkdemo timeline demo.jsonl -o demo.svg

  # Separate processes: each one's JSON log, drawn together (a lane per --id)
  zkdemo --json lock --id 1 --count 3 > w1.jsonl &
  zkdemo --json lock --id 2 --count 3 > w2.jsonl
  zkdemo timeline w1.jsonl w2.jsonl -o lock.svg

  # From stdin, to stdout
  zkdemo --json demo --scenario elect | zkdemo timeline - -o - > elect.svg

Exit codes: 0 when the picture is written; 65 when a line is not a JSON event (the error
names the file and line) or there are no events; 1 when a file cannot be read or written.";

/// Draw what happened as an SVG timeline, from saved `zkdemo --json` events.
#[derive(Debug, Args)]
#[command(
    long_about = "Draw what happened as an SVG timeline, from saved `zkdemo --json` events: one \
lane per participant over time (seconds since the first event), a bar for each lock hold \
(acquired to released or lost) and each leadership term (leader to resigned or lost, or to the \
end), a thin bar while waiting or following, a tick for each config version as each watcher \
received it (labelled v0, v1, …) or an updater wrote it, and a red cross for each fault (lost, \
missed versions, errors, a participant the demo stopped or killed).\n\n\
A lane is the event's `participant` (as `zkdemo --json demo` writes it), else its `id` (`lock`, \
`elect`), else the name of its file (a `config watch` log). Several logs are drawn together, \
on one time axis.",
    after_help = EXAMPLES
)]
pub struct TimelineArgs {
    /// JSON event logs (`zkdemo --json …` output), one event per line; `-` reads stdin.
    #[arg(value_name = "EVENTS", required = true)]
    pub events: Vec<PathBuf>,

    /// Where to write the SVG; `-` writes it to stdout.
    #[arg(short, long, value_name = "FILE.svg")]
    pub output: PathBuf,
}

pub fn run(args: &TimelineArgs, ctx: &Context) -> exit::Result<i32> {
    let mut records = Vec::new();
    for path in &args.events {
        let (text, unnamed) = read(path)?;
        let parsed = model::parse(&text, &unnamed).map_err(|b| {
            Error::new(exit::DATA, format!("{}:{}: {}", shown(path), b.line, b.why))
        })?;
        records.extend(parsed);
    }
    let (t, svg) = picture(&records).map_err(|e| match e.code {
        exit::DATA => {
            let files: Vec<String> = args.events.iter().map(|p| shown(p)).collect();
            Error::new(e.code, format!("no events in {}", files.join(", ")))
        }
        _ => e,
    })?;
    if args.output == Path::new("-") {
        write(&mut std::io::stdout(), &svg, "stdout")?;
        return Ok(exit::OK);
    }
    write(&mut create(&args.output)?, &svg, &shown(&args.output))?;
    if !ctx.out.json && !ctx.out.quiet {
        crate::output::print(&format!("{}\n", summary(&t, &args.output)));
    }
    Ok(exit::OK)
}

/// Create the file a picture goes to (the demo does it first, so that a path that cannot be
/// written fails before anything else is done).
pub fn create(path: &Path) -> exit::Result<File> {
    File::create(path).map_err(|e| Error::failure(format!("cannot write {}: {e}", path.display())))
}

/// The timeline of `records` and its SVG; exit 65 when there are no events.
pub fn picture(records: &[Record]) -> exit::Result<(Timeline, String)> {
    let t = Timeline::of(records).ok_or_else(|| Error::new(exit::DATA, "no events"))?;
    let (svg, _) =
        draw::render(&t).map_err(|e| Error::failure(format!("cannot draw the timeline: {e}")))?;
    Ok((t, svg))
}

/// Write the SVG (`what` names the file in errors).
pub fn write(out: &mut dyn Write, svg: &str, what: &str) -> exit::Result<()> {
    out.write_all(svg.as_bytes())
        .and_then(|()| out.flush())
        .map_err(|e| Error::failure(format!("cannot write {what}: {e}")))
}

/// The events a demo collected (each with its `participant`), as records.
pub fn records_of(events: &[Value]) -> Vec<Record> {
    events
        .iter()
        .filter_map(|ev| {
            let ts = humantime::parse_rfc3339(ev["ts"].as_str()?).ok()?;
            let lane = ev["participant"].as_str()?.to_owned();
            Some(Record {
                ts,
                lane,
                event: ev.clone(),
            })
        })
        .collect()
}

/// One line for people: what was drawn, and where.
pub fn summary(t: &Timeline, path: &Path) -> String {
    // "1 participant", "2 participants".
    let n = |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    let count = |k| t.spans(k).len();
    format!(
        "timeline of {} over {:.1} s ({}, {}) written to {}",
        n(t.lanes.len(), "participant", "participants"),
        t.end,
        n(count(SpanKind::Hold), "lock hold", "lock holds"),
        n(count(SpanKind::Lead), "leadership term", "leadership terms"),
        path.display()
    )
}

/// A log's text and the lane name of its events that name no participant or id (its file
/// name without the extension).
fn read(path: &Path) -> exit::Result<(String, String)> {
    let mut text = String::new();
    let got = if path == Path::new("-") {
        std::io::stdin().read_to_string(&mut text)
    } else {
        File::open(path).and_then(|mut f| f.read_to_string(&mut text))
    };
    got.map_err(|e| Error::failure(format!("cannot read {}: {e}", shown(path))))?;
    let unnamed = match path.file_stem() {
        Some(s) if path != Path::new("-") => s.to_string_lossy().into_owned(),
        _ => "stdin".to_owned(),
    };
    Ok((text, unnamed))
}

/// A path as errors name it (`-`: stdin).
fn shown(path: &Path) -> String {
    if path == Path::new("-") {
        "stdin".into()
    } else {
        path.display().to_string()
    }
}
