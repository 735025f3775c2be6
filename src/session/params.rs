//! What a session is made from: the connect string, credentials, and znode paths, validated
//! before anything is sent (the crate lets a path without `/` escape a chroot, and panics or
//! hangs on addresses it cannot use).

use std::fmt;
use std::time::Duration;

/// `host:port[,host:port…][/chroot]`, parsed and checked.
#[derive(Clone, PartialEq, Eq)]
pub struct ConnectString {
    /// `(host, port)` pairs in the order given.
    pub hosts: Vec<(String, u16)>,
    /// The chroot, without a trailing slash, or None.
    pub chroot: Option<String>,
}

impl ConnectString {
    /// Parse `host:port[,host:port…][/chroot]` (a port defaults to 2181); the error says what
    /// is wrong and the expected form.
    pub fn parse(s: &str) -> Result<ConnectString, String> {
        let s = s.trim();
        if let Some((scheme, _)) = s.split_once("://") {
            return Err(format!(
                "{s:?} is a URL ({scheme}://); ZooKeeper's connect string has no scheme \
                 (write host:port[,host:port…][/chroot], e.g. 127.0.0.1:2181)"
            ));
        }
        let (hosts_part, chroot) = match s.find('/') {
            Some(i) => (&s[..i], Some(&s[i..])),
            None => (s, None),
        };
        let chroot = match chroot {
            None | Some("/") => None,
            Some(c) => {
                validate_path(c).map_err(|e| format!("bad chroot {c:?}: {e}"))?;
                Some(c.to_owned())
            }
        };
        let mut hosts = Vec::new();
        for part in hosts_part.split(',') {
            let part = part.trim();
            if part.is_empty() {
                return Err(format!(
                    "empty server in {s:?} (write host:port[,host:port…][/chroot])"
                ));
            }
            hosts.push(parse_host_port(part)?);
        }
        Ok(ConnectString { hosts, chroot })
    }

    /// The servers part only, `host:port,host:port`.
    pub fn servers(&self) -> String {
        self.hosts
            .iter()
            .map(|(h, p)| join_host_port(h, *p))
            .collect::<Vec<_>>()
            .join(",")
    }
}

fn join_host_port(h: &str, p: u16) -> String {
    if h.contains(':') {
        format!("[{h}]:{p}")
    } else {
        format!("{h}:{p}")
    }
}

fn parse_host_port(part: &str) -> Result<(String, u16), String> {
    let bad =
        |why: &str| format!("bad server {part:?}: {why} (write host:port, e.g. 127.0.0.1:2181)");
    let (host, port) = if let Some(rest) = part.strip_prefix('[') {
        // [v6]:port
        let (h, after) = rest.split_once(']').ok_or_else(|| bad("missing ]"))?;
        let port = match after.strip_prefix(':') {
            Some(p) => Some(p),
            None if after.is_empty() => None,
            None => return Err(bad("junk after ]")),
        };
        (h.to_owned(), port)
    } else if part.matches(':').count() > 1 {
        return Err(bad("write an IPv6 address in brackets, [::1]:2181"));
    } else {
        match part.split_once(':') {
            Some((h, p)) => (h.to_owned(), Some(p)),
            None => (part.to_owned(), None),
        }
    };
    if host.is_empty() {
        return Err(bad("no host"));
    }
    if !host
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || "-._:".contains(c))
    {
        return Err(bad("the host has characters a host name cannot have"));
    }
    let port = match port {
        None => 2181,
        Some(p) => match p.parse::<u16>() {
            Ok(0) | Err(_) => return Err(bad("the port must be a number from 1 to 65535")),
            Ok(n) => n,
        },
    };
    Ok((host, port))
}

impl fmt::Display for ConnectString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}{}",
            self.servers(),
            self.chroot.as_deref().unwrap_or("")
        )
    }
}

impl fmt::Debug for ConnectString {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{self}")
    }
}

/// The ACL given to the nodes a session creates.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum AclMode {
    /// With credentials: all rights for our identity (ZooKeeper's CREATOR_ALL_ACL), read for
    /// everyone. Without credentials there is no identity to grant anything to, so nodes are
    /// open.
    #[default]
    Creator,
    /// All rights for our identity, nothing for anyone else (not even read). Needs
    /// credentials: without them the server refuses the create (InvalidACL).
    Private,
    /// Anyone may do anything (ZooKeeper's OPEN_ACL_UNSAFE), even with credentials.
    Open,
}

