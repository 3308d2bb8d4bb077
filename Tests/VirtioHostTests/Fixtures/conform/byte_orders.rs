//! Console configs whose byte order the spec does not accept, or that cannot be read.

use std::num::Wrapping;
use vm_memory::Be16;

/// Big-endian sizes: wrong on every interface.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct BigEndianConsole {
    pub cols: Be16,
    pub rows: Be16,
}

/// A counter type that says nothing about its order.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct WrappingConsole {
    pub cols: Wrapping<u16>,
    pub rows: Wrapping<u16>,
}

/// The sizes as raw bytes, which the code orders itself.
#[repr(C)]
#[derive(Clone, Copy)]
pub struct BytesConsole {
    pub cols: [u8; 2],
    pub rows: [u8; 2],
}
