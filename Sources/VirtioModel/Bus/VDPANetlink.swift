import ConfigLayout
import Rendering

/// Linux 6.1's vDPA netlink interface as `vdpa dev config show NAME` (iproute2 6.1) meets it:
/// `vdpa_dev_config_fill` and `vdpa_dev_net_config_fill` in drivers/vdpa/vdpa.c at v6.1.
///
/// - Negotiated features are reported only once the device's status holds FEATURES_OK ("only read
///   driver features after the feature negotiation is done").
/// - Only a net device has a config to show; any other answers -EOPNOTSUPP, which iproute2 prints as
///   "kernel answers: Operation not supported".
/// - The net fill reads the whole `struct virtio_net_config` with the parent's own get_config,
///   `vdev->config->get_config(vdev, 0, &config, sizeof(config))`, not `vdpa_get_config_unlocked`:
///   with no driver bound no features are set, and none are set first. It then reports status, and
///   mtu, mac and max_vqp by the *device's* features (`get_device_features`), each decoded
///   little-endian (`__virtio16_to_cpu(true, ...)`), whatever was negotiated.
public enum VDPANetlink {
    /// sizeof(struct virtio_net_config) in 6.1.
    static let netConfigSize = 24
    /// VIRTIO_NET_S_LINK_UP and VIRTIO_NET_S_ANNOUNCE.
    static let linkUp: UInt16 = 1
    static let announce: UInt16 = 2

    /// What `vdpa dev config show NAME` prints for `device`, and the parent calls the core makes
    /// for it, in order.
    public static func configShow(name: String, device: DeviceModel) -> (lines: [String], calls: [VDPAParentCall]) {
        let status = device.status
        let negotiated: FeatureSet? = status.contains(.featuresOK) ? device.driverFeatures : nil
        guard device.device.id == 1 else { return (["kernel answers: Operation not supported"], []) }
        var buffer = [UInt8](repeating: 0, count: netConfigSize)
        device.readConfig(offset: 0, into: &buffer, field: nil, by: .bus)
        let features = device.deviceFeatures()
        device.trace.record(.bus, .deviceFeatures(features))
        let calls = [VDPAParentCall(.getConfig(offset: 0, length: netConfigSize), caller: .netlink, context: "vdpa_dev_config_fill"),
                     VDPAParentCall(.getDeviceFeatures, caller: .netlink, context: "vdpa_dev_config_fill")]
        func le16(_ field: String) -> UInt16 {
            guard let offset = device.image.layout.field(field)?.offset, offset + 2 <= buffer.count else { return 0 }
            return UInt16(LittleEndian.value(buffer[offset..<offset + 2]))
        }
        // iproute2's pr_out_dev_net_config: mac, link, link_announce, max_vqp, mtu, one line.
        var line = "\(name): "
        if device.device.has("MAC", in: features), let offset = device.image.layout.field("mac")?.offset {
            line += "mac " + hexBytes(buffer[offset..<offset + 6], separator: ":") + " "
        }
        let linkStatus = le16("status")
        line += "link \(linkStatus & linkUp != 0 ? "up" : "down") link_announce \(linkStatus & announce != 0) "
        if device.device.has("MQ", in: features) || device.device.has("RSS", in: features) {
            line += "max_vqp \(le16("max_virtqueue_pairs")) "
        }
        if device.device.has("MTU", in: features) { line += "mtu \(le16("mtu")) " }
        var lines = [line]
        if let negotiated {
            // iproute2 names each bit it knows, and prints "bit_N" for the rest.
            let names = negotiated.bits.map { bit in device.device.features(withBit: bit).last?.name ?? "bit_\(bit)" }
            lines.append("  negotiated_features " + names.joined(separator: " "))
        }
        return (lines, calls)
    }
}
