//! `config set` without pairs: the original config_updater.py, interactive. Each line of stdin is one edit,
//! written at once (with `set`'s compare-and-set) and answered with the new version.

use std::io::{BufRead, Write};

use super::doc;
use super::set::{apply_surviving, set_event, Edit};
use super::{connect, with_path};
use crate::exit;
use crate::output::{Event, Output};
use crate::session::SessionConfig;

/// One line of interactive input.
fn parse_line(line: &str) -> Result<Edit, String> {
    if let Some(rest) = line.strip_prefix("unset ") {
        let keys: Vec<String> = rest.split_whitespace().map(str::to_owned).collect();
        if keys.is_empty() {
            return Err("unset what? (write `unset KEY [KEY…]`)".into());
        }
        for k in &keys {
            doc::check_key(k)?;
        }
        return Ok(Edit::Unset(keys));
    }
    let pair = doc::parse_pair(line).map_err(|e| format!("{e} (write key=value, or unset KEY)"))?;
    Ok(Edit::Merge(vec![pair]))
}

/// The original config_updater.py, interactive: a line in, a write out, an answer back.
pub(super) fn run(path: &str, cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    // SAFETY: isatty only inspects the descriptor.
    // Not under --json: stdout must stay one JSON object per line.
    let prompt = unsafe { libc::isatty(libc::STDIN_FILENO) } == 1 && !out.json;
    let mut session = connect(cfg)?;
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut buf = Vec::new();
    let mut lineno = 0u64;
    loop {
        if prompt {
            print!("> ");
            let _ = std::io::stdout().flush();
        }
        buf.clear();
        match input.read_until(b'\n', &mut buf) {
            Ok(0) => {
                // Ctrl-D after our prompt: end its line, or the shell's prompt follows ours.
                if prompt {
                    println!();
                }
                break;
            }
            Ok(_) => {}
            Err(e) => {
                return Err(exit::Error::failure(format!("reading stdin: {e}")));
            }
        }
        lineno += 1;
        if buf.ends_with(b"\n") {
            buf.pop();
            if buf.ends_with(b"\r") {
                buf.pop();
            }
        }
        let answer = match std::str::from_utf8(&buf) {
            Err(_) => Err(exit::Error::usage("the line is not UTF-8")),
            Ok(l) if l.trim().is_empty() => continue,
            Ok(l) => parse_line(l).map_err(exit::Error::usage),
        }
        .and_then(|edit| {
            // A session lost earlier (a long server outage) is replaced for this line.
            apply_surviving(&mut session, || connect(cfg), path, &edit, None)
                .map_err(|e| with_path(e, path))
        });
        match answer {
            Ok(w) => out.emit(&set_event(path, &w)),
            Err(e) => {
                if out.json {
                    out.emit(
                        &Event::new("error")
                            .with("line", lineno)
                            .with("code", e.code)
                            .with("message", e.message.clone()),
                    );
                }
                eprintln!("zkdemo: line {lineno}: {e}");
            }
        }
    }
    session.close();
    Ok(exit::OK)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(
            parse_line("a=hello world").unwrap(),
            Edit::Merge(vec![("a".into(), "hello world".into())])
        );
        assert_eq!(
            parse_line("unset a b").unwrap(),
            Edit::Unset(vec!["a".into(), "b".into()])
        );
        assert!(parse_line("unset ").is_err());
        assert!(parse_line("just words").is_err());
        assert!(parse_line("=x").is_err());
    }
}
