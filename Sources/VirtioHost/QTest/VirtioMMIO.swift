import VirtioModel

/// A virtio-mmio transport (virtio 1.4, 4.2): a 512-byte register block with the device
/// configuration from 0x100. Version 2 is the modern interface; version 1 is legacy (QEMU's
/// `force-legacy`, on by default), with one feature window and no generation.
public final class VirtioMMIO: VirtioRegisters {
    public let qtest: QTestClient
    public let base: UInt64
    public let version: Int
    public let deviceID: Int

    public var transportName: String { "virtio-mmio v\(version) at 0x\(String(base, radix: 16))" }
    public var isModern: Bool { version >= 2 }
    public var configWindow: Int { 0x100 }

    // virtio-mmio register offsets.
    private enum Register {
        static let magic = 0x000, version = 0x004, deviceID = 0x008, deviceFeatures = 0x010, deviceFeaturesSelect = 0x014
        static let driverFeatures = 0x020, driverFeaturesSelect = 0x024, status = 0x070, generation = 0x0fc, config = 0x100
    }

    /// The transport at `base`, or nil when nothing (or no device) answers there.
    public init?(qtest: QTestClient, base: UInt64) throws(HostError) {
        guard try qtest.memoryRead(4, base + UInt64(Register.magic)) == 0x7472_6976 else { return nil }  // "virt"
        let id = Int(try qtest.memoryRead(4, base + UInt64(Register.deviceID)))
        guard id != 0 else { return nil }
        self.qtest = qtest
        self.base = base
        version = Int(try qtest.memoryRead(4, base + UInt64(Register.version)))
        deviceID = id
    }

    private func read(_ offset: Int, _ width: Int = 4) throws(HostError) -> UInt64 {
        try qtest.memoryRead(width, base + UInt64(offset))
    }

    private func write(_ offset: Int, _ value: UInt64, _ width: Int = 4) throws(HostError) {
        try qtest.memoryWrite(width, base + UInt64(offset), value)
    }

    public func readStatus() throws(HostError) -> UInt8 { UInt8(truncatingIfNeeded: try read(Register.status)) }
    public func writeStatus(_ value: UInt8) throws(HostError) { try write(Register.status, UInt64(value)) }

    public func readDeviceFeatures(window: Int) throws(HostError) -> UInt32 {
        try write(Register.deviceFeaturesSelect, UInt64(window))
        return UInt32(truncatingIfNeeded: try read(Register.deviceFeatures))
    }

    public func writeDriverFeatures(window: Int, _ value: UInt32) throws(HostError) {
        try write(Register.driverFeaturesSelect, UInt64(window))
        try write(Register.driverFeatures, UInt64(value))
    }

    public func readGeneration() throws(HostError) -> UInt32? {
        isModern ? UInt32(truncatingIfNeeded: try read(Register.generation)) : nil
    }

    public func readConfig(offset: Int, width: Int) throws(HostError) -> [UInt8] {
        try checkWidth(width, allowed: [1, 2, 4, 8], transport: transportName)
        try checkInside(offset, width)
        return LittleEndian.bytes(try read(Register.config + offset, width), width: width)
    }

    public func readConfig(_ accesses: [(offset: Int, width: Int)]) throws(HostError) -> [UInt8] {
        try pipelinedRead(qtest, accesses) { (offset, width) throws(HostError) in
            try checkWidth(width, allowed: [1, 2, 4, 8], transport: transportName)
            try checkInside(offset, width)
            return (base + UInt64(Register.config + offset), false)
        }
    }

    public func writeConfig(offset: Int, bytes: [UInt8]) throws(HostError) {
        try checkWidth(bytes.count, allowed: [1, 2, 4, 8], transport: transportName)
        try checkInside(offset, bytes.count)
        try write(Register.config + offset, LittleEndian.value(bytes), bytes.count)
    }

    private func checkInside(_ offset: Int, _ width: Int) throws(HostError) {
        guard offset >= 0, offset + width <= configWindow else {
            throw HostError(.protocolViolation, "offset \(offset) lies outside virtio-mmio's \(configWindow)-byte configuration")
        }
    }
}
