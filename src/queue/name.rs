//! Contender node names under a lock or election path, as the known recipes write them
//! (DESIGN.md §3), and their order.
//!
//! | who                                  | name                                  |
//! |--------------------------------------|---------------------------------------|
//! | kazoo Lock / Election, zkdemo        | `<32 hex>__lock__<seq>`               |
//! | kazoo ReadLock                       | `<32 hex>__rlock__<seq>`              |
//! | Curator InterProcessMutex, Selector  | `_c_<uuid with dashes>-lock-<seq>`    |
//! | Curator LeaderLatch                  | `_c_<uuid with dashes>-latch-<seq>`   |
//! | Curator InterProcessReadWriteLock    | `_c_<uuid>-__READ__<seq>`, `__WRIT__` |
//! | Curator InterProcessSemaphoreV2      | `_c_<uuid>-lease-<seq>` (under `leases`) |
//! | go-zookeeper Lock                    | `_c_<32 hex>-lock-<seq>`              |
//!
//! `<seq>` is ZooKeeper's sequential suffix: a signed 32-bit counter printed with `%010d`,
//! which wraps negative; so it is parsed as an i32 and contenders are ordered by it.

use std::cmp::Ordering;
use std::fmt;

/// Which recipe wrote a node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Format {
    /// kazoo `Lock`/`Election` (and zkdemo): `__lock__`.
    Kazoo,
    /// kazoo `ReadLock`: `__rlock__`.
    KazooRead,
    /// Curator `InterProcessMutex`/`LeaderSelector`: `_c_<uuid>-lock-`.
    Curator,
    /// Curator `LeaderLatch`: `_c_<uuid>-latch-`.
    CuratorLatch,
    /// go-zookeeper `Lock`: `_c_<32 hex>-lock-`.
    GoZookeeper,
    /// Curator `InterProcessReadWriteLock`, read side: `_c_<uuid>-__READ__`.
    CuratorRead,
    /// Curator `InterProcessReadWriteLock`, write side: `_c_<uuid>-__WRIT__`.
    CuratorWrite,
    /// kazoo `Semaphore`'s lease: `<32 hex>`, not sequential (never returned by `parse`: see
    /// `is_kazoo_lease`).
    KazooLease,
    /// Curator `InterProcessSemaphoreV2`'s lease: `_c_<uuid>-lease-`, under `<path>/leases`.
    CuratorLease,
    /// A sequential node of no known recipe (`name0000000007`).
    Other,
}

impl Format {
    pub fn as_str(self) -> &'static str {
        match self {
            Format::Kazoo => "kazoo",
            Format::KazooRead => "kazoo-read",
            Format::Curator => "curator",
            Format::CuratorLatch => "curator-latch",
            Format::GoZookeeper => "go-zookeeper",
            Format::CuratorRead => "curator-read",
            Format::CuratorWrite => "curator-write",
            Format::KazooLease => "kazoo-lease",
            Format::CuratorLease => "curator-lease",
            Format::Other => "other",
        }
    }

    /// Does a kazoo `Lock` see this node as a contender? (It looks for `__lock__`/`__rlock__`
    /// only.) Curator and go-zookeeper look for `-lock-`/`-latch-` only: a directory that
    /// mixes the two families has two holders at once.
    pub fn family(self) -> &'static str {
        match self {
            Format::Kazoo | Format::KazooRead | Format::KazooLease => "kazoo",
            Format::Curator
            | Format::CuratorLatch
            | Format::GoZookeeper
            | Format::CuratorRead
            | Format::CuratorWrite
            | Format::CuratorLease => "curator",
            Format::Other => "other",
        }
    }
}

