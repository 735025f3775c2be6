//! Participants that a driver thread keeps running (restarting each one when it exits), and
//! the faults the lock and election runs inject into them and into the ensemble.

use std::collections::BTreeMap;
use std::fs::OpenOptions;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::thread;
use std::time::{Duration, Instant};

use rand::rngs::StdRng;
use rand::Rng;

use crate::common::{children_of, eventually, Cluster};
use crate::history::{append, inside, now_ns};
use crate::{signal, Run};

/// A worker slot: the zkdemo running now (its driver restarts it), and how its runs ended.
#[derive(Default)]
pub struct Slot {
    child: Mutex<Option<Child>>,
    exits: Mutex<BTreeMap<i32, u32>>,
}

impl Slot {
    pub fn exits(&self) -> BTreeMap<i32, u32> {
        self.exits.lock().unwrap().clone()
    }
}

/// `n` workers, each a driver thread running `make(i)` again and again until stopped.
pub struct Workers {
    pub slots: Vec<Arc<Slot>>,
    drivers: Vec<thread::JoinHandle<()>>,
    stop: Arc<AtomicBool>,
}

impl Workers {
    /// Start the drivers. Each worker's stderr is appended to `dir/w<i>.stderr`.
    pub fn start(
        n: usize,
        dir: &Path,
        make: impl Fn(usize) -> Command + Send + Sync + 'static,
    ) -> Workers {
        let stop = Arc::new(AtomicBool::new(false));
        let make = Arc::new(make);
        let slots: Vec<Arc<Slot>> = (0..n).map(|_| Arc::default()).collect();
        let drivers = slots
            .iter()
            .enumerate()
            .map(|(i, slot)| {
                let (slot, stop, make) = (slot.clone(), stop.clone(), make.clone());
                let errlog = dir.join(format!("w{i}.stderr"));
                thread::spawn(move || drive(i, &*make, &errlog, &slot, &stop))
            })
            .collect();
        Workers {
            slots,
            drivers,
            stop,
        }
    }

    /// Stop restarting; wake whoever is paused and SIGTERM them; wait for the drivers.
    pub fn stop(self) -> Vec<BTreeMap<i32, u32>> {
        self.stop.store(true, Ordering::SeqCst);
        for slot in &self.slots {
            if let Some((pid, groups)) = pids(slot) {
                for g in groups {
                    signal(-g, libc::SIGCONT);
                }
                signal(pid, libc::SIGCONT);
                signal(pid, libc::SIGTERM);
            }
        }
        for d in self.drivers {
            d.join().unwrap();
        }
        self.slots.iter().map(|s| s.exits()).collect()
    }
}

fn drive(
    i: usize,
    make: &dyn Fn(usize) -> Command,
    errlog: &PathBuf,
    slot: &Slot,
    stop: &AtomicBool,
) {
    while !stop.load(Ordering::SeqCst) {
        let mut cmd = make(i);
        cmd.stdin(Stdio::null()).stdout(Stdio::null()).stderr(
            OpenOptions::new()
                .append(true)
                .create(true)
                .open(errlog)
                .unwrap(),
        );
        let child = zkdemo::server::spawn_tied(cmd).expect("spawn zkdemo");
        *slot.child.lock().unwrap() = Some(child);
        // Poll under the lock: the fault thread signals only an unreaped pid.
        let code = loop {
            {
                let mut g = slot.child.lock().unwrap();
                let c = g.as_mut().unwrap();
                if let Some(st) = c.try_wait().unwrap() {
                    *g = None;
                    break zkdemo::child::exit_code(st);
                }
            }
            thread::sleep(Duration::from_millis(5));
        };
        *slot.exits.lock().unwrap().entry(code).or_default() += 1;
        if code == 69 {
            thread::sleep(Duration::from_millis(100)); // no server: do not spin
        }
    }
}

/// The pid of a worker's zkdemo and the process groups of its commands.
fn pids(slot: &Slot) -> Option<(i32, Vec<i32>)> {
    let g = slot.child.lock().unwrap();
    let pid = g.as_ref()?.id();
    let groups = children_of(pid).into_iter().map(|p| p as i32).collect();
    Some((pid as i32, groups))
}

#[derive(Default, Debug)]
pub struct Faults {
    pub kill_worker: u32,
    pub pause_worker: u32,
    pub restart_server: u32,
    pub kill_leader: u32,
    pub cut_link: u32,
    pub restart_ensemble: u32,
}

impl Faults {
    pub fn total(&self) -> u32 {
        self.kill_worker
            + self.pause_worker
            + self.restart_server
            + self.kill_leader
            + self.cut_link
            + self.restart_ensemble
    }
}

impl std::fmt::Display for Faults {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "faults injected {} (worker SIGKILL {}, worker SIGSTOP past the session timeout {}, \
             server kill+restart {}, leader kill {}, participant's link cut and healed {}, \
             whole ensemble restarted with its data {})",
            self.total(),
            self.kill_worker,
            self.pause_worker,
            self.restart_server,
            self.kill_leader,
            self.cut_link,
            self.restart_ensemble
        )
    }
}

/// SIGKILL worker `w`'s zkdemo (its driver starts a new one). False when none was running.
pub fn kill_worker(ws: &Workers, w: usize, file: &Path) -> bool {
    let g = ws.slots[w].child.lock().unwrap();
    let Some(c) = g.as_ref() else { return false };
    signal(c.id() as i32, libc::SIGKILL);
    append(file, &format!("kill w{w} {}", now_ns()));
    true
}

