//! Finding an installed ZooKeeper and a Java to run it.

use std::ffi::OsString;
use std::path::{Path, PathBuf};

/// Where ZooKeeper is looked for when `ZOOKEEPER_HOME` is not set, after Debian's jar.
const HOMEBREW_HOMES: [&str; 2] = [
    "/opt/homebrew/opt/zookeeper/libexec",
    "/usr/local/opt/zookeeper/libexec",
];
const DEBIAN_JAR: &str = "/usr/share/java/zookeeper.jar";
/// Debian's zookeeper.jar names its dependencies in its manifest but no slf4j binding: without
/// this one the server logs nothing, and a failed start would come with an empty log.
const DEBIAN_LOGGER: &str = "/usr/share/java/slf4j-simple.jar";

pub const INSTALL_ZOOKEEPER: &str = "Install it with `apt-get install zookeeper` (Debian/Ubuntu) \
or `brew install zookeeper` (macOS), or set ZOOKEEPER_HOME to an unpacked Apache ZooKeeper \
release (https://zookeeper.apache.org/releases.html).";
pub const INSTALL_JAVA: &str = "Install it with `apt-get install default-jre-headless` \
(Debian/Ubuntu) or `brew install openjdk` (macOS), or set JAVA_HOME.";

/// A ZooKeeper installation and the Java that runs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Distribution {
    /// The `java` executable.
    pub java: PathBuf,
    /// The jars (and config directory) for `-cp`, in order.
    pub classpath: Vec<PathBuf>,
    /// Extra `-D` options this layout needs (e.g. where logback's config is).
    pub jvm_props: Vec<String>,
    /// Where it was found, for messages.
    pub origin: String,
}

impl Distribution {
    /// Look in ZOOKEEPER_HOME (only there when it is set), then Debian's and Homebrew's places;
    /// Java in JAVA_HOME, then PATH. The error says what is missing and how to install it.
    pub fn find() -> Result<Distribution, String> {
        Distribution::find_with(|k| std::env::var_os(k))
    }

    /// `find` with the environment given, for tests.
    pub fn find_with(env: impl Fn(&str) -> Option<OsString>) -> Result<Distribution, String> {
        let zk = find_zookeeper(&env);
        let java = find_java(&env);
        match (zk, java) {
            (Ok((classpath, jvm_props, origin)), Ok(java)) => Ok(Distribution {
                java,
                classpath,
                jvm_props,
                origin,
            }),
            (zk, java) => {
                let mut msg = Vec::new();
                if let Err(e) = zk {
                    msg.push(e);
                }
                if let Err(e) = java {
                    msg.push(e);
                }
                Err(msg.join("\n"))
            }
        }
    }

    /// The `-cp` argument.
    pub fn classpath_arg(&self) -> OsString {
        std::env::join_paths(&self.classpath).unwrap_or_else(|_| {
            // join_paths fails only on a path holding ':'; pass it as is and let Java complain.
            let mut s = OsString::new();
            for (i, p) in self.classpath.iter().enumerate() {
                if i > 0 {
                    s.push(":");
                }
                s.push(p);
            }
            s
        })
    }
}

type Found = (Vec<PathBuf>, Vec<String>, String);

fn find_zookeeper(env: &impl Fn(&str) -> Option<OsString>) -> Result<Found, String> {
    // An explicit ZOOKEEPER_HOME wins and is not second-guessed: a wrong one is an error, not a
    // reason to silently run another version.
    if let Some(home) = env("ZOOKEEPER_HOME").filter(|h| !h.is_empty()) {
        let home = PathBuf::from(home);
        return from_home(&home).ok_or_else(|| {
            format!(
                "ZooKeeper not found: ZOOKEEPER_HOME={} holds no zookeeper*.jar (in lib/ or at \
                 its top). {INSTALL_ZOOKEEPER}",
                home.display()
            )
        });
    }
    if Path::new(DEBIAN_JAR).is_file() {
        let mut cp = vec![PathBuf::from(DEBIAN_JAR)];
        if Path::new(DEBIAN_LOGGER).is_file() {
            cp.push(PathBuf::from(DEBIAN_LOGGER));
        }
        return Ok((cp, Vec::new(), DEBIAN_JAR.to_owned()));
    }
    for home in HOMEBREW_HOMES {
        if let Some(found) = from_home(Path::new(home)) {
            return Ok(found);
        }
    }
    Err(format!(
        "ZooKeeper not found (looked in ZOOKEEPER_HOME, {DEBIAN_JAR}, {}). {INSTALL_ZOOKEEPER}",
        HOMEBREW_HOMES.join(", ")
    ))
}

