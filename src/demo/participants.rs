//! The participants: separate zkdemo processes the hub starts, reads and stops.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdin, Command, Stdio};
use std::sync::mpsc::RecvTimeoutError;
use std::time::{Duration, Instant};

use serde_json::Value;

use super::hub::{Hub, Incoming, Step, Stop};
use super::present::pad;
use super::STEP;
use crate::exit;
use crate::server::spawn_tied;

/// One participant process: `zkdemo --json SUBCOMMAND …`.
pub(super) struct Participant {
    /// Who it is in the output: `worker 1`, `node 2`, `watcher 3`, `updater`, `inspect`.
    pub(super) name: String,
    pub(super) child: Child,
    /// Piped for the updater (it reads `key=value` lines); None once closed, or never piped.
    pub(super) stdin: Option<ChildStdin>,
    /// Its stdout has ended.
    pub(super) eof: bool,
    /// Its exit code, once it has exited (-1 when it had to be killed).
    pub(super) exit: Option<i32>,
}

/// What happened next, as `Hub::next` saw it.
pub(super) enum Happened {
    /// Participant `.0` printed a JSON event (already recorded and shown).
    Event(usize, Value),
    /// A participant printed a line of plain text (already shown).
    PlainText,
    /// A participant's stdout ended.
    OutputEnded,
    /// Nothing before the deadline.
    Timeout,
}

