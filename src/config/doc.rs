//! The configuration document: UTF-8 `key=value` lines, written with keys sorted, one per line.
//!
//! Anything else a node may hold (written by another tool, or not UTF-8 at all) is kept as raw
//! bytes and shown escaped: reading a config must never fail or panic on foreign data.

use std::collections::BTreeMap;

use serde_json::{Map, Value};

use crate::exit;
/// The one byte escaper (`crate::text`), under the name config always gave it.
pub use crate::text::escape;

/// The largest document zkdemo writes. ZooKeeper's default `jute.maxbuffer` is 1 MiB for the
/// whole request, and the crate answers an oversized write with ConnectionLoss rather than an
/// error (DESIGN.md §2.8): refuse before sending.
pub const MAX_BYTES: usize = 1_000_000;

/// What a node holds, as far as zkdemo understands it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Doc {
    /// `key=value` lines (an empty node is an empty document).
    Keys(BTreeMap<String, String>),
    /// Anything else, kept byte for byte.
    Raw(Vec<u8>),
}

impl Doc {
    /// Understand a node's data (the grammar is `pairs`); anything else is kept raw.
    pub fn parse(data: &[u8]) -> Doc {
        match pairs(data) {
            Some(p) => Doc::Keys(p.into_iter().collect()),
            None => Doc::Raw(data.to_vec()),
        }
    }

    /// The bytes zkdemo writes: keys sorted, one `key=value` line each.
    pub fn render(&self) -> Vec<u8> {
        match self {
            Doc::Keys(keys) => {
                let mut s = String::new();
                for (k, v) in keys {
                    s.push_str(k);
                    s.push('=');
                    s.push_str(v);
                    s.push('\n');
                }
                s.into_bytes()
            }
            Doc::Raw(b) => b.clone(),
        }
    }

    /// The JSON form: an object for `key=value` data, a string otherwise (escaped when the
    /// data is not UTF-8).
    pub fn to_json(&self) -> Value {
        match self {
            Doc::Keys(keys) => Value::Object(
                keys.iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect(),
            ),
            Doc::Raw(b) => match std::str::from_utf8(b) {
                Ok(s) => Value::from(s),
                Err(_) => Value::from(escape(b)),
            },
        }
    }

    /// Lines for a person: `key=value` each, `(empty)` for no data, or the raw data on one
    /// line (`raw_line`). The one rule of `config get`, `config watch` and `inspect`.
    pub fn to_lines(&self) -> Vec<String> {
        match self {
            Doc::Keys(keys) if keys.is_empty() => vec!["(empty)".into()],
            Doc::Keys(keys) => keys.iter().map(|(k, v)| format!("{k}={v}")).collect(),
            Doc::Raw(b) => vec![raw_line(b)],
        }
    }
}

/// Data that is not `key=value` lines, for a person: quoted and escaped on one line, so that
/// spaces, newlines and control bytes show (`config get --raw` prints the bytes themselves).
pub fn raw_line(data: &[u8]) -> String {
    format!("(not key=value) \"{}\"", escape(data))
}

/// The one `key=value` grammar (`config` and `inspect` alike): UTF-8 lines split at `\n`,
/// each `key=value` split at its first `=`, taken as they are (no trimming, no comments).
/// Blank lines are skipped; a line without `=`, or with an empty key, makes the data not a
/// document (None: we cannot rewrite it without losing something). The pairs come in the
/// order of the data; a key given twice keeps its last value in a `Doc`.
pub fn pairs(data: &[u8]) -> Option<Vec<(String, String)>> {
    let text = std::str::from_utf8(data).ok()?;
    let mut out = Vec::new();
    for line in text.split('\n') {
        if line.is_empty() {
            continue;
        }
        match line.split_once('=') {
            Some((k, v)) if !k.is_empty() => out.push((k.to_owned(), v.to_owned())),
            _ => return None,
        }
    }
    Some(out)
}

