use serde::{Deserialize, Serialize};
use vm_memory::ByteValued;

use super::{Device, QUEUE_MAX};
use crate::util::mac::Mac;

/// What the guest reads: the MAC at 0, then status and max_virtqueue_pairs kept for their place
/// (the device offers neither), then the MTU.
#[derive(Clone, Copy, Debug, Default, Serialize, Deserialize)]
#[repr(C)]
pub struct NetConfigSpace {
    #[serde(rename = "mac")]
    pub guest_mac: Mac,
    _status: u16,
    _max_virtqueue_pairs: u16,
    pub mtu: u16,
}

// SAFETY: plain data, no padding.
unsafe impl ByteValued for NetConfigSpace {}

pub struct Net {
    config: NetConfigSpace,
    queues: [u16; QUEUE_MAX],
}

impl Device for Net {
    fn read_config(&self, offset: u64, data: &mut [u8]) {
        let bytes = self.config.as_slice();
        if let Some(start) = usize::try_from(offset).ok()
            && let Some(source) = bytes.get(start..start + data.len())
        {
            data.copy_from_slice(source);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn size() {
        assert_eq!(std::mem::size_of::<NetConfigSpace>(), 12);
    }
}
