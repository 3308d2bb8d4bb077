import ConfigLayout

/// The mlx5 vDPA net parent (`drivers/vdpa/mlx5/net/mlx5_vnet.c`) in three versions:
///
/// - `v5_12` (`009ef05f9812`): `verify_min_features` refuses any feature set without ACCESS_PLATFORM
///   with -EOPNOTSUPP, and `config.mtu` and LINK_UP are written only inside a successful
///   `mlx5_vdpa_set_features`, so both read 0 before. Reset zeroes `mlx_features` (fixed later by
///   `4a3a6d9fb65f`) and bumps the generation.
/// - `v5_12Patched`: the patch from the 2021 thread, "set_features should allow reset to zero":
///   features 0 pass the check.
/// - `current` (~v6.5): `verify_driver_features` also refuses MQ without CTRL_VQ with -EINVAL
///   (`30c22f3816ff`); config is filled in `mlx5_vdpa_dev_add`; provisioning needs VERSION_1 and
///   ACCESS_PLATFORM (`deeacf35c922`). Reset clears `actual_features` and bumps the generation.
///
/// All versions: the config length is always `sizeof(struct virtio_net_config)` (24), reads past it
/// leave the buffer untouched, and 16-bit fields are stored with `cpu_to_mlx5vdpa16`, whose byte
/// order follows VERSION_1 in `actual_features` at the time of the store.
final class Mlx5NetDevice: DeviceModel {
    enum Version {
        case v5_12, v5_12Patched, current
    }

    let version: Version

    /// mlx5's kinds: the thread's 5.12, the same with its patch, and today's.
    static let kinds = [
        kind("mlx5-5.12", .v5_12,
             summary: "mlx5 vDPA (v5.12): needs ACCESS_PLATFORM; mtu and LINK_UP written only by a successful set_features",
             follows: "`mlx5_vnet.c` at `009ef05f9812`: `verify_min_features` needs ACCESS_PLATFORM; mtu and LINK_UP "
                + "written only in a successful set_features; 24 bytes; reads past the end leave the buffer untouched; "
                + "reset zeroes `mlx_features`"),
        kind("mlx5-5.12-patched", .v5_12Patched,
             summary: "mlx5 vDPA (v5.12) with the 2021 patch: set_features(0) is accepted",
             follows: "the same, with features 0 accepted (the 2021 patch, never merged)"),
        kind("mlx5-current", .current,
             summary: "mlx5 vDPA (current): refuses MQ without CTRL_VQ; config filled when the device is added",
             follows: "`verify_driver_features` (MQ without CTRL_VQ is -EINVAL), config filled at `dev_add`, VERSION_1 "
                + "and ACCESS_PLATFORM required to be created"),
    ]

    private static func kind(_ name: String, _ version: Version, summary: String, follows: String) -> DeviceKind {
        DeviceKind(name: name, layout: "net", summary: summary, follows: follows, defaultBus: .vdpa,
                   settableFields: ["mac", "status", "max_virtqueue_pairs", "mtu"],
                   defaults: { _ in defaults(version) },
                   make: { device, parameters, trace throws(ScenarioError) in
                       try Mlx5NetDevice(version: version, name: name, device: device, parameters: parameters, trace: trace)
                   })
    }

    private static func defaults(_ version: Version) -> DeviceDefaults {
        let values: [(field: String, text: String)] = [("mac", "0c:42:a1:12:34:56"), ("status", "1"),
                                                       ("max_virtqueue_pairs", "8"), ("mtu", "9000")]
        if version == .current {
            // get_supported_features: firmware offloads plus VERSION_1 | ACCESS_PLATFORM | CTRL_VQ |
            // CTRL_MAC_ADDR | MQ | STATUS | MTU | CTRL_VLAN | MAC.
            return DeviceDefaults(features: ["CSUM", "GUEST_CSUM", "HOST_TSO4", "HOST_TSO6", "MTU", "MAC", "STATUS",
                                             "CTRL_VQ", "CTRL_VLAN", "MQ", "CTRL_MAC_ADDR", "VERSION_1", "ACCESS_PLATFORM"],
                                  values: values)
        }
        // Firmware offloads, VERSION_1 and ACCESS_PLATFORM, as mlx5_vdpa_get_features reports, plus MTU,
        // MAC and STATUS: the thread's setup needs F_MTU, which upstream 5.12 did not yet offer.
        return DeviceDefaults(features: ["CSUM", "GUEST_CSUM", "HOST_TSO4", "HOST_TSO6", "MTU", "MAC", "STATUS",
                                         "VERSION_1", "ACCESS_PLATFORM"], values: values)
    }
    /// What the device would put in config: the vport MAC, the HW MTU, link state, queue pairs.
    private let configured: [String: FieldValue]
    /// `mlx_features`: what get_features reported; v5.12's reset zeroes it.
    private var mlxFeatures: FeatureSet
    /// The generation `mlx5_vdpa_get_generation` reports: bumped on reset only.
    private var generationCounter: UInt32 = 0 {
        didSet { readStateDidChange() }
    }
    /// The byte order of the last store into config.
    private var storedEncoding: ConfigImage.Encoding {
        didSet { readStateDidChange() }
    }

