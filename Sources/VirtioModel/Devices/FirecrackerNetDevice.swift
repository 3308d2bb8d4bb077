import ConfigLayout

/// firecracker's virtio-net (`src/vmm/src/devices/virtio/net/device.rs`): `ConfigSpace { guest_mac,
/// _status, _max_virtqueue_pairs, mtu }`, padding kept "to match the virtio_net_config layout", so
/// mtu sits at its fixed offset although STATUS and MQ are never offered (`e865b9c5fad4`). The
/// default `read_config` copies what exists and fills the rest with zeros. A modern-only device:
/// fields are little-endian from the start.
final class FirecrackerNetDevice: DeviceModel {
    static let kind = DeviceKind(
        name: "firecracker", layout: "net",
        summary: "firecracker: fixed offsets, offers MTU without MQ or STATUS, zeros past the end",
        follows: "`ConfigSpace` with padding up to mtu; MTU offered without MQ or STATUS; zeros past the end",
        settableFields: ["mac", "mtu"],
        defaults: { _ in
            // Net::new: offloads, VERSION_1 and EVENT_IDX; MAC and MTU because both are configured.
            DeviceDefaults(features: ["GUEST_CSUM", "CSUM", "GUEST_TSO4", "GUEST_TSO6", "GUEST_UFO", "HOST_TSO4",
                                      "HOST_TSO6", "HOST_UFO", "MRG_RXBUF", "MAC", "MTU", "VERSION_1", "EVENT_IDX"],
                           values: [("mac", "06:00:ac:10:00:02"), ("mtu", "9000")])
        },
        make: { device, parameters, trace throws(ScenarioError) in
            try FirecrackerNetDevice(device: device, parameters: parameters, trace: trace)
        })

    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        super.init(name: "firecracker", device: device, offered: parameters.offered, image: image,
                   configSize: image.layout.measure(.end(of: ["mtu"])), pastEnd: parameters.pastEnd ?? .zeros,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }

    override func encoding() -> ConfigImage.Encoding {
        ConfigImage.Encoding(isModern: true, guestIsLittleEndian: guestIsLittleEndian)
    }
}
