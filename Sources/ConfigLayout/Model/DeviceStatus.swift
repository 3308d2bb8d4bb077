/// The device status field (virtio 1.4, 2.1 "Device Status Field").
public struct DeviceStatus: OptionSet, Hashable, Sendable, CustomStringConvertible {
    public let rawValue: UInt8

    public init(rawValue: UInt8) {
        self.rawValue = rawValue
    }

    public static let acknowledge = DeviceStatus(rawValue: 1)
    public static let driver = DeviceStatus(rawValue: 2)
    public static let driverOK = DeviceStatus(rawValue: 4)
    public static let featuresOK = DeviceStatus(rawValue: 8)
    /// New in 1.4, with VIRTIO_F_SUSPEND.
    public static let suspend = DeviceStatus(rawValue: 16)
    public static let deviceNeedsReset = DeviceStatus(rawValue: 64)
    public static let failed = DeviceStatus(rawValue: 128)

    /// Each bit with the name the spec gives it, in bit order.
    public static let named: [(name: String, bit: DeviceStatus)] = [
        ("ACKNOWLEDGE", .acknowledge), ("DRIVER", .driver), ("DRIVER_OK", .driverOK), ("FEATURES_OK", .featuresOK),
        ("SUSPEND", .suspend), ("DEVICE_NEEDS_RESET", .deviceNeedsReset), ("FAILED", .failed),
    ]

    /// A single bit by its spec name.
    public init?(name: String) {
        guard let bit = Self.named.first(where: { $0.name == name })?.bit else { return nil }
        self = bit
    }

    /// `ACKNOWLEDGE|DRIVER|FEATURES_OK`, or `0`.
    public var description: String {
        let names = Self.named.filter { contains($0.bit) }.map(\.name)
        let unknown = rawValue & ~Self.named.reduce(0) { $0 | $1.bit.rawValue }
        let parts = names + (unknown != 0 ? ["0x" + String(unknown, radix: 16)] : [])
        return parts.isEmpty ? "0" : parts.joined(separator: "|")
    }
}
