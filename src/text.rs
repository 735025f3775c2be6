//! Bytes from ZooKeeper as text. A node may hold anything (another tool wrote it, or it is not
//! UTF-8 at all): showing it must never fail, panic, or let the data move a terminal's cursor.
//! Three forms, one escaper of invalid bytes (`\xNN`):
//!
//! - `escape`: every control character, quote and backslash escaped as Rust does (`\n`,
//!   `\"`, `\u{1b}`): for one-line messages about data (`config`);
//! - `escape_invalid`: exact when UTF-8, only invalid bytes escaped: for JSON;
//! - `escape_display`: control characters escaped (newlines and tabs too with `one_line`):
//!   for a terminal (`inspect`, `elect`).

use std::fmt::Write as _;

/// Valid UTF-8 through `valid`, each invalid byte as `\xNN`.
fn escape_with(data: &[u8], mut valid: impl FnMut(&mut String, &str)) -> String {
    let mut s = String::new();
    for chunk in data.utf8_chunks() {
        valid(&mut s, chunk.valid());
        for b in chunk.invalid() {
            let _ = write!(s, "\\x{b:02x}");
        }
    }
    s
}

/// Bytes as readable text: valid UTF-8 stays as it is except control characters, quotes and
/// backslashes (escaped as Rust does); invalid bytes become `\xNN`.
pub fn escape(data: &[u8]) -> String {
    escape_with(data, |s, v| {
        for c in v.chars() {
            s.extend(c.escape_debug());
        }
    })
}

/// Bytes as text for JSON: exact when UTF-8; otherwise the valid parts as they are and each
/// invalid byte as `\xNN`.
pub fn escape_invalid(data: &[u8]) -> String {
    escape_with(data, |s, v| s.push_str(v))
}

/// Bytes as text for a terminal: invalid bytes as `\xNN`, control characters escaped (so data
/// cannot move the cursor); with `one_line`, newlines and tabs too.
pub fn escape_display(data: &[u8], one_line: bool) -> String {
    escape_with(data, |s, v| {
        for c in v.chars() {
            if c.is_control() && (one_line || (c != '\n' && c != '\t')) {
                s.extend(c.escape_default());
            } else {
                s.push(c);
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(escape(b"a\xffb\n\"\\\xc3\xa9"), "a\\xffb\\n\\\"\\\\é");
        assert_eq!(escape(b"x\x00y"), "x\\0y");
        assert_eq!(escape_invalid(b"ok\xff\x00"), "ok\\xff\u{0}");
        assert_eq!(escape_display(b"a\xfe\nb\x1b", true), "a\\xfe\\nb\\u{1b}");
        assert_eq!(escape_display(b"a\nb", false), "a\nb");
        assert_eq!(escape_display(b"a\tb\x07", false), "a\tb\\u{7}");
        assert_eq!(escape_display("héllo".as_bytes(), true), "héllo");
    }
}
