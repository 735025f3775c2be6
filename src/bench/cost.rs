//! What a zkdemo process costs: the cold start of `zkdemo lock -n -- true` (spawn → exit,
//! connecting, taking the lock, running `true`, closing), and the resident memory and thread
//! count of an idle `zkdemo config watch` (from /proc on Linux, from `ps` elsewhere).

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};

use super::report::{Figure, Target};
use super::stats::{median, ms};
use super::Ctx;
use crate::exit::{self, Error};

pub fn run(ctx: &Ctx, starts: usize) -> exit::Result<Vec<Figure>> {
    let fail = |m: String| Error::new(exit::FAILURE, format!("cost bench: {m}"));
    let lock_path = format!("{}/cost-lock", ctx.base);
    let mut cold = Vec::new();
    for i in 0..starts + 1 {
        ctx.progress.step("cost: cold starts", i, starts);
        let t = Instant::now();
        let st = Command::new(&ctx.exe)
            .args([
                "-q", "--zk", &ctx.zk, "lock", "-n", "--path", &lock_path, "--", "true",
            ])
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .status()
            .map_err(|e| fail(format!("cannot run {}: {e}", ctx.exe.display())))?;
        let d = ms(t.elapsed());
        if !st.success() {
            return Err(fail(format!("`zkdemo lock -n -- true` exited with {st}")));
        }
        if i > 0 {
            cold.push(d); // the first one warms the page cache
        }
    }

    ctx.progress.show("cost: an idle config watch");
    let mut child = Command::new(&ctx.exe)
        .args(["--json", "--zk", &ctx.zk, "config", "--path"])
        .arg(format!("{}/cost-config", ctx.base))
        .arg("watch")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .spawn()
        .map_err(|e| fail(format!("cannot run {}: {e}", ctx.exe.display())))?;
    let mut first = String::new();
    let read = BufReader::new(child.stdout.take().expect("piped")).read_line(&mut first);
    // Idle: past its first read, and past a few probes of the session's supervisor.
    thread::sleep(Duration::from_millis(1500));
    let footprint = footprint(child.id());
    let _ = child.kill();
    let _ = child.wait();
    if !matches!(read, Ok(n) if n > 0) {
        return Err(fail("`zkdemo config watch` printed nothing".into()));
    }
    let (rss_kib, threads) = footprint.map_err(fail)?;
    Ok(vec![
        Figure::ms(
            "cost: cold start of `lock -n -- true` median",
            median(&cold),
        )
        .target(Target::AtMost(20.0)),
        Figure::plain(
            "cost: idle `config watch` resident",
            rss_kib / 1024.0,
            "MiB",
        )
        .target(Target::AtMost(6.0)),
    ]
    .into_iter()
    .chain(threads.map(|t| Figure::plain("cost: idle `config watch` threads", t, "")))
    .collect())
}

/// The resident set (KiB) and, where the system tells, the thread count of `pid`.
type Footprint = Result<(f64, Option<f64>), String>;

#[cfg(target_os = "linux")]
fn footprint(pid: u32) -> Footprint {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status"))
        .map_err(|e| format!("reading /proc: {e}"))?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let rss_kib = field("VmRSS:").ok_or("no VmRSS in /proc")?;
    let threads = field("Threads:").ok_or("no Threads in /proc")?;
    Ok((rss_kib, Some(threads)))
}

#[cfg(not(target_os = "linux"))]
fn footprint(pid: u32) -> Footprint {
    ps_footprint(pid)
}

/// Without /proc (macOS, the BSDs): `ps -o rss=` (KiB) is everywhere; the threads are
/// `ps -o nlwp=` where ps knows it (Linux, FreeBSD), else one line each in `ps -M` (macOS).
/// Built on Linux too, and tested there.
#[cfg(any(not(target_os = "linux"), test))]
fn ps_footprint(pid: u32) -> Footprint {
    let ps = |args: &[&str]| -> Option<String> {
        let out = Command::new("ps")
            .args(args)
            .args(["-p", &pid.to_string()])
            .stdin(Stdio::null())
            .stderr(Stdio::null())
            .output()
            .ok()?;
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    };
    let rss_kib = ps(&["-o", "rss="])
        .and_then(|s| s.trim().parse::<f64>().ok())
        .ok_or_else(|| format!("`ps -o rss= -p {pid}` told no resident size"))?;
    let threads = ps(&["-o", "nlwp="])
        .and_then(|s| s.trim().parse::<f64>().ok())
        .or_else(|| ps(&["-M"]).and_then(|s| threads_in_ps_m(&s)));
    Ok((rss_kib, threads))
}

/// `ps -M -p PID` (macOS): a header, then one line per thread.
#[cfg(any(not(target_os = "linux"), test))]
fn threads_in_ps_m(out: &str) -> Option<f64> {
    let n = out.lines().skip(1).filter(|l| !l.trim().is_empty()).count();
    (n > 0).then_some(n as f64)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ps_tells_what_proc_tells() {
        // This test process: a few threads (the harness's), some MiB resident.
        let (rss, threads) = ps_footprint(std::process::id()).unwrap();
        let (proc_rss, proc_threads) = footprint(std::process::id()).unwrap();
        assert!(rss > 100.0, "{rss} KiB");
        assert!(
            (rss - proc_rss).abs() < proc_rss * 0.5 + 4096.0,
            "{rss} vs {proc_rss}"
        );
        assert!(threads.unwrap() >= 1.0);
        assert!(proc_threads.unwrap() >= 1.0);
    }

    #[test]
    fn ps_m_lines_count_threads() {
        let out = "USER   PID   TT  %CPU STAT PRI     STIME     UTIME COMMAND\n\
                   me   4242 s000   0.0 S    31T   0:00.01   0:00.02 zkdemo config watch\n\
                        4242         0.0 S    31T   0:00.00   0:00.00\n\
                        4242         0.0 S    31T   0:00.00   0:00.00\n";
        assert_eq!(threads_in_ps_m(out), Some(3.0));
        assert_eq!(threads_in_ps_m("USER PID\n"), None);
    }
}
