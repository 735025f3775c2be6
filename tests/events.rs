//! The JSON events are written down once, in `output::catalogue`: the README's table is
//! rendered from it, and the code emits no event name or field the catalogue does not name.
//! To regenerate the README's table:
//!
//!     ZKDEMO_REGENERATE=1 cargo test --test events

use std::collections::BTreeSet;
use std::fs;
use std::path::{Path, PathBuf};

use zkdemo::output::catalogue::{self, EVENTS};

const BEGIN: &str = "<!-- events: generated from src/output/catalogue.rs -->\n";
const END: &str = "<!-- events: end -->\n";

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn sources(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in fs::read_dir(dir).expect("src").flatten() {
        let p = e.path();
        if p.is_dir() {
            sources(&p, out);
        } else if p.extension().is_some_and(|x| x == "rs") {
            out.push(p);
        }
    }
}

/// Every string literal that directly follows `prefix` in the sources (`Event::new("…"`).
fn literals_after(prefix: &str) -> BTreeSet<(String, String)> {
    let mut files = Vec::new();
    sources(&root().join("src"), &mut files);
    let mut found = BTreeSet::new();
    for f in files {
        let text = fs::read_to_string(&f).expect("readable");
        // Tests inside the sources may make up events.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        let code: String = code.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut rest = code.as_str();
        while let Some(i) = rest.find(prefix) {
            rest = &rest[i + prefix.len()..];
            let arg = rest.trim_start();
            if let Some(lit) = arg.strip_prefix('"').and_then(|r| r.split('"').next()) {
                let file = f.strip_prefix(root()).unwrap_or(&f).display().to_string();
                found.insert((lit.to_owned(), file));
            }
        }
    }
    found
}

#[test]
fn every_event_the_code_prints_is_in_the_catalogue() {
    let mut names = literals_after("Event::new(");
    // `zkdemo demo`'s own events: hub.say("name", "state", …); a hold's start:
    // contender::hold_event("acquired", …).
    names.extend(literals_after("say("));
    names.extend(literals_after("hold_event("));
    assert!(names.len() > 20, "the scan found too little: {names:?}");
    let unknown: Vec<_> = names
        .iter()
        .filter(|(n, _)| catalogue::find(n).is_none())
        .collect();
    assert!(
        unknown.is_empty(),
        "events missing from src/output/catalogue.rs: {unknown:?}"
    );
}

#[test]
fn every_field_the_code_prints_is_in_the_catalogue() {
    let known: BTreeSet<&str> = EVENTS
        .iter()
        .flat_map(|e| e.fields.iter().copied())
        .chain(["participant", "state"])
        .collect();
    let fields = literals_after(".with(");
    assert!(fields.len() > 40, "the scan found too little: {fields:?}");
    let unknown: Vec<_> = fields
        .iter()
        .filter(|(f, _)| !known.contains(f.as_str()))
        .collect();
    assert!(
        unknown.is_empty(),
        "fields missing from src/output/catalogue.rs: {unknown:?}"
    );
}

#[test]
fn the_readme_table_is_the_catalogue() {
    let path = root().join("README.md");
    let readme = fs::read_to_string(&path).expect("README.md");
    let (Some(b), Some(e)) = (readme.find(BEGIN), readme.find(END)) else {
        panic!("README.md lacks the markers {BEGIN:?} … {END:?}");
    };
    let want = format!(
        "{}{BEGIN}{}{}",
        &readme[..b],
        catalogue::markdown(),
        &readme[e..]
    );
    if std::env::var_os("ZKDEMO_REGENERATE").is_some() {
        fs::write(&path, &want).expect("README.md written");
        return;
    }
    assert!(
        want == readme,
        "README.md's event table differs from src/output/catalogue.rs; regenerate it with \
         ZKDEMO_REGENERATE=1 cargo test --test events"
    );
}