impl fmt::Display for Format {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A parsed contender name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Name {
    pub name: String,
    /// The part before the marker: the uuid that lets a client find its own node.
    pub prefix: String,
    pub seq: i32,
    pub format: Format,
}

/// Is this child a kazoo Semaphore's lease (`uuid4().hex`: 32 lowercase hex digits)?
pub fn is_kazoo_lease(name: &str) -> bool {
    name.len() == 32
        && name
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
}

/// The known recipes' formats among `children` (sequential nodes; a kazoo lease too when
/// `leases`), sorted by name, each once: what the refusals of a directory look at.
pub fn formats_of(children: &[String], leases: bool) -> Vec<Format> {
    let mut found: Vec<Format> = children
        .iter()
        .filter_map(|c| {
            parse(c)
                .map(|n| n.format)
                .or_else(|| (leases && is_kazoo_lease(c)).then_some(Format::KazooLease))
        })
        .filter(|&f| f != Format::Other)
        .collect();
    found.sort_by_key(|f| f.as_str());
    found.dedup();
    found
}

/// Parse a child name; None when it does not end in a sequence number.
pub fn parse(name: &str) -> Option<Name> {
    // A wrapped sequence of ten digits takes eleven characters (`-1000000000`), and then the
    // name can be read two ways: `X__lock__` + `-1000000000`, or `X__lock__-` + `1000000000`.
    // The reading that leaves a known marker before the sequence wins; otherwise the plain one.
    let mut readings = split_seq(name);
    let known = readings
        .iter()
        .find_map(|&(body, seq)| known(name, body, seq));
    known.or_else(|| {
        let (body, seq) = readings.drain(..).next()?;
        Some(Name {
            name: name.to_owned(),
            prefix: body.to_owned(),
            seq,
            format: Format::Other,
        })
    })
}

/// The name as one of the known recipes' formats, if `body` ends with its marker.
fn known(name: &str, body: &str, seq: i32) -> Option<Name> {
    let found = |marker: &str, format: Format| {
        body.strip_suffix(marker).map(|prefix| Name {
            name: name.to_owned(),
            prefix: prefix.to_owned(),
            seq,
            format,
        })
    };
    if let Some(n) = found("__lock__", Format::Kazoo)
        .or_else(|| found("__rlock__", Format::KazooRead))
        .or_else(|| found("__READ__", Format::CuratorRead))
        .or_else(|| found("__WRIT__", Format::CuratorWrite))
    {
        return Some(n);
    }
    if body.starts_with("_c_") {
        let with = |marker: &str| body.strip_suffix(marker).map(|p| p[3..].to_owned());
        if let Some(id) = with("-lock-") {
            let format = if id.len() == 32 && id.chars().all(|c| c.is_ascii_hexdigit()) {
                Format::GoZookeeper
            } else {
                Format::Curator
            };
            return Some(Name {
                name: name.to_owned(),
                prefix: body[..body.len() - 6].to_owned(),
                seq,
                format,
            });
        }
        for (marker, format) in [
            ("-latch-", Format::CuratorLatch),
            ("-lease-", Format::CuratorLease),
        ] {
            if with(marker).is_some() {
                return Some(Name {
                    name: name.to_owned(),
                    prefix: body[..body.len() - marker.len()].to_owned(),
                    seq,
                    format,
                });
            }
        }
    }
    None
}

/// The ways to split off ZooKeeper's sequence suffix, `%010d` of a signed 32-bit counter:
/// ten characters, or eleven for a negative number of ten digits. Only a suffix exactly as
/// `%010d` prints it counts (`-0000000005` is no sequence: ZooKeeper writes `-000000005`).
fn split_seq(name: &str) -> Vec<(&str, i32)> {
    let mut v = Vec::new();
    for width in [10usize, 11] {
        if name.len() < width || !name.is_char_boundary(name.len() - width) {
            continue;
        }
        let (body, tail) = name.split_at(name.len() - width);
        let plain = tail
            .chars()
            .enumerate()
            .all(|(i, c)| c.is_ascii_digit() || (i == 0 && c == '-'));
        if !plain {
            continue;
        }
        if let Ok(seq) = tail.parse::<i32>() {
            if format!("{seq:010}") == tail {
                v.push((body, seq));
            }
        }
    }
    v
}

/// Contenders in queue order: by signed sequence, then name (equal sequences only occur
/// across different parents, but keep the order total).
pub fn order(a: &Name, b: &Name) -> Ordering {
    a.seq.cmp(&b.seq).then_with(|| a.name.cmp(&b.name))
}

/// Parse and order the contenders among `children`; names that are no contender are left out.
pub fn contenders(children: &[String]) -> Vec<Name> {
    let mut v: Vec<Name> = children
        .iter()
        .filter_map(|c| parse(c))
        .filter(|n| n.format != Format::Other)
        .collect();
    v.sort_by(order);
    v
}

/// A sequence number this close to the limit (2^31 - 1) is worth a warning: the directory's
/// counter is about to run out.
pub const NEAR_LIMIT: i32 = i32::MAX - (1 << 20);

/// Contenders that cannot be ordered by sequence: ZooKeeper 3.8 gives 2147483647 again to
/// every node created once a directory's counter is at its limit, and -2147483648 to one
/// pipelined right behind another (DESIGN.md, "The sequence limit"). Ordered by (sequence,
/// name), a newcomer could then sort ahead of the holder. The offending names, if any.
pub fn unorderable(contenders: &[Name]) -> Vec<&str> {
    let mut out: Vec<&str> = Vec::new();
    for (i, n) in contenders.iter().enumerate() {
        if n.format == Format::Other {
            continue; // a child of no recipe (Curator keeps them): no sequence to trust
        }
        let dup = contenders
            .iter()
            .enumerate()
            .any(|(j, m)| i != j && m.format != Format::Other && m.seq == n.seq);
        if n.seq < 0 || dup {
            out.push(&n.name);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn collided_and_wrapped_sequences_are_unorderable() {
        let k = |seq: i32, p: char| {
            parse(&format!("{}__lock__{:010}", p.to_string().repeat(32), seq)).unwrap()
        };
        let fine = vec![k(1, 'a'), k(2, 'b')];
        assert!(unorderable(&fine).is_empty());
        let at_limit = vec![k(i32::MAX, 'a'), k(i32::MAX, 'b')];
        assert_eq!(unorderable(&at_limit).len(), 2);
        let wrapped = contenders(&[
            format!("{}__lock__{}", "c".repeat(32), i32::MAX),
            format!("{}__lock__{}", "d".repeat(32), i32::MIN),
        ]);
        assert_eq!(unorderable(&wrapped), vec![wrapped[0].name.as_str()]);
    }

    #[test]
    fn every_format() {
        let k = parse("0123456789abcdef0123456789abcdef__lock__0000000042").unwrap();
        assert_eq!((k.format, k.seq, k.prefix.len()), (Format::Kazoo, 42, 32));
        let r = parse("0123456789abcdef0123456789abcdef__rlock__0000000001").unwrap();
        assert_eq!(r.format, Format::KazooRead);
        let c = parse("_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d-lock-0000000007").unwrap();
        assert_eq!((c.format, c.seq), (Format::Curator, 7));
        assert_eq!(c.prefix, "_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d");
        let l = parse("_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d-latch-0000000003").unwrap();
        assert_eq!(l.format, Format::CuratorLatch);
        let g = parse("_c_0123456789abcdef0123456789abcdef-lock-0000000009").unwrap();
        assert_eq!(g.format, Format::GoZookeeper);
        let r = parse("_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d-__READ__0000000004").unwrap();
        assert_eq!((r.format, r.prefix.len()), (Format::CuratorRead, 40));
        let w = parse("_c_8f3b8c2e-1d2f-4a53-9c51-3a0e7b1b2c3d-__WRIT__0000000005").unwrap();
        assert_eq!(w.format, Format::CuratorWrite);
        assert_eq!(parse("member0000000005").unwrap().format, Format::Other);
        assert!(parse("lease_holder").is_none());
        assert!(parse("x__lock__12345").is_none());
    }

    #[test]
    fn wrapped_sequences_are_negative() {
        assert_eq!(parse("a__lock__-000000001").unwrap().seq, -1);
        assert_eq!(parse("a__lock__-2147483648").unwrap().seq, i32::MIN);
        assert_eq!(parse("a__lock__2147483647").unwrap().seq, i32::MAX);
        // Ten digits and a sign: eleven characters, still a kazoo contender.
        let n = parse("a__lock__-1000000000").unwrap();
        assert_eq!((n.seq, n.format), (-1_000_000_000, Format::Kazoo));
        let n = parse("_c_x-lock--1500000000").unwrap();
        assert_eq!((n.seq, n.format), (-1_500_000_000, Format::Curator));
        // A positive sequence after Curator's `-lock-` is not read as a negative one.
        let n = parse("_c_x-lock-1500000000").unwrap();
        assert_eq!((n.seq, n.format), (1_500_000_000, Format::Curator));
    }

    #[test]
    fn ordering_by_signed_sequence() {
        let kids: Vec<String> = [
            "b__lock__0000000010",
            "zz",
            "a__lock__0000000002",
            "_c_x-lock-0000000005",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect();
        let order: Vec<i32> = contenders(&kids).iter().map(|n| n.seq).collect();
        assert_eq!(order, [2, 5, 10]);
    }
}
