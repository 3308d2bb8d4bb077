use zerocopy::{Immutable, IntoBytes, KnownLayout};

/// Bytes in a file system's tag.
pub const TAG_LEN: usize = 36;

/// The tag, then how many request queues: the short names come from the crate root's re-export.
#[repr(C)]
#[derive(IntoBytes, Immutable, KnownLayout)]
pub struct FsConfig {
    pub tag: [u8; TAG_LEN],
    pub num_request_queues: crate::le32,
}