/// Digest credentials. Neither `Debug` nor `Display` ever shows the password.
#[derive(Clone, PartialEq, Eq)]
pub struct Auth {
    pub user: String,
    password: String,
}

impl Auth {
    /// Parse `USER:PASSWORD` (both non-empty). The error never shows the value.
    pub fn parse(s: &str) -> Result<Auth, String> {
        match s.split_once(':') {
            Some((u, p)) if !u.is_empty() && !p.is_empty() => Ok(Auth {
                user: u.to_owned(),
                password: p.to_owned(),
            }),
            // Never echo the value: it may be a password typed in the wrong place.
            _ => Err("expected USER:PASSWORD, both non-empty".into()),
        }
    }

    /// What the digest scheme sends: `user:password`.
    pub fn digest_bytes(&self) -> Vec<u8> {
        format!("{}:{}", self.user, self.password).into_bytes()
    }
}

impl fmt::Debug for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Auth({}:***)", self.user)
    }
}

impl fmt::Display for Auth {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:***", self.user)
    }
}

/// ZooKeeper's rules for a znode path: absolute, no empty, `.` or `..` segment, no trailing
/// slash, no control or reserved characters.
pub fn validate_path(path: &str) -> Result<(), String> {
    if !path.starts_with('/') {
        return Err("a path must start with /".into());
    }
    if path == "/" {
        return Ok(());
    }
    if path.ends_with('/') {
        return Err("a path must not end with /".into());
    }
    for seg in path[1..].split('/') {
        match seg {
            "" => return Err("a path must not hold an empty segment (//)".into()),
            "." | ".." => return Err("a path must not hold . or .. segments".into()),
            _ => {}
        }
    }
    if let Some(c) = path.chars().find(|&c| {
        c == '\0'
            || ('\u{1}'..='\u{1f}').contains(&c)
            || ('\u{7f}'..='\u{9f}').contains(&c)
            // ZooKeeper's PathUtils refuses U+D800–U+F8FF: Java's surrogates (so every
            // character outside the BMP) and the private use area.
            || ('\u{e000}'..='\u{f8ff}').contains(&c)
            || ('\u{fff0}'..='\u{ffff}').contains(&c)
            || c > '\u{ffff}'
    }) {
        return Err(format!("a path must not hold the character {c:?}"));
    }
    Ok(())
}

/// What a session is made from.
#[derive(Debug, Clone)]
pub struct SessionConfig {
    pub connect: ConnectString,
    pub session_timeout: Duration,
    pub connect_timeout: Duration,
    pub auth: Option<Auth>,
    /// The ACL of the nodes we create.
    pub acl: AclMode,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn connect_strings() {
        let c = ConnectString::parse("a:1,b:2/app/x").unwrap();
        assert_eq!(c.hosts, vec![("a".into(), 1), ("b".into(), 2)]);
        assert_eq!(c.chroot.as_deref(), Some("/app/x"));
        assert_eq!(c.to_string(), "a:1,b:2/app/x");
        let c = ConnectString::parse("[::1]:2181,localhost/").unwrap();
        assert_eq!(
            c.hosts,
            vec![("::1".into(), 2181), ("localhost".into(), 2181)]
        );
        assert_eq!(c.chroot, None);
        for bad in [
            "", "a:0", "a:x", "a:1,,b:2", "a:1/app/", "::1:2181", "a:1//x", "a b:1", "a:70000",
        ] {
            assert!(ConnectString::parse(bad).is_err(), "{bad:?} accepted");
        }
        let e = ConnectString::parse("http://127.0.0.1:2181").unwrap_err();
        assert!(e.contains("is a URL (http://)"), "{e}");
    }

    #[test]
    fn paths() {
        for good in ["/", "/a", "/a/b-c_d.e", "/configs/demo"] {
            validate_path(good).unwrap();
        }
        for bad in [
            "", "a", "/a/", "//a", "/a//b", "/a/./b", "/..", "/a\nb", "/a\0",
        ] {
            assert!(validate_path(bad).is_err(), "{bad:?} accepted");
        }
    }

    #[test]
    fn auth_hides_password() {
        let a = Auth::parse("alice:s3cret").unwrap();
        assert!(!format!("{a:?} {a}").contains("s3cret"));
        let e = Auth::parse("justapassword").unwrap_err();
        assert!(!e.contains("justapassword"));
        assert!(Auth::parse(":x").is_err() && Auth::parse("x:").is_err());
    }
}
