import ConfigLayout

/// A QEMU virtio device (`hw/virtio/virtio.c`, `hw/virtio/virtio-pci.c`, and the device's own file):
/// fixed offsets, every field filled by the device's `get_config` whether or not its feature is
/// offered (virtio-net's max_virtqueue_pairs too), a config length sized by the offered features
/// (`virtio_get_config_size` over the device's `feature_sizes`, the layout's `qemu` clauses), and
/// all-ones past the end (`virtio_config_readw`). Fields follow the driver's VERSION_1: `virtio_stw_p`
/// stores in the guest's order until it is written.
final class QEMUDevice: DeviceModel {
    static let kind = DeviceKind(
        name: "qemu", layout: nil,
        summary: "QEMU: fixed offsets, config sized by offered features, all-ones past the end",
        follows: "hw/virtio/virtio.c and the device's own file (hw/net/virtio-net.c, ...): fixed offsets, every field "
            + "filled, config sized by the offered features (`feature_sizes`), all-ones past the end, legacy byte "
            + "order until VERSION_1 is written",
        defaults: QEMUDeviceDefaults.defaults(for:),
        make: { device, parameters, trace throws(ScenarioError) in try QEMUDevice(device: device, parameters: parameters, trace: trace) })

    /// input's select and subsel, answered as QEMU's virtio-input answers them.
    private var selection: QEMUSelectorState?

    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        selection = QEMUSelectorState(device: device, layout: image.layout, contents: parameters.selections)
        let size = selection?.configSize(image.layout) ?? image.layout.size(under: .qemu)
        super.init(name: "qemu", device: device, offered: parameters.offered, image: image,
                   configSize: size, pastEnd: parameters.pastEnd ?? .allOnes,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
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
        guard selection == nil else { return serveSelected(offset: offset, into: &buffer) }
        return servePieces(offset: offset, into: &buffer)
    }

    private func servePieces(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
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

    /// A read refreshes the config from the chosen entry (`virtio_input_get_config`), zeros when there
    /// is none; the reads themselves are every device's.
    private func serveSelected(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
        let found = selection?.isFound ?? true
        selection?.didRead()
        let outcome = servePieces(offset: offset, into: &buffer)
        if outcome == .served && !found { buffer = [UInt8](repeating: 0, count: buffer.count) }
        return outcome
    }

    /// A selection's bytes depend on the last read as well as the image, so no read is served from a
    /// steady copy.
    override var servesImage: Bool { selection == nil }

    /// "When using the legacy interface, mac is driver-writable which provided a way for drivers to
    /// update the MAC without negotiating VIRTIO_NET_F_CTRL_MAC_ADDR" (5.1.4.3). QEMU takes it
    /// whenever neither VERSION_1 nor CTRL_MAC_ADDR is negotiated (`virtio_net_set_config`), through
    /// either interface.
    private var macIsWritable: Bool {
        device.name == "net" && !device.has("VERSION_1", in: driverFeatures) && !device.has("CTRL_MAC_ADDR", in: driverFeatures)
    }

    /// `virtio_config_modern_write*` copies the bytes into the config, then `virtio_net_set_config`
    /// keeps the mac part (any width, any byte of it) and nothing else; the generation does not move,
    /// as only `virtio_notify_config` moves it. A write past the end is dropped. Other devices' exact
    /// writes of driver-writable fields are the base class's.
    override func storeConfig(offset: Int, bytes: [UInt8]) {
        if var state = selection, state.take(offset: offset, bytes: bytes) {
            state.apply(to: &image)
            selection = state
            return
        }
        guard macIsWritable, offset >= 0, offset <= configSize - bytes.count,
              let mac = image.field("mac"), let start = mac.offset else { return }
        var value: [UInt8] = if case .bytes(let current)? = image.value("mac") { current } else {
            [UInt8](repeating: 0, count: mac.size)
        }
        for (index, byte) in bytes.enumerated() where (start..<start + mac.size).contains(offset + index) {
            value[offset + index - start] = byte
        }
        image.setKeepingGeneration("mac", .bytes(value))
    }
}

