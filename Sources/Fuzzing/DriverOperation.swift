import ConfigLayout
import VirtioModel

/// One thing a driver (or a broken one) can do to a device: status and feature accesses, config
/// reads and writes at any offset and width, resets.
public enum DriverOperation: Sendable, CustomStringConvertible {
    case writeStatus(UInt8)
    case readDeviceFeatures(select: Int)
    case writeDriverFeatures(select: Int, UInt32)
    case setFeatures(UInt64)
    case read(offset: Int, width: Int)
    case write(offset: Int, bytes: [UInt8])
    case readGeneration
    case reset

    /// A random operation: the status bits and feature windows real drivers use, and some no
    /// driver should; offsets inside, at the edge of and far outside a space of `configSize` bytes.
    public static func random(_ random: inout SplitMix64, configSize: Int) -> DriverOperation {
        func draw(_ bound: Int) -> Int { Int(random.next() % UInt64(max(1, bound))) }
        let offsets = [draw(configSize + 1), max(0, configSize - 1 - draw(4)), configSize, -1 - draw(4),
                       Int.max - draw(4), Int.min]
        let statuses: [UInt8] = [0x01, 0x03, 0x0B, 0x0F, 0x80, 0x40, 0x07, 0x09]
        switch draw(10) {
        case 0: return .writeStatus(draw(3) == 0 ? UInt8(truncatingIfNeeded: random.next()) : statuses[draw(statuses.count)])
        case 1: return .readDeviceFeatures(select: draw(7) - 1)
        case 2: return .writeDriverFeatures(select: draw(7) - 1, UInt32(truncatingIfNeeded: random.next()))
        case 3: return .setFeatures(random.next() & (draw(2) == 0 ? 0x1_0000_FFFF : UInt64.max))
        case 4, 5, 6: return .read(offset: offsets[draw(offsets.count)], width: [1, 2, 4, 8, draw(40)][draw(5)])
        case 7: return .write(offset: offsets[draw(3)], bytes: (0..<[1, 2, 4, 6][draw(4)]).map { _ in UInt8(truncatingIfNeeded: random.next()) })
        case 8: return .readGeneration
        default: return .reset
        }
    }

    public var description: String {
        switch self {
        case .writeStatus(let value): "write status 0x\(String(value, radix: 16))"
        case .readDeviceFeatures(let select): "read device features window \(select)"
        case .writeDriverFeatures(let select, let value): "write driver features window \(select) = 0x\(String(value, radix: 16))"
        case .setFeatures(let value): "set features 0x\(String(value, radix: 16))"
        case .read(let offset, let width): "read \(width) bytes at \(offset)"
        case .write(let offset, let bytes): "write \(bytes.count) bytes at \(offset)"
        case .readGeneration: "read config generation"
        case .reset: "reset"
        }
    }
}
