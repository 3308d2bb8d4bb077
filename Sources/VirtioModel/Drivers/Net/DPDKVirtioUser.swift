import ConfigLayout
import Rendering

/// DPDK 22.11's virtio-user over vhost-vdpa: the transport ops the virtio PMD runs on when its port
/// is a `net_virtio_user` vdev on /dev/vhost-vdpa-N (drivers/net/virtio/virtio_user_ethdev.c,
/// virtio_user/virtio_user_dev.c and virtio_user/vhost_vdpa.c at v22.11), with the devargs' defaults
/// (queues=1, cq=0, mrg_rxbuf=1, in_order=1, packed_vq=0, no mac).
///
/// Before the PMD starts, `virtio_user_dev_init` opens the device (the kernel's `vhost_vdpa_open`
/// resets it), reads its features (VHOST_GET_FEATURES, less MQ: "Multiqueue not supported for
/// now") and, as no mac devarg is given, reads the MAC with VHOST_VDPA_GET_CONFIG: a config read
/// before any feature is set, which the vDPA core turns into set_features(0). It then keeps only
/// `VIRTIO_USER_SUPPORTED_FEATURES` (no MTU, no SPEED_DUPLEX, no RSS, no ACCESS_PLATFORM) less what
/// the devargs turn off (the control queue and everything that needs it, packed rings), and offers
/// MAC itself once it has one.
///
/// The PMD's config reads never reach the device: `virtio_user_read_dev_config` answers mac from
/// its copy, status from `net_status` (which nothing sets on vhost-vdpa) and max_virtqueue_pairs
/// from its queue count, and leaves every other buffer as it was. Features reach the device only at
/// FEATURES_OK (`virtio_user_dev_set_features`), without MAC, CTRL_VQ and STATUS, and with
/// ACCESS_PLATFORM added ("WORKAROUND", `vhost_vdpa_set_features`).
final class VirtioUserTransport: Transport {
    /// VIRTIO_USER_SUPPORTED_FEATURES (virtio_user_dev.c).
    static let supported = ["MAC", "STATUS", "MQ", "CTRL_MAC_ADDR", "CTRL_VQ", "CTRL_RX", "CTRL_VLAN", "CSUM", "HOST_TSO4",
                            "HOST_TSO6", "MRG_RXBUF", "INDIRECT_DESC", "GUEST_CSUM", "GUEST_TSO4", "GUEST_TSO6", "IN_ORDER",
                            "VERSION_1", "RING_PACKED"]
    /// What cq=0 turns off, and packed_vq=0.
    static let withoutControlQueue = ["CTRL_VQ", "CTRL_RX", "CTRL_VLAN", "GUEST_ANNOUNCE", "MQ", "CTRL_MAC_ADDR"]
    /// VIRTIO_PMD_SUPPORTED_GUEST_FEATURES (virtio_ethdev.h): the default set with the offloads and RSS.
    static let pmdSupported = DPDKVirtioInit.requested + ["GUEST_CSUM", "GUEST_TSO4", "GUEST_TSO6", "CSUM", "HOST_TSO4",
                                                          "HOST_TSO6", "RSS"]

    let bus: VDPABus
    var device: DeviceModel { bus.device }
    var trace: Trace { bus.trace }
    /// `dev->device_features` and `dev->frontend_features` once filtered.
    private(set) var deviceFeatures = FeatureSet()
    private var frontendFeatures = FeatureSet()
    /// `dev->features`: what the PMD set.
    private var features = FeatureSet()
    /// `dev->status`: the status as the PMD last wrote it.
    private var status: DeviceStatus = []
    /// `dev->mac_addr`, read from the device; nil when it could not be.
    private(set) var mac: [UInt8]?
    private let layout: Layout

