//! A config whose member comes from a crate cfgspace knows nothing of.

use net_types::MacAddress;

#[repr(C)]
pub struct NetConfig {
    pub mac: MacAddress,
    pub status: u16,
}