/// SIGSTOP worker `w` (zkdemo and its command's process group: a paused VM) for `pause`,
/// then SIGCONT. False when none was running.
pub fn pause_worker(ws: &Workers, w: usize, pause: Duration, file: &Path) -> bool {
    let stopped = {
        let g = ws.slots[w].child.lock().unwrap();
        g.as_ref().map(|c| {
            let pid = c.id() as i32;
            signal(pid, libc::SIGSTOP);
            let groups: Vec<i32> = children_of(pid as u32)
                .into_iter()
                .map(|p| p as i32)
                .collect();
            for &g in &groups {
                signal(-g, libc::SIGSTOP);
            }
            (pid, groups)
        })
    };
    let Some((pid, groups)) = stopped else {
        return false;
    };
    append(file, &format!("pause w{w} {}", now_ns()));
    thread::sleep(pause);
    // Resume only what is still ours (the driver cannot reap a stopped child).
    let g = ws.slots[w].child.lock().unwrap();
    if g.as_ref().is_some_and(|c| c.id() as i32 == pid) {
        for &g in &groups {
            signal(-g, libc::SIGCONT);
        }
        signal(pid, libc::SIGCONT);
    }
    drop(g);
    append(file, &format!("resume w{w} {}", now_ns()));
    true
}

/// Kill ensemble member `i` (SIGKILL), leave it down for `down`, start it again.
pub fn bounce_server(zk: &mut Cluster, i: usize, down: Duration, file: &Path) {
    append(file, &format!("server kill {i} {}", now_ns()));
    zk.kill(i);
    thread::sleep(down);
    zk.start_node(i).expect("the server comes back");
    append(file, &format!("server started {i} {}", now_ns()));
}

/// Kill a server, the ensemble's leader when `leader` (else one at random), and start it again
/// after 0.5–2 s. False when no server said it leads.
pub fn server_fault(zk: &mut Cluster, rng: &mut StdRng, leader: bool, file: &Path) -> bool {
    let victim = if leader {
        match zk.leader() {
            Some(l) => l,
            None => return false,
        }
    } else {
        rng.gen_range(0..zk.len())
    };
    let down = Duration::from_millis(rng.gen_range(500..2000));
    bounce_server(zk, victim, down, file);
    true
}

/// Cut every link of participant `w` (connections reset, new ones refused) for `down`, then
/// heal them: a network partition of one client, shorter or longer than its session timeout.
pub fn cut_link(run: &Run, w: usize, down: Duration) -> bool {
    let Some(links) = run.links.get(w) else {
        return false;
    };
    append(&run.file, &format!("cut w{w} {}", now_ns()));
    for p in links {
        p.cut();
    }
    thread::sleep(down);
    for p in links {
        p.heal();
    }
    append(&run.file, &format!("heal w{w} {}", now_ns()));
    true
}

/// Stop every server (SIGTERM), then start them all again with their data: the service gone
/// as a whole for a moment, as a restarted standalone server is. Sessions survive it on the
/// servers (they restore them with a fresh timeout), so a session zkdemo gave up meanwhile
/// must be closed by zkdemo, or its nodes would block the queue.
pub fn restart_ensemble(zk: &mut Cluster, down: Duration, file: &Path) {
    append(file, &format!("server kill all {}", now_ns()));
    zk.stop_all();
    thread::sleep(down);
    zk.start_all().expect("the ensemble comes back");
    append(file, &format!("server started all {}", now_ns()));
}

/// The lock and election runs' faults, at random: SIGKILL a worker, SIGSTOP one past the 2 s
/// session timeout (half the time the one inside its critical section: the case fencing
/// tokens are for), kill and restart a server, kill the ensemble's leader. For `seconds`, and
/// then on until `enough()` says so or `limit` has passed (the run's `seconds` at least).
pub fn inject(run: &mut Run, ws: &Workers, limit: Duration, enough: impl Fn() -> bool) -> Faults {
    let seconds = run.seconds;
    let n = ws.slots.len();
    let mut faults = Faults::default();
    let started = Instant::now();
    let more = || {
        let t = started.elapsed();
        t < Duration::from_secs(seconds) || (t < limit && !enough())
    };
    thread::sleep(Duration::from_secs(2));
    while more() {
        let kind = run.rng.gen_range(0..13);
        if kind >= 10 && !run.links.is_empty() {
            let w = run.rng.gen_range(0..n);
            let down = Duration::from_millis(run.rng.gen_range(500..3500));
            if cut_link(run, w, down) {
                faults.cut_link += 1;
            }
        } else if kind == 9 {
            let down = Duration::from_millis(run.rng.gen_range(200..1000));
            restart_ensemble(&mut run.zk, down, &run.file);
            faults.restart_ensemble += 1;
        }
        let (zk, file, rng) = (&mut run.zk, run.file.as_path(), &mut run.rng);
        match kind % 4 {
            _ if kind >= 9 => {}
            0 => {
                if kill_worker(ws, rng.gen_range(0..n), file) {
                    faults.kill_worker += 1;
                }
            }
            1 => {
                let w = if rng.gen_bool(0.5) {
                    eventually(Duration::from_secs(1), || inside(file))
                        .unwrap_or_else(|| rng.gen_range(0..n))
                } else {
                    rng.gen_range(0..n)
                };
                let pause = Duration::from_millis(rng.gen_range(2500..4000));
                if pause_worker(ws, w, pause, file) {
                    faults.pause_worker += 1;
                }
            }
            k => {
                if server_fault(zk, rng, k == 3, file) {
                    if k == 2 {
                        faults.restart_server += 1;
                    } else {
                        faults.kill_leader += 1;
                    }
                }
            }
        }
        thread::sleep(Duration::from_millis(run.rng.gen_range(500..2000)));
    }
    faults
}
