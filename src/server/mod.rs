//! Local ZooKeeper servers: `zkdemo server` for trying things out, and the same code for the
//! test harness and `zkdemo demo`. Real `java` processes of an installed ZooKeeper, never a mock.

mod cluster;
mod dist;
mod local;
mod members;
mod spawn;

use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{mpsc, Arc, Mutex};
use std::time::Duration;

pub use cluster::{Cluster, ClusterSpec};
pub use dist::{Distribution, INSTALL_JAVA, INSTALL_ZOOKEEPER};
pub use local::{local_unless_given, LocalError, LocalServer};
pub use spawn::spawn_tied;

use crate::cli::Context;
use crate::exit::{Error, Result};
use crate::output::Event;

/// Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C.
#[derive(Debug, clap::Args)]
#[command(
    long_about = "Run a local ZooKeeper (one server or a 3-node ensemble) until Ctrl-C, for \
trying zkdemo out. It runs the ZooKeeper installed on this machine (ZOOKEEPER_HOME, Debian's \
`zookeeper` package, or Homebrew's) with Java, prints the connect string once every server \
answers, and stops every server on SIGINT or SIGTERM (exit code 0).\n\n\
The servers listen on 127.0.0.1 only, accept any number of connections, allow every \
four-letter word (`echo srvr | nc 127.0.0.1 2181`), and do not fsync: they are for \
experiments, not for data you care about.\n\n\
One `zkdemo server` at a time may use a --data-dir: while it runs it holds a lock on \
DIR/.zkdemo.lock (which names its pid), released by the kernel however it ends, even by \
SIGKILL. A second one on the same DIR is refused (exit code 2) and changes nothing in DIR.\n\n\
In an ensemble, a server that dies (try `pkill -KILL -f DIR/node-3/`, DIR being the data \
directory printed at start; with --json the `ready` event has every server's pid) is reported in one line and the others run on: the \
ensemble serves while a quorum (2 of 3) runs, and serves no client without one, until Ctrl-C. \
A dead server stays down: to get it back, stop the ensemble and start it again with the same \
--data-dir (the data is kept). zkdemo exits with 1 when its last server dies (a standalone \
server: when it dies), quoting the end of that server's log.\n\n\
The global --zk option is ignored: this command makes servers, it does not connect to one.",
    after_help = "Examples:\n  \
zkdemo server                          one server on 127.0.0.1:2181\n  \
zkdemo server --nodes 3                an ensemble on 2181-2183 (peers on 2888-2890, 3888-3890)\n  \
zkdemo server --port 2191              another server next to a running one\n  \
zkdemo server --tick-time 200ms        sessions may expire after 400 ms: fast failure demos\n  \
zkdemo server --data-dir ./zk-data     keep the data between runs\n  \
zkdemo --json server --port 0          free ports; read the connect string from the `ready` event\n\n\
A port or a data directory in use is refused with exit code 2; without Java or ZooKeeper \
it says how to install them and exits with 69."
)]
pub struct ServerArgs {
    /// Number of servers: 1 (standalone) or 3 (an ensemble with a leader and two followers).
    #[arg(long, default_value_t = 1, value_name = "1|3", value_parser = parse_nodes,
          value_hint = clap::ValueHint::Other)]
    pub nodes: usize,

    /// Client port of the first server; the others use the next ones. 0 picks free ports.
    #[arg(long, default_value_t = 2181, value_name = "PORT")]
    pub port: u16,

    /// Keep the servers' data here (one node-N/ per server, with its zoo.cfg and server.log).
    /// Default: a temporary directory removed on exit.
    #[arg(long, value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    /// ZooKeeper's tickTime. Sessions may last between 2 and 20 ticks.
    #[arg(long, default_value = "2s", value_name = "DURATION",
          value_parser = crate::cli::parse_tick_time)]
    pub tick_time: Duration,
}

fn parse_nodes(s: &str) -> std::result::Result<usize, String> {
    match s.trim() {
        "1" => Ok(1),
        "3" => Ok(3),
        _ => Err("must be 1 (standalone) or 3 (ensemble)".into()),
    }
}

