import ConfigLayout

/// The device models a scenario can use, with their realistic defaults.
public enum DeviceKind: String, CaseIterable, Sendable {
    case qemu
    case mlx5_5_12 = "mlx5-5.12"
    case mlx5_5_12Patched = "mlx5-5.12-patched"
    case mlx5Current = "mlx5-current"
    case packed
    case firecracker
    case vdpaSimNet = "vdpasim-net"

    public var summary: String {
        switch self {
        case .qemu: "QEMU virtio-net: fixed offsets, config sized by offered features, all-ones past the end"
        case .mlx5_5_12: "mlx5 vDPA (v5.12): needs ACCESS_PLATFORM; mtu and LINK_UP written only by a successful set_features"
        case .mlx5_5_12Patched: "mlx5 vDPA (v5.12) with the 2021 patch: set_features(0) is accepted"
        case .mlx5Current: "mlx5 vDPA (current): refuses MQ without CTRL_VQ; config filled when the device is added"
        case .packed: "a literal reading of \"only exists if\": absent fields take no bytes (non-conforming)"
        case .firecracker: "firecracker: fixed offsets, offers MTU without MQ or STATUS, zeros past the end"
        case .vdpaSimNet: VDPASimNetDevice.summary
        }
    }

    /// The bus a device of this kind sits on unless a scenario says otherwise.
    public var defaultBus: BusKind {
        switch self {
        case .mlx5_5_12, .mlx5_5_12Patched, .mlx5Current, .vdpaSimNet: .vdpa
        case .qemu, .packed, .firecracker: .direct
        }
    }

    /// The features offered by default.
    var defaultFeatureNames: [String] {
        switch self {
        case .qemu:
            // virtio-net's default host features (hw/net/virtio-net.c), with host_mtu set.
            ["CSUM", "GUEST_CSUM", "GUEST_TSO4", "GUEST_TSO6", "GUEST_ECN", "GUEST_UFO", "HOST_TSO4", "HOST_TSO6",
             "HOST_ECN", "HOST_UFO", "MRG_RXBUF", "STATUS", "CTRL_VQ", "CTRL_RX", "CTRL_VLAN", "CTRL_RX_EXTRA",
             "GUEST_ANNOUNCE", "MQ", "CTRL_MAC_ADDR", "MAC", "MTU", "VERSION_1", "INDIRECT_DESC", "EVENT_IDX"]
        case .mlx5_5_12, .mlx5_5_12Patched:
            // Firmware offloads, VERSION_1 and ACCESS_PLATFORM, as mlx5_vdpa_get_features reports, plus MTU,
            // MAC and STATUS: the thread's setup needs F_MTU, which upstream 5.12 did not yet offer.
            ["CSUM", "GUEST_CSUM", "HOST_TSO4", "HOST_TSO6", "MTU", "MAC", "STATUS", "VERSION_1", "ACCESS_PLATFORM"]
        case .mlx5Current:
            // get_supported_features: firmware offloads plus VERSION_1 | ACCESS_PLATFORM | CTRL_VQ |
            // CTRL_MAC_ADDR | MQ | STATUS | MTU | CTRL_VLAN | MAC.
            ["CSUM", "GUEST_CSUM", "HOST_TSO4", "HOST_TSO6", "MTU", "MAC", "STATUS", "CTRL_VQ", "CTRL_VLAN", "MQ",
             "CTRL_MAC_ADDR", "VERSION_1", "ACCESS_PLATFORM"]
        case .packed:
            // The case from the thread: MTU without MQ, where packed and fixed part ways.
            ["MAC", "STATUS", "MTU", "VERSION_1"]
        case .firecracker:
            // Net::new: offloads, VERSION_1 and EVENT_IDX; MAC and MTU because both are configured.
            ["GUEST_CSUM", "CSUM", "GUEST_TSO4", "GUEST_TSO6", "GUEST_UFO", "HOST_TSO4", "HOST_TSO6", "HOST_UFO",
             "MRG_RXBUF", "MAC", "MTU", "VERSION_1", "EVENT_IDX"]
        case .vdpaSimNet: VDPASimNetDevice.featureNames
        }
    }

    /// The field values set by default, as text.
    var defaultValues: [(field: String, text: String)] {
        switch self {
        case .qemu, .packed:
            [("mac", "52:54:00:12:34:56"), ("status", "1"), ("max_virtqueue_pairs", "4"), ("mtu", "9000"),
             ("speed", "10000"), ("duplex", "1"), ("rss_max_key_size", "40"),
             ("rss_max_indirection_table_length", "128"), ("supported_hash_types", "0x1ff")]
        case .mlx5_5_12, .mlx5_5_12Patched, .mlx5Current:
            [("mac", "0c:42:a1:12:34:56"), ("status", "1"), ("max_virtqueue_pairs", "8"), ("mtu", "9000")]
        case .firecracker:
            [("mac", "06:00:ac:10:00:02"), ("mtu", "9000")]
        case .vdpaSimNet: VDPASimNetDevice.defaultValues
        }
    }

    /// The fields a scenario may set: the ones the model keeps values for. Nil for every field.
    var settableFields: [String]? {
        switch self {
        case .qemu, .packed: nil
        case .mlx5_5_12, .mlx5_5_12Patched, .mlx5Current: ["mac", "status", "max_virtqueue_pairs", "mtu"]
        case .firecracker: ["mac", "mtu"]
        case .vdpaSimNet: VDPASimNetDevice.settableFields
        }
    }

    func make(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) -> DeviceModel {
        switch self {
        case .qemu: try QEMUNetDevice(device: device, parameters: parameters, trace: trace)
        case .packed: try PackedNetDevice(device: device, parameters: parameters, trace: trace)
        case .firecracker: try FirecrackerNetDevice(device: device, parameters: parameters, trace: trace)
        case .mlx5_5_12: try Mlx5NetDevice(version: .v5_12, kind: self, device: device, parameters: parameters, trace: trace)
        case .mlx5_5_12Patched:
            try Mlx5NetDevice(version: .v5_12Patched, kind: self, device: device, parameters: parameters, trace: trace)
        case .mlx5Current:
            try Mlx5NetDevice(version: .current, kind: self, device: device, parameters: parameters, trace: trace)
        case .vdpaSimNet: try VDPASimNetDevice(device: device, parameters: parameters, trace: trace)
        }
    }
}

/// What a device model is built from: offered features, field values, the out-of-range policy and
/// the guest's byte order.
struct DeviceParameters {
    var offered: FeatureSet
    var values: [(path: String, value: FieldValue)]
    var pastEnd: PastEndPolicy?
    var guestIsLittleEndian: Bool
    /// The QEMU properties a `qemu` model sizes its config with.
    var qemuProperties: QemuProperties = .defaults

    /// An image of all the values under an interpretation keyed by the offered features.
    func image(of device: Device, interpretation: Interpretation) throws(ScenarioError) -> ConfigImage {
        do {
            return try ConfigImage(device: device, interpretation: interpretation, features: offered, values: values)
        } catch {
            throw ScenarioError(error.description)
        }
    }
}

/// A scenario that cannot run, with the reason in the user's terms.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    init(_ description: String) { self.description = description }
}
