//! What kazoo's `Semaphore` writes (`kazoo/recipe/lock.py`), read by the queue's semaphore
//! (`lease.rs`) and by `inspect`: the path of its lock, its limit, and the ids its lock's
//! contenders write.

/// The sibling path whose kazoo `Lock` serialises the acquisitions of the semaphore at `path`
/// (kazoo: `path + "-" + "__lock__"`).
pub fn lock_path(path: &str) -> String {
    format!("{path}-__lock__")
}

/// The limit kazoo reads from a semaphore's data: decimal digits (surrounding whitespace
/// allowed, as Python's `int()` allows it). None for anything else.
pub fn parse_limit(data: &[u8]) -> Option<u64> {
    let text = std::str::from_utf8(data).ok()?.trim();
    if text.is_empty() || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse().ok()
}

/// A contender's id as written in the semaphore's lock queue. kazoo hands its id to that
/// `Lock` already encoded, and the `Lock` writes `str()` of it: Python's repr of bytes,
/// `b'<id>'` (measured with kazoo 2.11); the id is the one inside. zkdemo's own contenders
/// write the id as it is, and so does anything else: returned unchanged.
pub fn contender_id(data: &[u8]) -> Vec<u8> {
    python_bytes(data).unwrap_or_else(|| data.to_vec())
}

/// The bytes of a Python bytes literal as `repr()` writes it (`b'id'`, `b"it's"`, with `\\`,
/// `\'`, `\n`, `\r`, `\t` and `\xhh` escapes); None for anything else.
fn python_bytes(data: &[u8]) -> Option<Vec<u8>> {
    let (&quote, body) = data.strip_prefix(b"b")?.split_first()?;
    if !matches!(quote, b'\'' | b'"') {
        return None;
    }
    let body = body.strip_suffix(&[quote])?;
    let mut out = Vec::with_capacity(body.len());
    let mut it = body.iter().copied();
    while let Some(c) = it.next() {
        match c {
            b'\\' => out.push(match it.next()? {
                c @ (b'\\' | b'\'' | b'"') => c,
                b'n' => b'\n',
                b'r' => b'\r',
                b't' => b'\t',
                b'x' => {
                    let hex = [it.next()?, it.next()?];
                    u8::from_str_radix(std::str::from_utf8(&hex).ok()?, 16).ok()?
                }
                _ => return None,
            }),
            c if c == quote || !(0x20..0x7f).contains(&c) => return None,
            c => out.push(c),
        }
    }
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_lock_and_the_limit() {
        assert_eq!(lock_path("/s"), "/s-__lock__");
        assert_eq!(parse_limit(b"3"), Some(3));
        assert_eq!(parse_limit(b" 12\n"), Some(12));
        assert_eq!(parse_limit(b"0"), Some(0));
        for no in [&b""[..], b"-1", b"3.0", b"x", b"a=1", b"\xff"] {
            assert_eq!(parse_limit(no), None, "{no:?}");
        }
    }

    #[test]
    fn kazoo_ids_in_the_lock_are_python_bytes() {
        assert_eq!(python_bytes(b"b'sem-c'").unwrap(), b"sem-c");
        assert_eq!(python_bytes(b"b''").unwrap(), b"");
        assert_eq!(python_bytes(br#"b"it's""#).unwrap(), b"it's");
        assert_eq!(
            python_bytes(br"b'caf\xc3\xa9\n\\'").unwrap(),
            "caf\u{e9}\n\\".as_bytes()
        );
        for no in [
            &b"sem-c"[..],
            b"b'x",
            b"b'a'b'",
            b"b'\\q'",
            b"b'\\x4'",
            b"b'\n'",
        ] {
            assert_eq!(python_bytes(no), None, "{no:?}");
        }
    }

    #[test]
    fn a_contender_id_is_kazoos_inside_or_the_data_itself() {
        assert_eq!(contender_id(b"b'k'"), b"k");
        assert_eq!(contender_id(b"worker-1"), b"worker-1");
        assert_eq!(contender_id(b"b'x"), b"b'x");
    }
}
