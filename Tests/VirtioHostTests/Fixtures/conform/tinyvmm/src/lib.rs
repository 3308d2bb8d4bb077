//! tinyvmm: devices in their own modules, helpers elsewhere, names re-exported from the root.

pub mod devices;
pub mod util;

pub use util::endian::*;

/// The crate's own error type, which nothing in a config struct uses.
#[derive(Debug)]
pub enum Error {
    Io(std::io::Error),
    BadConfig { offset: u64 },
}