    init(version: Version, name: String, device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        self.version = version
        let configured = Dictionary(parameters.values.map { ($0.path, $0.value) }, uniquingKeysWith: { $1 })
        self.configured = configured
        let offered = parameters.offered
        if version == .current {
            // mlx5_vdpa_dev_add: "Must provision minimum features 0x%llx for this device".
            let missing = ["VERSION_1", "ACCESS_PLATFORM"].filter { !device.has($0, in: offered) }
            if !missing.isEmpty {
                throw ScenarioError("mlx5-current refuses to be added without \(missing.joined(separator: " and ")): "
                                    + "mlx5_vdpa_dev_add needs VERSION_1 and ACCESS_PLATFORM provisioned (deeacf35c922)")
            }
        }
        // At probe time the MAC comes from the NIC vport (mlx5_query_nic_vport_mac_address); current
        // versions also fill mtu, status and max_virtqueue_pairs when their feature is offered.
        var initial: [(path: String, value: FieldValue)] = configured["mac"].map { [("mac", $0)] } ?? []
        if version == .current {
            for (field, feature) in [("status", "STATUS"), ("max_virtqueue_pairs", "MQ"), ("mtu", "MTU")]
            where device.has(feature, in: offered) {
                if let value = configured[field] { initial.append((field, value)) }
            }
        }
        let image: ConfigImage
        do {
            image = try ConfigImage(device: device, interpretation: .fixed, features: offered, values: initial)
        } catch {
            throw ScenarioError(error.description)
        }
        mlxFeatures = version == .current ? offered : FeatureSet()
        // actual_features is 0 at dev_add, so stores then use the guest's legacy order.
        storedEncoding = ConfigImage.Encoding(isModern: false, guestIsLittleEndian: parameters.guestIsLittleEndian)
        super.init(name: name, device: device, offered: offered, image: image,
                   configSize: image.layout.measure(.end(of: ["supported_hash_types"])),
                   pastEnd: parameters.pastEnd ?? .untouched,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }

    /// v5.12 `mlx5_vdpa_get_features` recomputes `mlx_features` from the device caps on every call.
    override func deviceFeatures() -> FeatureSet {
        if version != .current { mlxFeatures = offered }
        return offered
    }

    override func setDriverFeatures(_ features: FeatureSet) -> Int32 {
        let acceptsZero = version == .v5_12Patched && features.isEmpty
        if !acceptsZero && !device.has("ACCESS_PLATFORM", in: features) {
            trace.note(.device, "\(name): \(version == .current ? "verify_driver_features" : "verify_min_features") "
                       + "needs ACCESS_PLATFORM: -EOPNOTSUPP")
            return Errno.eopnotsupp
        }
        if version == .current, device.has("MQ", in: features), !device.has("CTRL_VQ", in: features) {
            trace.note(.device, "\(name): verify_driver_features refuses MQ without CTRL_VQ: -EINVAL")
            return Errno.einval
        }
        driverFeatures = features.intersection(mlxFeatures)
        guard version != .current else { return 0 }
        // ndev->config.mtu = cpu_to_mlx5vdpa16(mvdev, ndev->mtu);
        // ndev->config.status |= cpu_to_mlx5vdpa16(mvdev, VIRTIO_NET_S_LINK_UP);
        storedEncoding = ConfigImage.Encoding(isModern: device.has("VERSION_1", in: driverFeatures),
                                              guestIsLittleEndian: guestIsLittleEndian)
        if let mtu = configured["mtu"] { store("mtu", mtu) }
        if case .integer(let status) = image.value("status") ?? .integer(0) { store("status", .integer(status | 1)) }
        trace.note(.device, "\(name): set_features wrote mtu and LINK_UP into config")
        return 0
    }

    override func encoding() -> ConfigImage.Encoding { storedEncoding }

    override func configGeneration() -> UInt32 { generationCounter }

    override func didReset() {
        generationCounter &+= 1
        if version != .current { mlxFeatures = FeatureSet() }
    }
}
