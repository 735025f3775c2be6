//! How fast a `config set` reaches every watcher, beside the raw ZooKeeper round trip of the
//! same run. Prints p50/p99; run with `--nocapture` (and `--release` for numbers worth
//! quoting). The 100-watcher run is `#[ignore]`d to keep CI short:
//!
//! ```text
//! cargo test --release --test config_latency -- --include-ignored --nocapture
//! ```

mod common;

use std::time::{Duration, Instant, SystemTime};

use common::*;
use zkdemo::config::set::{apply, Edit};
use zkdemo::session::Session;

const T: Duration = Duration::from_secs(60);

fn ms(d: f64) -> String {
    format!("{d:.2} ms")
}

fn pct(v: &mut [f64], p: usize) -> f64 {
    v.sort_by(|a, b| a.total_cmp(b));
    v[(v.len() * p / 100).min(v.len() - 1)]
}

/// `n` watcher processes, `sets` writes through the config layer; for each write, the time
/// from its acknowledgement to the last watcher's printed event (the event's own `ts`).
fn measure(n: usize, sets: usize) {
    let c = shared();
    let path = unique_path("latency");
    let watchers: Vec<Proc> = (0..n)
        .map(|_| {
            let mut cmd = zkdemo();
            cmd.args([
                "--json",
                "--zk",
                &c.connect_string(),
                "config",
                "--path",
                &path,
            ]);
            cmd.arg("watch");
            Proc::spawn(cmd)
        })
        .collect();
    for w in &watchers {
        assert!(
            w.wait_for(|j| j["initial"] == true, T).is_some(),
            "{}",
            w.transcript()
        );
    }
    let cfg = session_config(&c.connect_string(), Duration::from_secs(10));
    let s = Session::connect(&cfg, |_| {}).unwrap();
    let (mut rtt, mut write, mut prop) = (Vec::new(), Vec::new(), Vec::new());
    for i in 0..sets {
        let t = Instant::now();
        let _ = s.get_data(&path);
        rtt.push(t.elapsed().as_secs_f64() * 1e3);

        let t = Instant::now();
        let w = apply(
            &s,
            &path,
            &Edit::Merge(vec![("n".into(), i.to_string())]),
            None,
        )
        .unwrap();
        let acked = SystemTime::now();
        write.push(t.elapsed().as_secs_f64() * 1e3);

        let mut last = f64::MIN;
        for p in &watchers {
            let e = p
                .wait_for(|j| j["event"] == "config" && j["version"] == w.version, T)
                .unwrap_or_else(|| {
                    panic!("version {} not printed:\n{}", w.version, p.transcript())
                });
            let ts = humantime::parse_rfc3339(e["ts"].as_str().unwrap()).unwrap();
            // Signed: a watcher may print before our own thread has taken the reply.
            let d = match ts.duration_since(acked) {
                Ok(d) => d.as_secs_f64() * 1e3,
                Err(e) => -e.duration().as_secs_f64() * 1e3,
            };
            last = last.max(d);
        }
        prop.push(last);
        std::thread::sleep(Duration::from_millis(20));
    }
    for w in &watchers {
        assert!(
            w.events().iter().all(|e| e["event"] != "missed"),
            "{}",
            w.transcript()
        );
    }
    eprintln!(
        "config propagation, {n} watchers, {sets} sets: set acknowledged → every watcher \
         printed: p50 {} p99 {}; the set itself (read + compare-and-set): p50 {} p99 {}; \
         raw round trip (get_data): p50 {} p99 {}",
        ms(pct(&mut prop, 50)),
        ms(pct(&mut prop, 99)),
        ms(pct(&mut write, 50)),
        ms(pct(&mut write, 99)),
        ms(pct(&mut rtt, 50)),
        ms(pct(&mut rtt, 99)),
    );
}

#[test]
fn propagation_latency_3_watchers() {
    measure(3, 50);
}

#[test]
#[ignore = "100 watcher processes: run by hand, see the module doc"]
fn propagation_latency_100_watchers() {
    measure(100, 50);
}
