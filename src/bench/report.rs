//! The figures of a run: a table for people, one JSON line per figure for machines.

use crate::output::{Event, Output};

/// A target a figure should meet.
#[derive(Debug, Clone, Copy)]
pub enum Target {
    /// The ratio to the floor at most this.
    RatioAtMost(f64),
    /// The value at most this (in its unit).
    AtMost(f64),
    /// The value at least this.
    AtLeast(f64),
}

impl Target {
    fn met(self, value: f64, ratio: Option<f64>) -> bool {
        match self {
            Target::RatioAtMost(r) => ratio.is_some_and(|x| x <= r),
            Target::AtMost(v) => value <= v,
            Target::AtLeast(v) => value >= v,
        }
    }

    fn describe(self, unit: &str) -> String {
        match self {
            Target::RatioAtMost(r) => format!("<= {r}x floor"),
            Target::AtMost(v) => format!("<= {v} {unit}"),
            Target::AtLeast(v) => format!(">= {v} {unit}"),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Figure {
    /// e.g. `lock 3 contenders: handoff p50`.
    pub name: String,
    pub value: f64,
    pub unit: &'static str,
    /// Latencies are divided by the floor; counts, rates and sizes are not.
    pub per_floor: bool,
    pub target: Option<Target>,
}

impl Figure {
    pub fn ms(name: &str, value: f64) -> Figure {
        Figure {
            name: name.to_owned(),
            value,
            unit: "ms",
            per_floor: true,
            target: None,
        }
    }

    pub fn plain(name: &str, value: f64, unit: &'static str) -> Figure {
        Figure {
            name: name.to_owned(),
            value,
            unit,
            per_floor: false,
            target: None,
        }
    }

    pub fn target(mut self, t: Target) -> Figure {
        self.target = Some(t);
        self
    }
}

/// A figure with its ratio to the floor worked out.
#[derive(Debug, Clone)]
pub struct Row {
    pub fig: Figure,
    pub ratio: Option<f64>,
    pub met: Option<bool>,
}

pub struct Report {
    pub server: String,
    pub rows: Vec<Row>,
}

impl Report {
    pub fn new(server: &str) -> Report {
        Report {
            server: server.to_owned(),
            rows: Vec::new(),
        }
    }

    pub fn add_all(&mut self, figs: Vec<Figure>, floor_ms: f64) {
        for fig in figs {
            let ratio = (fig.per_floor && floor_ms > 0.0).then(|| fig.value / floor_ms);
            let met = fig.target.map(|t| t.met(fig.value, ratio));
            self.rows.push(Row { fig, ratio, met });
        }
    }

    pub fn all_met(&self) -> bool {
        self.rows.iter().all(|r| r.met != Some(false))
    }

    pub fn print(&self, out: Output) {
        if out.json {
            for r in &self.rows {
                let mut e = Event::new("figure")
                    .with("name", r.fig.name.clone())
                    .with("value", round(r.fig.value))
                    .with("unit", r.fig.unit);
                if let Some(x) = r.ratio {
                    e = e.with("ratio", round(x));
                }
                if let (Some(t), Some(m)) = (r.fig.target, r.met) {
                    e = e.with("target", t.describe(r.fig.unit)).with("met", m);
                }
                out.emit(&e);
            }
            out.emit(
                &Event::new("bench")
                    .with("server", self.server.clone())
                    .with("all_targets_met", self.all_met()),
            );
            return;
        }
        if out.quiet {
            return;
        }
        println!("{}", self.table());
    }

    pub fn table(&self) -> String {
        let w = self
            .rows
            .iter()
            .map(|r| r.fig.name.len())
            .max()
            .unwrap_or(10)
            .max(6);
        let mut s = format!(
            "zkdemo bench against {}\n{:<w$}  {:>12}  {:>8}  target\n",
            self.server, "figure", "value", "x floor"
        );
        for r in &self.rows {
            let value = format!("{} {}", fmt_value(r.fig.value), r.fig.unit);
            let ratio = r.ratio.map(|x| format!("{x:.2}")).unwrap_or_default();
            let target = match (r.fig.target, r.met) {
                (Some(t), Some(m)) => {
                    format!(
                        "{} {}",
                        t.describe(r.fig.unit),
                        if m { "met" } else { "MISSED" }
                    )
                }
                _ => String::new(),
            };
            s.push_str(&format!(
                "{:<w$}  {value:>12}  {ratio:>8}  {target}\n",
                r.fig.name
            ));
        }
        s.pop();
        s
    }
}

fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

fn fmt_value(x: f64) -> String {
    if x.abs() >= 100.0 || x.fract() == 0.0 {
        format!("{x:.0}")
    } else {
        format!("{x:.3}")
    }
}
