/// How QEMU's memory core cuts an access before a device sees it: `memory_access_size`
/// (softmmu/physmem.c) bounds each piece by the region's largest access (4 bytes for virtio-pci's
/// device configuration) and, for a region that does not take unaligned accesses, by the alignment
/// of its address (`addr & -addr`), rounding down to a power of two. An unaligned read that
/// straddles the end of the configuration therefore reaches virtio as aligned pieces, each judged
/// on its own by `virtio_config_modern_read*`: `readl@10` on a 12-byte config gives `28 23 ff ff`.
/// This is the path of qtest and of KVM's MMIO exits.
public enum QEMUMemoryAccess {
    /// The pieces an access of `count` bytes at `offset` becomes.
    public static func pieces(offset: Int, count: Int, maximum: Int = 4) -> [(offset: Int, width: Int)] {
        guard offset >= 0, count > 0, offset <= Int.max - count else { return [(offset, count)] }
        var pieces: [(offset: Int, width: Int)] = []
        var address = offset
        var left = count
        while left > 0 {
            var limit = maximum
            let alignment = address & -address
            if alignment != 0 && alignment < limit { limit = alignment }
            var width = min(left, limit)
            while width & (width - 1) != 0 { width &= width - 1 }
            pieces.append((address, width))
            address += width
            left -= width
        }
        return pieces
    }

    /// What becomes of a read, judged piece by piece against a configuration of `size` bytes.
    public static func outcome(offset: Int, count: Int, size: Int) -> ReadOutcome {
        let inside = pieces(offset: offset, count: count).map { $0.offset >= 0 && $0.offset + $0.width <= size }
        if inside.allSatisfy({ $0 }) { return .served }
        return inside.contains(true) ? .straddles : .allOnes
    }
}
