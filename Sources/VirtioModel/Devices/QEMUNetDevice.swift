import ConfigLayout

/// QEMU's virtio-net (`hw/net/virtio-net.c`): fixed offsets, every field filled by
/// `virtio_net_get_config` (max_virtqueue_pairs too, with or without MQ), a config length sized by
/// the offered features through `feature_sizes` (`virtio_net_set_config_size`), and all-ones past
/// the end (`virtio_config_readw`). Fields follow the driver's VERSION_1: `virtio_stw_p` stores in
/// the guest's order until it is written.
final class QEMUNetDevice: DeviceModel {
    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        let size = image.layout.size(under: .qemu)
        super.init(name: DeviceKind.qemu.rawValue, device: device, offered: parameters.offered, image: image,
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

    /// "When using the legacy interface, mac is driver-writable which provided a way for drivers to
    /// update the MAC without negotiating VIRTIO_NET_F_CTRL_MAC_ADDR" (5.1.4.3). QEMU takes it
    /// whenever neither VERSION_1 nor CTRL_MAC_ADDR is negotiated (`virtio_net_set_config`), through
    /// either interface.
    private var macIsWritable: Bool {
        !device.has("VERSION_1", in: driverFeatures) && !device.has("CTRL_MAC_ADDR", in: driverFeatures)
    }

    /// `virtio_config_modern_write*` copies the bytes into the config, then `virtio_net_set_config`
    /// keeps the mac part (any width, any byte of it) and nothing else; the generation does not move,
    /// as only `virtio_notify_config` moves it. A write past the end is dropped.
    override func storeConfig(offset: Int, bytes: [UInt8]) {
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

/// A device that reads the spec's "only exists if" literally: absent fields take no bytes, so later
/// fields move up. Non-conforming by the spec's own intent (MST, 2021-03-01: "This text was never
/// intended to imply that field offsets change based on feature bits"); no implementation found
/// does this. It shows what a literal reading would serve. Otherwise it behaves like QEMU.
final class PackedNetDevice: DeviceModel {
    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .packed)
        super.init(name: DeviceKind.packed.rawValue, device: device, offered: parameters.offered, image: image,
                   configSize: image.layout.size, pastEnd: parameters.pastEnd ?? .allOnes,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }
}

/// firecracker's virtio-net (`src/vmm/src/devices/virtio/net/device.rs`): `ConfigSpace { guest_mac,
/// _status, _max_virtqueue_pairs, mtu }`, padding kept "to match the virtio_net_config layout", so
/// mtu sits at its fixed offset although STATUS and MQ are never offered (`e865b9c5fad4`). The
/// default `read_config` copies what exists and fills the rest with zeros. A modern-only device:
/// fields are little-endian from the start.
final class FirecrackerNetDevice: DeviceModel {
    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        super.init(name: DeviceKind.firecracker.rawValue, device: device, offered: parameters.offered, image: image,
                   configSize: image.layout.measure(.end(of: ["mtu"])), pastEnd: parameters.pastEnd ?? .zeros,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }

    override func encoding() -> ConfigImage.Encoding {
        ConfigImage.Encoding(isModern: true, guestIsLittleEndian: guestIsLittleEndian)
    }
}
