//! Who holds (or leads) in a lock or election directory, by each recipe's own rule: the
//! `crate::queue::Recipe` that wrote a node decides, with the same `sorted` and `blocker` that
//! recipe's contenders use, so `inspect` and `lock`/`elect` share one definition.
//!
//! Each node is judged as its own client sees the directory: a kazoo node among kazoo's nodes
//! by sequence (a reader behind no writer holds), a Curator node among *every* child by the
//! text after its last marker (a Curator reader holds while no writer is ahead of it). In a
//! directory of two families each family therefore has its own head (the `mixed-formats`
//! problem says so). A sequential node of no known recipe (`Format::Other`) follows the
//! generic rule of ZooKeeper's own lock recipe: the lowest sequence among them holds.
//!
//! The rows are shown in the directory's own order: Curator's when Curator's family is the
//! only one there, by sequence otherwise (kazoo's order, and the order in which they joined).

use std::collections::HashMap;

use crate::queue::name::{self, Format, Name};
use crate::queue::Recipe;

/// The parsed children of a directory in display order, each with whether it holds (leads)
/// by the rule of the recipe that wrote it. Children that are no sequential node are left out.
pub(super) fn rank(children: &[String]) -> Vec<(Name, bool)> {
    let mut parsed: Vec<Name> = children.iter().filter_map(|c| name::parse(c)).collect();
    // Each recipe present sorts the directory once; a node is looked up in its recipe's order.
    let mut orders: Vec<(Recipe, Vec<Name>, HashMap<String, usize>)> = Vec::new();
    for r in parsed.iter().filter_map(|n| Recipe::of_format(n.format)) {
        if !orders.iter().any(|(o, ..)| *o == r) {
            let sorted = r.sorted(children);
            let at = sorted
                .iter()
                .enumerate()
                .map(|(i, n)| (n.name.clone(), i))
                .collect();
            orders.push((r, sorted, at));
        }
    }
    let first_other = parsed
        .iter()
        .filter(|n| n.format == Format::Other)
        .min_by(|a, b| name::order(a, b))
        .map(|n| n.name.clone());
    let holds = |n: &Name| match Recipe::of_format(n.format) {
        Some(r) => {
            let (_, sorted, at) = orders.iter().find(|(o, ..)| *o == r).expect("sorted above");
            at.get(&n.name)
                .is_some_and(|&i| r.blocker(sorted, i).is_none())
        }
        None => first_other.as_deref() == Some(n.name.as_str()),
    };

    let known: Vec<Format> = parsed
        .iter()
        .map(|n| n.format)
        .filter(|&f| f != Format::Other)
        .collect();
    let curator_only = !known.is_empty() && known.iter().all(|f| f.family() == "curator");
    if curator_only {
        // Curator's order: every child by the text after the last marker (its `sorted`).
        let r = Recipe::of_children(children);
        let at: HashMap<String, usize> = r
            .sorted(children)
            .into_iter()
            .enumerate()
            .map(|(i, n)| (n.name, i))
            .collect();
        parsed.sort_by_key(|n| at.get(&n.name).copied().unwrap_or(usize::MAX));
    } else {
        parsed.sort_by(name::order);
    }
    parsed
        .into_iter()
        .map(|n| {
            let h = holds(&n);
            (n, h)
        })
        .collect()
}

/// The groups of recipes in a directory that do not see each other's nodes (by
/// `Recipe::speaks`, as `lock`/`elect` refuse such a directory): more than one is the
/// `mixed-formats` problem. Each group is named by its formats (`kazoo/kazoo-read`).
pub(super) fn deaf_groups(formats: &[Format]) -> Vec<String> {
    let mut groups: Vec<Vec<Format>> = Vec::new();
    for &f in formats {
        let joined = groups.iter_mut().find(|g| match Recipe::of_format(g[0]) {
            Some(r) => r.speaks(f),
            // A format of no lock recipe (a lease, an unknown node) joins only its own kind.
            None => f == g[0],
        });
        match joined {
            Some(g) if !g.contains(&f) => g.push(f),
            Some(_) => {}
            None => groups.push(vec![f]),
        }
    }
    groups
        .iter()
        .map(|g| {
            let names: Vec<&str> = g.iter().map(|f| f.as_str()).collect();
            names.join("/")
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn strings(v: &[&str]) -> Vec<String> {
        v.iter().map(|s| s.to_string()).collect()
    }

    fn roles(v: &[(Name, bool)]) -> Vec<(&str, bool)> {
        v.iter().map(|(n, h)| (n.name.as_str(), *h)).collect()
    }

    #[test]
    fn curator_readers_share_until_a_writer() {
        let kids = strings(&[
            "_c_d-__READ__0000000004",
            "_c_a-__READ__0000000001",
            "_c_c-__WRIT__0000000003",
            "_c_b-__READ__0000000002",
        ]);
        assert_eq!(
            roles(&rank(&kids)),
            [
                ("_c_a-__READ__0000000001", true),
                ("_c_b-__READ__0000000002", true),
                ("_c_c-__WRIT__0000000003", false),
                ("_c_d-__READ__0000000004", false),
            ]
        );
    }

    #[test]
    fn curator_order_is_text_after_the_marker() {
        // As text, `-000000001` sorts before `-2147483648`, the other way round by number.
        let kids = strings(&["_c_a-lock--2147483648", "_c_b-lock--000000001"]);
        assert_eq!(
            roles(&rank(&kids)),
            [
                ("_c_b-lock--000000001", true),
                ("_c_a-lock--2147483648", false)
            ]
        );
        // A child of no format that sorts ahead (Curator counts it) blocks Curator's head.
        let kids = strings(&["_c_a-lock-0000000001", "0"]);
        assert_eq!(roles(&rank(&kids)), [("_c_a-lock-0000000001", false)]);
    }

    #[test]
    fn each_family_its_own_head_and_other_nodes_by_sequence() {
        let kids = strings(&[
            "_c_x-lock-0000000002",
            "0123456789abcdef0123456789abcdef__lock__0000000003",
            "0123456789abcdef0123456789abcdef__lock__0000000001",
            "member0000000009",
            "member0000000004",
        ]);
        let got: Vec<(i32, bool)> = rank(&kids).iter().map(|(n, h)| (n.seq, *h)).collect();
        assert_eq!(
            got,
            [(1, true), (2, true), (3, false), (4, true), (9, false)]
        );
    }

    #[test]
    fn groups_that_do_not_see_each_other() {
        use Format::*;
        assert_eq!(
            deaf_groups(&[Kazoo, KazooRead, Kazoo]),
            ["kazoo/kazoo-read"]
        );
        assert_eq!(
            deaf_groups(&[Curator, GoZookeeper]),
            ["curator/go-zookeeper"]
        );
        assert_eq!(deaf_groups(&[CuratorRead, CuratorWrite]).len(), 1);
        assert_eq!(deaf_groups(&[Kazoo, Curator]), ["kazoo", "curator"]);
        assert_eq!(deaf_groups(&[Curator, CuratorLatch]).len(), 2);
        assert_eq!(deaf_groups(&[Other, Kazoo, Other]), ["other", "kazoo"]);
    }
}
