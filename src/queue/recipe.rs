//! The recipes whose queues zkdemo joins, behind one small interface (as Curator keeps its
//! variations behind `LockInternalsDriver`): what our node is called, which children count
//! as contenders and in what order, which one a contender waits for, and which other
//! recipes' nodes may share the directory. Everything else (join, wait, hold, loss) is the
//! queue's and the contender's, the same for every recipe.
//!
//! The rules, from the recipes' own sources:
//! - **kazoo** (`kazoo/recipe/lock.py`): only children matching `(__lock__|__rlock__)` and a
//!   10-digit sequence count, ordered by that sequence. `Lock`/`WriteLock` (`__lock__`) wait
//!   for any such node ahead; `ReadLock` (`__rlock__`) waits only for the last `__lock__`
//!   ahead (`_EXCLUDE_NAMES`). `Election` is a `Lock`.
//! - **Curator** (`LockInternals.getSortedChildren`, `StandardLockInternalsDriver`): *every*
//!   child counts, ordered as text by what follows the last `lock-` (`latch-` for
//!   `LeaderLatch`; `__READ__` then `__WRIT__` for `InterProcessReadWriteLock`), the whole
//!   name when there is none; a contender waits for the one just ahead. A reader of the
//!   read/write lock waits for the first writer ahead of it
//!   (`InterProcessReadWriteLock.readLockPredicate`). go-zookeeper's `Lock` orders its
//!   `_c_<32 hex>-lock-<seq>` nodes by the same number, so it shares Curator's mutex.
//!
//! So kazoo's nodes and Curator's never see each other: one directory, one family
//! (`check_directory`). Newer Curator's LeaderLatch leads only once it has checked that its
//! node's ephemeral owner is its current session; zkdemo takes a node as its own only with that
//! owner (`Queue::adopt`, `find_own`), and gives the node up with the session that owns it.

use super::name::{self, Format, Name};

/// A queue recipe: the node zkdemo writes and the rules it follows, as the named client does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Recipe {
    /// kazoo `Lock`, `WriteLock` and `Election` (zkdemo's default): `<32 hex>__lock__<seq>`.
    Kazoo,
    /// kazoo `ReadLock`: `<32 hex>__rlock__<seq>`; shares the lock with other readers.
    KazooRead,
    /// Curator `InterProcessMutex` and `LeaderSelector`, go-zookeeper `Lock`:
    /// `_c_<uuid>-lock-<seq>`.
    CuratorMutex,
    /// Curator `LeaderLatch`: `_c_<uuid>-latch-<seq>`.
    CuratorLatch,
    /// Curator `InterProcessReadWriteLock`, write side: `_c_<uuid>-__WRIT__<seq>`.
    CuratorWrite,
    /// Curator `InterProcessReadWriteLock`, read side: `_c_<uuid>-__READ__<seq>`.
    CuratorRead,
}

impl Recipe {
    pub const ALL: [Recipe; 6] = [
        Recipe::Kazoo,
        Recipe::KazooRead,
        Recipe::CuratorMutex,
        Recipe::CuratorLatch,
        Recipe::CuratorWrite,
        Recipe::CuratorRead,
    ];

    /// The format of the node we write (as `name::parse` reads it back).
    pub fn format(self) -> Format {
        match self {
            Recipe::Kazoo => Format::Kazoo,
            Recipe::KazooRead => Format::KazooRead,
            Recipe::CuratorMutex => Format::Curator,
            Recipe::CuratorLatch => Format::CuratorLatch,
            Recipe::CuratorWrite => Format::CuratorWrite,
            Recipe::CuratorRead => Format::CuratorRead,
        }
    }

    /// Which recipe wrote a node of this format (the exclusive side for a shared lock's
    /// family is as good: they share a directory).
    pub fn of_format(f: Format) -> Option<Recipe> {
        Some(match f {
            Format::Kazoo => Recipe::Kazoo,
            Format::KazooRead => Recipe::KazooRead,
            Format::Curator | Format::GoZookeeper => Recipe::CuratorMutex,
            Format::CuratorLatch => Recipe::CuratorLatch,
            Format::CuratorWrite => Recipe::CuratorWrite,
            Format::CuratorRead => Recipe::CuratorRead,
            Format::KazooLease | Format::CuratorLease | Format::Other => return None,
        })
    }