    /// `virtio_user_dev_init` on an opened /dev/vhost-vdpa-N.
    init(bus: VDPABus, layout: Layout) {
        self.bus = bus
        self.layout = layout
        let net = bus.device.device
        // vhost_vdpa_open: vhost_vdpa_reset, which is vdpa_reset.
        bus.reset()
        let offered = bus.getFeatures(windows: 2).subtracting(net.features(named: ["MQ"]))
        trace.note(.driver, "virtio-user: VHOST_GET_FEATURES less MQ (vhost_vdpa_get_features)")
        // virtio_user_dev_init_mac: no mac devarg, so the device's, if it has one.
        if net.has("MAC", in: offered), let placed = layout.field("mac"), let offset = placed.offset {
            trace.note(.driver, "virtio-user: no mac devarg; VHOST_VDPA_GET_CONFIG for the MAC (virtio_user_dev_get_mac)")
            mac = bus.get(offset, placed.size, field: "mac")
        } else {
            trace.note(.driver, "virtio-user: No valid MAC in devargs or device, use random")
        }
        var unsupported = FeatureSet(bits: net.allFeatures.map(\.bit)).subtracting(net.features(named: Self.supported))
        unsupported = unsupported.union(net.features(named: Self.withoutControlQueue + ["RING_PACKED"]))
        if mac != nil {
            frontendFeatures = net.features(named: ["MAC"])
        } else {
            unsupported = unsupported.union(net.features(named: ["MAC"]))
        }
        deviceFeatures = offered.subtracting(unsupported)
        frontendFeatures = frontendFeatures.subtracting(unsupported)
        let dropped = offered.subtracting(deviceFeatures)
        if !dropped.isEmpty { trace.note(.driver, "virtio-user: the device offers \(net.list(dropped)), which it does not support") }
    }

    /// The features without the ones no vdpa device can take: MAC, CTRL_VQ and STATUS stripped, and
    /// ACCESS_PLATFORM added.
    static func written(_ features: FeatureSet, device net: Device) -> FeatureSet {
        features.subtracting(net.features(named: ["MAC", "CTRL_VQ", "STATUS"])).union(net.features(named: ["ACCESS_PLATFORM"]))
    }

    /// The PMD's reset (`virtio_user_set_status(RESET)`): VHOST_VDPA_SET_STATUS 0, which the kernel
    /// turns into vdpa_reset.
    func reset() {
        status = []
        bus.reset()
    }

    func getStatus() -> DeviceStatus {
        status = bus.getStatus()
        return status
    }

    func setStatus(_ new: DeviceStatus) {
        if new.contains(.featuresOK) && !status.contains(.featuresOK) {
            // virtio_user_dev_set_features: "Strip VIRTIO_NET_F_MAC, as MAC address is handled in vdev init".
            let result = bus.finalizeFeatures(Self.written(features, device: device.device), windows: 2)
            if result != 0 { trace.note(.driver, "virtio-user: VHOST_SET_FEATURES failed (\(Errno.name(result)))") }
        }
        guard !new.isEmpty else { return reset() }
        status = new
        bus.setStatus(new)
    }

    /// virtio_user_get_features: "(dev->device_features | dev->frontend_features) &
    /// VIRTIO_PMD_SUPPORTED_GUEST_FEATURES", from what it keeps; the device is not asked again.
    func getFeatures(windows: Int) -> FeatureSet {
        deviceFeatures.union(frontendFeatures).intersection(device.device.features(named: Self.pmdSupported))
    }

    /// virtio_user_set_features keeps them; virtio_user_features_ok answers 0.
    func finalizeFeatures(_ features: FeatureSet, windows: Int) -> Int32 {
        self.features = features.intersection(deviceFeatures.union(frontendFeatures))
        return 0
    }

    func get(_ offset: Int, _ count: Int, field: String?) -> [UInt8] {
        var buffer = [UInt8](repeating: 0, count: max(0, count))
        let place = { (name: String) in self.layout.field(name)?.offset }
        if offset == place("mac"), count == 6 {
            buffer = mac ?? buffer
            trace.note(.driver, "virtio-user: mac from its own copy: \(hexBytes(buffer))")
        } else if offset == place("status") {
            trace.note(.driver, "virtio-user: status from net_status, which vhost-vdpa never sets: 0")
        } else if offset == place("max_virtqueue_pairs"), count >= 2 {
            buffer[0] = 1
            trace.note(.driver, "virtio-user: max_virtqueue_pairs from its queue count: 1")
        } else {
            trace.note(.driver, "virtio-user: no answer for \(field ?? "offset \(offset)"); the buffer is left as it was")
        }
        return buffer
    }

    /// virtio-user has no config generation.
    /// `virtio_user_write_dev_config`: a whole MAC written at mac's offset becomes its copy and goes
    /// to the device (`virtio_user_dev_set_mac`, VHOST_VDPA_SET_CONFIG); any other write is refused
    /// ("not supported offset").
    func set(_ offset: Int, _ bytes: [UInt8], field: String?) {
        guard let placed = Layout(device: device.device, features: device.offered, interpretation: .fixed).field("mac"),
              placed.offset == offset, bytes.count == placed.size else {
            trace.note(.driver, "virtio-user: not supported offset=\(offset), len=\(bytes.count)")
            return
        }
        mac = bytes
        bus.set(offset, bytes, field: field)
    }

    func generation() -> UInt32 { 0 }
}
