//! num_queues patched in at offset 36 with little-endian wrappers: three reserved bytes after
//! writeback where the spec has one.

#[repr(transparent)]
#[derive(Clone, Copy, Default)]
pub struct Le16([u8; 2]);
#[repr(transparent)]
#[derive(Clone, Copy, Default)]
pub struct Le32([u8; 4]);
#[repr(transparent)]
#[derive(Clone, Copy, Default)]
pub struct Le64([u8; 8]);

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Geometry {
    pub cylinders: Le16,
    pub heads: u8,
    pub sectors: u8,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct Topology {
    pub physical_block_exp: u8,
    pub alignment_offset: u8,
    pub min_io_size: Le16,
    pub opt_io_size: Le32,
}

#[repr(C)]
#[derive(Clone, Copy, Default)]
pub struct BlkConfig {
    pub capacity: Le64,
    pub size_max: Le32,
    pub seg_max: Le32,
    pub geometry: Geometry,
    pub blk_size: Le32,
    pub topology: Topology,
    pub writeback: u8,
    pub unused0: [u8; 3],
    pub num_queues: Le16,
}
