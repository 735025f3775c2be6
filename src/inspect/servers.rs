//! `inspect --servers`: each server of the connect string asked with four-letter words over
//! its own TCP connection, so it works when no session can be made (no quorum, a wrong
//! chroot, a full connection limit).

use std::io::ErrorKind;
use std::net::{SocketAddr, ToSocketAddrs};
use std::thread;
use std::time::Duration;

use serde_json::Value;

use crate::exit;
use crate::fourlw;
use crate::output::{Event, Output};
use crate::session::SessionConfig;

/// What one server said.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Report {
    pub server: String,
    /// `ok`, `4lw-disabled`, `not-serving`, `down`, `no-answer`, `error`.
    pub status: &'static str,
    /// `leader`, `follower`, `standalone`, `observer` (when `ok`).
    pub mode: Option<String>,
    pub version: Option<String>,
    /// min/avg/max in ms.
    pub latency: Option<(f64, f64, f64)>,
    pub connections: Option<u64>,
    pub znodes: Option<u64>,
    /// Why, for anything but `ok`.
    pub message: Option<String>,
}

/// Read a `srvr` or `mntr` answer (whichever came).
pub fn from_answer(server: String, answer: &str) -> Report {
    let mut r = Report {
        server,
        status: "ok",
        ..Report::default()
    };
    if answer.contains("not in the whitelist") {
        r.status = "4lw-disabled";
        r.message = Some(
            "answers, but four-letter words are disabled (not in the whitelist: set \
             4lw.commands.whitelist=srvr,mntr on the server)"
                .into(),
        );
        return r;
    }
    if answer.contains("not currently serving requests") {
        r.status = "not-serving";
        r.message =
            Some("running, but not serving requests (an ensemble member without a quorum?)".into());
        return r;
    }
    for (k, v) in fourlw::parse_fields(answer) {
        match k.as_str() {
            "Mode" | "zk_server_state" => r.mode = Some(v),
            "Zookeeper version" | "zk_version" => {
                r.version = Some(v.split(',').next().unwrap_or("").trim().to_owned())
            }
            "Latency min/avg/max" => {
                let p: Vec<f64> = v.split('/').filter_map(|x| x.trim().parse().ok()).collect();
                if let [a, b, c] = p[..] {
                    r.latency = Some((a, b, c));
                }
            }
            "Connections" | "zk_num_alive_connections" => r.connections = v.parse().ok(),
            "Node count" | "zk_znode_count" => r.znodes = v.parse().ok(),
            _ => {}
        }
    }
    if r.mode.is_none() {
        r.status = "error";
        r.message = Some(format!(
            "an answer that is not ZooKeeper's: {:?}",
            answer.chars().take(80).collect::<String>()
        ));
    }
    // mntr gives min/avg/max latency as three fields.
    if r.latency.is_none() {
        let f = fourlw::parse_fields(answer);
        let get = |k: &str| {
            f.iter()
                .find(|(key, _)| key == k)
                .and_then(|(_, v)| v.parse::<f64>().ok())
        };
        if let (Some(a), Some(b), Some(c)) = (
            get("zk_min_latency"),
            get("zk_avg_latency"),
            get("zk_max_latency"),
        ) {
            r.latency = Some((a, b, c));
        }
    }
    r
}

/// Ask one server: `srvr`, and `mntr` when `srvr` is refused (a whitelist may allow only one).
pub fn ask(host: &str, port: u16, timeout: Duration) -> Report {
    let server = if host.contains(':') {
        format!("[{host}]:{port}")
    } else {
        format!("{host}:{port}")
    };
    let fail = |status, message: String| Report {
        server: server.clone(),
        status,
        message: Some(message),
        ..Report::default()
    };
    let addr: SocketAddr = match (host, port).to_socket_addrs().map(|mut a| a.next()) {
        Ok(Some(a)) => a,
        Ok(None) => return fail("error", format!("{host} resolves to no address")),
        Err(e) => return fail("error", format!("cannot resolve {host}: {e}")),
    };
    let mut last = None;
    for cmd in ["srvr", "mntr"] {
        match fourlw::ask(&addr, cmd, timeout) {
            Ok(a) if a.trim().is_empty() => {
                last = Some(fail(
                    "4lw-disabled",
                    "accepts connections but closed it without an answer (four-letter words \
                     disabled?)"
                        .into(),
                ))
            }
            Ok(a) => {
                let r = from_answer(server.clone(), &a);
                if r.status != "4lw-disabled" {
                    return r;
                }
                last = Some(r);
            }
            Err(e) if e.kind() == ErrorKind::ConnectionRefused => {
                return fail(
                    "down",
                    "does not answer: connection refused (not running?)".into(),
                )
            }
            Err(e) if e.kind() == ErrorKind::TimedOut => {
                return fail(
                    "no-answer",
                    format!(
                        "does not answer within {} (hung, overloaded, or a firewall drops it)",
                        crate::session::fmt_duration(timeout)
                    ),
                )
            }
            Err(e) => return fail("error", format!("does not answer: {e}")),
        }
    }
    last.unwrap_or_else(|| fail("error", "no answer".into()))
}

