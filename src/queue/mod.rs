//! The sequential-node queue that `lock` and `elect` stand on.
pub mod name;
