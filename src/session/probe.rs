//! Is the server we are connected to still alive?
//!
//! The crate never times out its pings: a SIGSTOPped server (or one hung in a GC pause)
//! keeps the TCP connection open, and the crate stays "connected" forever. We cannot send a
//! session-level heartbeat either: any traffic of ours keeps the crate from sending its own
//! pings, and the crate judges the session dead at the first disconnect when it has not
//! pinged for a session timeout (DESIGN.md §2.3). So the probe asks the server `ruok` over a
//! fresh TCP connection. Any answer, even "not in the whitelist", proves the process runs.
//!
//! Which server? With one host in the connect string, that one. With several, on Linux, the
//! ones this process holds an established connection to (from /proc): normally exactly the
//! one our session uses. Elsewhere we cannot tell, and probe none.

use std::collections::HashSet;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};
use std::time::Duration;

use crate::fourlw;

/// The servers to probe for a session that may use any of `hosts`.
pub fn targets(hosts: &[SocketAddr]) -> Vec<SocketAddr> {
    if hosts.len() == 1 {
        return hosts.to_vec();
    }
    let mut found: Vec<SocketAddr> = established_peers()
        .into_iter()
        .filter(|p| hosts.contains(p))
        .collect();
    found.sort();
    found.dedup();
    found
}

/// True when `addr` answers a four-letter word within `timeout`.
pub fn alive(addr: &SocketAddr, timeout: Duration) -> bool {
    fourlw::ask(addr, "ruok", timeout)
        .map(|s| !s.is_empty())
        .unwrap_or(false)
}

/// Remote ends of this process's established TCP connections (Linux; empty elsewhere).
pub fn established_peers() -> Vec<SocketAddr> {
    let inodes = own_socket_inodes();
    if inodes.is_empty() {
        return Vec::new();
    }
    let mut peers = Vec::new();
    for file in ["/proc/self/net/tcp", "/proc/self/net/tcp6"] {
        if let Ok(text) = std::fs::read_to_string(file) {
            peers.extend(parse_proc_net_tcp(&text, &inodes));
        }
    }
    peers
}

fn own_socket_inodes() -> HashSet<u64> {
    let mut set = HashSet::new();
    if let Ok(dir) = std::fs::read_dir("/proc/self/fd") {
        for entry in dir.flatten() {
            if let Ok(target) = std::fs::read_link(entry.path()) {
                let t = target.to_string_lossy();
                if let Some(n) = t.strip_prefix("socket:[").and_then(|r| r.strip_suffix(']')) {
                    if let Ok(n) = n.parse() {
                        set.insert(n);
                    }
                }
            }
        }
    }
    set
}

/// Parse `/proc/net/tcp{,6}`: keep established (state 01) sockets whose inode is ours.
fn parse_proc_net_tcp(text: &str, inodes: &HashSet<u64>) -> Vec<SocketAddr> {
    text.lines()
        .skip(1)
        .filter_map(|line| {
            let cols: Vec<&str> = line.split_whitespace().collect();
            if cols.len() < 10 || cols[3] != "01" {
                return None;
            }
            let inode: u64 = cols[9].parse().ok()?;
            if !inodes.contains(&inode) {
                return None;
            }
            parse_hex_addr(cols[2])
        })
        .collect()
}

/// `0100007F:0885` → 127.0.0.1:2181. The kernel prints each 32-bit word of the address in
/// host byte order, the port in network order.
fn parse_hex_addr(s: &str) -> Option<SocketAddr> {
    let (ip, port) = s.split_once(':')?;
    let port = u16::from_str_radix(port, 16).ok()?;
    let word = |i: usize| -> Option<[u8; 4]> {
        Some(
            u32::from_str_radix(ip.get(i * 8..i * 8 + 8)?, 16)
                .ok()?
                .to_ne_bytes(),
        )
    };
    let ip = match ip.len() {
        8 => IpAddr::V4(Ipv4Addr::from(word(0)?)),
        32 => {
            let mut b = [0u8; 16];
            for i in 0..4 {
                b[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            let v6 = Ipv6Addr::from(b);
            match v6.to_ipv4_mapped() {
                Some(v4) => IpAddr::V4(v4),
                None => IpAddr::V6(v6),
            }
        }
        _ => return None,
    };
    Some(SocketAddr::new(ip, port))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    #[cfg(target_endian = "little")]
    fn parses_proc_addresses() {
        assert_eq!(
            parse_hex_addr("0100007F:0885"),
            Some("127.0.0.1:2181".parse().unwrap())
        );
        assert_eq!(
            parse_hex_addr("00000000000000000000000001000000:0885"),
            Some("[::1]:2181".parse().unwrap())
        );
    }

    #[test]
    #[cfg(target_os = "linux")]
    fn finds_our_own_connection() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let addr = l.local_addr().unwrap();
        let _c = std::net::TcpStream::connect(addr).unwrap();
        let other: SocketAddr = "127.0.0.1:1".parse().unwrap();
        assert_eq!(targets(&[other, addr]), vec![addr]);
    }
}
