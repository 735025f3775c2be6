//! Discovery on fake layouts built in a temporary directory: an Apache release, Debian's
//! package, Homebrew's linked keg and its Cellar, and what is said when nothing is found.

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

/// Places under `root`, none of which exist until a test makes them (so the machine's own
/// ZooKeeper and Java are never found).
fn places(root: &Path) -> Places {
    Places {
        debian_jar: root.join("usr/share/java/zookeeper.jar"),
        debian_logger: root.join("usr/share/java/slf4j-simple.jar"),
        homebrew: vec![root.join("opt/homebrew"), root.join("usr/local")],
        java_stub: Some(root.join("usr/bin/java")),
    }
}

/// A keg as the zookeeper formula installs it: the release's bin/ and lib/ in libexec/.
fn keg(prefix: &Path, version: &str) -> PathBuf {
    let libexec = prefix
        .join("Cellar/zookeeper")
        .join(version)
        .join("libexec");
    touch(&libexec.join(format!("lib/zookeeper-{version}.jar")), false);
    touch(
        &libexec.join(format!("lib/zookeeper-jute-{version}.jar")),
        false,
    );
    touch(&libexec.join("bin/zkServer.sh"), true);
    libexec
}

/// `brew link`: `<prefix>/opt/zookeeper` → `../Cellar/zookeeper/<version>`.
fn link(prefix: &Path, version: &str) {
    std::fs::create_dir_all(prefix.join("opt")).unwrap();
    let target = Path::new("../Cellar/zookeeper").join(version);
    std::os::unix::fs::symlink(target, prefix.join("opt/zookeeper")).unwrap();
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
    let vars = env(&[("ZOOKEEPER_HOME", &home), ("JAVA_HOME", &jdk)]);
    let dist = Distribution::find_with(vars, &places(d.path())).unwrap();
    assert_eq!(dist.java, jdk.join("bin/java"));
    assert_eq!(dist.classpath[0], home.join("conf"));
    assert_eq!(dist.classpath.len(), 4);
    assert!(dist
        .classpath
        .contains(&home.join("lib/zookeeper-3.8.4.jar")));
    assert!(dist.jvm_props[0].starts_with("-Dlogback.configurationFile="));
}

#[test]
fn debian_jar_with_its_logger() {
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    touch(&p.debian_jar, false);
    touch(&p.debian_logger, false);
    touch(&d.path().join("usr/bin/java"), true);
    // Debian's java on PATH; not a stub there.
    let p = Places {
        java_stub: None,
        ..p
    };
    let dist = Distribution::find_with(env(&[("PATH", &d.path().join("usr/bin"))]), &p).unwrap();
    assert_eq!(
        dist.classpath,
        [p.debian_jar.clone(), p.debian_logger.clone()]
    );
    assert!(dist.jvm_props.is_empty());
    assert_eq!(dist.origin, p.debian_jar.display().to_string());
    assert_eq!(dist.java, d.path().join("usr/bin/java"));
}

#[test]
fn homebrew_linked_keg_with_its_etc_and_openjdk() {
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    let prefix = &p.homebrew[1]; // /usr/local: Intel's, after an empty /opt/homebrew
    keg(prefix, "3.8.4");
    keg(prefix, "3.9.3");
    // The link is what brew installed (a pinned older version here), whatever else the Cellar
    // holds.
    link(prefix, "3.8.4");
    touch(&prefix.join("etc/zookeeper/logback.xml"), false);
    touch(&prefix.join("etc/zookeeper/zoo.cfg"), false);
    let java = prefix.join("opt/openjdk/bin/java");
    touch(&java, true);
    let dist = Distribution::find_with(env(&[]), &p).unwrap();
    let libexec = prefix.join("opt/zookeeper/libexec");
    assert_eq!(dist.origin, libexec.display().to_string());
    assert_eq!(dist.classpath[0], prefix.join("etc/zookeeper"));
    assert!(dist
        .classpath
        .contains(&libexec.join("lib/zookeeper-3.8.4.jar")));
    assert_eq!(
        dist.jvm_props,
        [format!(
            "-Dlogback.configurationFile={}",
            prefix.join("etc/zookeeper/logback.xml").display()
        )]
    );
    assert_eq!(dist.java, java);
}

