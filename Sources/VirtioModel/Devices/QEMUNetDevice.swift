import ConfigLayout

/// QEMU's virtio-net (`hw/net/virtio-net.c`) on QEMU's virtio core (`QEMUDevice`): every field filled
/// by `virtio_net_get_config` (max_virtqueue_pairs too, with or without MQ), a config length sized
/// by the offered features through `feature_sizes` (`virtio_net_set_config_size`). Fields follow the
/// driver's VERSION_1: `virtio_stw_p` stores in the guest's order until it is written.
final class QEMUNetDevice: QEMUDevice {
    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        let size = image.layout.qemuSize(with: parameters.qemuProperties)
        super.init(name: "qemu", device: device, offered: parameters.offered, image: image,
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
        do {
            try image.setKeepingGeneration("mac", .bytes(value))
        } catch {
            trace.violation(.valueOutOfRange, "\(name) could not hold the written mac: \(error.description)")
        }
    }
}
