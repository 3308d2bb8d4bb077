//! Device constants grouped in modules, as a VMM keeps them for its vhost-user front ends.

use serde::Deserialize;
use serde::Serialize;
use vm_memory::Le16;
use vm_memory::Le32;
use zerocopy::FromBytes;
use zerocopy::IntoBytes;

pub const DEVICE_SPECIFIC_FEATURES: u64 = 0xfffc_0000_00ff_ffff;

pub mod console {
    use super::*;

    pub const VIRTIO_CONSOLE_F_SIZE: u32 = 0;

    #[derive(Copy, Clone, Debug, Default, FromBytes, IntoBytes)]
    #[repr(C)]
    pub struct virtio_console_config {
        pub cols: Le16,
        pub rows: Le16,
        pub max_nr_ports: Le32,
        pub emerg_wr: Le32,
    }
}

pub mod legacy {
    /// An older console config of only the size, in the host's order.
    #[derive(Copy, Clone, Debug, Default, serde::Serialize)]
    #[repr(C)]
    pub struct virtio_console_config {
        pub cols: u16,
        pub rows: u16,
    }
}

pub mod gpu {
    #[derive(Copy, Clone, Debug, Default, super::Serialize, super::Deserialize)]
    #[repr(C, packed)]
    pub struct virtio_gpu_config {
        pub events_read: data_model::Le32,
        pub events_clear: data_model::Le32,
        pub num_scanouts: data_model::Le32,
        pub num_capsets: data_model::Le32,
    }

    pub fn scanouts(config: &virtio_gpu_config) -> u32 {
        let scanouts = config.num_scanouts;
        scanouts.to_native()
    }
}