/// A key as given on the command line or an input line: non-empty, no `=`, no newline.
pub fn check_key(key: &str) -> Result<(), String> {
    if key.is_empty() {
        return Err("empty key (write key=value)".into());
    }
    if key.contains('=') {
        return Err(format!(
            "key \"{}\" holds '=': a key cannot",
            escape(key.as_bytes())
        ));
    }
    if key.contains('\n') {
        return Err(format!(
            "key \"{}\" holds a newline",
            escape(key.as_bytes())
        ));
    }
    Ok(())
}

/// What `parse_pair` drops around the `=`: spaces and tabs (a newline stays, and is refused).
pub const BLANKS: [char; 2] = [' ', '\t'];

/// `key=value` → the pair, checked. Spaces around the `=` belong to neither side, as in
/// Java's `.properties` files (`c = 3` sets `c` to `3`): the key is trimmed, and the value is
/// everything after the first `=` and the blanks right after it (later `=` and spaces
/// included; it may be empty). It cannot hold a newline (it would become a line of its own).
pub fn parse_pair(s: &str) -> Result<(String, String), String> {
    let Some((k, v)) = s.split_once('=') else {
        return Err(format!("\"{}\" is not key=value", escape(s.as_bytes())));
    };
    let (k, v) = (k.trim_matches(BLANKS), v.trim_start_matches(BLANKS));
    check_key(k)?;
    if v.contains('\n') {
        return Err(format!("the value of {k:?} holds a newline"));
    }
    Ok((k.to_owned(), v.to_owned()))
}

/// Refuse a document too large to write, with exit code `DATA`.
pub fn check_size(len: usize) -> exit::Result<()> {
    if len > MAX_BYTES {
        return Err(exit::Error::new(
            exit::DATA,
            format!(
                "the document would be {len} bytes; zkdemo writes at most {MAX_BYTES} \
                 (ZooKeeper's request limit is 1 MiB): nothing was written"
            ),
        ));
    }
    Ok(())
}

/// What changed between two `key=value` documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Changes {
    pub added: BTreeMap<String, String>,
    /// key → (old, new)
    pub changed: BTreeMap<String, (String, String)>,
    pub removed: BTreeMap<String, String>,
}

impl Changes {
    pub fn between(old: &BTreeMap<String, String>, new: &BTreeMap<String, String>) -> Changes {
        let mut c = Changes::default();
        for (k, v) in new {
            match old.get(k) {
                None => {
                    c.added.insert(k.clone(), v.clone());
                }
                Some(o) if o != v => {
                    c.changed.insert(k.clone(), (o.clone(), v.clone()));
                }
                Some(_) => {}
            }
        }
        for (k, v) in old {
            if !new.contains_key(k) {
                c.removed.insert(k.clone(), v.clone());
            }
        }
        c
    }

    pub fn is_empty(&self) -> bool {
        self.added.is_empty() && self.changed.is_empty() && self.removed.is_empty()
    }

    pub fn to_json(&self) -> Value {
        let mut m = Map::new();
        m.insert(
            "added".into(),
            Value::Object(
                self.added
                    .iter()
                    .map(|(k, v)| (k.clone(), Value::from(v.as_str())))
                    .collect(),
            ),
        );
        m.insert(
            "changed".into(),
            Value::Object(
                self.changed
                    .iter()
                    .map(|(k, (o, n))| (k.clone(), serde_json::json!({ "old": o, "new": n })))
                    .collect(),
            ),
        );
        m.insert(
            "removed".into(),
            Value::Array(
                self.removed
                    .keys()
                    .map(|k| Value::from(k.as_str()))
                    .collect(),
            ),
        );
        Value::Object(m)
    }

