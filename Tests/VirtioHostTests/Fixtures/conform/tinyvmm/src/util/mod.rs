pub mod endian;
pub mod mac;