/// An Apache release layout: `lib/*.jar` (and `*.jar` at the top in old releases), `conf/`.
fn from_home(home: &Path) -> Option<Found> {
    let mut jars = Vec::new();
    for dir in [home.to_path_buf(), home.join("lib")] {
        let Ok(rd) = std::fs::read_dir(&dir) else {
            continue;
        };
        let mut here: Vec<PathBuf> = rd
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "jar") && p.is_file())
            .collect();
        here.sort();
        jars.extend(here);
    }
    let has_server = jars.iter().any(|j| {
        j.file_name().and_then(|n| n.to_str()).is_some_and(|n| {
            n.starts_with("zookeeper") && !n.starts_with("zookeeper-jute") && n.ends_with(".jar")
        })
    });
    if !has_server {
        return None;
    }
    let mut props = Vec::new();
    let conf = home.join("conf");
    if conf.is_dir() {
        // zkServer.sh puts conf/ first on the classpath; logback (3.8+) otherwise logs at DEBUG.
        jars.insert(0, conf.clone());
        let logback = conf.join("logback.xml");
        if logback.is_file() {
            props.push(format!("-Dlogback.configurationFile={}", logback.display()));
        }
    }
    Some((jars, props, home.display().to_string()))
}

fn find_java(env: &impl Fn(&str) -> Option<OsString>) -> Result<PathBuf, String> {
    if let Some(jh) = env("JAVA_HOME").filter(|h| !h.is_empty()) {
        let java = PathBuf::from(&jh).join("bin").join("java");
        if is_executable(&java) {
            return Ok(java);
        }
        // A stale JAVA_HOME is common; PATH may still have one, so fall through.
    }
    if let Some(path) = env("PATH") {
        for dir in std::env::split_paths(&path) {
            let java = dir.join("java");
            if is_executable(&java) {
                return Ok(java);
            }
        }
    }
    Err(format!(
        "Java not found (no JAVA_HOME/bin/java, no `java` on PATH). {INSTALL_JAVA}"
    ))
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn env(vars: &[(&str, &Path)]) -> impl Fn(&str) -> Option<OsString> {
        let m: HashMap<String, OsString> = vars
            .iter()
            .map(|(k, v)| (k.to_string(), v.as_os_str().to_owned()))
            .collect();
        move |k| m.get(k).cloned()
    }

    fn touch(p: &Path, exec: bool) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, b"").unwrap();
        if exec {
            std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
        }
    }

    #[test]
    fn apache_release_layout() {
        let d = tempfile::tempdir().unwrap();
        let home = d.path().join("zk");
        touch(&home.join("lib/zookeeper-3.8.4.jar"), false);
        touch(&home.join("lib/zookeeper-jute-3.8.4.jar"), false);
        touch(&home.join("lib/netty-handler.jar"), false);
        touch(&home.join("conf/logback.xml"), false);
        let jdk = d.path().join("jdk");
        touch(&jdk.join("bin/java"), true);
        let dist = Distribution::find_with(env(&[("ZOOKEEPER_HOME", &home), ("JAVA_HOME", &jdk)]))
            .unwrap();
        assert_eq!(dist.java, jdk.join("bin/java"));
        assert_eq!(dist.classpath[0], home.join("conf"));
        assert_eq!(dist.classpath.len(), 4);
        assert!(dist
            .classpath
            .contains(&home.join("lib/zookeeper-3.8.4.jar")));
        assert!(dist.jvm_props[0].starts_with("-Dlogback.configurationFile="));
    }

    #[test]
    fn wrong_home_and_no_java_say_how_to_install() {
        let d = tempfile::tempdir().unwrap();
        // Only jute: not a server.
        touch(&d.path().join("lib/zookeeper-jute-3.8.4.jar"), false);
        let empty = d.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        let e = Distribution::find_with(env(&[("ZOOKEEPER_HOME", d.path()), ("PATH", &empty)]))
            .unwrap_err();
        assert!(e.contains("apt-get install zookeeper"), "{e}");
        assert!(e.contains("brew install zookeeper"), "{e}");
        assert!(e.contains("ZOOKEEPER_HOME"), "{e}");
        assert!(e.contains("apt-get install default-jre-headless"), "{e}");
        assert!(e.contains("brew install openjdk"), "{e}");
    }

    #[test]
    fn java_on_path_when_java_home_is_stale() {
        let d = tempfile::tempdir().unwrap();
        touch(&d.path().join("zk/zookeeper-3.4.14.jar"), false);
        touch(&d.path().join("bin/java"), true);
        let dist = Distribution::find_with(env(&[
            ("ZOOKEEPER_HOME", &d.path().join("zk")),
            ("JAVA_HOME", &d.path().join("gone")),
            ("PATH", &d.path().join("bin")),
        ]))
        .unwrap();
        assert_eq!(dist.java, d.path().join("bin/java"));
        assert_eq!(dist.classpath, [d.path().join("zk/zookeeper-3.4.14.jar")]);
    }
}
