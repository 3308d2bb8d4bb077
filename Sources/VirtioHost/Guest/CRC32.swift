import Rendering

/// zlib's CRC-32 (reflected, polynomial 0xEDB88320): what busybox's `crc32` prints for the guest's
/// first block, computed here from the bytes the disk was made with.
enum CRC32 {
    private static let table: [UInt32] = (0..<256).map { index in
        var value = UInt32(index)
        for _ in 0..<8 { value = value & 1 != 0 ? (value >> 1) ^ 0xEDB8_8320 : value >> 1 }
        return value
    }

    static func of(_ bytes: [UInt8]) -> UInt32 {
        var crc: UInt32 = 0xFFFF_FFFF
        for byte in bytes { crc = table[Int((crc ^ UInt32(byte)) & 0xff)] ^ (crc >> 8) }
        return ~crc
    }

    /// Eight lowercase hex digits.
    static func hex(_ value: UInt32) -> String { hexDigits(value, count: 8) }
}
