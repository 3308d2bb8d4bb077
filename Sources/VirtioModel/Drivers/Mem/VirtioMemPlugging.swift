/// How Linux 6.1's virtio_mem lays out and plugs device memory (drivers/virtio/virtio_mem.c
/// `virtio_mem_init_hotplug`, `virtio_mem_refresh_config`, `virtio_mem_sbm_plug_request`,
/// `virtio_mem_bbm_plug_request`), for a device that acknowledges every request in its usable region,
/// as QEMU's does: which Linux memory blocks it adds, and how much it plugs.
struct VirtioMemPlugging: Equatable {
    /// `memory_block_size_bytes()` on x86-64 below 64 GiB of RAM (arch/x86/mm/init_64.c).
    static let memoryBlock: UInt64 = 128 << 20
    /// `PAGE_SIZE * pageblock_nr_pages`: 2 MiB on x86-64.
    static let pageblock: UInt64 = 2 << 20
    /// `VIRTIO_MEM_DEFAULT_OFFLINE_THRESHOLD`.
    static let defaultOfflineThreshold: UInt64 = 1 << 30

    let addr: UInt64
    let regionSize: UInt64
    let deviceBlockSize: UInt64
    /// Sub-block mode: sub-blocks within Linux memory blocks; else big-block mode.
    let inSBM: Bool
    /// The sub-block size (SBM) or the big-block size (BBM): the unit the driver plugs.
    let unit: UInt64
    /// The first block id (memory block in SBM, big block in BBM) the driver may use.
    let firstBlock: UInt64
    /// How much added memory may sit offline before the driver stops adding more.
    let offlineThreshold: UInt64
    /// Blocks added so far, from `firstBlock` up, and the bytes plugged in them.
    private(set) var addedBlocks: UInt64 = 0
    private(set) var plugged: UInt64 = 0
    /// Of the added memory, how much has not been onlined.
    private(set) var offline: UInt64 = 0

    /// `virtio_mem_init_hotplug` without a `bbm_block_size` parameter or `force_bbm`.
    init(addr: UInt64, regionSize: UInt64, deviceBlockSize: UInt64) {
        self.addr = addr
        self.regionSize = regionSize
        self.deviceBlockSize = deviceBlockSize
        let subblock = max(deviceBlockSize, Self.pageblock)
        inSBM = subblock < Self.memoryBlock
        unit = inSBM ? subblock : max(deviceBlockSize, Self.memoryBlock)
        // "Round up to the next full memory block" (or aligned big block).
        let blockSize = inSBM ? Self.memoryBlock : unit
        firstBlock = blockSize == 0 ? 0 : (addr &+ blockSize &- 1) / blockSize
        offlineThreshold = inSBM ? max(2 * Self.memoryBlock, Self.defaultOfflineThreshold)
            : max(2 * unit, max(2 * Self.memoryBlock, Self.defaultOfflineThreshold))
    }

    /// The bytes of one added block: a Linux memory block, or a big block.
    var blockSize: UInt64 { inSBM ? Self.memoryBlock : unit }

    /// The warnings `virtio_mem_init_hotplug` gives for a start or end off a memory block.
    var alignmentWarnings: [String] {
        var lines: [String] = []
        if addr % Self.memoryBlock != 0 {
            lines.append("The alignment of the physical start address can make some memory unusable.")
        }
        if (addr &+ regionSize) % Self.memoryBlock != 0 {
            lines.append("The alignment of the physical end address can make some memory unusable.")
        }
        return lines
    }

    /// The last block id the usable region reaches (`virtio_mem_refresh_config`); nil when none.
    func lastUsableBlock(usableRegionSize: UInt64) -> UInt64? {
        guard usableRegionSize > 0 else { return nil }
        let end = addr &+ usableRegionSize &- 1
        let last = end / blockSize
        if (end &+ 1) % blockSize == 0 { return last }
        return last == 0 ? nil : last - 1
    }

    /// The worker's plugging toward `requested` (`virtio_mem_run_wq`): the difference in whole units,
    /// each block taking as many units as it holds, until the request is met, the usable region
    /// ends, or the offline memory reaches the threshold (-ENOSPC until the user onlines some).
    mutating func plug(toward requested: UInt64, usableRegionSize: UInt64) {
        guard requested > plugged, unit > 0 else { return }
        var units = (requested - plugged) / unit
        let perBlock = blockSize / unit
        // A partly plugged block takes units first (SBM: `virtio_mem_sbm_plug_any_sb`); it counts as
        // offline memory, whole, from when it was added (`virtio_mem_add_memory`).
        if inSBM, addedBlocks > 0 {
            let taken = min(addedBlocks * perBlock - plugged / unit, units)
            plugged += taken * unit
            units -= taken
        }
        let last = lastUsableBlock(usableRegionSize: usableRegionSize)
        while units > 0, let last, firstBlock + addedBlocks <= last, offline + blockSize <= offlineThreshold {
            let taken = min(units, perBlock)
            addedBlocks += 1
            plugged += taken * unit
            offline += blockSize
            units -= taken
        }
    }

    /// The user onlines every added block (writing `online` to each memoryN/state).
    mutating func onlineAll() { offline = 0 }

    /// The added memory as /proc/iomem shows it under the device: one merged range
    /// ("System RAM (virtio_mem)", MHP_MERGE_RESOURCE), or nil.
    var systemRAM: (start: UInt64, end: UInt64)? {
        guard addedBlocks > 0 else { return nil }
        let start = firstBlock * blockSize
        return (start, start + addedBlocks * blockSize - 1)
    }

    /// The Linux memory blocks (memoryN) of the added memory.
    var memoryBlocks: [UInt64] {
        guard let range = systemRAM else { return [] }
        return Array(range.start / Self.memoryBlock...range.end / Self.memoryBlock)
    }
}
