//! `config unset`: remove keys in one compare-and-set write (as `set` merges them).

use clap::Args;

use super::doc;
use super::set::{apply_surviving, set_event, Edit};
use super::{connect, with_path};
use crate::exit;
use crate::output::Output;
use crate::session::SessionConfig;

/// Remove keys from the config in one write.
#[derive(Debug, Args)]
#[command(after_help = "Example:\n  zkdemo config unset color size\n\n\
Keys that are not there are ignored (no write when nothing changes). Exit code 3 when the node \
does not exist, 75 when --expect-version did not match.")]
pub struct UnsetArgs {
    /// The keys to remove (those not in the config are ignored).
    #[arg(required = true, value_name = "KEY")]
    pub keys: Vec<String>,

    /// Write only if the node is at version V now (exit code 75 otherwise).
    #[arg(long, value_name = "V")]
    pub expect_version: Option<i32>,
}

pub fn run_unset(a: &UnsetArgs, path: &str, cfg: &SessionConfig, out: Output) -> exit::Result<i32> {
    for k in &a.keys {
        doc::check_key(k).map_err(|e| exit::Error::usage(format!("{e}; nothing was sent")))?;
    }
    let mut s = connect(cfg)?;
    let edit = Edit::Unset(a.keys.clone());
    let w = apply_surviving(&mut s, || connect(cfg), path, &edit, a.expect_version)
        .map_err(|e| with_path(e, path))?;
    out.emit(&set_event(path, &w));
    s.close();
    Ok(exit::OK)
}
