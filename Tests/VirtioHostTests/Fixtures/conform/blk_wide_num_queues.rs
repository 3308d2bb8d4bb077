//! A virtio-blk config as a Rust VMM might declare it by hand: num_queues as a u32, so every field
//! after it lands 2 bytes late, and raw integers where the spec says little-endian.

#[repr(C, packed)]
#[derive(Clone, Copy, Default)]
pub struct BlkGeometry {
    pub cylinders: u16,
    pub heads: u8,
    pub sectors: u8,
}

#[repr(C, packed)]
#[derive(Clone, Copy, Default)]
pub struct BlkTopology {
    pub physical_block_exp: u8,
    pub alignment_offset: u8,
    pub min_io_size: u16,
    pub opt_io_size: u32,
}

#[repr(C, packed)]
#[derive(Clone, Copy, Default)]
pub struct VirtioBlockConfig {
    pub capacity: u64,
    pub size_max: u32,
    pub seg_max: u32,
    pub geometry: BlkGeometry,
    pub blk_size: u32,
    pub topology: BlkTopology,
    pub writeback: u8,
    pub unused0: u8,
    pub num_queues: u32,
    pub max_discard_sectors: u32,
    pub max_discard_seg: u32,
    pub discard_sector_alignment: u32,
    pub max_write_zeroes_sectors: u32,
    pub max_write_zeroes_seg: u32,
    pub write_zeroes_may_unmap: u8,
    pub unused1: [u8; 3],
}
