//! What a zkdemo process costs: the cold start of `zkdemo lock -n -- true` (spawn → exit,
//! connecting, taking the lock, running `true`, closing), and the resident memory and thread
//! count of an idle `zkdemo config watch` (from /proc).

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
    let status = std::fs::read_to_string(format!("/proc/{}/status", child.id()));
    let _ = child.kill();
    let _ = child.wait();
    if !matches!(read, Ok(n) if n > 0) {
        return Err(fail("`zkdemo config watch` printed nothing".into()));
    }
    let status = status.map_err(|e| fail(format!("reading /proc: {e}")))?;
    let field = |name: &str| -> Option<f64> {
        let line = status.lines().find(|l| l.starts_with(name))?;
        line.split_whitespace().nth(1)?.parse().ok()
    };
    let rss_kib = field("VmRSS:").ok_or_else(|| fail("no VmRSS in /proc".into()))?;
    let threads = field("Threads:").ok_or_else(|| fail("no Threads in /proc".into()))?;
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
        Figure::plain("cost: idle `config watch` threads", threads, ""),
    ])
}
