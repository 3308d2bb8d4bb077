import VirtioModel

/// A virtio device's registers as a driver reaches them through one transport: status, the 32-bit
/// feature windows, the configuration generation and device configuration accesses. The virtio-pci
/// modern and legacy interfaces and virtio-mmio each implement it; everything above (the probe, the
/// runtime's driver models) is written once against it.
public protocol VirtioRegisters: AnyObject {
    /// `virtio-pci modern`, `virtio-pci legacy (config at 20)`, `virtio-mmio v2`.
    var transportName: String { get }
    /// The virtio device ID the transport reports.
    var deviceID: Int { get }
    /// Whether this is a modern interface (feature windows beyond 0, FEATURES_OK, a generation).
    var isModern: Bool { get }
    /// How many bytes the transport's device-configuration window spans: an upper bound on the
    /// configuration, not its length.
    var configWindow: Int { get }

    func readStatus() throws(HostError) -> UInt8
    func writeStatus(_ value: UInt8) throws(HostError)
    func readDeviceFeatures(window: Int) throws(HostError) -> UInt32
    func writeDriverFeatures(window: Int, _ value: UInt32) throws(HostError)
    /// The configuration generation; nil where the interface has none (legacy).
    func readGeneration() throws(HostError) -> UInt32?
    /// One access of 1, 2 or 4 bytes (8 on virtio-mmio) at `offset` into the device configuration;
    /// the bytes as they lie in configuration space.
    func readConfig(offset: Int, width: Int) throws(HostError) -> [UInt8]
    func writeConfig(offset: Int, bytes: [UInt8]) throws(HostError)
    /// Many configuration reads in one exchange, their bytes in order.
    func readConfig(_ accesses: [(offset: Int, width: Int)]) throws(HostError) -> [UInt8]
    /// The ring size of queue `index`; nil where the interface is not read for it.
    func queueSize(_ index: Int) throws(HostError) -> Int?
}

extension VirtioRegisters {
    public func queueSize(_ index: Int) throws(HostError) -> Int? { nil }

    public func readConfig(_ accesses: [(offset: Int, width: Int)]) throws(HostError) -> [UInt8] {
        var bytes: [UInt8] = []
        for access in accesses { bytes += try readConfig(offset: access.offset, width: access.width) }
        return bytes
    }

    /// Pipelined reads through qtest at the addresses `locate` gives.
    func pipelinedRead(_ qtest: QTestClient, _ accesses: [(offset: Int, width: Int)],
                       locate: (Int, Int) throws(HostError) -> (address: UInt64, port: Bool)) throws(HostError) -> [UInt8] {
        var requests: [(address: UInt64, width: Int, port: Bool)] = []
        for access in accesses {
            let place = try locate(access.offset, access.width)
            requests.append((place.address, access.width, place.port))
        }
        let values = try qtest.read(requests)
        return zip(values, accesses).flatMap { LittleEndian.bytes($0.0, width: $0.1.width) }
    }

    /// Writes 0 and waits for status to read back 0 ("After writing 0 to device_status, the driver
    /// MUST wait for a read of device_status to return 0 before reinitializing the device").
    public func reset() throws(HostError) {
        try writeStatus(0)
        for _ in 0..<1000 where try readStatus() == 0 { return }
        throw HostError(.protocolViolation, "the device's status did not read 0 after a reset")
    }

    /// Every device feature bit the transport's windows show.
    public func deviceFeatures(windows: Int) throws(HostError) -> [UInt32] {
        var result: [UInt32] = []
        for window in 0..<(isModern ? windows : 1) { result.append(try readDeviceFeatures(window: window)) }
        return result
    }
}

/// Checks an access width against what a transport supports.
func checkWidth(_ width: Int, allowed: [Int], transport: String) throws(HostError) {
    guard allowed.contains(width) else {
        throw HostError(.protocolViolation, "\(transport) has no \(width)-byte configuration access")
    }
}
