//! A kazoo `Semaphore` (`kazoo/recipe/lock.py`, class `Semaphore`; `zkdemo lock
//! --max-leases`): its limit, the leases in use, and who is queued for one.
//!
//! The recipe, as kazoo writes it (DESIGN.md §3):
//! - the limit N is the data of the semaphore's path P, as decimal text (`str(max_leases)`);
//! - a lease is a child `P/<uuid4 in hex>` (32 lowercase hex digits), ephemeral and *not*
//!   sequential, whose data is the holder's id; kazoo counts every child of P against N;
//! - to take a lease, a contender first takes a kazoo `Lock` at the sibling `P-__lock__`
//!   (nodes `<32 hex>__lock__<seq>`, data its id). The lock's holder creates its lease when
//!   fewer than N children exist, or waits for one to go, then lets the lock go. So the head
//!   of that queue is the one acquiring a lease now (`Role::Acquiring`), the rest wait behind
//!   it, in the lock's order. The id shown for a contender there is the one kazoo meant
//!   (`queue::kazoo_semaphore::contender_id`).
//!
//! What counts as a semaphore (`is_semaphore`): P's data is a decimal integer, and either the
//! sibling `P-__lock__` exists (kazoo's Semaphore creates it with P, on the first acquire;
//! no other recipe makes a `-__lock__` sibling of a node whose data is a number), or P has
//! children and every one is lease-shaped. A node whose data is a number but that has neither
//! is shown as a plain node: nothing there says it is a semaphore. P's data that is not a
//! number (kazoo then ignores it, and each contender uses its own `max_leases`) is no
//! semaphore to us either: there is no limit to show.

use super::duplicates::{self, Node};
use super::queue::{build_queue, Problem, Role, RoleHint, Row};
use super::{Child, NodeStat};
use crate::queue::curator_lease;
use crate::queue::kazoo_semaphore::{self as kazoo, contender_id};
use crate::queue::name::{self, is_kazoo_lease, Format};

/// Is a path whose data is a limit (`kazoo_semaphore::parse_limit`) a semaphore? Yes when the sibling
/// `P-__lock__` exists, or when it has children and every one is lease-shaped.
pub fn is_semaphore(children: &[String], lock_exists: bool) -> bool {
    lock_exists || (!children.is_empty() && children.iter().all(|c| is_kazoo_lease(c)))
}

/// A lease in use.
#[derive(Debug, Clone, PartialEq)]
pub struct Lease {
    pub node: String,
    /// The holder's id.
    pub data: Vec<u8>,
    pub stat: NodeStat,
    /// Curator's: made by the one acquiring (first at the lock), which waits until at most
    /// the limit of leases exist, its own counted. Not a holder yet.
    pub acquiring: bool,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Semaphore {
    pub path: String,
    /// How many leases may be held at once (P's data); None for Curator's
    /// InterProcessSemaphoreV2, which stores no limit (its users agree on one).
    pub limit: Option<u64>,
    /// The leases in use, oldest first.
    pub leases: Vec<Lease>,
    /// `P-__lock__` (kazoo) or `P/locks` (Curator), where contenders queue for a lease.
    pub lock_path: String,
    /// The contenders queued at `lock_path`, in the lock's order: the first is `Acquiring`.
    pub contenders: Vec<Row>,
    pub problems: Vec<Problem>,
}

impl Semaphore {
    /// Leases that can be taken now (not known without a stored limit).
    pub fn free(&self) -> Option<u64> {
        Some(self.limit?.saturating_sub(self.held() as u64))
    }

    /// Leases held (not counting one made by a contender still acquiring).
    pub fn held(&self) -> usize {
        self.leases.iter().filter(|l| !l.acquiring).count()
    }

    /// Whose recipe: `kazoo` or `curator`.
    pub fn format(&self) -> &'static str {
        if self.limit.is_some() {
            "kazoo"
        } else {
            "curator"
        }
    }
}

