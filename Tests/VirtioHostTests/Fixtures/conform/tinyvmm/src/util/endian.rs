//! Little-endian integers of alignment 1, by short names the devices use.

#[allow(non_camel_case_types)]
mod short_names {
    pub type le16 = zerocopy::U16<zerocopy::LittleEndian>;
    pub type le32 = zerocopy::U32<zerocopy::LE>;
    pub type le64 = zerocopy::little_endian::U64;
}

pub use short_names::*;