    /// The recipe whose nodes a directory holds (its first known node decides): how an
    /// observer orders a queue it does not join.
    pub fn of_children(children: &[String]) -> Recipe {
        children
            .iter()
            .filter_map(|c| name::parse(c))
            .find_map(|n| Recipe::of_format(n.format))
            .unwrap_or(Recipe::Kazoo)
    }

    /// A fresh name prefix for our node; ZooKeeper appends the sequence. The random part lets
    /// us find our node after a create whose answer was lost (kazoo: a uuid4 in hex; Curator's
    /// protection mode: `_c_` and a uuid with dashes).
    pub fn new_prefix(self) -> String {
        let n = uuid4();
        match self {
            Recipe::Kazoo => format!("{n:032x}__lock__"),
            Recipe::KazooRead => format!("{n:032x}__rlock__"),
            curator => {
                let h = format!("{n:032x}");
                let uuid = format!(
                    "{}-{}-{}-{}-{}",
                    &h[..8],
                    &h[8..12],
                    &h[12..16],
                    &h[16..20],
                    &h[20..]
                );
                let marker = match curator {
                    Recipe::CuratorLatch => "latch-",
                    Recipe::CuratorWrite => "__WRIT__",
                    Recipe::CuratorRead => "__READ__",
                    _ => "lock-",
                };
                format!("_c_{uuid}-{marker}")
            }
        }
    }

    fn is_kazoo(self) -> bool {
        matches!(self, Recipe::Kazoo | Recipe::KazooRead)
    }

    /// The contenders among `children`, in this recipe's order. kazoo: its own nodes, by
    /// sequence. Curator: every child, by its sort key (a child of no known format is kept as
    /// `Format::Other`, as Curator keeps it).
    pub fn sorted(self, children: &[String]) -> Vec<Name> {
        if self.is_kazoo() {
            let mut v: Vec<Name> = children
                .iter()
                .filter_map(|c| name::parse(c))
                .filter(|n| matches!(n.format, Format::Kazoo | Format::KazooRead))
                .collect();
            v.sort_by(name::order);
            return v;
        }
        let mut v: Vec<(String, Name)> = children
            .iter()
            .map(|c| {
                let n = name::parse(c)
                    .filter(|n| n.format != Format::Other)
                    .unwrap_or_else(|| Name {
                        name: c.clone(),
                        prefix: c.clone(),
                        seq: 0,
                        format: Format::Other,
                    });
                (self.sort_key(c).to_owned(), n)
            })
            .collect();
        // Curator compares the keys as text (Java's stable sort); the name breaks a tie so
        // that every contender sees one order.
        v.sort_by(|a, b| a.0.cmp(&b.0).then_with(|| a.1.name.cmp(&b.1.name)));
        v.into_iter().map(|(_, n)| n).collect()
    }

