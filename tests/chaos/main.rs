//! Chaos (issue #9): zkdemo under random, seeded faults on a 3-server ensemble, checked from
//! the history the participants leave, Jepsen-style.
//!
//! - `lock`: five `zkdemo lock` workers in command mode; no two commands inside at once,
//!   fencing tokens growing, everyone progressing.
//! - `elect`: five `zkdemo elect` nodes with a leader command; never two leader commands at
//!   once, and a new leader within the documented bound after every fault.
//! - `config`: four updaters × 250 keys and three watchers through server faults; every key
//!   there at the end, every watcher's last state the node's.
//!
//! The three runs take turns (one ensemble at a time on 2 cores). ZKDEMO_CHAOS_SECONDS sets
//! how long faults are injected in each (defaults: lock 80, and on until 1,000 acquisitions
//! are checked, 200 s at most; elect 60; config 40); ZKDEMO_CHAOS_SEED replays a run's fault
//! schedule; ZKDEMO_CHAOS_KEEP=1 keeps the history and the participants' debug logs (kept
//! anyway when a run fails). Summary lines start with `CHAOS`.

#[path = "../common/mod.rs"]
mod common;

mod config;
mod elect;
mod history;
mod lock;
mod workers;

use std::path::PathBuf;
use std::sync::{Mutex, MutexGuard};

use rand::rngs::StdRng;
use rand::SeedableRng;

use common::proxy::Proxy;
use common::{ensemble, unique_path, Cluster};
use history::{append, now_ns};

/// What every run starts with: its turn, a seeded fault schedule, an ensemble, a directory
/// for the history (and the participants' logs), and a znode of its own.
struct Run {
    _turn: MutexGuard<'static, ()>,
    seconds: u64,
    rng: StdRng,
    zk: Cluster,
    connect: String,
    dir: tempfile::TempDir,
    file: PathBuf,
    path: String,
    /// Per participant, one proxy in front of each server: its own link to the ensemble,
    /// which a fault cuts and heals.
    links: Vec<Vec<Proxy>>,
}

impl Run {
    fn start(name: &str, default_seconds: u64) -> Run {
        let turn = one_at_a_time();
        let seed = seed();
        println!("CHAOS {name} seed {seed} (ZKDEMO_CHAOS_SEED={seed} replays the fault schedule)");
        let zk = ensemble(200);
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("history");
        append(&file, &format!("server start {}", now_ns()));
        Run {
            _turn: turn,
            seconds: chaos_seconds(default_seconds),
            rng: StdRng::seed_from_u64(seed),
            connect: zk.connect_string(),
            zk,
            dir,
            file,
            path: unique_path(&format!("chaos-{name}")),
            links: Vec::new(),
        }
    }

    /// Give `n` participants a link of their own each; their connect strings.
    fn links(&mut self, n: usize) -> Vec<String> {
        self.links = (0..n)
            .map(|_| {
                (0..self.zk.len())
                    .map(|i| Proxy::start(self.zk.addr(i)))
                    .collect()
            })
            .collect();
        self.links
            .iter()
            .map(|ps| {
                ps.iter()
                    .map(|p| p.addr().to_string())
                    .collect::<Vec<_>>()
                    .join(",")
            })
            .collect()
    }

    /// Keep the history and the logs when asked to (ZKDEMO_CHAOS_KEEP) or when `failed`.
    fn keep_if(self, failed: bool) {
        if failed || std::env::var_os("ZKDEMO_CHAOS_KEEP").is_some() {
            println!("history and logs kept in {}", self.dir.keep().display());
        }
    }
}

/// One chaos run at a time: each boots an ensemble and keeps both cores busy.
fn one_at_a_time() -> MutexGuard<'static, ()> {
    static TURN: Mutex<()> = Mutex::new(());
    TURN.lock().unwrap_or_else(|e| e.into_inner())
}

/// Seconds of faults: ZKDEMO_CHAOS_SECONDS, or this run's default.
fn chaos_seconds(default: u64) -> u64 {
    std::env::var("ZKDEMO_CHAOS_SECONDS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(default)
}

/// The fault schedule's seed: ZKDEMO_CHAOS_SEED, or a random one (printed, to replay).
fn seed() -> u64 {
    std::env::var("ZKDEMO_CHAOS_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or_else(rand::random)
}

/// kill(2) on a process (or, negative, a group) we started.
fn signal(pid: i32, sig: i32) {
    // SAFETY: kill(2) takes no pointers; the pid is one of ours.
    unsafe {
        libc::kill(pid, sig);
    }
}
