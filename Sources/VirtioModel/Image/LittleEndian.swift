/// Numbers to and from bytes, least significant byte first, as virtio's config fields (once
/// VERSION_1 is negotiated), PCI registers and vhost-user messages carry them: one home for every
/// layer that reads or writes them.
public enum LittleEndian {
    /// The value of up to eight bytes, least significant first.
    public static func value(_ bytes: some Sequence<UInt8>) -> UInt64 {
        var value: UInt64 = 0
        for (index, byte) in bytes.enumerated() { value |= UInt64(byte) << (8 * UInt64(index)) }
        return value
    }

    /// The value of up to eight bytes in either order: little-endian, or big-endian (a legacy
    /// device on a big-endian host, a big-endian field).
    public static func value(_ bytes: [UInt8], littleEndian: Bool) -> UInt64 {
        littleEndian ? value(bytes) : value(bytes.reversed())
    }

    /// `width` bytes of a value, least significant first.
    public static func bytes(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }
}
