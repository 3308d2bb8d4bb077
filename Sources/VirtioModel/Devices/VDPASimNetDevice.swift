import ConfigLayout

/// Linux 6.1's vDPA networking simulator, `vdpasim_net` (drivers/vdpa/vdpa_sim/vdpa_sim.c and
/// vdpa_sim_net.c at v6.1), as the vDPA core calls it:
///
/// - `vdpasim_get_device_features` offers `VDPASIM_NET_FEATURES`: ANY_LAYOUT, VERSION_1 and
///   ACCESS_PLATFORM (`VDPASIM_FEATURES`) with MAC, MTU, CTRL_VQ and CTRL_MAC_ADDR; no STATUS, no MQ.
/// - Like every vdpa_sim (`VDPASimDevice`) it refuses features without ACCESS_PLATFORM, the core's
///   set_features(0) included, as mlx5 did in 5.12; unlike mlx5, its config does not depend on
///   features ever having been accepted.
/// - `vdpasim_net_setup_config` writes mac (zeros unless given) and mtu (1500 unless given) once,
///   at `vdpa dev add`, with `cpu_to_vdpasim16` while no features are set: the guest's legacy order.
/// - `vdpasim_get_config` refuses a read past `config_size`, `sizeof(struct virtio_net_config)` (24
///   bytes), by returning without touching the buffer; any other read first runs
///   `vdpasim_net_get_config`, which writes status = LINK_UP in the order of the features then.
final class VDPASimNetDevice: VDPASimDevice {
    static let summary = "vdpa_sim (Linux 6.1): offers no STATUS or MQ, refuses features without ACCESS_PLATFORM"
    /// VDPASIM_NET_FEATURES.
    static let featureNames = ["ANY_LAYOUT", "VERSION_1", "ACCESS_PLATFORM", "MAC", "MTU", "CTRL_VQ", "CTRL_MAC_ADDR"]
    /// What `vdpa dev add` takes for vdpasim_net (its `config_attr_mask`: MACADDR, MTU, FEATURES).
    static let settableFields = ["mac", "mtu"]
    /// The values `cfgspace guest --bus vdpa` adds the device with unless told otherwise.
    static let defaultValues = [("mac", "52:54:00:12:34:56"), ("mtu", "9000")]

    static let kind = DeviceKind(
        name: "vdpasim-net", layout: "net", summary: summary,
        follows: "drivers/vdpa/vdpa_sim/vdpa_sim_net.c at v6.1: `vdpasim_net_get_config`, features without "
            + "ACCESS_PLATFORM refused (`vdpasim_set_driver_features`), no STATUS or MQ",
        defaultBus: .vdpa, settableFields: settableFields,
        defaults: { _ in DeviceDefaults(features: featureNames, values: defaultValues) },
        make: { device, parameters, trace throws(ScenarioError) in
            try VDPASimNetDevice(device: device, parameters: parameters, trace: trace)
        })
    /// VIRTIO_NET_S_LINK_UP.
    static let linkUp: UInt64 = 1

    /// The byte order mac and mtu were stored in at dev_add (no features yet).
    private let addedEncoding: ConfigImage.Encoding

    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        // vdpasim_create: provisioned device_features must be a subset of the supported ones.
        let supported = device.features(named: Self.featureNames)
        let extra = parameters.offered.subtracting(supported)
        if !extra.isEmpty {
            throw ScenarioError("vdpasim_net cannot offer \(device.list(extra)): vdpasim_create refuses device_features "
                                + "beyond VDPASIM_NET_FEATURES (-EINVAL)")
        }
        // The config buffer is the whole C struct, whatever is offered: every field at its offset.
        let everything = FeatureSet(bits: device.allFeatures.map(\.bit))
        var values: [(path: String, value: FieldValue)] = [("mtu", .integer(1500))]
        values += parameters.values.filter { Self.settableFields.contains($0.path) }
        values.append(("status", .integer(Self.linkUp)))
        let image: ConfigImage
        do {
            image = try ConfigImage(device: device, interpretation: .fixed, features: everything, values: values)
        } catch {
            throw ScenarioError(error.description)
        }
        addedEncoding = ConfigImage.Encoding(isModern: false, guestIsLittleEndian: parameters.guestIsLittleEndian)
        super.init(name: "vdpasim-net", device: device, offered: parameters.offered, image: image,
                   configSize: image.layout.measure(.end(of: ["supported_hash_types"])),
                   pastEnd: parameters.pastEnd ?? .untouched, guestIsLittleEndian: parameters.guestIsLittleEndian,
                   trace: trace)
    }

    override func encoding() -> ConfigImage.Encoding { addedEncoding }

    override var servesImage: Bool { false }

    /// `vdpasim_get_config`, where `vdpasim_net_get_config` stores status in the features' order
    /// before the copy.
    override func serveConfig(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
        guard isInside(offset: offset, count: buffer.count) else {
            return pastEnd == .untouched ? .untouched : super.serveConfig(offset: offset, into: &buffer)
        }
        var bytes = image.bytes(addedEncoding)
        if let status = image.field("status"), let start = status.offset, start + 2 <= bytes.count {
            let little = device.has("VERSION_1", in: driverFeatures) || guestIsLittleEndian
            let value = UInt16(Self.linkUp)
            bytes[start] = UInt8(little ? value & 0xff : value >> 8)
            bytes[start + 1] = UInt8(little ? value >> 8 : value & 0xff)
        }
        for index in 0..<buffer.count { buffer[index] = offset + index < bytes.count ? bytes[offset + index] : 0 }
        return .served
    }
}
