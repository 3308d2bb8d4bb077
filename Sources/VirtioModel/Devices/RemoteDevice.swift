import ConfigLayout

/// A real device's registers as the runtime reaches them: QEMU's virtio-pci function driven over
/// qtest, for one. Calls never fail here; a port that loses its device records why in `failure`
/// and answers all-ones from then on, as a device that has gone away does.
public protocol RegisterPort: AnyObject {
    /// What the port reaches, for the report: `QEMU virtio-net-pci at 00:02.0 (virtio-pci modern)`.
    var label: String { get }
    /// Why the port stopped reaching the device, if it did.
    var failure: String? { get }
    func readStatus() -> UInt8
    func writeStatus(_ value: UInt8)
    func readDeviceFeatures(window: Int) -> UInt32
    func writeDriverFeatures(window: Int, _ value: UInt32)
    func readGeneration() -> UInt32
    /// One access of `count` bytes at `offset` into the device configuration.
    func readConfig(offset: Int, count: Int) -> [UInt8]
    func writeConfig(offset: Int, bytes: [UInt8])
    /// The ring size of queue `index` (the common configuration's queue_size), where the port reaches it.
    func queueSize(_ index: Int) -> Int?
}

extension RegisterPort {
    public func queueSize(_ index: Int) -> Int? { nil }
}

/// A real device behind the same rules and trace as every model. Every register access goes to the
/// device through a `RegisterPort`; the base class still checks each one against the spec and
/// records it, so a driver model's run against real QEMU and its run against the `qemu` model give
/// traces in the same words, line for line.
///
/// What the rules need to know of the device's own state (its values, for ranges; its size, to tell
/// a read past the end) comes from a probe of it: the bytes it served and its exact config length.
public final class RemoteDevice: DeviceModel {
    public let port: any RegisterPort

    /// A device that offered `offered` and served `configBytes` (its first `configSize` bytes are its
    /// configuration), reached through `port`.
    public init(port: any RegisterPort, name: String, device: Device, offered: FeatureSet, configSize: Int,
                configBytes: [UInt8], guestIsLittleEndian: Bool = true, trace: Trace) {
        let layout = Layout(device: device, features: offered, interpretation: .fixed)
        let encoding = ConfigImage.Encoding(isModern: device.has("VERSION_1", in: offered), guestIsLittleEndian: guestIsLittleEndian)
        var image = ConfigImage(device: device, interpretation: .fixed, features: offered)
        let inside = Array(configBytes.prefix(configSize))
        var unheld: [String] = []
        for decoded in ConfigDecoder.decode(inside, layout: layout, encoding: encoding) {
            guard let value = decoded.value else { continue }
            do { try image.set(decoded.field.path, value) } catch { unheld.append(error.description) }
        }
        self.port = port
        super.init(name: name, device: device, offered: offered, image: image.settled(), configSize: configSize,
                   pastEnd: .allOnes, guestIsLittleEndian: guestIsLittleEndian, trace: trace)
        for problem in unheld { trace.violation(.valueOutOfRange, "\(name) served a value its layout cannot hold: \(problem)") }
    }

    /// The bookkeeping the rules keep follows QEMU's virtio-pci proxy, which the ports reach: two
    /// feature windows each way, the driver's kept across a reset.
    override var featureWindowCount: Int { 2 }
    override var keepsDriverFeatureWindowsOnReset: Bool { true }

    override func loadStatus() -> DeviceStatus { DeviceStatus(rawValue: port.readStatus()) }

    override public func queueSize(_ index: Int) -> Int? { port.queueSize(index) }

    override func storeStatus(_ value: DeviceStatus) { port.writeStatus(value.rawValue) }

    override func didReset() { port.writeStatus(0) }

    /// The real device judges FEATURES_OK itself; the next status read tells.
    override func featuresOKRefusal(_ features: FeatureSet) -> (reason: String, permitted: Bool)? { nil }

    override func deviceFeatureWindow(_ select: Int) -> UInt32 { port.readDeviceFeatures(window: select) }

    override func storeDriverFeatureWindow(_ select: Int, _ value: UInt32) { port.writeDriverFeatures(window: select, value) }

    override func configGeneration() -> UInt32 { port.readGeneration() }

    /// The device's own generation and bytes may change at any moment.
    override var generationFollowsImage: Bool { false }
    override var servesImage: Bool { false }

    /// The device's bytes; what they are (inside, past the end, or both) is judged as QEMU's memory
    /// core cuts the access, since the ports this runtime has reach QEMU.
    override func serveConfig(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
        guard offset >= 0, !buffer.isEmpty else { return .failed }
        let bytes = port.readConfig(offset: offset, count: buffer.count)
        for index in buffer.indices { buffer[index] = index < bytes.count ? bytes[index] : 0xff }
        return QEMUMemoryAccess.outcome(offset: offset, count: buffer.count, size: configSize)
    }

    override func storeConfig(offset: Int, bytes: [UInt8]) { port.writeConfig(offset: offset, bytes: bytes) }
}

extension ConfigImage {
    /// The same image with its generation back at 0: values set while building it are not changes.
    func settled() -> ConfigImage {
        var copy = self
        copy.resetGeneration()
        return copy
    }
}
