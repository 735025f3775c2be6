//! Homebrew's places. `<prefix>/opt/<formula>` links to the installed version's keg,
//! `<prefix>/Cellar/<formula>/<version>`; a keg without that link (`brew unlink`, an upgrade
//! cut short) is still found in the Cellar, newest version first. The zookeeper formula puts
//! the release's `bin/` and `lib/` in the keg's `libexec/`, and the configuration (zoo.cfg,
//! logback.xml) in `<prefix>/etc/zookeeper`. The prefix is `HOMEBREW_PREFIX` when set (`brew
//! shellenv` sets it; Linuxbrew's is elsewhere), then `/opt/homebrew` (Apple silicon) and
//! `/usr/local` (Intel).

use std::path::{Path, PathBuf};

/// The prefixes to search: `env_prefix` (HOMEBREW_PREFIX) first, then `defaults`, once each.
pub fn prefixes(env_prefix: Option<PathBuf>, defaults: &[PathBuf]) -> Vec<PathBuf> {
    let mut out: Vec<PathBuf> = Vec::new();
    for p in env_prefix.into_iter().chain(defaults.iter().cloned()) {
        if !out.contains(&p) {
            out.push(p);
        }
    }
    out
}

/// ZooKeeper homes under `prefix`, in the order to try: the linked keg's, then each version in
/// the Cellar, newest first. Only those that exist.
pub fn zookeeper_homes(prefix: &Path) -> Vec<PathBuf> {
    let mut homes = Vec::new();
    let linked = prefix.join("opt/zookeeper/libexec");
    if linked.is_dir() {
        homes.push(linked);
    }
    let cellar = prefix.join("Cellar/zookeeper");
    let mut versions: Vec<(Vec<u64>, String)> = std::fs::read_dir(&cellar)
        .into_iter()
        .flatten()
        .flatten()
        .filter_map(|e| e.file_name().into_string().ok())
        .map(|v| (version_key(&v), v))
        .collect();
    versions.sort();
    for (_, v) in versions.into_iter().rev() {
        let home = cellar.join(v).join("libexec");
        if home.is_dir() {
            homes.push(home);
        }
    }
    homes
}

/// Where the formula keeps ZooKeeper's configuration.
pub fn conf_dir(prefix: &Path) -> PathBuf {
    prefix.join("etc/zookeeper")
}

/// The openjdk formula's java (keg-only: not on PATH unless linked by hand).
pub fn java(prefix: &Path) -> PathBuf {
    prefix.join("opt/openjdk/bin/java")
}

/// `3.9.3_1` → [3, 9, 3, 1]: Homebrew's versions (with a revision after `_`) compare by their
/// numbers, so 3.10.0 is newer than 3.9.3.
fn version_key(v: &str) -> Vec<u64> {
    v.split(|c: char| !c.is_ascii_digit())
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().unwrap_or(u64::MAX))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_compare_by_number() {
        let mut v = ["3.9.3", "3.10.0", "3.9.3_1", "3.8.4"].map(|s| (version_key(s), s));
        v.sort();
        assert_eq!(v.map(|(_, s)| s), ["3.8.4", "3.9.3", "3.9.3_1", "3.10.0"]);
    }

    #[test]
    fn the_env_prefix_comes_first_and_once() {
        let d = [PathBuf::from("/opt/homebrew"), PathBuf::from("/usr/local")];
        assert_eq!(
            prefixes(Some("/usr/local".into()), &d),
            ["/usr/local", "/opt/homebrew"].map(PathBuf::from)
        );
        assert_eq!(prefixes(None, &d), d);
    }
}
