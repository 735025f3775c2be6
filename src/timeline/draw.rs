//! The timeline drawn as an SVG with plotters: one lane per participant (lane 0 on top), x in
//! seconds since the first event; a bar per lock hold and per leadership term, a thin bar per
//! wait, a tick per config version received or written, a red cross per fault, the demo's
//! scenarios as labelled lines, and a legend below.
//!
//! Colours are fixed and opaque, and bars are drawn on whole pixels, so a picture can be
//! checked by its pixels: `Geometry` says where each lane is (`tests/timeline.rs`).

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::model::{Lane, MarkKind, SpanKind, Timeline};

/// A lock hold.
pub const HOLD: RGBColor = RGBColor(31, 119, 180);
/// A leadership term.
pub const LEAD: RGBColor = RGBColor(255, 127, 14);
/// Waiting for the lock, or following.
pub const WAIT: RGBColor = RGBColor(190, 190, 190);
/// A config version as a watcher received it.
pub const CONFIG: RGBColor = RGBColor(44, 160, 44);
/// A config version as an updater wrote it.
pub const WRITE: RGBColor = RGBColor(148, 103, 189);
/// A fault.
pub const FAULT: RGBColor = RGBColor(214, 39, 40);
const LIFE: RGBColor = RGBColor(150, 150, 150);
const STRIPE: RGBColor = RGBColor(243, 245, 248);
const BAND: RGBColor = RGBColor(120, 120, 120);
const GRID: RGBColor = RGBColor(225, 225, 225);

const WIDTH: u32 = 1000;
/// Pixels per lane.
const LANE_H: u32 = 34;
/// Room above the first lane for the scenarios' names, in lanes.
const TOP: f64 = 0.7;
/// Half the height of a bar, of a wait, of a lane's life line, in lanes.
const BAR: f64 = 0.3;
const THIN: f64 = 0.09;
const LINE: f64 = 0.03;
const CAPTION: u32 = 46;
const X_LABELS: u32 = 44;
const LEGEND: u32 = 34;
const FONT: &str = "sans-serif";

/// Where things are in the picture, in pixels.
#[derive(Debug, Clone, PartialEq)]
pub struct Geometry {
    pub width: u32,
    pub height: u32,
    /// x of t = 0 and of t = `x_end` seconds.
    pub x0: i32,
    pub x1: i32,
    pub x_end: f64,
    pub lanes: Vec<LaneBox>,
}

/// One lane's rectangle (top inclusive, bottom exclusive), and the rows its bars cover.
#[derive(Debug, Clone, PartialEq)]
pub struct LaneBox {
    pub name: String,
    pub top: i32,
    pub bottom: i32,
    pub bar_top: i32,
    pub bar_bottom: i32,
}

impl Geometry {
    /// The x pixel of `t` seconds (as plotters maps it, to the pixel).
    pub fn x_at(&self, t: f64) -> i32 {
        self.x0 + ((t / self.x_end) * f64::from(self.x1 - self.x0) + 1e-3).floor() as i32
    }
}

/// Lane `i`'s centre on the y axis (lane 0 on top).
fn centre(n: usize, i: usize) -> f64 {
    n as f64 - i as f64 - 0.5
}

/// A lane name short enough for the label area.
fn short(name: &str) -> String {
    if name.chars().count() > 24 {
        format!("{}…", name.chars().take(23).collect::<String>())
    } else {
        name.to_owned()
    }
}

