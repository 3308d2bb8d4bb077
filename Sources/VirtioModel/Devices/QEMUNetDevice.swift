import ConfigLayout

/// QEMU's virtio-net (`hw/net/virtio-net.c`): fixed offsets, every field filled by
/// `virtio_net_get_config` (max_virtqueue_pairs too, with or without MQ), a config length sized by
/// the offered features through `feature_sizes` (`virtio_net_set_config_size`), and all-ones past
/// the end (`virtio_config_readw`). Fields follow the driver's VERSION_1: `virtio_stw_p` stores in
/// the guest's order until it is written.
final class QEMUNetDevice: DeviceModel {
    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        let size = Layout(device: device, features: parameters.offered, interpretation: .fixed, sizing: .qemu).size
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
