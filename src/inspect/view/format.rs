//! Formatting helpers of the views: ages, times, zxids, owners, and aligned tables.

use std::fmt::Write as _;
use std::time::{Duration, UNIX_EPOCH};

use super::NodeStat;
use crate::session::SessionId;

/// `850ms`, `12s`, `3m05s`, `2h10m`, `4d3h`.
pub fn fmt_age(ms: i64) -> String {
    let ms = ms.max(0);
    let s = ms / 1000;
    match s {
        _ if ms < 1000 => format!("{ms}ms"),
        0..=59 => format!("{s}s"),
        60..=3599 => format!("{}m{:02}s", s / 60, s % 60),
        3600..=86399 => format!("{}h{:02}m", s / 3600, s % 3600 / 60),
        _ => format!("{}d{}h", s / 86400, s % 86400 / 3600),
    }
}

/// A ZooKeeper time (ms since the epoch) as RFC 3339 UTC.
pub fn fmt_time(ms: i64) -> String {
    let t = UNIX_EPOCH + Duration::from_millis(ms.max(0) as u64);
    humantime::format_rfc3339_millis(t).to_string()
}

pub(super) fn hex(z: i64) -> String {
    format!("0x{z:x}")
}

pub(super) fn owner(s: &NodeStat) -> String {
    if s.ephemeral_owner == 0 {
        "persistent".into()
    } else {
        SessionId(s.ephemeral_owner).to_string()
    }
}

/// Left-aligned columns, two spaces apart, the last one unpadded.
pub(super) fn table(rows: &[Vec<String>], indent: &str) -> String {
    let cols = rows.iter().map(|r| r.len()).max().unwrap_or(0);
    let widths: Vec<usize> = (0..cols)
        .map(|i| {
            rows.iter()
                .filter_map(|r| r.get(i))
                .map(|c| c.chars().count())
                .max()
                .unwrap_or(0)
        })
        .collect();
    let mut out = String::new();
    for r in rows {
        let mut line = indent.to_owned();
        for (i, c) in r.iter().enumerate() {
            if i + 1 == r.len() {
                line.push_str(c);
            } else {
                let _ = write!(line, "{c:<w$}  ", w = widths[i]);
            }
        }
        out.push_str(line.trim_end());
        out.push('\n');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages() {
        assert_eq!(fmt_age(-5), "0ms");
        assert_eq!(fmt_age(850), "850ms");
        assert_eq!(fmt_age(12_000), "12s");
        assert_eq!(fmt_age(185_000), "3m05s");
        assert_eq!(fmt_age(7_800_000), "2h10m");
        assert_eq!(fmt_age(90_000_000), "1d1h");
    }
}
