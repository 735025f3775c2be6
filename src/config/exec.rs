//! `config watch --exec`: the user's command, run after each change with the document on its
//! stdin.

use std::io::Write;
use std::process::{Command, Stdio};

use crate::output::{Event, Output};
use crate::watch::Node;

/// Run the user's command after a change. It gets the document on stdin (written from a
/// thread of its own, so a command that does not read cannot block us) and the version in
/// its environment. Its stdout goes to our stderr: our stdout is the event stream.
pub(super) fn run_exec(cmd: &str, path: &str, now: Option<&Node>, out: Output) {
    let mut c = Command::new("sh");
    c.arg("-c").arg(cmd).env("ZKDEMO_CONFIG_PATH", path);
    match now {
        Some(n) => {
            c.env("ZKDEMO_CONFIG_VERSION", n.stat.version.to_string())
                .env("ZKDEMO_CONFIG_MZXID", n.stat.mzxid.to_string())
                .env("ZKDEMO_CONFIG_EXISTS", "1");
        }
        None => {
            c.env_remove("ZKDEMO_CONFIG_VERSION")
                .env_remove("ZKDEMO_CONFIG_MZXID")
                .env("ZKDEMO_CONFIG_EXISTS", "0");
        }
    }
    let stderr = std::io::stderr();
    let child_out = match std::os::fd::AsFd::as_fd(&stderr).try_clone_to_owned() {
        Ok(fd) => Stdio::from(fd),
        Err(_) => Stdio::null(),
    };
    c.stdin(Stdio::piped()).stdout(child_out);
    let version = now.map(|n| n.stat.version);
    let result = c.spawn().and_then(|mut child| {
        if let Some(mut stdin) = child.stdin.take() {
            let data = now.map(|n| n.data.clone()).unwrap_or_default();
            // A command that exits without reading gives EPIPE here: not our failure.
            let _ = std::thread::Builder::new()
                .name("exec-stdin".into())
                .spawn(move || {
                    let _ = stdin.write_all(&data);
                });
        }
        child.wait()
    });
    let mut ev = Event::new("exec").with("command", cmd);
    if let Some(v) = version {
        ev = ev.with("version", v);
    }
    let ev = match result {
        Ok(st) if st.success() => ev.with("ok", true),
        Ok(st) => ev
            .with("ok", false)
            .with("status", st.to_string())
            .text(format!("--exec command failed ({st}); still watching")),
        Err(e) => ev
            .with("ok", false)
            .with("status", e.to_string())
            .text(format!(
                "--exec command could not start ({e}); still watching"
            )),
    };
    out.emit(&ev);
}
