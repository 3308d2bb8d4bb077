/// The virtio-pci modern interface (virtio 1.4, 4.1.4): vendor capabilities locate the common
/// configuration, notification, ISR and device configuration structures in the function's BARs, as
/// tests/qtest/libqos/virtio-pci-modern.c finds them.
public final class VirtioPCIModern: VirtioRegisters {
    /// One `virtio_pci_cap`: which structure, in which BAR, where and how long.
    public struct Structure: Sendable, Equatable {
        public let type: UInt8
        public let bar: Int
        public let offset: Int
        public let length: Int
    }

    /// VIRTIO_PCI_CAP_*_CFG.
    public enum StructureType: UInt8, Sendable {
        case common = 1, notify = 2, isr = 3, device = 4, pciConfig = 5
    }

    public let function: PCIFunction
    public let deviceID: Int
    public let structures: [Structure]
    private let common: Structure
    private let device: Structure

    public var transportName: String { "virtio-pci modern" }
    public var isModern: Bool { true }
    public var configWindow: Int { device.length }

    /// The modern interface of a function, or nil when it has no common and device structures.
    public init?(function: PCIFunction, deviceID: Int) throws(HostError) {
        let space = try function.configSnapshot()
        func dword(_ at: Int) -> Int { (0..<4).reduce(0) { $0 | Int(space[at + $1]) << (8 * $1) } }
        var found: [Structure] = []
        for capability in try PCIFunction.capabilities(in: space, address: function.address) where capability.id == 0x09 {
            let at = capability.offset
            guard at + 16 <= space.count else { continue }
            found.append(Structure(type: space[at + 3], bar: Int(space[at + 4]), offset: dword(at + 8), length: dword(at + 12)))
        }
        // The first structure of each type is the one to use (4.1.4: "the driver SHOULD use the first one").
        guard let common = found.first(where: { $0.type == StructureType.common.rawValue }),
              let device = found.first(where: { $0.type == StructureType.device.rawValue }) else { return nil }
        self.function = function
        self.deviceID = deviceID
        self.structures = found
        self.common = common
        self.device = device
    }

    // virtio_pci_common_cfg offsets.
    private enum Common {
        static let deviceFeatureSelect = 0x00, deviceFeature = 0x04, driverFeatureSelect = 0x08, driverFeature = 0x0c
        static let deviceStatus = 0x14, configGeneration = 0x15
    }

    private func commonRead(_ offset: Int, _ width: Int) throws(HostError) -> UInt64 {
        try function.read(bar: common.bar, common.offset + offset, width: width)
    }

    private func commonWrite(_ offset: Int, _ width: Int, _ value: UInt64) throws(HostError) {
        try function.write(bar: common.bar, common.offset + offset, width: width, value)
    }

    public func readStatus() throws(HostError) -> UInt8 { UInt8(try commonRead(Common.deviceStatus, 1)) }
    public func writeStatus(_ value: UInt8) throws(HostError) { try commonWrite(Common.deviceStatus, 1, UInt64(value)) }

    public func readDeviceFeatures(window: Int) throws(HostError) -> UInt32 {
        try commonWrite(Common.deviceFeatureSelect, 4, UInt64(window))
        return UInt32(try commonRead(Common.deviceFeature, 4))
    }

    public func writeDriverFeatures(window: Int, _ value: UInt32) throws(HostError) {
        try commonWrite(Common.driverFeatureSelect, 4, UInt64(window))
        try commonWrite(Common.driverFeature, 4, UInt64(value))
    }

    public func readGeneration() throws(HostError) -> UInt32? { UInt32(try commonRead(Common.configGeneration, 1)) }

    public func readConfig(offset: Int, width: Int) throws(HostError) -> [UInt8] {
        try checkWidth(width, allowed: [1, 2, 4], transport: transportName)
        try checkInside(offset, width)
        return littleEndianBytes(try function.read(bar: device.bar, device.offset + offset, width: width), width: width)
    }

    public func readConfig(_ accesses: [(offset: Int, width: Int)]) throws(HostError) -> [UInt8] {
        try pipelinedRead(function.qtest, accesses) { (offset, width) throws(HostError) in
            try checkWidth(width, allowed: [1, 2, 4], transport: transportName)
            try checkInside(offset, width)
            return try function.location(bar: device.bar, device.offset + offset, width: width)
        }
    }

    public func writeConfig(offset: Int, bytes: [UInt8]) throws(HostError) {
        try checkWidth(bytes.count, allowed: [1, 2, 4], transport: transportName)
        try checkInside(offset, bytes.count)
        try function.write(bar: device.bar, device.offset + offset, width: bytes.count, littleEndianValue(bytes))
    }

    private func checkInside(_ offset: Int, _ width: Int) throws(HostError) {
        guard offset >= 0, offset + width <= device.length else {
            throw HostError(.protocolViolation, "offset \(offset) lies outside the \(device.length)-byte device configuration window")
        }
    }
}