    /// Curator's `fixForSorting`: the text after the last marker, or the whole name.
    fn sort_key(self, child: &str) -> &str {
        fn after<'a>(s: &'a str, marker: &str) -> &'a str {
            s.rfind(marker).map_or(s, |i| &s[i + marker.len()..])
        }
        match self {
            Recipe::CuratorLatch => after(child, "latch-"),
            Recipe::CuratorRead | Recipe::CuratorWrite => {
                after(after(child, "__READ__"), "__WRIT__")
            }
            _ => after(child, "lock-"),
        }
    }

    /// Which contender the one at `ours` in `sorted` waits for; None: it holds (leads).
    pub fn blocker(self, sorted: &[Name], ours: usize) -> Option<usize> {
        match self {
            // kazoo's ReadLock: the last write lock ahead.
            Recipe::KazooRead => (0..ours).rev().find(|&i| sorted[i].format == Format::Kazoo),
            // Curator's reader: the first writer ahead.
            Recipe::CuratorRead => (0..ours).find(|&i| sorted[i].name.contains("__WRIT__")),
            _ => ours.checked_sub(1),
        }
    }

    /// The formats whose users see our nodes and whose nodes we see: those that may share a
    /// directory with ours.
    pub fn speaks(self, f: Format) -> bool {
        match self {
            Recipe::Kazoo | Recipe::KazooRead => matches!(f, Format::Kazoo | Format::KazooRead),
            Recipe::CuratorMutex => matches!(f, Format::Curator | Format::GoZookeeper),
            Recipe::CuratorLatch => f == Format::CuratorLatch,
            Recipe::CuratorRead | Recipe::CuratorWrite => {
                matches!(f, Format::CuratorRead | Format::CuratorWrite)
            }
        }
    }

    /// Refuse a directory whose contenders would not see ours (or we theirs): the nodes of
    /// another recipe, or of several, or a kazoo semaphore's leases (each of our nodes would
    /// count as a lease there).
    pub fn check_directory(self, children: &[String]) -> Result<(), Foreign> {
        let known = name::formats_of(children, true);
        let formats: Vec<Format> = known.iter().copied().filter(|&f| !self.speaks(f)).collect();
        if formats.is_empty() {
            return Ok(());
        }
        // One client's directory is spoken whole by one recipe (a semaphore's, by its leases).
        let one_recipe = known == [Format::KazooLease]
            || known == [Format::CuratorLease]
            || Recipe::ALL
                .iter()
                .any(|r| known.iter().all(|&f| r.speaks(f)));
        Err(Foreign {
            formats,
            mixed: !one_recipe,
        })
    }
}

/// A directory `check_directory` refuses.
#[derive(Debug, Clone, PartialEq)]
pub struct Foreign {
    /// The formats there that we do not speak, sorted by name.
    pub formats: Vec<Format>,
    /// Its nodes are of recipes that do not see each other (ours among them, or several
    /// others): no `--format` speaks it, and its holders may overlap already.
    pub mixed: bool,
}

