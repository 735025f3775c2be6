//! Property tests for every parser zkdemo has (issue #9, bad input): connect strings,
//! durations, znode paths, `key=value` lines and documents, and contender node names of every
//! format. Each property runs a modest number of cases (256; PROPTEST_CASES overrides) so the
//! whole file takes a second or two.

use std::collections::BTreeMap;
use std::time::Duration;

use proptest::prelude::*;
use zkdemo::cli::parse_duration;
use zkdemo::config::doc::{self, Doc};
use zkdemo::queue::name::{self, Format};
use zkdemo::session::{validate_path, Auth, ConnectString};

fn cases() -> ProptestConfig {
    let n = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(256);
    ProptestConfig {
        cases: n,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// One path segment ZooKeeper accepts (not `.` or `..`; any printable text, some non-ASCII).
fn segment() -> impl Strategy<Value = String> {
    "[a-zA-Z0-9_.:@ -]{1,12}|[é漢字ß]{1,3}".prop_filter("not . or ..", |s| s != "." && s != "..")
}

fn good_path() -> impl Strategy<Value = String> {
    prop::collection::vec(segment(), 1..5).prop_map(|v| format!("/{}", v.join("/")))
}

fn host() -> impl Strategy<Value = String> {
    prop_oneof![
        "[a-z][a-z0-9-]{0,10}(\\.[a-z][a-z0-9-]{0,10}){0,3}",
        (0u8..=255, 0u8..=255, 0u8..=255, 0u8..=255)
            .prop_map(|(a, b, c, d)| format!("{a}.{b}.{c}.{d}")),
        Just("::1".to_owned()),
        Just("fe80::1:2".to_owned()),
    ]
}

fn write_host(h: &str, port: Option<u16>) -> String {
    let h = if h.contains(':') {
        format!("[{h}]")
    } else {
        h.to_owned()
    };
    match port {
        Some(p) => format!("{h}:{p}"),
        None => h,
    }
}

/// `%010d`, as ZooKeeper writes a sequential suffix (a negative one after the counter wraps).
fn seq_suffix(seq: i32) -> String {
    format!("{seq:010}")
}

fn hex32() -> impl Strategy<Value = String> {
    "[0-9a-f]{32}"
}

fn uuid_dashed() -> impl Strategy<Value = String> {
    "[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"
}

/// A name of each known format with its sequence, and the format it must parse as.
fn contender() -> impl Strategy<Value = (String, i32, Format)> {
    let seq = prop_oneof![
        any::<i32>(),
        0i32..100,
        Just(i32::MIN),
        Just(i32::MAX),
        Just(-1)
    ];
    (0..6usize, hex32(), uuid_dashed(), seq).prop_map(|(f, hex, uuid, seq)| {
        let s = seq_suffix(seq);
        match f {
            0 => (format!("{hex}__lock__{s}"), seq, Format::Kazoo),
            1 => (format!("{hex}__rlock__{s}"), seq, Format::KazooRead),
            2 => (format!("_c_{uuid}-lock-{s}"), seq, Format::Curator),
            3 => (format!("_c_{uuid}-latch-{s}"), seq, Format::CuratorLatch),
            4 => (format!("_c_{hex}-lock-{s}"), seq, Format::GoZookeeper),
            _ => (format!("member{s}"), seq, Format::Other),
        }
    })
}

proptest! {
    #![proptest_config(cases())]

    // ---- connect strings ----

    #[test]
    fn connect_string_parse_never_panics(s in "\\PC{0,40}|[a-z0-9:,/\\[\\]. ]{0,40}") {
        let _ = ConnectString::parse(&s);
    }

    #[test]
    fn connect_string_round_trips(
        hosts in prop::collection::vec((host(), prop::option::of(1u16..=65535)), 1..4),
        // (the connect string is trimmed: a chroot cannot end in a space)
        chroot in prop::option::of(good_path().prop_filter("no edge space", |p| !p.ends_with(' '))),
    ) {
        let text = format!(
            "{}{}",
            hosts.iter().map(|(h, p)| write_host(h, *p)).collect::<Vec<_>>().join(","),
            chroot.as_deref().unwrap_or("")
        );
        let c = ConnectString::parse(&text).map_err(|e| TestCaseError::fail(format!("{text:?}: {e}")))?;
        let want: Vec<(String, u16)> =
            hosts.iter().map(|(h, p)| (h.clone(), p.unwrap_or(2181))).collect();
        prop_assert_eq!(&c.hosts, &want);
        prop_assert_eq!(&c.chroot, &chroot);
        // Display → parse is the identity on anything accepted.
        prop_assert_eq!(ConnectString::parse(&c.to_string()).unwrap(), c);
    }

    #[test]
    fn accepted_connect_strings_are_stable(s in "[a-z0-9:,/\\[\\]._-]{1,30}") {
        if let Ok(c) = ConnectString::parse(&s) {
            let again = ConnectString::parse(&c.to_string());
            prop_assert_eq!(again.as_ref(), Ok(&c), "{:?} → {}", s, c);
            prop_assert!(c.hosts.iter().all(|(h, p)| !h.is_empty() && *p > 0));
            if let Some(ch) = &c.chroot {
                prop_assert!(validate_path(ch).is_ok());
            }
        }
    }

    #[test]
    fn bad_ports_are_refused(h in host(), port in "0|[1-9][0-9]{5,7}|-[0-9]{1,4}|[a-z]{1,4}|65536") {
        let text = write_host(&h, None) + ":" + &port;
        prop_assert!(ConnectString::parse(&text).is_err(), "{} accepted", text);
    }

    // ---- durations ----

    #[test]
    fn duration_parse_never_panics(s in "\\PC{0,20}|[0-9 .a-z]{0,12}") {
        if let Ok(d) = parse_duration(&s) {
            prop_assert!(!d.is_zero());
        }
    }

    #[test]
    fn durations_parse_to_their_value(n in 1u64..1_000_000, unit in 0..4usize) {
        let (text, want) = match unit {
            0 => (format!("{n}ms"), Duration::from_millis(n)),
            1 => (format!("{n}s"), Duration::from_secs(n)),
            2 => (format!("{n}m"), Duration::from_secs(n * 60)),
            _ => (format!("{n}h"), Duration::from_secs(n * 3600)),
        };
        // Past what deadlines may add to the clock: refused, never a panic.
        if want > zkdemo::cli::MAX_DURATION {
            prop_assert!(parse_duration(&text).is_err());
        } else {
            prop_assert_eq!(parse_duration(&text), Ok(want));
            // What humantime prints (as zkdemo's messages do) parses back.
            let shown = humantime::format_duration(want).to_string();
            prop_assert_eq!(parse_duration(&shown), Ok(want));
        }
    }

    #[test]
    fn bare_numbers_and_zero_are_refused(n in 0u64..1_000_000, unit in prop::sample::select(vec!["", "ms", "s", "m"])) {
        let text = if unit.is_empty() { n.to_string() } else { format!("0{unit}") };
        prop_assert!(parse_duration(&text).is_err(), "{} accepted", text);
    }

    // ---- paths ----

    #[test]
    fn path_validation_never_panics(s in "\\PC{0,30}|[/a.\\x00-\\x1f]{0,12}") {
        let _ = validate_path(&s);
    }

    #[test]
    fn good_paths_pass_and_broken_ones_fail(p in good_path(), cut in any::<prop::sample::Index>(), bad in 0..5usize) {
        prop_assert!(validate_path(&p).is_ok(), "{:?} refused", p);
        let broken = match bad {
            0 => p[1..].to_owned(),          // relative
            1 => format!("{p}/"),            // trailing slash
            2 => format!("{p}//x"),          // empty segment
            3 => format!("{p}/.."),          // dot-dot
            _ => {
                // a control character somewhere
                let chars: Vec<char> = p.chars().collect();
                let at = cut.index(chars.len()) + 1;
                let mut s: String = chars[..at.min(chars.len())].iter().collect();
                s.push('\u{7}');
                s.extend(&chars[at.min(chars.len())..]);
                s
            }
        };
        prop_assert!(validate_path(&broken).is_err(), "{:?} accepted", broken);
    }

    // ---- key=value ----

    #[test]
    fn doc_parse_never_panics_and_render_is_stable(data in prop::collection::vec(any::<u8>(), 0..200)) {
        let d = Doc::parse(&data);
        let once = d.render();
        let d2 = Doc::parse(&once);
        prop_assert_eq!(&d2, &d);
        prop_assert_eq!(d2.render(), once);
        let _ = d.to_json();
        let _ = d.to_lines();
        let _ = doc::escape(&data);
    }

    #[test]
    fn doc_parse_of_text_is_stable(text in "([a-z=é\\r\\t ]{0,8}\n?){0,6}") {
        let d = Doc::parse(text.as_bytes());
        prop_assert_eq!(Doc::parse(&d.render()), d);
    }

    #[test]
    fn key_value_documents_round_trip(
        keys in prop::collection::btree_map("[^=\n]{1,10}", "[^\n]{0,12}", 0..10)
    ) {
        let keys: BTreeMap<String, String> = keys;
        let d = Doc::Keys(keys.clone());
        prop_assert_eq!(Doc::parse(&d.render()), d);
        for (k, v) in &keys {
            // Blanks around the `=` belong to neither side.
            let key = k.trim_matches(doc::BLANKS);
            let value = v.trim_start_matches(doc::BLANKS);
            let parsed = doc::parse_pair(&format!("{k}={v}"));
            if key.is_empty() {
                prop_assert!(parsed.is_err());
            } else {
                prop_assert_eq!(parsed, Ok((key.to_owned(), value.to_owned())));
            }
        }
    }

    #[test]
    fn parse_pair_never_panics_and_checks(s in "\\PC{0,20}|[a=\n]{0,6}") {
        match doc::parse_pair(&s) {
            Ok((k, v)) => {
                prop_assert!(doc::check_key(&k).is_ok());
                prop_assert!(!v.contains('\n'));
                let (key, value) = s.split_once('=').expect("an = was there");
                prop_assert_eq!(key.trim_matches(doc::BLANKS), k);
                prop_assert_eq!(value.trim_start_matches(doc::BLANKS), v);
            }
            Err(e) => prop_assert!(!e.contains('\n') || s.contains('\n')),
        }
    }

    // ---- node names ----

    #[test]
    fn name_parse_never_panics(s in "\\PC{0,50}|[_a-z0-9-]{0,30}") {
        if let Some(n) = name::parse(&s) {
            prop_assert_eq!(&n.name, &s);
            // The sequence is the name's tail.
            prop_assert!(s.ends_with(&seq_suffix(n.seq)));
        }
    }

    #[test]
    fn every_format_parses_with_its_sequence((text, seq, format) in contender()) {
        let n = name::parse(&text).expect("parses");
        if format == Format::Other && seq <= -1_000_000_000 {
            // `member-1000000000` reads both ways without a recipe's marker to decide.
            prop_assert!(n.seq == seq || Some(n.seq) == seq.checked_neg());
        } else {
            prop_assert_eq!(n.seq, seq);
        }
        prop_assert_eq!(n.format, format);
        prop_assert!(text.starts_with(&n.prefix));
    }

    #[test]
    fn ordering_is_total_and_by_signed_sequence(names in prop::collection::vec(contender(), 0..12)) {
        let texts: Vec<String> = names.iter().map(|n| n.0.clone()).collect();
        let sorted = name::contenders(&texts);
        // Format::Other is no contender.
        let want = names.iter().filter(|n| n.2 != Format::Other).count();
        prop_assert_eq!(sorted.len(), want);
        for w in sorted.windows(2) {
            prop_assert!((w[0].seq, &w[0].name) <= (w[1].seq, &w[1].name));
        }
        // A total order: antisymmetric, and Equal only for the same name.
        let parsed: Vec<_> = texts.iter().filter_map(|t| name::parse(t)).collect();
        for a in &parsed {
            for b in &parsed {
                prop_assert_eq!(name::order(a, b), name::order(b, a).reverse());
                prop_assert_eq!(name::order(a, b) == std::cmp::Ordering::Equal, a.name == b.name);
            }
        }
    }

    // ---- --auth ----

    #[test]
    fn auth_errors_never_echo_the_value(s in "[^:]{4,20}|:[a-z]{3,8}|[a-z]{3,8}:") {
        prop_assume!(!"expected USER:PASSWORD, both non-empty".contains(&s));
        let e = Auth::parse(&s).expect_err("no USER:PASSWORD");
        prop_assert!(!e.contains(&s));
    }

    #[test]
    fn auth_display_hides_the_password(u in "[a-z]{1,8}", p in "[A-Za-z0-9!]{6,16}") {
        let a = Auth::parse(&format!("{u}:{p}")).unwrap();
        let shown = format!("{a} {a:?}");
        prop_assert!(!shown.contains(&p));
    }
}
