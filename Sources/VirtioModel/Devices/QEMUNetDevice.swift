import ConfigLayout

/// QEMU's virtio-net (`hw/net/virtio-net.c`) on QEMU's virtio core (`QEMUDevice`): every field filled
/// by `virtio_net_get_config` (max_virtqueue_pairs too, with or without MQ), a config length sized
/// by the offered features through `feature_sizes` (`virtio_net_set_config_size`). Fields follow the
/// driver's VERSION_1: `virtio_stw_p` stores in the guest's order until it is written.
final class QEMUNetDevice: QEMUDevice {
    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        let size = image.layout.qemuSize(with: parameters.qemuProperties)
        super.init(name: DeviceKind.qemu.rawValue, device: device, offered: parameters.offered, image: image,
                   configSize: size, pastEnd: parameters.pastEnd ?? .allOnes,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
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
/// does this. It shows what a literal reading would serve. Its config_generation follows the spec's
/// reading too: every change of value moves it (`GenerationPolicy.everyChange`).
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