    /// `+c=3 ~a: 1 → 5 -b`, for a person.
    pub fn summary(&self) -> String {
        let mut parts = Vec::new();
        for (k, v) in &self.added {
            parts.push(format!("+{k}={v}"));
        }
        for (k, (o, n)) in &self.changed {
            parts.push(format!("~{k}: {o} → {n}"));
        }
        for k in self.removed.keys() {
            parts.push(format!("-{k}"));
        }
        if parts.is_empty() {
            "no key changed".into()
        } else {
            parts.join(", ")
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn keys(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
        pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn parse_and_render_sorted() {
        let d = Doc::parse(b"b=2\na=1\n\nc=x=y\n");
        assert_eq!(d, Doc::Keys(keys(&[("a", "1"), ("b", "2"), ("c", "x=y")])));
        assert_eq!(d.render(), b"a=1\nb=2\nc=x=y\n");
        assert_eq!(Doc::parse(b""), Doc::Keys(BTreeMap::new()));
        assert_eq!(Doc::parse(b"").render(), b"");
        // An empty value is a value.
        assert_eq!(Doc::parse(b"a=\n"), Doc::Keys(keys(&[("a", "")])));
        // A round trip of what we render is the identity.
        let d = Doc::Keys(keys(&[("z", "1"), ("m", " spaced value ")]));
        assert_eq!(Doc::parse(&d.render()), d);
    }

    #[test]
    fn foreign_data_is_raw_and_escaped() {
        for data in [
            &b"hello world"[..],
            b"a=1\nnot a pair\n",
            b"=no key\n",
            b"\xff\xfe a=1",
        ] {
            assert_eq!(Doc::parse(data), Doc::Raw(data.to_vec()));
        }
        assert_eq!(escape(b"a\xffb\n\"\\\xc3\xa9"), "a\\xffb\\n\\\"\\\\é");
        assert_eq!(
            Doc::parse(b"\xff").to_json(),
            Value::from("\\xff"),
            "non-UTF-8 data is an escaped string in JSON"
        );
        assert_eq!(Doc::parse(b"hi there").to_json(), Value::from("hi there"));
        assert_eq!(
            Doc::parse(b"x\x00y").to_lines(),
            ["(not key=value) \"x\\0y\""]
        );
        assert_eq!(Doc::parse(b"").to_lines(), ["(empty)"]);
        assert_eq!(
            Doc::parse(b"two\nlines").to_lines(),
            ["(not key=value) \"two\\nlines\""]
        );
    }

    #[test]
    fn pairs_and_keys_are_checked() {
        assert_eq!(parse_pair("a=1").unwrap(), ("a".into(), "1".into()));
        assert_eq!(parse_pair("a==1").unwrap(), ("a".into(), "=1".into()));
        assert_eq!(parse_pair("a=").unwrap(), ("a".into(), "".into()));
        // Blanks around `=` are not part of the key or the value; the rest of the value is.
        assert_eq!(parse_pair("c = 3").unwrap(), ("c".into(), "3".into()));
        assert_eq!(
            parse_pair(" b\t=\t two  words = x ").unwrap(),
            ("b".into(), "two  words = x ".into())
        );
        assert!(parse_pair("  = 1").is_err());
        // Escaped once: a newline shows as \n, not as \\n.
        assert_eq!(
            parse_pair("a\nb=1").unwrap_err(),
            "key \"a\\nb\" holds a newline"
        );
        assert!(parse_pair("a").is_err());
        assert!(parse_pair("=1").is_err());
        assert!(parse_pair("a\nb=1").is_err());
        assert!(parse_pair("a=1\nb=2").is_err());
        assert!(check_key("a=b").is_err());
        assert!(check_key("").is_err());
        assert!(check_key("ok.key-1").is_ok());
    }

    #[test]
    fn size_limit() {
        assert!(check_size(MAX_BYTES).is_ok());
        assert_eq!(check_size(MAX_BYTES + 1).unwrap_err().code, exit::DATA);
    }

    #[test]
    fn changes() {
        let old = keys(&[("a", "1"), ("b", "2"), ("c", "3")]);
        let new = keys(&[("a", "1"), ("b", "5"), ("d", "4")]);
        let c = Changes::between(&old, &new);
        assert_eq!(c.added, keys(&[("d", "4")]));
        assert_eq!(c.changed["b"], ("2".into(), "5".into()));
        assert_eq!(c.removed, keys(&[("c", "3")]));
        assert_eq!(c.summary(), "+d=4, ~b: 2 → 5, -c");
        assert_eq!(
            c.to_json(),
            serde_json::json!({"added": {"d": "4"}, "changed": {"b": {"old": "2", "new": "5"}},
                               "removed": ["c"]})
        );
        assert!(Changes::between(&old, &old).is_empty());
    }
}
