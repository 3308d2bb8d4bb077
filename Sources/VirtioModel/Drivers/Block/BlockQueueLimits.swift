/// The queue limits Linux 6.1's block layer keeps for a disk, set the way virtio_blk sets them
/// (block/blk-settings.c). The arithmetic is the kernel's: 32-bit limits, and the setters' own
/// rules (a physical block never smaller than a logical one, a minimum I/O never smaller than
/// either).
struct BlockQueueLimits: Equatable {
    // blk_set_default_limits.
    var logicalBlockSize: UInt32 = 512
    var physicalBlockSize: UInt32 = 512
    var ioMin: UInt32 = 512
    var ioOpt: UInt32 = 0
    var alignmentOffset: UInt32 = 0
    var maxDiscardSectors: UInt32 = 0
    var maxWriteZeroesSectors: UInt32 = 0
    var discardGranularity: UInt32 = 0

    /// blk_queue_logical_block_size.
    mutating func setLogicalBlockSize(_ size: UInt32) {
        logicalBlockSize = size
        if physicalBlockSize < size { physicalBlockSize = size }
        if ioMin < physicalBlockSize { ioMin = physicalBlockSize }
    }

    /// blk_queue_physical_block_size.
    mutating func setPhysicalBlockSize(_ size: UInt32) {
        physicalBlockSize = size
        if physicalBlockSize < logicalBlockSize { physicalBlockSize = logicalBlockSize }
        if ioMin < physicalBlockSize { ioMin = physicalBlockSize }
    }

    /// blk_queue_alignment_offset: "offset & (q->limits.physical_block_size - 1)".
    mutating func setAlignmentOffset(_ offset: UInt32) {
        alignmentOffset = offset & (physicalBlockSize &- 1)
    }

    /// blk_queue_io_min (blk_limits_io_min).
    mutating func setIOMin(_ size: UInt32) {
        ioMin = size
        if ioMin < logicalBlockSize { ioMin = logicalBlockSize }
        if ioMin < physicalBlockSize { ioMin = physicalBlockSize }
    }

    /// blk_queue_io_opt (blk_limits_io_opt).
    mutating func setIOOpt(_ size: UInt32) { ioOpt = size }

    /// blk_queue_max_discard_sectors: the hardware and the current limit alike.
    mutating func setMaxDiscardSectors(_ sectors: UInt32) { maxDiscardSectors = sectors }

    /// blk_queue_max_write_zeroes_sectors.
    mutating func setMaxWriteZeroesSectors(_ sectors: UInt32) { maxWriteZeroesSectors = sectors }

    /// blk_validate_block_size (include/linux/blkdev.h): a power of two from 512 to PAGE_SIZE.
    static func isValidBlockSize(_ size: UInt32, pageSize: UInt32 = 4096) -> Bool {
        size >= 512 && size <= pageSize && size & (size - 1) == 0
    }
}
