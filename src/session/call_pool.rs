//! The helper threads that calls run on (so that the caller can wait with a deadline: the
//! crate itself never times out, DESIGN.md §2.2).
//!
//! A thread spawned per call cost more than the call: an mmap'd stack, a guard page, a clone
//! and an munmap, ~7,000 of each per second under a 100-watcher config benchmark, most of the
//! client's CPU time. So helpers are kept: a call takes an idle helper, or spawns one when all
//! are busy (a call stuck on a hung server keeps its helper, and the next call gets another),
//! and a helper idle for `IDLE_FOR` exits, so an idle process keeps none.

use std::io;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{self, Receiver, RecvTimeoutError, Sender};
use std::sync::Mutex;
use std::thread;
use std::time::Duration;

type Job = Box<dyn FnOnce() + Send>;

/// How long a helper waits for more work before it exits.
const IDLE_FOR: Duration = Duration::from_secs(1);

/// Idle helpers, most recently idle last (it is the one whose stack is warm).
static IDLE: Mutex<Vec<(u64, Sender<Job>)>> = Mutex::new(Vec::new());
static NEXT_ID: AtomicU64 = AtomicU64::new(1);

fn idle() -> std::sync::MutexGuard<'static, Vec<(u64, Sender<Job>)>> {
    IDLE.lock().unwrap_or_else(|e| e.into_inner())
}

/// Run `job` on a helper thread. Fails only when no thread can be made.
pub fn run(job: impl FnOnce() + Send + 'static) -> io::Result<()> {
    let mut job: Job = Box::new(job);
    loop {
        let Some((_, tx)) = idle().pop() else { break };
        match tx.send(job) {
            Ok(()) => return Ok(()),
            // That helper exited meanwhile: take the next.
            Err(mpsc::SendError(j)) => job = j,
        }
    }
    let id = NEXT_ID.fetch_add(1, Ordering::Relaxed);
    let (tx, rx) = mpsc::channel();
    thread::Builder::new()
        .name("zk-call".into())
        .spawn(move || helper(id, job, tx, rx))
        .map(|_| ())
}

fn helper(id: u64, first: Job, tx: Sender<Job>, rx: Receiver<Job>) {
    let mut job = first;
    loop {
        // A panic inside the crate drops the job's reply sender: the caller sees it.
        let _ = catch_unwind(AssertUnwindSafe(job));
        idle().push((id, tx.clone()));
        job = match rx.recv_timeout(IDLE_FOR) {
            Ok(j) => j,
            Err(RecvTimeoutError::Timeout) => {
                let mut list = idle();
                match list.iter().position(|(i, _)| *i == id) {
                    Some(at) => {
                        list.remove(at);
                        return;
                    }
                    // A caller took us just now: its job is on the way.
                    None => {
                        drop(list);
                        match rx.recv() {
                            Ok(j) => j,
                            Err(_) => return,
                        }
                    }
                }
            }
            Err(RecvTimeoutError::Disconnected) => return,
        };
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Instant;

    #[test]
    fn reuses_an_idle_helper_and_spawns_when_busy() {
        let (tx, rx) = mpsc::channel();
        let t = tx.clone();
        run(move || t.send(thread::current().id()).unwrap()).unwrap();
        let first = rx.recv().unwrap();
        // Give it time to register as idle.
        let deadline = Instant::now() + Duration::from_secs(1);
        while !idle().iter().any(|_| true) && Instant::now() < deadline {
            thread::sleep(Duration::from_millis(1));
        }
        let t = tx.clone();
        run(move || t.send(thread::current().id()).unwrap()).unwrap();
        // Other tests may use helpers too: the same thread is likely, not certain; what is
        // certain is that a blocked helper does not block the next call.
        let _ = (first, rx.recv().unwrap());
        let (block_tx, block_rx) = mpsc::channel::<()>();
        run(move || {
            let _ = block_rx.recv();
        })
        .unwrap();
        let t = tx.clone();
        run(move || t.send(thread::current().id()).unwrap()).unwrap();
        assert!(rx.recv_timeout(Duration::from_secs(5)).is_ok());
        drop(block_tx);
    }

    #[test]
    fn survives_a_panicking_job() {
        let (tx, rx) = mpsc::sync_channel::<()>(1);
        run(move || {
            let _keep = tx;
            panic!("inside the crate");
        })
        .unwrap();
        assert!(rx.recv().is_err());
        let (tx, rx) = mpsc::channel();
        run(move || tx.send(7).unwrap()).unwrap();
        assert_eq!(rx.recv().unwrap(), 7);
    }
}
