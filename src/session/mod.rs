//! The session layer: the only code that touches the `zookeeper` crate's handle.
mod params;

pub use params::{parse_path_arg, validate_path, Auth, ConnectString};

/// Set up logging on stderr (placeholder).
pub fn init_logging(_verbose: u8, _quiet: bool) {}
