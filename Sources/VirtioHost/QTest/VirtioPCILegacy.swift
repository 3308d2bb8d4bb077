import VirtioModel

/// The legacy interface of a transitional virtio-pci device (virtio 1.4, 4.1.4.10): registers in I/O
/// BAR 0, one 32-bit feature window, no FEATURES_OK and no generation, and the device configuration
/// at offset 20, or at 24 once MSI-X is enabled (the two vector registers sit in between).
public final class VirtioPCILegacy: VirtioRegisters {
    public let function: PCIFunction
    public let deviceID: Int
    /// Where the device configuration starts in BAR 0.
    public let configOffset: Int
    private let barSize: Int

    public var transportName: String { "virtio-pci legacy (config at \(configOffset))" }
    public var isModern: Bool { false }
    public var configWindow: Int { barSize - configOffset }

    public init?(function: PCIFunction, deviceID: Int, msixEnabled: Bool) {
        guard let bar = function.bars[0], bar.kind == .io else { return nil }
        self.function = function
        self.deviceID = deviceID
        configOffset = msixEnabled ? 24 : 20
        barSize = Int(bar.size)
    }

    // VIRTIO_PCI_* legacy register offsets.
    private enum Register {
        static let hostFeatures = 0, guestFeatures = 4, status = 18
    }

    public func readStatus() throws(HostError) -> UInt8 { UInt8(try function.read(bar: 0, Register.status, width: 1)) }
    public func writeStatus(_ value: UInt8) throws(HostError) { try function.write(bar: 0, Register.status, width: 1, UInt64(value)) }

    public func readDeviceFeatures(window: Int) throws(HostError) -> UInt32 {
        window == 0 ? UInt32(try function.read(bar: 0, Register.hostFeatures, width: 4)) : 0
    }

    public func writeDriverFeatures(window: Int, _ value: UInt32) throws(HostError) {
        guard window == 0 else { return }
        try function.write(bar: 0, Register.guestFeatures, width: 4, UInt64(value))
    }

    public func readGeneration() throws(HostError) -> UInt32? { nil }

    public func readConfig(offset: Int, width: Int) throws(HostError) -> [UInt8] {
        try checkWidth(width, allowed: [1, 2, 4], transport: transportName)
        return LittleEndian.bytes(try function.read(bar: 0, configOffset + offset, width: width), width: width)
    }

    public func readConfig(_ accesses: [(offset: Int, width: Int)]) throws(HostError) -> [UInt8] {
        try pipelinedRead(function.qtest, accesses) { (offset, width) throws(HostError) in
            try checkWidth(width, allowed: [1, 2, 4], transport: transportName)
            return try function.location(bar: 0, configOffset + offset, width: width)
        }
    }

    public func writeConfig(offset: Int, bytes: [UInt8]) throws(HostError) {
        try checkWidth(bytes.count, allowed: [1, 2, 4], transport: transportName)
        try function.write(bar: 0, configOffset + offset, width: bytes.count, LittleEndian.value(bytes))
    }
}