#[test]
fn homebrew_cellar_without_link_newest_version_wins() {
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    let prefix = &p.homebrew[0];
    keg(prefix, "3.9.2");
    let newest = keg(prefix, "3.10.0");
    // Half an install: a version directory without libexec is passed over.
    std::fs::create_dir_all(prefix.join("Cellar/zookeeper/3.11.0")).unwrap();
    touch(&prefix.join("opt/openjdk/bin/java"), true);
    let dist = Distribution::find_with(env(&[]), &p).unwrap();
    assert_eq!(dist.origin, newest.display().to_string());
    assert_eq!(
        dist.classpath,
        [
            newest.join("lib/zookeeper-3.10.0.jar"),
            newest.join("lib/zookeeper-jute-3.10.0.jar")
        ]
    );
}

#[test]
fn homebrew_prefix_from_the_environment_comes_first() {
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    let mine = d.path().join("home/linuxbrew/.linuxbrew");
    keg(&mine, "3.9.3");
    link(&mine, "3.9.3");
    keg(&p.homebrew[0], "3.9.4");
    link(&p.homebrew[0], "3.9.4");
    touch(&mine.join("opt/openjdk/bin/java"), true);
    touch(&p.homebrew[0].join("opt/openjdk/bin/java"), true);
    let dist = Distribution::find_with(env(&[("HOMEBREW_PREFIX", &mine)]), &p).unwrap();
    assert_eq!(
        dist.origin,
        mine.join("opt/zookeeper/libexec").display().to_string()
    );
    assert_eq!(dist.java, mine.join("opt/openjdk/bin/java"));
}

#[test]
fn a_java_stub_on_path_yields_to_homebrew_openjdk() {
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    let stub = p.java_stub.clone().unwrap();
    touch(&stub, true);
    keg(&p.homebrew[0], "3.9.3");
    let path = stub.parent().unwrap().to_path_buf();
    // No openjdk: the stub it is (it runs a JDK registered with the system, if any).
    let dist = Distribution::find_with(env(&[("PATH", &path)]), &p).unwrap();
    assert_eq!(dist.java, stub);
    let brewed = p.homebrew[1].join("opt/openjdk/bin/java");
    touch(&brewed, true);
    let dist = Distribution::find_with(env(&[("PATH", &path)]), &p).unwrap();
    assert_eq!(dist.java, brewed);
}

#[test]
fn a_wrong_zookeeper_home_is_named_even_when_another_install_exists() {
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    touch(&p.debian_jar, false);
    keg(&p.homebrew[0], "3.9.3");
    link(&p.homebrew[0], "3.9.3");
    // Only jute: not a server.
    let home = d.path().join("zk");
    touch(&home.join("lib/zookeeper-jute-3.8.4.jar"), false);
    let e = Distribution::find_with(env(&[("ZOOKEEPER_HOME", &home)]), &p).unwrap_err();
    assert!(
        e.contains(&format!("ZOOKEEPER_HOME={}", home.display())),
        "{e}"
    );
    assert!(e.contains("apt-get install zookeeper"), "{e}");
    assert!(e.contains("brew install zookeeper"), "{e}");
}

#[test]
fn nothing_installed_says_where_it_looked_and_how_to_install() {
    let d = tempfile::tempdir().unwrap();
    let p = places(d.path());
    let empty = d.path().join("empty");
    std::fs::create_dir(&empty).unwrap();
    let e = Distribution::find_with(env(&[("PATH", &empty)]), &p).unwrap_err();
    assert!(e.contains("ZooKeeper not found"), "{e}");
    assert!(e.contains(&p.debian_jar.display().to_string()), "{e}");
    for prefix in &p.homebrew {
        assert!(
            e.contains(&format!("{}/Cellar/zookeeper/*/libexec", prefix.display())),
            "{e}"
        );
    }
    assert!(e.contains("apt-get install zookeeper"), "{e}");
    assert!(e.contains("brew install zookeeper"), "{e}");
    assert!(e.contains("Java not found"), "{e}");
    assert!(e.contains("apt-get install default-jre-headless"), "{e}");
    assert!(e.contains("brew install openjdk"), "{e}");
}

#[test]
fn java_on_path_when_java_home_is_stale() {
    let d = tempfile::tempdir().unwrap();
    touch(&d.path().join("zk/zookeeper-3.4.14.jar"), false);
    touch(&d.path().join("bin/java"), true);
    let vars = env(&[
        ("ZOOKEEPER_HOME", &d.path().join("zk")),
        ("JAVA_HOME", &d.path().join("gone")),
        ("PATH", &d.path().join("bin")),
    ]);
    let dist = Distribution::find_with(vars, &places(d.path())).unwrap();
    assert_eq!(dist.java, d.path().join("bin/java"));
    assert_eq!(dist.classpath, [d.path().join("zk/zookeeper-3.4.14.jar")]);
}
