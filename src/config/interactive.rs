//! `config set` without pairs: the original config_updater.py, interactive. Each line of stdin is one edit,
//! written at once (with `set`'s compare-and-set) and answered with the new version.

use std::io::{BufRead, Write};

use super::doc;
use super::set::{apply_surviving, set_event, Edit};
use super::{connect, with_path};
use crate::exit;
use crate::output::{Event, Output};
use crate::session::SessionConfig;

/// One line of interactive input (`raw`: the whole line is the new data).
fn parse_line(line: &str, raw: bool) -> Result<Edit, String> {
    if raw {
        return Ok(Edit::Raw(line.as_bytes().to_vec()));
    }
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
    // The line's hint says what the key check's own "(write key=value)" says: once is enough.
    let pair = doc::parse_pair(line).map_err(|e| {
        format!(
            "{} (write key=value, or unset KEY; `zkdemo config set --raw` takes whole lines \
             as the value)",
            e.strip_suffix(" (write key=value)").unwrap_or(&e)
        )
    })?;
    Ok(Edit::Merge(vec![pair]))
}

/// The original config_updater.py, interactive: a line in, a write out, an answer back.
/// `raw`: each line replaces the whole data. Exit code: 0, or, when stdin is not a terminal
/// and a line was refused, the first refused line's (a script cannot read our answers).
pub(super) fn run(path: &str, cfg: &SessionConfig, out: Output, raw: bool) -> exit::Result<i32> {
    // SAFETY: isatty only inspects the descriptor.
    let terminal = unsafe { libc::isatty(libc::STDIN_FILENO) } == 1;
    // Not under --json: stdout must stay one JSON object per line.
    let prompt = terminal && !out.json;
    let mut first_refused: Option<i32> = None;
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
            Ok(l) if l.trim().is_empty() && !raw => continue,
            Ok(l) => parse_line(l, raw).map_err(exit::Error::usage),
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
                first_refused.get_or_insert(e.code);
            }
        }
    }
    session.close();
    Ok(match first_refused {
        Some(code) if !terminal => code,
        _ => exit::OK,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines() {
        assert_eq!(
            parse_line("a=hello world", false).unwrap(),
            Edit::Merge(vec![("a".into(), "hello world".into())])
        );
        assert_eq!(
            parse_line("unset a b", false).unwrap(),
            Edit::Unset(vec!["a".into(), "b".into()])
        );
        assert!(parse_line("unset ", false).is_err());
        assert!(parse_line("just words", false).is_err());
        // The hint once (it read "empty key (write key=value) (write key=value, or unset …").
        let e = parse_line("=x", false).unwrap_err();
        assert_eq!(e.matches("write key=value").count(), 1, "{e}");
        assert!(
            e.starts_with("empty key (write key=value, or unset KEY;"),
            "{e}"
        );
        assert_eq!(
            parse_line("just words", true).unwrap(),
            Edit::Raw(b"just words".to_vec())
        );
    }
}