pub fn run(args: &ServerArgs, ctx: &Context) -> Result<i32> {
    let out = ctx.out;
    let tick_ms = u32::try_from(args.tick_time.as_millis())
        .ok()
        .filter(|&t| t >= 1)
        .ok_or_else(|| Error::usage("--tick-time must be between 1ms and about 49 days"))?;
    // Fail before subscribing to signals or making directories.
    Distribution::find().map_err(|e| Error::new(crate::exit::UNAVAILABLE, e))?;

    // Subscribed before starting: a Ctrl-C during a slow start stops what was started and
    // removes the temporary directory, instead of exiting at once.
    let cancel = Arc::new(AtomicBool::new(false));
    let (tx, rx) = mpsc::channel();
    let _sub = {
        let cancel = cancel.clone();
        let tx = Mutex::new(tx);
        crate::signals::subscribe(move |sig| {
            cancel.store(true, Ordering::SeqCst);
            let _ = tx.lock().unwrap_or_else(|e| e.into_inner()).send(sig);
        })
    };

    let spec = ClusterSpec {
        nodes: args.nodes,
        first_port: args.port,
        data_dir: args.data_dir.clone(),
        tick_ms,
    };
    let started = std::time::Instant::now();
    let mut cluster = match Cluster::start_until(&spec, &cancel) {
        Ok(c) => c,
        Err(_) if cancel.load(Ordering::SeqCst) => return Ok(crate::exit::OK),
        Err(e) => return Err(Error::new(start_error_code(&e), e)),
    };

    let connect = cluster.connect_string();
    let servers: Vec<serde_json::Value> = (0..cluster.len())
        .map(|i| {
            serde_json::json!({
                "id": i + 1,
                "addr": cluster.addr(i).to_string(),
                "mode": cluster.mode(i),
                "pid": cluster.pid(i),
                "log": cluster.log_path(i).display().to_string(),
            })
        })
        .collect();
    let what = if cluster.len() == 1 {
        "ZooKeeper standalone".to_owned()
    } else {
        match cluster.leader() {
            Some(l) => format!(
                "ZooKeeper ensemble of {} (leader: server {})",
                cluster.len(),
                l + 1
            ),
            None => format!("ZooKeeper ensemble of {}", cluster.len()),
        }
    };
    let try_cmd = if connect == "127.0.0.1:2181" {
        "zkdemo lock --id 1".to_owned()
    } else {
        format!("zkdemo --zk {connect} lock --id 1")
    };
    let data_note = if args.data_dir.is_some() {
        ""
    } else {
        " (removed on exit)"
    };
    out.emit(
        &Event::new("ready")
            .with("connect", connect.clone())
            .with("nodes", cluster.len())
            .with("data_dir", cluster.data_dir().display().to_string())
            .with("tick_ms", tick_ms)
            .with("startup_ms", started.elapsed().as_millis() as u64)
            .with("servers", servers)
            .text(format!(
                "{what} ready on {connect} — try: {try_cmd}\nData in {}{data_note}. Ctrl-C stops it.",
                cluster.data_dir().display()
            )),
    );

    // Wait for a signal, and notice a server that dies on its own meanwhile: a demo with a
    // silently dead server would fail in confusing ways. An ensemble runs on without it.
    loop {
        match rx.recv_timeout(Duration::from_millis(500)) {
            Ok(sig) => {
                out.emit(
                    &Event::new("stopping")
                        .with("signal", sig)
                        .text("Stopping ZooKeeper…"),
                );
                cluster.stop_all();
                out.emit(&Event::new("stopped").text("ZooKeeper stopped."));
                return Ok(crate::exit::OK);
            }
            Err(mpsc::RecvTimeoutError::Timeout) => {
                let pids: Vec<Option<u32>> = (0..cluster.len()).map(|i| cluster.pid(i)).collect();
                for (i, how) in cluster.exited() {
                    match members::exited(&cluster, i, pids[i], &how) {
                        Ok(said) => out.emit(&said),
                        Err(e) => {
                            cluster.stop_all();
                            return Err(e);
                        }
                    }
                }
            }
            Err(mpsc::RecvTimeoutError::Disconnected) => return Ok(crate::exit::OK),
        }
    }
}

/// A port or a data directory already taken is the user's to fix (choose another); anything
/// else is a failure.
fn start_error_code(message: &str) -> i32 {
    if message.contains("is in use") || message.contains("too high") {
        crate::exit::USAGE
    } else {
        crate::exit::FAILURE
    }
}