/// The SVG, and where its lanes are.
pub fn render(t: &Timeline) -> Result<(String, Geometry), String> {
    let n = t.lanes.len();
    let rows = n.max(1) as f64 + TOP;
    let height = CAPTION + (rows * f64::from(LANE_H)) as u32 + X_LABELS + LEGEND;
    let names: Vec<String> = t.lanes.iter().map(|l| short(&l.name)).collect();
    let label_w = names.iter().map(|s| s.chars().count()).max().unwrap_or(4) as u32 * 8 + 20;
    let x_end = t.end.max(0.1) * 1.03;
    let mut svg = String::new();
    let geometry;
    {
        let root = SVGBackend::with_string(&mut svg, (WIDTH, height)).into_drawing_area();
        root.fill(&WHITE).map_err(|e| e.to_string())?;
        let (top, bottom) = root.split_vertically(height - LEGEND);
        let title = format!(
            "zkdemo timeline: {n} participant{}, {:.1} s from {}",
            if n == 1 { "" } else { "s" },
            t.end,
            humantime::format_rfc3339_seconds(t.start)
        );
        let mut chart = ChartBuilder::on(&top)
            .caption(title, (FONT, 18))
            .margin(10)
            .margin_right(24)
            .x_label_area_size(X_LABELS - 10)
            .y_label_area_size(label_w.min(220))
            .build_cartesian_2d(0f64..x_end, 0f64..rows)
            .map_err(|e| e.to_string())?;
        // Every other lane on a light stripe, then the time grid over them.
        chart
            .draw_series((0..n).filter(|i| i % 2 == 0).map(|i| {
                let c = centre(n, i);
                Rectangle::new([(0.0, c - 0.5), (x_end, c + 0.5)], STRIPE.filled())
            }))
            .map_err(|e| e.to_string())?;
        chart
            .configure_mesh()
            .disable_y_mesh()
            .y_labels(0)
            .bold_line_style(GRID)
            .light_line_style(WHITE.mix(0.0))
            .x_desc("seconds since the first event")
            .x_label_formatter(&|x| format!("{x:.1}"))
            .label_style((FONT, 13))
            .axis_desc_style((FONT, 13))
            .draw()
            .map_err(|e| e.to_string())?;

        for b in &t.bands {
            let line = PathElement::new(vec![(b.from, 0.0), (b.from, rows)], BAND.stroke_width(1));
            let label = EmptyElement::at((b.from, rows - TOP / 2.0))
                + Text::new(b.name.clone(), (4, -7), (FONT, 13).into_font().color(&BAND));
            chart
                .plotting_area()
                .draw(&line)
                .map_err(|e| e.to_string())?;
            chart
                .plotting_area()
                .draw(&label)
                .map_err(|e| e.to_string())?;
        }
        for (i, lane) in t.lanes.iter().enumerate() {
            draw_lane(&mut chart, lane, centre(n, i))?;
        }

        let (xs, _) = chart.plotting_area().get_pixel_range();
        // The lanes' names, right-aligned left of the plot.
        let name_style = (FONT, 13)
            .into_font()
            .into_text_style(&top)
            .pos(Pos::new(HPos::Right, VPos::Center));
        for (i, name) in names.iter().enumerate() {
            let y = chart.backend_coord(&(0.0, centre(n, i))).1;
            top.draw(&Text::new(
                name.clone(),
                (xs.start - 8, y),
                name_style.clone(),
            ))
            .map_err(|e| e.to_string())?;
        }
        let lanes = t
            .lanes
            .iter()
            .enumerate()
            .map(|(i, l)| {
                let c = centre(n, i);
                let y = |v: f64| chart.backend_coord(&(0.0, v)).1;
                LaneBox {
                    name: l.name.clone(),
                    top: y(c + 0.5),
                    bottom: y(c - 0.5),
                    bar_top: y(c + BAR),
                    bar_bottom: y(c - BAR),
                }
            })
            .collect();
        geometry = Geometry {
            width: WIDTH,
            height,
            x0: xs.start,
            x1: xs.end,
            x_end,
            lanes,
        };
        legend(&bottom, t, xs.start)?;
        root.present().map_err(|e| e.to_string())?;
    }
    Ok((svg, geometry))
}

type Chart<'a, 'b> = ChartContext<
    'a,
    SVGBackend<'b>,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Config marks under one label: their kind, where the first is (in data and in pixels).
struct Group<'a> {
    kind: MarkKind,
    at: (f64, f64),
    labels: Vec<&'a str>,
    x: i32,
}

