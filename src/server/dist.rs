//! Finding an installed ZooKeeper and a Java to run it: in ZOOKEEPER_HOME, Debian's package,
//! or Homebrew's (`homebrew.rs`). The places are parameters (`Places`), so that the tests
//! search fake layouts in a temporary directory as production searches the real ones.

mod homebrew;
#[cfg(test)]
mod tests;

use std::ffi::OsString;
use std::path::{Path, PathBuf};

pub const INSTALL_ZOOKEEPER: &str = "Install it with `apt-get install zookeeper` (Debian/Ubuntu) \
or `brew install zookeeper` (macOS), or set ZOOKEEPER_HOME to an unpacked Apache ZooKeeper \
release (https://zookeeper.apache.org/releases.html).";
pub const INSTALL_JAVA: &str = "Install it with `apt-get install default-jre-headless` \
(Debian/Ubuntu) or `brew install openjdk` (macOS), or set JAVA_HOME.";

/// Where ZooKeeper and Java are looked for besides ZOOKEEPER_HOME, JAVA_HOME, PATH and
/// HOMEBREW_PREFIX: `Places::system()` in production.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Places {
    /// Debian's zookeeper.jar.
    pub debian_jar: PathBuf,
    /// Its manifest names its dependencies but no slf4j binding: without this one the server
    /// logs nothing, and a failed start would come with an empty log.
    pub debian_logger: PathBuf,
    /// Homebrew's prefixes, tried after HOMEBREW_PREFIX.
    pub homebrew: Vec<PathBuf>,
    /// A `java` on PATH that is only a stub when no JDK is registered (macOS's /usr/bin/java,
    /// which then says "Unable to locate a Java Runtime"): tried after Homebrew's openjdk.
    pub java_stub: Option<PathBuf>,
}

impl Places {
    pub fn system() -> Places {
        Places {
            debian_jar: "/usr/share/java/zookeeper.jar".into(),
            debian_logger: "/usr/share/java/slf4j-simple.jar".into(),
            homebrew: vec!["/opt/homebrew".into(), "/usr/local".into()],
            java_stub: cfg!(target_os = "macos").then(|| "/usr/bin/java".into()),
        }
    }
}

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
    /// Java in JAVA_HOME, then PATH, then Homebrew's openjdk. The error says what is missing and
    /// how to install it.
    pub fn find() -> Result<Distribution, String> {
        Distribution::find_with(|k| std::env::var_os(k), &Places::system())
    }

    /// `find` with the environment and the places given, for tests.
    pub fn find_with(
        env: impl Fn(&str) -> Option<OsString>,
        places: &Places,
    ) -> Result<Distribution, String> {
        let brew = homebrew::prefixes(
            env("HOMEBREW_PREFIX")
                .filter(|p| !p.is_empty())
                .map(PathBuf::from),
            &places.homebrew,
        );
        let zk = find_zookeeper(&env, places, &brew);
        let java = find_java(&env, places, &brew);
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

fn find_zookeeper(
    env: &impl Fn(&str) -> Option<OsString>,
    places: &Places,
    brew: &[PathBuf],
) -> Result<Found, String> {
    // An explicit ZOOKEEPER_HOME wins and is not second-guessed: a wrong one is an error, not a
    // reason to silently run another version.
    if let Some(home) = env("ZOOKEEPER_HOME").filter(|h| !h.is_empty()) {
        let home = PathBuf::from(home);
        return from_home(&home, &home.join("conf")).ok_or_else(|| {
            format!(
                "ZooKeeper not found: ZOOKEEPER_HOME={} holds no zookeeper*.jar (in lib/ or at \
                 its top). {INSTALL_ZOOKEEPER}",
                home.display()
            )
        });
    }
    if places.debian_jar.is_file() {
        let mut cp = vec![places.debian_jar.clone()];
        if places.debian_logger.is_file() {
            cp.push(places.debian_logger.clone());
        }
        return Ok((cp, Vec::new(), places.debian_jar.display().to_string()));
    }
    for prefix in brew {
        for home in homebrew::zookeeper_homes(prefix) {
            // A release's own conf/ if the keg has one, else the formula's etc/zookeeper.
            let conf = Some(home.join("conf"))
                .filter(|c| c.is_dir())
                .unwrap_or_else(|| homebrew::conf_dir(prefix));
            if let Some(found) = from_home(&home, &conf) {
                return Ok(found);
            }
        }
    }
    let mut looked = vec![
        "ZOOKEEPER_HOME".to_owned(),
        places.debian_jar.display().to_string(),
    ];
    for prefix in brew {
        looked.push(format!(
            "{0}/opt/zookeeper/libexec, {0}/Cellar/zookeeper/*/libexec",
            prefix.display()
        ));
    }
    Err(format!(
        "ZooKeeper not found (looked in {}). {INSTALL_ZOOKEEPER}",
        looked.join(", ")
    ))
}

/// An Apache release layout: `lib/*.jar` (and `*.jar` at the top in old releases), with `conf`
/// (`home/conf` in a release) first on the classpath when it exists.
fn from_home(home: &Path, conf: &Path) -> Option<Found> {
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
    if conf.is_dir() {
        // zkServer.sh puts conf/ first on the classpath; logback (3.8+) otherwise logs at DEBUG.
        jars.insert(0, conf.to_path_buf());
        let logback = conf.join("logback.xml");
        if logback.is_file() {
            props.push(format!("-Dlogback.configurationFile={}", logback.display()));
        }
    }
    Some((jars, props, home.display().to_string()))
}

fn find_java(
    env: &impl Fn(&str) -> Option<OsString>,
    places: &Places,
    brew: &[PathBuf],
) -> Result<PathBuf, String> {
    if let Some(jh) = env("JAVA_HOME").filter(|h| !h.is_empty()) {
        let java = PathBuf::from(&jh).join("bin").join("java");
        if is_executable(&java) {
            return Ok(java);
        }
        // A stale JAVA_HOME is common; PATH may still have one, so fall through.
    }
    let mut stub = None;
    if let Some(path) = env("PATH") {
        for dir in std::env::split_paths(&path) {
            let java = dir.join("java");
            if is_executable(&java) {
                if places.java_stub.as_ref() == Some(&java) {
                    stub = Some(java);
                    continue;
                }
                return Ok(java);
            }
        }
    }
    brew.iter()
        .map(|prefix| homebrew::java(prefix))
        .find(|java| is_executable(java))
        // The stub runs a JDK registered with the system, if there is one.
        .or(stub)
        .ok_or_else(|| {
            format!(
                "Java not found (no JAVA_HOME/bin/java, no `java` on PATH, no Homebrew openjdk). \
                 {INSTALL_JAVA}"
            )
        })
}

fn is_executable(p: &Path) -> bool {
    use std::os::unix::fs::PermissionsExt;
    std::fs::metadata(p).is_ok_and(|m| m.is_file() && m.permissions().mode() & 0o111 != 0)
}