/// The semaphore at `path`, from its leases (`leases`: kazoo's, every child of `path`, as
/// kazoo counts them; Curator's, the children of `path/leases`) and the contenders at its
/// lock (`queued`). `limit`: kazoo's stored limit; None for Curator's semaphore.
pub fn build_semaphore(
    path: &str,
    limit: Option<u64>,
    leases: Vec<Child>,
    queued: Vec<Child>,
) -> Semaphore {
    let lock_path = match limit {
        Some(_) => kazoo::lock_path(path),
        None => curator_lease::locks_path(path),
    };
    // The lock is a kazoo Lock or a Curator mutex: its queue as `inspect` shows any lock, its
    // holder acquiring.
    let lock = build_queue(&lock_path, RoleHint::Holder, queued);
    let acquirer = lock.rows.first().map(|r| r.stat.ephemeral_owner);
    let mut leases: Vec<Lease> = leases
        .into_iter()
        .map(|c| Lease {
            // Curator's acquirer makes its lease first, then waits (kazoo's makes none).
            acquiring: limit.is_none() && Some(c.stat.ephemeral_owner) == acquirer,
            node: c.name,
            data: c.data,
            stat: c.stat,
        })
        .collect();
    leases.sort_by(|a, b| (a.stat.czxid, &a.node).cmp(&(b.stat.czxid, &b.node)));

    let contenders: Vec<Row> = lock
        .rows
        .into_iter()
        .map(|mut r| {
            if r.role != Role::Waiting {
                r.role = Role::Acquiring;
            }
            r.data = contender_id(&r.data);
            r
        })
        .collect();

    let mut problems = Vec::new();
    let used = leases.len() as u64;
    if limit == Some(0) {
        problems.push(Problem {
            kind: "zero-limit",
            message: format!(
                "the limit stored in {path} is 0: no lease can ever be taken, and whoever \
                 acquires waits for ever (delete {path} while nobody holds to change it)"
            ),
        });
    }
    if let Some(limit) = limit.filter(|&l| used > l) {
        problems.push(Problem {
            kind: "over-limit",
            message: format!(
                "{used} leases are in use but the limit is {limit}: {} more holders than the \
                 semaphore allows (leases made without taking {lock_path}, or by a client given \
                 another limit)",
                used - limit
            ),
        });
    }
    for l in &leases {
        let curator = || name::parse(&l.node).is_some_and(|n| n.format == Format::CuratorLease);
        if limit.is_some() && !is_kazoo_lease(&l.node) {
            problems.push(Problem {
                kind: "not-a-lease",
                message: format!(
                    "{} is not a lease node (a uuid4 in hex), but kazoo counts every child of \
                     {path} as a lease taken",
                    l.node
                ),
            });
        } else if limit.is_none() && !curator() {
            problems.push(Problem {
                kind: "not-a-lease",
                message: format!(
                    "{} is not a lease node (_c_<uuid>-lease-<seq>), but Curator counts every \
                     child of {path}/leases as a lease taken",
                    l.node
                ),
            });
        }
        if l.stat.ephemeral_owner == 0 {
            problems.push(Problem {
                kind: "not-ephemeral",
                message: format!(
                    "lease {} is not ephemeral: it outlives whoever took it, so it stays taken \
                     until someone deletes it",
                    l.node
                ),
            });
        }
    }
    // What is wrong in the lock's queue, said of the lock.
    for p in lock.problems.into_iter().filter(|p| p.kind != "same-id") {
        problems.push(Problem {
            kind: p.kind,
            message: format!("at {lock_path}: {}", p.message),
        });
    }
    let nodes = leases
        .iter()
        .map(|l| Node {
            label: format!("lease {}", l.node),
            id: &l.data,
            owner: l.stat.ephemeral_owner,
        })
        .chain(contenders.iter().map(|r| Node {
            label: format!("POS {} {} at {lock_path}", r.pos, r.name.name),
            id: &r.data,
            owner: r.stat.ephemeral_owner,
        }))
        .collect();
    problems.extend(duplicates::same_id_among(nodes));
    Semaphore {
        path: path.to_owned(),
        limit,
        leases,
        lock_path,
        contenders,
        problems,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const A: &str = "0123456789abcdef0123456789abcdef";
    const B: &str = "fedcba9876543210fedcba9876543210";
    const C: &str = "00000000000000000000000000000000";

    fn child(name: &str, data: &str, owner: i64, czxid: i64) -> Child {
        Child {
            name: name.into(),
            data: data.as_bytes().to_vec(),
            stat: NodeStat {
                ephemeral_owner: owner,
                czxid,
                ..NodeStat::default()
            },
        }
    }

    #[test]
    fn what_counts_as_a_semaphore() {
        assert!(is_kazoo_lease(A));
        assert!(!is_kazoo_lease(&A.to_uppercase()));
        assert!(!is_kazoo_lease(&format!("{A}__lock__0000000001")));
        let leases = vec![A.to_owned(), B.to_owned()];
        assert!(is_semaphore(&leases, false));
        assert!(is_semaphore(&[], true));
        assert!(!is_semaphore(&[], false));
        assert!(!is_semaphore(&[A.into(), "junk".into()], false));
        // The lock's existence is proof enough: kazoo counts a foreign child as a lease.
        assert!(is_semaphore(&[A.into(), "junk".into()], true));
    }

    #[test]
    fn leases_and_the_queue_for_one() {
        let s = build_semaphore(
            "/s",
            Some(2),
            vec![child(B, "b", 2, 20), child(A, "a", 1, 10)],
            vec![
                child(&format!("{C}__lock__0000000004"), "b'd'", 4, 0),
                child(&format!("{C}__lock__0000000003"), "c", 3, 0),
            ],
        );
        let leases: Vec<&[u8]> = s.leases.iter().map(|l| l.data.as_slice()).collect();
        assert_eq!(leases, [b"a", b"b"]);
        assert_eq!(s.free(), Some(0));
        let queued: Vec<(&[u8], Role)> = s
            .contenders
            .iter()
            .map(|r| (r.data.as_slice(), r.role))
            .collect();
        assert_eq!(
            queued,
            [(&b"c"[..], Role::Acquiring), (&b"d"[..], Role::Waiting)]
        );
        assert!(s.problems.is_empty(), "{:?}", s.problems);
    }

    #[test]
    fn over_the_limit_persistent_foreign_and_one_id_twice() {
        let s = build_semaphore(
            "/s",
            Some(2),
            vec![
                child(A, "a", 1, 1),
                child(B, "b", 0, 2),
                child("junk", "", 3, 3),
            ],
            vec![child(&format!("{C}__lock__0000000001"), "b'a'", 9, 0)],
        );
        let kinds: Vec<&str> = s.problems.iter().map(|p| p.kind).collect();
        assert_eq!(
            kinds,
            ["over-limit", "not-ephemeral", "not-a-lease", "same-id"]
        );
        assert!(s.problems[0]
            .message
            .contains("3 leases are in use but the limit is 2"));
        assert!(s.problems[3].message.contains("at /s-__lock__"));
        assert_eq!(s.free(), Some(0));
        let zero = build_semaphore("/s", Some(0), vec![], vec![]);
        assert_eq!(zero.problems[0].kind, "zero-limit");
    }

    #[test]
    fn a_curator_semaphore_has_no_limit_and_its_acquirer_a_lease_already() {
        let lease = |n: i64| format!("_c_{C}-lease-{n:010}");
        let s = build_semaphore(
            "/s",
            None,
            vec![
                child(&lease(2), "b", 2, 20),
                child(&lease(1), "a", 1, 10),
                child(&lease(3), "c", 3, 30),
            ],
            vec![child(&format!("_c_{C}-lock-0000000007"), "c", 3, 0)],
        );
        assert_eq!(s.lock_path, "/s/locks");
        assert_eq!((s.limit, s.free(), s.held()), (None, None, 2));
        let acquiring: Vec<bool> = s.leases.iter().map(|l| l.acquiring).collect();
        assert_eq!(acquiring, [false, false, true], "c's lease, c acquiring");
        assert!(s.problems.is_empty(), "{:?}", s.problems);
        let junk = build_semaphore("/s", None, vec![child(A, "a", 1, 1)], vec![]);
        assert_eq!(junk.problems[0].kind, "not-a-lease");
    }
}