/// One lane: its life line, its spans, its marks (labels of marks close together joined).
fn draw_lane(chart: &mut Chart, lane: &Lane, c: f64) -> Result<(), String> {
    let area = chart.plotting_area();
    let rect = |from: f64, to: f64, half: f64, color: RGBColor| {
        Rectangle::new([(from, c - half), (to, c + half)], color.filled())
    };
    area.draw(&rect(lane.life.0, lane.life.1, LINE, LIFE))
        .map_err(|e| e.to_string())?;
    for kind in [SpanKind::Wait, SpanKind::Hold, SpanKind::Lead] {
        for s in lane.spans.iter().filter(|s| s.kind == kind) {
            let (half, color) = match kind {
                SpanKind::Wait => (THIN, WAIT),
                SpanKind::Hold => (BAR, HOLD),
                SpanKind::Lead => (BAR, LEAD),
            };
            area.draw(&rect(s.from, s.to, half, color))
                .map_err(|e| e.to_string())?;
        }
    }
    let tick_h = (f64::from(LANE_H) * BAR) as i32;
    let label = (FONT, 11).into_font();
    // Marks of a kind closer than their labels' width share one label, at the first one.
    let mut groups: Vec<Group> = Vec::new();
    for m in &lane.marks {
        let px = chart.backend_coord(&(m.at, c)).0;
        match m.kind {
            MarkKind::Config | MarkKind::Write => {
                let color = if m.kind == MarkKind::Config {
                    CONFIG
                } else {
                    WRITE
                };
                let tick = EmptyElement::at((m.at, c))
                    + Rectangle::new([(-1, -tick_h), (1, tick_h)], color.filled());
                area.draw(&tick).map_err(|e| e.to_string())?;
                let width = |labels: &[&str]| labels.join(",").chars().count() as i32 * 6 + 4;
                match groups.last_mut() {
                    Some(g) if g.kind == m.kind && px < g.x + width(&g.labels) + 4 => {
                        g.labels.push(&m.label)
                    }
                    _ => groups.push(Group {
                        kind: m.kind,
                        at: (m.at, c),
                        labels: vec![&m.label],
                        x: px,
                    }),
                }
            }
            MarkKind::Fault => {
                let cross = EmptyElement::at((m.at, c))
                    + Cross::new((0, 0), 6, FAULT.stroke_width(2))
                    + Text::new(m.label.clone(), (8, 2), label.color(&FAULT));
                area.draw(&cross).map_err(|e| e.to_string())?;
            }
        }
    }
    for Group {
        kind, at, labels, ..
    } in groups
    {
        let color = if kind == MarkKind::Config {
            CONFIG
        } else {
            WRITE
        };
        let text = if labels.len() > 3 {
            format!("{}…{}", labels[0], labels[labels.len() - 1])
        } else {
            labels.join(",")
        };
        let t = EmptyElement::at(at) + Text::new(text, (4, -tick_h - 1), label.color(&color));
        area.draw(&t).map_err(|e| e.to_string())?;
    }
    Ok(())
}

/// The legend: what each colour means, for the kinds the picture shows.
fn legend<DB: DrawingBackend>(
    area: &DrawingArea<DB, plotters::coord::Shift>,
    t: &Timeline,
    x: i32,
) -> Result<(), String> {
    let has_span = |k: SpanKind| t.lanes.iter().any(|l| l.spans.iter().any(|s| s.kind == k));
    let has_mark = |k: MarkKind| t.lanes.iter().any(|l| l.marks.iter().any(|m| m.kind == k));
    let items = [
        (has_span(SpanKind::Hold), "lock held", HOLD, 8),
        (has_span(SpanKind::Lead), "leader", LEAD, 8),
        (has_span(SpanKind::Wait), "waiting / following", WAIT, 3),
        (has_mark(MarkKind::Config), "config version seen", CONFIG, 0),
        (has_mark(MarkKind::Write), "config written", WRITE, 0),
        (
            has_mark(MarkKind::Fault),
            "fault: lost, stopped, error",
            FAULT,
            -1,
        ),
    ];
    let font = (FONT, 13).into_font();
    let y = 14;
    let mut x = x;
    for (_, what, color, half) in items.into_iter().filter(|i| i.0) {
        let e = match half {
            -1 => area.draw(&Cross::new((x + 8, y), 6, color.stroke_width(2))),
            0 => area.draw(&Rectangle::new(
                [(x + 7, y - 9), (x + 9, y + 9)],
                color.filled(),
            )),
            h => area.draw(&Rectangle::new(
                [(x, y - h), (x + 18, y + h)],
                color.filled(),
            )),
        };
        e.map_err(|e| e.to_string())?;
        area.draw(&Text::new(what, (x + 24, y - 7), font.clone()))
            .map_err(|e| e.to_string())?;
        x += 24 + what.chars().count() as i32 * 13 / 2 + 20;
    }
    Ok(())
}
