import ConfigLayout
import VirtioModel
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
        func dword(_ at: Int) -> Int { Int(LittleEndian.value(space[at..<at + 4])) }
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
        static let numQueues = 0x12, deviceStatus = 0x14, configGeneration = 0x15
        static let queueSelect = 0x16, queueSize = 0x18, queueEnable = 0x1c
        static let queueDescriptors = 0x20, queueDriver = 0x28, queueDevice = 0x30
    }

    /// How many queues the device has (common configuration `num_queues`).
    public func queueCount() throws(HostError) -> Int { Int(try commonRead(Common.numQueues, 2)) }

    /// Queue `index`'s size as `vp_modern_get_queue_size` reads it: queue_select, then queue_size.
    public func queueSize(_ index: Int) throws(HostError) -> Int? {
        try commonWrite(Common.queueSelect, 2, UInt64(index))
        return Int(try commonRead(Common.queueSize, 2))
    }

    /// Gives each of the first `count` queues empty rings in guest memory from `base`, 64 KiB a
    /// queue (descriptors, then the driver area at +16 KiB and the device area at +32 KiB), and
    /// enables it: what a driver does before DRIVER_OK. No buffer is ever made available.
    public func enableQueues(_ count: Int, at base: UInt64) throws(HostError) {
        for index in 0..<count {
            try commonWrite(Common.queueSelect, 2, UInt64(index))
            let size = try commonRead(Common.queueSize, 2)
            guard size > 0 else { continue }
            let area = base + UInt64(index) * 0x1_0000
            for (offset, address) in [(Common.queueDescriptors, area), (Common.queueDriver, area + 0x4000),
                                      (Common.queueDevice, area + 0x8000)] {
                try commonWrite(offset, 4, address & 0xffff_ffff)
                try commonWrite(offset + 4, 4, address >> 32)
            }
            try commonWrite(Common.queueEnable, 2, 1)
        }
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
        return LittleEndian.bytes(try function.read(bar: device.bar, device.offset + offset, width: width), width: width)
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
        try function.write(bar: device.bar, device.offset + offset, width: bytes.count, LittleEndian.value(bytes))
    }

    private func checkInside(_ offset: Int, _ width: Int) throws(HostError) {
        guard offset >= 0, offset + width <= device.length else {
            throw HostError(.protocolViolation, "offset \(offset) lies outside the \(device.length)-byte device configuration window")
        }
    }
}

extension VirtioPCIModern {
    /// Drives the device to DRIVER_OK as a minimal driver would: reset, ACKNOWLEDGE and DRIVER, the
    /// driver features, FEATURES_OK (checked), empty rings for every queue, DRIVER_OK. Whether the
    /// device kept FEATURES_OK. A vhost-user front-end starts its back-end here.
    @discardableResult
    public func start(accepting features: FeatureSet, ringsAt base: UInt64 = 0x20_0000) throws(HostError) -> Bool {
        try reset()
        try writeStatus(DeviceStatus.acknowledge.rawValue)
        try writeStatus(DeviceStatus([.acknowledge, .driver]).rawValue)
        for window in 0..<2 { try writeDriverFeatures(window: window, features.window(window)) }
        try writeStatus(DeviceStatus([.acknowledge, .driver, .featuresOK]).rawValue)
        guard DeviceStatus(rawValue: try readStatus()).contains(.featuresOK) else { return false }
        try enableQueues(try queueCount(), at: base)
        try writeStatus(DeviceStatus([.acknowledge, .driver, .featuresOK, .driverOK]).rawValue)
        return true
    }
}
