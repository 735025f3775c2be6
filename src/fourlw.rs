//! ZooKeeper's four-letter words (`ruok`, `srvr`, `mntr`) over a fresh TCP connection.
//!
//! Used by the session layer to tell a hung server from a quiet one without touching the
//! session's own socket, by `zkdemo server` to wait for `imok`, and by `inspect --servers`.

use std::io::{self, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// Send `cmd` and return everything the server answers before it closes the connection.
/// Fails with `TimedOut` when the whole exchange takes longer than `timeout`.
pub fn ask(addr: &SocketAddr, cmd: &str, timeout: Duration) -> io::Result<String> {
    let deadline = Instant::now() + timeout;
    let mut sock = TcpStream::connect_timeout(addr, timeout)?;
    sock.set_nodelay(true)?;
    sock.write_all(cmd.as_bytes())?;
    let mut out = Vec::new();
    let mut buf = [0u8; 4096];
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            return Err(io::Error::new(io::ErrorKind::TimedOut, "no answer in time"));
        }
        sock.set_read_timeout(Some(left))?;
        match sock.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => out.extend_from_slice(&buf[..n]),
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                return Err(io::Error::new(io::ErrorKind::TimedOut, "no answer in time"))
            }
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                // A server that answered and then reset the connection still answered.
                if out.is_empty() {
                    return Err(e);
                }
                break;
            }
        }
    }
    Ok(String::from_utf8_lossy(&out).into_owned())
}

/// True when the server says `imok`.
pub fn is_ok(addr: &SocketAddr, timeout: Duration) -> bool {
    matches!(ask(addr, "ruok", timeout), Ok(s) if s.trim() == "imok")
}

/// Parse `key value` / `key: value` lines of `srvr` and `mntr` answers.
pub fn parse_fields(answer: &str) -> Vec<(String, String)> {
    answer
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            // mntr separates with a tab (its values may hold colons); srvr with ": ".
            let (k, v) = l.split_once('\t').or_else(|| l.split_once(':'))?;
            Some((k.trim().to_owned(), v.trim().to_owned()))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_srvr_and_mntr() {
        let srvr = "Zookeeper version: 3.8.0-debian\nLatency min/avg/max: 0/0.5/3\nMode: leader\n";
        let f = parse_fields(srvr);
        assert!(f.contains(&("Mode".into(), "leader".into())));
        assert!(f.contains(&("Latency min/avg/max".into(), "0/0.5/3".into())));
        let mntr = "zk_version\t3.8.0, built on 2022-02-25 15:14 UTC\nzk_znode_count\t5\n";
        assert_eq!(
            parse_fields(mntr)[0].1,
            "3.8.0, built on 2022-02-25 15:14 UTC"
        );
        assert!(parse_fields(mntr).contains(&("zk_znode_count".into(), "5".into())));
    }

    #[test]
    fn nothing_listening_is_an_error_not_a_hang() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        drop(l);
        let t = Instant::now();
        assert!(ask(&addr, "ruok", Duration::from_secs(2)).is_err());
        assert!(t.elapsed() < Duration::from_secs(2));
    }

    #[test]
    fn silent_server_times_out() {
        // Accepts TCP (the kernel does, as for a SIGSTOPped server) and never answers.
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let t = Instant::now();
        let r = ask(&addr, "ruok", Duration::from_millis(300));
        assert_eq!(r.unwrap_err().kind(), io::ErrorKind::TimedOut);
        assert!(t.elapsed() < Duration::from_secs(1));
        drop(l);
    }
}