impl Hub {
    /// Start a participant: this binary with `--zk … --json` and `args`.
    pub(super) fn spawn(&mut self, name: &str, args: &[&str], stdin: bool) -> Step<usize> {
        let mut cmd = Command::new(&self.exe);
        let g = &self.cfg;
        cmd.arg("--zk")
            .arg(g.connect.to_string())
            .arg("--session-timeout")
            .arg(humantime::format_duration(g.session_timeout).to_string())
            .arg("--connect-timeout")
            .arg(humantime::format_duration(g.connect_timeout).to_string())
            .args(args)
            .env_remove("ZKDEMO_ZK")
            .env_remove("ZKDEMO_AUTH")
            .stdin(if stdin { Stdio::piped() } else { Stdio::null() })
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        // Credentials go through the environment, never the command line (`ps` shows that).
        if let Some(a) = &g.auth {
            cmd.env(
                "ZKDEMO_AUTH",
                String::from_utf8_lossy(&a.digest_bytes()).into_owned(),
            );
        }
        let mut child =
            spawn_tied(cmd).map_err(|e| Stop::Failed(format!("cannot start {name}: {e}")))?;
        let idx = self.procs.len();
        let stdout = child.stdout.take().expect("piped");
        let tx = self.tx.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines() {
                let Ok(line) = line else { break };
                if tx.send(Incoming::Line(idx, line)).is_err() {
                    return;
                }
            }
            let _ = tx.send(Incoming::Closed(idx));
        });
        let stderr = child.stderr.take().expect("piped");
        let prefix = pad(&format!("[{name}]"));
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines() {
                let Ok(line) = line else { break };
                eprintln!("{prefix} {line}");
            }
        });
        let pid = child.id();
        let stdin = child.stdin.take();
        self.procs.push(Participant {
            name: name.to_owned(),
            child,
            stdin,
            eof: false,
            exit: None,
        });
        let what = format!(
            "zkdemo {}",
            args.iter()
                .filter(|a| **a != "--json")
                .copied()
                .collect::<Vec<_>>()
                .join(" ")
        );
        self.say(
            "spawned",
            "running",
            &format!("{name}: {what} (pid {pid})"),
            |e| {
                e.with("name", name)
                    .with("pid", pid)
                    .with("command", what.clone())
            },
        );
        Ok(idx)
    }

    /// The next thing that happens before `deadline`.
    pub(super) fn next(&mut self, deadline: Instant, what: &str) -> Step<Happened> {
        let left = deadline.saturating_duration_since(Instant::now());
        match self.rx.recv_timeout(left) {
            Ok(Incoming::Signal(sig)) => Err(Stop::Signal(sig)),
            Ok(Incoming::Line(i, line)) => Ok(match self.handle(i, &line) {
                Some(ev) => Happened::Event(i, ev),
                None => Happened::PlainText,
            }),
            Ok(Incoming::Closed(i)) => {
                self.procs[i].eof = true;
                Ok(Happened::OutputEnded)
            }
            Err(RecvTimeoutError::Timeout) => Ok(Happened::Timeout),
            Err(RecvTimeoutError::Disconnected) => Err(Stop::Failed(format!(
                "event channel closed while waiting for {what}"
            ))),
        }
    }

    /// Read output until `pred` holds for a new event (participant index, event), or fail.
    pub(super) fn wait_until(
        &mut self,
        what: &str,
        timeout: Duration,
        mut pred: impl FnMut(usize, &Value) -> bool,
    ) -> Step<Value> {
        let deadline = Instant::now() + timeout;
        loop {
            match self.next(deadline, what)? {
                Happened::Event(i, ev) if pred(i, &ev) => return Ok(ev),
                Happened::Timeout => {
                    return Err(Stop::Failed(format!("timed out waiting for {what}")))
                }
                _ => {}
            }
        }
    }

    /// Show what arrives for `d`.
    pub(super) fn pump(&mut self, d: Duration) -> Step {
        let deadline = Instant::now() + d;
        while !matches!(self.next(deadline, "")?, Happened::Timeout) {}
        Ok(())
    }

    /// Wait for participant `i` to exit (its output read to the end); its exit code.
    pub(super) fn wait_exit(&mut self, i: usize, timeout: Duration) -> Step<i32> {
        let deadline = Instant::now() + timeout;
        let name = self.procs[i].name.clone();
        while !self.procs[i].eof {
            if let Happened::Timeout = self.next(deadline, &format!("{name} to finish"))? {
                return Err(Stop::Failed(format!("{name} did not finish in time")));
            }
        }
        let status = loop {
            if let Ok(Some(st)) = self.procs[i].child.try_wait() {
                break st;
            }
            if Instant::now() >= deadline {
                return Err(Stop::Failed(format!("{name} does not exit")));
            }
            std::thread::sleep(Duration::from_millis(10));
        };
        let code = status.code().unwrap_or_else(|| {
            use std::os::unix::process::ExitStatusExt;
            128 + status.signal().unwrap_or(0)
        });
        self.procs[i].exit = Some(code);
        let state = if code == 0 { "ok" } else { "exited" };
        self.say(
            "exited",
            state,
            &format!("{name} exited with {code}"),
            |e| e.with("name", name.clone()).with("code", code),
        );
        Ok(code)
    }

    /// Wait for participant `i` to exit with `expected`.
    pub(super) fn finish(&mut self, i: usize, expected: i32) -> Step {
        let code = self.wait_exit(i, STEP)?;
        if code != expected {
            return Err(Stop::Failed(format!(
                "{} exited with {code}, not {expected}",
                self.procs[i].name
            )));
        }
        Ok(())
    }

    pub(super) fn signal(&self, i: usize, sig: i32) {
        if self.procs[i].exit.is_none() {
            crate::signals::send(self.procs[i].child.id() as i32, sig);
        }
    }

    /// Stop every participant still running: SIGINT, a grace period, then SIGKILL.
    pub(super) fn stop_all(&mut self) {
        let running: Vec<usize> = (0..self.procs.len())
            .filter(|&i| self.procs[i].exit.is_none())
            .collect();
        for &i in &running {
            self.procs[i].stdin = None;
            self.signal(i, libc::SIGINT);
        }
        let deadline = Instant::now() + Duration::from_secs(3);
        for &i in &running {
            loop {
                match self.procs[i].child.try_wait() {
                    Ok(Some(st)) => {
                        self.procs[i].exit = Some(st.code().unwrap_or(-1));
                        break;
                    }
                    Ok(None) if Instant::now() < deadline => {
                        std::thread::sleep(Duration::from_millis(20))
                    }
                    _ => {
                        let _ = self.procs[i].child.kill();
                        let _ = self.procs[i].child.wait();
                        self.procs[i].exit = Some(-1);
                        break;
                    }
                }
            }
        }
        // Show what they said on the way out.
        while let Ok(m) = self.rx.try_recv() {
            if let Incoming::Line(i, line) = m {
                self.handle(i, &line);
            }
        }
    }

    /// Run `zkdemo inspect PATHS` once and show what it says.
    pub(super) fn inspect(&mut self, why: &str, paths: &[String]) -> Step {
        let mut args: Vec<&str> = Vec::new();
        if self.out.json {
            args.push("--json");
        }
        args.push("inspect");
        args.extend(paths.iter().map(String::as_str));
        self.say("step", "info", why, |e| {
            e.with("text", format!("inspect {}", paths.join(" ")))
                .with("why", why)
        });
        let i = self.spawn("inspect", &args, false)?;
        self.finish(i, exit::OK)
    }
}
