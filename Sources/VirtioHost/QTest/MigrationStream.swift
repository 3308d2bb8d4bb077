/// QEMU's migration stream as a witness of a device's exact configuration length.
///
/// Reads alone cannot tell it: bytes past the end read all-ones, and so may the last bytes inside
/// (net's duplex is 0xff when unknown). But `virtio_save` (hw/virtio/virtio.c) writes, after the
/// transport's own state, `status` (u8), `isr` (u8), `queue_sel` (be16), the low 32 bits of the guest
/// features (be32), then `config_len` (be32) and the `config_len` bytes of `vdev->config`, which every
/// config read refreshes through `get_config`. A device's section starts with its idstr
/// (`0000:00:02.0/virtio-net`). The length is where status, features and the bytes just read line up.
public enum MigrationStream {
    /// Where the stream says the device's configuration ends, or nil when no single place matches.
    ///
    /// - Parameters:
    ///   - stream: the whole migration stream.
    ///   - idPrefix: the start of the device's section idstr (`0000:00:02.0/`), or nil to search it all.
    ///   - status: the device status at the time of migration.
    ///   - featuresLow: the low 32 bits of the driver features the device holds.
    ///   - served: the configuration bytes read just before, from offset 0 (more than its length is fine).
    ///   - atLeast: a lower bound on the length (the end of the last byte that is not 0xff).
    public static func configLength(in stream: [UInt8], idPrefix: String?, status: UInt8, featuresLow: UInt32,
                                    served: [UInt8], atLeast: Int) -> Int? {
        let start = idPrefix.flatMap { sectionStart(in: stream, idPrefix: $0) } ?? 0
        var lengths = Set<Int>()
        let featureBytes = bigEndian(UInt64(featuresLow), width: 4)
        var index = start + 8
        while index + 4 <= stream.count {
            defer { index += 1 }
            let length = Int(stream[index]) << 24 | Int(stream[index + 1]) << 16 | Int(stream[index + 2]) << 8 | Int(stream[index + 3])
            guard length >= atLeast, length <= served.count, index + 4 + length <= stream.count,
                  stream[index - 8] == status, Array(stream[index - 4..<index]) == featureBytes,
                  stream[index + 4..<index + 4 + length].elementsEqual(served.prefix(length)) else { continue }
            lengths.insert(length)
            // The first match inside the device's own section is the device's.
            if idPrefix != nil && start > 0 { break }
        }
        return lengths.count == 1 ? lengths.first : nil
    }

    /// The offset just past a section header whose idstr starts with `idPrefix`: QEMU_VM_SECTION_FULL
    /// (4), section id (be32), idstr length (u8), idstr, instance id (be32), version id (be32).
    static func sectionStart(in stream: [UInt8], idPrefix: String) -> Int? {
        let prefix = Array(idPrefix.utf8)
        guard let first = prefix.first, stream.count > 6 else { return nil }
        var index = 6
        while index + prefix.count <= stream.count {
            defer { index += 1 }
            guard stream[index] == first, stream[index - 6] == 4,
                  stream[index..<index + prefix.count].elementsEqual(prefix) else { continue }
            let length = Int(stream[index - 1])
            let end = index + length + 8
            guard length >= prefix.count, end <= stream.count else { continue }
            return end
        }
        return nil
    }

    private static func bigEndian(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).reversed().map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
