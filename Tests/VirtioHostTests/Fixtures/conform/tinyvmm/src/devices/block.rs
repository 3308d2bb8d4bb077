use vm_memory::{ByteValued, Le64};

/// Only the capacity: the device offers FLUSH and RO, which need no other field.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
#[repr(C)]
pub struct BlockConfigSpace {
    pub capacity: Le64,
}

// SAFETY: one little-endian integer.
unsafe impl ByteValued for BlockConfigSpace {}

/// The same, for a device that also offers SEG_MAX, but still without seg_max: too short.
#[derive(Debug, Default, Clone, Copy)]
#[repr(C)]
pub struct SegMaxConfigSpace {
    pub capacity: Le64,
    pub size_max: vm_memory::Le32,
}

pub fn sectors(config: &BlockConfigSpace) -> u64 {
    config.capacity.to_native()
}
