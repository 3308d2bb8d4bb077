import ConfigLayout

/// A device's registers as a front-end presents them to a guest: the configuration bytes it shows at
/// each offset (QEMU's vhost-user-blk over cfgspace's served config, say), the features it offers,
/// and a status register and feature windows that keep what the driver writes. A driver model
/// probes it through `RemoteDevice`, the seam a real device sits behind, so its reads meet exactly
/// the bytes the guest's driver will meet.
public final class PresentedRegisters: RegisterPort {
    public let label: String
    public var failure: String? { nil }
    private let offered: FeatureSet
    private var bytes: [UInt8]
    private var generation: UInt32 = 0
    private var status: UInt8 = 0
    private var driverWindows = [UInt32](repeating: 0, count: DeviceModel.featureWindows)

    public init(label: String, offered: FeatureSet, bytes: [UInt8]) {
        self.label = label
        self.offered = offered
        self.bytes = bytes
    }

    public func readStatus() -> UInt8 { status }

    public func writeStatus(_ value: UInt8) {
        status = value
        if value == 0 { driverWindows = [UInt32](repeating: 0, count: DeviceModel.featureWindows) }
    }

    public func readDeviceFeatures(window: Int) -> UInt32 { offered.window(window) }

    public func writeDriverFeatures(window: Int, _ value: UInt32) {
        if driverWindows.indices.contains(window) { driverWindows[window] = value }
    }

    /// Moves only when `present` changes the bytes.
    public func readGeneration() -> UInt32 { generation }

    /// A config change: new bytes, and a new generation.
    public func present(_ bytes: [UInt8]) {
        self.bytes = bytes
        generation &+= 1
    }

    /// The presented bytes; all ones past them, as QEMU's virtio-pci answers.
    public func readConfig(offset: Int, count: Int) -> [UInt8] {
        (offset..<offset + max(0, count)).map { $0 >= 0 && $0 < bytes.count ? bytes[$0] : 0xff }
    }

    /// Writes are not presented back: the front-end decides what a write does, and the models that
    /// use these registers only read.
    public func writeConfig(offset: Int, bytes: [UInt8]) {}
}
