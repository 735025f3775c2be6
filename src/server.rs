//! Local ZooKeeper servers (placeholder: being written).
use crate::cli::GlobalArgs;
use crate::exit::Result;
use crate::output::Output;

/// Run a local ZooKeeper for trying things out.
#[derive(Debug, clap::Args)]
pub struct ServerArgs {}

pub fn run(_args: &ServerArgs, _g: &GlobalArgs, _out: Output) -> Result<i32> {
    Err(crate::exit::Error::failure("not yet"))
}
