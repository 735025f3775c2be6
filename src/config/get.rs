//! `config get`: the document, or one key's value.

use clap::Args;

use super::connect;
use super::doc::{self, Doc};
use super::watch::snapshot_event;
use crate::exit;
use crate::output::{Event, Output};
use crate::session::SessionConfig;

/// Print the config, or the value of one key.
#[derive(Debug, Args)]
#[command(after_help = "Examples:\n  \
zkdemo config get              # key=value lines\n  \
zkdemo config get color        # the value alone, for scripts: $(zkdemo config get color)\n  \
zkdemo config get --raw        # the data exactly as stored (bytes, no newline added)\n  \
zkdemo --json config get       # version, mzxid and the data as an object\n\n\
Exit codes: 3 when the node or the key does not exist, 65 when a key is asked of data that \
is not key=value.")]
pub struct GetArgs {
    /// Print only this key's value.
    #[arg(value_name = "KEY")]
    pub key: Option<String>,

    /// Print the data exactly as stored, whatever it holds (no newline added, nothing escaped).
    #[arg(long, conflicts_with = "key")]
    pub raw: bool,
}

pub fn run_get(a: &GetArgs, path: &str, cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    if let Some(k) = &a.key {
        doc::check_key(k).map_err(exit::Error::usage)?;
    }
    let s = connect(cfg)?;
    let (data, stat) = s
        .get_data(path)
        .map_err(|e| e.to_exit(&format!("reading {path}")))?;
    s.close();
    if a.raw {
        crate::output::print_bytes(&data);
        return Ok(exit::OK);
    }
    let d = Doc::parse(&data);
    match &a.key {
        None => {
            if out.json {
                out.emit(&snapshot_event(path, &d, stat.version, stat.mzxid));
            } else if !out.quiet {
                for line in d.to_lines() {
                    crate::output::print(&format!("{line}\n"));
                }
            }
        }
        Some(k) => {
            let Doc::Keys(keys) = &d else {
                return Err(exit::Error::new(
                    exit::DATA,
                    format!("{path} holds data that is not key=value lines"),
                ));
            };
            let Some(v) = keys.get(k) else {
                return Err(exit::Error::new(
                    exit::NOT_FOUND,
                    format!("{path} has no key {k:?}"),
                ));
            };
            out.emit(
                &Event::new("value")
                    .with("path", path)
                    .with("key", k.as_str())
                    .with("value", v.as_str())
                    .with("version", stat.version)
                    .text(v.clone()),
            );
        }
    }
    Ok(exit::OK)
}