/// A random (version 4) UUID as a number, as kazoo's `uuid.uuid4()` and Curator's
/// `UUID.randomUUID()` make it: the version nibble is 4 and the variant bits are `10`.
fn uuid4() -> u128 {
    let n: u128 = rand::random();
    (n & !(0xf << 76) & !(0x3 << 62)) | (0x4 << 76) | (0x2 << 62)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn names(v: &[Name]) -> Vec<&str> {
        v.iter().map(|n| n.name.as_str()).collect()
    }

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn every_prefix_parses_as_its_own_format() {
        for r in Recipe::ALL {
            let p = r.new_prefix();
            let n = name::parse(&format!("{p}0000000001")).unwrap();
            assert_eq!(n.format, r.format(), "{p}");
            assert!(n.prefix.len() >= 32, "{p}");
            assert_ne!(r.new_prefix(), p);
        }
        // Curator's uuid has its dashes: 8-4-4-4-12; both are version 4 uuids.
        let p = Recipe::CuratorMutex.new_prefix();
        let dashes: Vec<usize> = p.match_indices('-').map(|(i, _)| i).collect();
        assert_eq!(&dashes[..4], &[11, 16, 21, 26], "{p}");
        for _ in 0..100 {
            let k = Recipe::Kazoo.new_prefix();
            assert_eq!(&k[12..13], "4", "{k}");
            assert!("89ab".contains(&k[16..17]), "{k}");
            let c = Recipe::CuratorLatch.new_prefix();
            assert_eq!((&c[17..18], &c[11..12]), ("4", "-"), "{c}");
            assert!("89ab".contains(&c[22..23]), "{c}");
        }
    }

    #[test]
    fn kazoo_counts_only_its_own_nodes() {
        let kids = strings(&[
            "b__lock__0000000010",
            "_c_x-lock-0000000005",
            "a__rlock__0000000002",
            "lease_holder",
        ]);
        let v = Recipe::Kazoo.sorted(&kids);
        assert_eq!(names(&v), ["a__rlock__0000000002", "b__lock__0000000010"]);
    }

    #[test]
    fn curator_orders_every_child_as_text_after_the_last_marker() {
        // A kazoo node has no `lock-`: Curator sorts it by its whole name, after the digits.
        let kids = strings(&[
            "_c_b-lock-0000000010",
            "0a__lock__0000000001",
            "_c_0123456789abcdef0123456789abcdef-lock-0000000007",
            "_c_a-lock-0000000009",
        ]);
        let v = Recipe::CuratorMutex.sorted(&kids);
        assert_eq!(
            names(&v),
            [
                "_c_0123456789abcdef0123456789abcdef-lock-0000000007",
                "_c_a-lock-0000000009",
                "_c_b-lock-0000000010",
                "0a__lock__0000000001",
            ]
        );
        assert_eq!(v[3].format, Format::Kazoo);
    }

    #[test]
    fn readers_wait_only_for_writers() {
        // kazoo: a reader waits for the last writer ahead; a writer for anyone ahead.
        let kids = strings(&[
            "a__rlock__0000000001",
            "b__lock__0000000002",
            "c__rlock__0000000003",
            "d__rlock__0000000004",
        ]);
        let v = Recipe::KazooRead.sorted(&kids);
        assert_eq!(Recipe::KazooRead.blocker(&v, 0), None);
        assert_eq!(Recipe::KazooRead.blocker(&v, 3), Some(1));
        assert_eq!(Recipe::Kazoo.blocker(&v, 1), Some(0));
        // Curator: a reader waits for the first writer ahead.
        let kids = strings(&[
            "_c_a-__READ__0000000001",
            "_c_b-__WRIT__0000000002",
            "_c_c-__WRIT__0000000003",
            "_c_d-__READ__0000000004",
        ]);
        let v = Recipe::CuratorRead.sorted(&kids);
        assert_eq!(Recipe::CuratorRead.blocker(&v, 0), None);
        assert_eq!(Recipe::CuratorRead.blocker(&v, 3), Some(1));
        assert_eq!(Recipe::CuratorWrite.blocker(&v, 2), Some(1));
    }

    #[test]
    fn a_directory_of_another_family_or_of_two_is_refused() {
        let curator = strings(&["_c_a-lock-0000000001"]);
        assert_eq!(
            Recipe::Kazoo.check_directory(&curator),
            Err(Foreign {
                formats: vec![Format::Curator],
                mixed: false
            })
        );
        assert_eq!(Recipe::CuratorMutex.check_directory(&curator), Ok(()));
        let go = strings(&["_c_0123456789abcdef0123456789abcdef-lock-0000000001"]);
        assert_eq!(Recipe::CuratorMutex.check_directory(&go), Ok(()));
        assert!(Recipe::CuratorLatch.check_directory(&curator).is_err());
        let mixed = strings(&["a__lock__0000000001", "_c_a-lock-0000000002"]);
        // Mixed: each side is told so, not sent to the other's --format.
        assert!(Recipe::Kazoo.check_directory(&mixed).unwrap_err().mixed);
        assert!(
            Recipe::CuratorMutex
                .check_directory(&mixed)
                .unwrap_err()
                .mixed
        );
        let two_curators = strings(&["_c_a-lock-0000000001", "_c_b-latch-0000000002"]);
        assert!(
            Recipe::Kazoo
                .check_directory(&two_curators)
                .unwrap_err()
                .mixed
        );
        // Readers and writers of one family share a directory; unknown children are no family.
        let leases = strings(&["0123456789abcdef0123456789abcdef"]);
        assert_eq!(
            Recipe::Kazoo.check_directory(&leases),
            Err(Foreign {
                formats: vec![Format::KazooLease],
                mixed: false
            })
        );
        let rw = strings(&["a__rlock__0000000001", "b__lock__0000000002", "x"]);
        assert_eq!(Recipe::Kazoo.check_directory(&rw), Ok(()));
        assert_eq!(Recipe::of_children(&curator), Recipe::CuratorMutex);
    }
}
