import ConfigLayout

/// QEMU 7.2's virtio core and virtio-pci proxy around any device's configuration: fixed offsets,
/// the config sized by QEMU's rule over the offered features and the QEMU properties in force
/// (`Layout.qemuSize(with:)`), all-ones past the end (`virtio_config_readw`), two feature windows
/// each way kept across a reset, unaligned reads cut as QEMU's memory core cuts them, and
/// config_generation moved only by `virtio_notify_config` after DRIVER_OK. The `qemu` device model
/// of every device type; net's and gpu's add their own config writes (`QEMUNetDevice`, `QEMUGPUDevice`), input
/// its selector (`QEMUSelectorDevice`).
public class QEMUDevice: DeviceModel {
    static let kind = DeviceKind(
        name: "qemu", layout: nil,
        summary: "QEMU: fixed offsets, config sized by offered features, all-ones past the end",
        follows: "hw/virtio/virtio.c and the device's own file (hw/net/virtio-net.c, ...): fixed offsets, every field "
            + "filled, config sized by the offered features (`feature_sizes`), all-ones past the end, legacy byte "
            + "order until VERSION_1 is written, the generation moved only by a notification after DRIVER_OK",
        defaults: QEMUDeviceDefaults.defaults(for:),
        make: { device, parameters, trace throws(ScenarioError) in
            // net's and gpu's own config writes and input's select/subsel; every other device type is QEMU's core alone.
            if device.name == "net" { return try QEMUNetDevice(device: device, parameters: parameters, trace: trace) }
            if device.name == "gpu" { return try QEMUGPUDevice(device: device, parameters: parameters, trace: trace) }
            if let input = try QEMUSelectorDevice(selecting: device, parameters: parameters, trace: trace) { return input }
            return try QEMUDevice(device: device, parameters: parameters, trace: trace)
        })

    /// The `qemu` model of a scenario: the parameters' values at fixed offsets, sized by QEMU's rule
    /// under the parameters' QEMU properties.
    convenience init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        self.init(name: "qemu", device: device, offered: parameters.offered, image: image,
                  configSize: Self.size(image, parameters.qemuProperties), pastEnd: parameters.pastEnd ?? .allOnes,
                  guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }

    /// A device of any layout that offers `offered` and holds `values`, with QEMU's `properties`
    /// and, for a model set up beside a real device, the generation that device reports.
    public convenience init(device: Device, offered: FeatureSet, values: [(path: String, value: FieldValue)],
                            properties: QemuProperties = .defaults, generation: UInt32 = 0,
                            guestIsLittleEndian: Bool = true, trace: Trace) throws(FieldValueError) {
        let image = try ConfigImage(device: device, interpretation: .fixed, features: offered, values: values)
        self.init(name: "qemu", device: device, offered: offered, image: image,
                  configSize: Self.size(image, properties), pastEnd: .allOnes,
                  guestIsLittleEndian: guestIsLittleEndian, trace: trace, generation: generation)
    }

    /// QEMU's size, raised to the end of what a field-sized array holds: virtio-9p's config is
    /// `sizeof(struct virtio_9p_config) + strlen(tag)` (virtio_9p_device_realize, hw/9pfs/virtio-9p-device.c).
    static func size(_ image: ConfigImage, _ properties: QemuProperties) -> Int {
        max(image.layout.qemuSize(with: properties), image.flexibleEnd)
    }

    init(name: String, device: Device, offered: FeatureSet, image: ConfigImage, configSize: Int, pastEnd: PastEndPolicy,
         guestIsLittleEndian: Bool, trace: Trace, generation: UInt32 = 0) {
        super.init(name: name, device: device, offered: offered, image: image, configSize: configSize, pastEnd: pastEnd,
                   guestIsLittleEndian: guestIsLittleEndian, trace: trace, generationPolicy: .notifiedAfterDriverOK,
                   generation: generation)
    }

    /// `virtio_validate_features` (hw/virtio/virtio.c): a device that offers ACCESS_PLATFORM fails
    /// FEATURES_OK with -EFAULT when the driver does not accept it. The spec lets it: "A device MAY
    /// fail to operate further if VIRTIO_F_ACCESS_PLATFORM is not accepted".
    override func featuresOKRefusal(_ features: FeatureSet) -> (reason: String, permitted: Bool)? {
        guard device.has("ACCESS_PLATFORM", in: offered), !device.has("ACCESS_PLATFORM", in: features) else { return nil }
        return ("ACCESS_PLATFORM is offered but not accepted (virtio_validate_features: -EFAULT)", true)
    }

    /// `virtio_pci_common_read`/`_write`: device_feature for `dfselect <= 1` only (else 0), and
    /// driver_feature writes for `gfselect < 2` only: 64 feature bits each way.
    override var featureWindowCount: Int { 2 }

    /// `virtio_pci_reset` clears the queues but not `proxy->guest_features[]`; `virtio_reset` zeroes
    /// only the device's own copy. The next driver_feature write submits both windows again.
    override var keepsDriverFeatureWindowsOnReset: Bool { true }

    /// An unaligned read that straddles the end reaches virtio in aligned pieces (`QEMUMemoryAccess`),
    /// each all-ones only if it is itself past the end.
    override func serveConfig(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
        // Pieces of a read inside the space read what the whole read would.
        let inside = offset >= 0 && buffer.count <= configSize && offset <= configSize - buffer.count
        guard pastEnd == .allOnes, !inside else { return super.serveConfig(offset: offset, into: &buffer) }
        let pieces = QEMUMemoryAccess.pieces(offset: offset, count: buffer.count)
        guard pieces.count > 1 else { return super.serveConfig(offset: offset, into: &buffer) }
        var position = 0
        for piece in pieces {
            var part = [UInt8](repeating: 0, count: piece.width)
            _ = super.serveConfig(offset: piece.offset, into: &part)
            buffer.replaceSubrange(position..<position + piece.width, with: part)
            position += piece.width
        }
        return QEMUMemoryAccess.outcome(offset: offset, count: buffer.count, size: configSize)
    }
}