fn event(r: &Report) -> Event {
    let lat = r
        .latency
        .map(|(a, b, c)| serde_json::json!({"min": a, "avg": b, "max": c}));
    let text = match r.status {
        "ok" => format!(
            "{}  {}  version {}  latency min/avg/max {} ms  {} connections  {} znodes",
            r.server,
            r.mode.as_deref().unwrap_or("?"),
            r.version.as_deref().unwrap_or("?"),
            r.latency
                .map_or("?".into(), |(a, b, c)| format!("{a}/{b}/{c}")),
            r.connections.map_or("?".into(), |c| c.to_string()),
            r.znodes.map_or("?".into(), |c| c.to_string()),
        ),
        _ => format!(
            "{}  {}: {}",
            r.server,
            r.status,
            r.message.as_deref().unwrap_or("")
        ),
    };
    Event::new("server")
        .with("server", r.server.clone())
        .with("status", r.status)
        .with("mode", r.mode.clone())
        .with("version", r.version.clone())
        .with("latency_ms", lat.unwrap_or(Value::Null))
        .with("connections", r.connections)
        .with("znodes", r.znodes)
        .with("message", r.message.clone())
        .text(text)
}

/// Ask every server at once (a silent one costs one timeout, not one each), print a line (an
/// event) per server in the order of the connect string. Exit 0 when at least one server
/// answered with its state, 69 when none did.
pub fn run(cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    let timeout = cfg.connect_timeout.min(Duration::from_secs(5));
    let handles: Vec<_> = cfg
        .connect
        .hosts
        .iter()
        .cloned()
        .map(|(h, p)| thread::spawn(move || ask(&h, p, timeout)))
        .collect();
    let reports: Vec<Report> = handles
        .into_iter()
        .zip(&cfg.connect.hosts)
        .map(|(h, (host, port))| {
            h.join().unwrap_or_else(|_| Report {
                server: format!("{host}:{port}"),
                status: "error",
                message: Some("the probe failed".into()),
                ..Report::default()
            })
        })
        .collect();
    for r in &reports {
        out.emit(&event(r));
    }
    if reports.iter().any(|r| r.status == "ok") {
        Ok(exit::OK)
    } else {
        Err(exit::Error::new(
            exit::UNAVAILABLE,
            format!("no server of {} told its state", cfg.connect.servers()),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_srvr() {
        let a = "Zookeeper version: 3.8.0-abc, built on 2024-12-29 17:54 UTC\n\
                 Latency min/avg/max: 0/0.3743/4\nReceived: 366\nSent: 382\nConnections: 1\n\
                 Outstanding: 0\nZxid: 0x55\nMode: follower\nNode count: 13\n";
        let r = from_answer("h:1".into(), a);
        assert_eq!(r.status, "ok");
        assert_eq!(r.mode.as_deref(), Some("follower"));
        assert_eq!(r.version.as_deref(), Some("3.8.0-abc"));
        assert_eq!(r.latency, Some((0.0, 0.3743, 4.0)));
        assert_eq!((r.connections, r.znodes), (Some(1), Some(13)));
    }

    #[test]
    fn reads_mntr_and_refusals() {
        let m = "zk_version\t3.8.0, built\nzk_server_state\tleader\nzk_znode_count\t7\n\
                 zk_min_latency\t0\nzk_avg_latency\t1.5\nzk_max_latency\t9\n";
        let r = from_answer("h:1".into(), m);
        assert_eq!((r.mode.as_deref(), r.znodes), (Some("leader"), Some(7)));
        assert_eq!(r.latency, Some((0.0, 1.5, 9.0)));
        let w = from_answer(
            "h:1".into(),
            "srvr is not executed because it is not in the whitelist.\n",
        );
        assert_eq!(w.status, "4lw-disabled");
        let n = from_answer(
            "h:1".into(),
            "This ZooKeeper instance is not currently serving requests\n",
        );
        assert_eq!(n.status, "not-serving");
    }

    #[test]
    fn nothing_listening_is_down() {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = l.local_addr().unwrap().port();
        drop(l);
        let r = ask("127.0.0.1", port, Duration::from_secs(1));
        assert_eq!(r.status, "down", "{r:?}");
    }
}
