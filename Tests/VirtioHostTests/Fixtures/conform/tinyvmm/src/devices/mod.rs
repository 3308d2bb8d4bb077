pub mod block;
pub mod fs;
pub mod net;

/// The most queues any device here has.
pub const QUEUE_MAX: usize = 256;

pub trait Device {
    fn read_config(&self, offset: u64, data: &mut [u8]);
}
