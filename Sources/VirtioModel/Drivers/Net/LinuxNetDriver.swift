import ConfigLayout

/// Linux's virtio-net on the virtio core (`drivers/virtio/virtio.c` `virtio_dev_probe`,
/// `drivers/net/virtio_net.c` `virtnet_validate` and `virtnet_probe`), in three versions that differ in
/// when features reach the device relative to `virtnet_validate`'s config read:
///
/// - `v5_12`: `drv->validate()` runs before any feature write (`404123c2db79`), so its mtu read meets a
///   device with no features set: legacy byte order on a transitional device, set_features(0) on vDPA.
/// - `v5_16`: `2f9a174f918e` writes VERSION_1 alone before validate when the guest is big-endian.
/// - `current`: `4fa59ede9519` writes all features, validates, writes them again if validate changed
///   them, then sets FEATURES_OK.
struct LinuxNetDriver: DriverModel {
    enum Version {
        case v5_12, v5_16, current
    }

    let version: Version

    static let kinds = [
        DriverKind(name: "linux-5.12", layout: "net",
                   summary: "Linux 5.12: validate reads mtu before any feature is written (404123c2db79)",
                   follows: "`virtio_dev_probe` with validate before any feature write, `virtnet_validate`, `virtnet_probe`",
                   fields: NetValues.fields, make: { LinuxNetDriver(version: .v5_12) }),
        DriverKind(name: "linux-5.16-be", layout: "net",
                   summary: "Linux with 2f9a174f918e: on a big-endian guest, VERSION_1 alone is written before validate",
                   follows: "`2f9a174f918e`: VERSION_1 alone written before validate on a big-endian guest",
                   fields: NetValues.fields, make: { LinuxNetDriver(version: .v5_16) }),
        DriverKind(name: "linux-current", layout: "net",
                   summary: "Linux with 4fa59ede9519: all features written, validate, rewritten if changed, FEATURES_OK",
                   follows: "`4fa59ede9519`: all features written, validate, rewritten if changed, then FEATURES_OK",
                   fields: NetValues.fields, isReference: true, make: { LinuxNetDriver(version: .current) }),
    ]

    /// The driver's feature table (VIRTNET_FEATURES) and the transport bits `vring_transport_features` keeps.
    private var knownFeatures: [String] {
        version == .current ? Self.currentFeatures : Self.olderFeatures
    }

    private static let featureTable = [
        "CSUM", "GUEST_CSUM", "CTRL_GUEST_OFFLOADS", "MAC", "HOST_TSO4", "HOST_UFO", "HOST_TSO6", "HOST_ECN", "GUEST_TSO4",
        "GUEST_TSO6", "GUEST_ECN", "GUEST_UFO", "MRG_RXBUF", "STATUS", "CTRL_VQ", "CTRL_RX", "CTRL_VLAN", "GUEST_ANNOUNCE",
        "MQ", "CTRL_MAC_ADDR", "MTU", "SPEED_DUPLEX", "STANDBY"]
    private static let transportFeatures = ["INDIRECT_DESC", "EVENT_IDX", "VERSION_1", "ACCESS_PLATFORM", "RING_PACKED",
                                            "ORDER_PLATFORM", "SR_IOV"]
    private static let olderFeatures = featureTable + transportFeatures
    // RSS and HASH_REPORT (v5.17), coalescing, USO and device stats came later.
    private static let currentFeatures = featureTable + transportFeatures + [
        "RSS", "HASH_REPORT", "NOTF_COAL", "VQ_NOTF_COAL", "GUEST_USO4", "GUEST_USO6", "HOST_USO", "DEVICE_STATS",
        "NOTIFICATION_DATA", "RING_RESET"]

    /// virtnet_validate_features: VIRTNET_FAIL_ON(vdev, fbit, "VIRTIO_NET_F_CTRL_VQ").
    private var needControlQueue: [String] {
        version == .current ? Self.currentNeedControlQueue : Self.olderNeedControlQueue
    }

    private static let olderNeedControlQueue = ["CTRL_RX", "CTRL_VLAN", "GUEST_ANNOUNCE", "MQ", "CTRL_MAC_ADDR"]
    private static let currentNeedControlQueue = olderNeedControlQueue + ["RSS", "HASH_REPORT", "NOTF_COAL", "VQ_NOTF_COAL"]

    func probe(_ session: DriverSession) -> DriverResult {
        let transport = session.transport
        // register_virtio_device resets and sets ACKNOWLEDGE; virtio_dev_probe sets DRIVER.
        transport.reset()
        transport.addStatus(.acknowledge)
        transport.addStatus(.driver)
        let offered = transport.getFeatures(windows: 2)
        session.features = offered.intersection(session.device.features(named: knownFeatures))
        let unsupported = offered.subtracting(session.features)
        func failed(_ reason: String) -> DriverResult { .failed(session, reason, unsupported: unsupported) }

        switch version {
        case .v5_12:
            if let error = validate(session) { return failed(error) }
        case .v5_16:
            if !session.guestIsLittleEndian, session.device.has("VERSION_1", in: offered) {
                session.note("big-endian guest: writing VERSION_1 alone before validate (2f9a174f918e)")
                let result = transport.finalizeFeatures(session.device.features(named: ["VERSION_1"]), windows: 2)
                if result != 0 { session.note("finalize_features returned \(Errno.name(result)); ignored") }
            }
            if let error = validate(session) { return failed(error) }
        case .current:
            let result = transport.finalizeFeatures(session.features, windows: 2)
            if result != 0 { return failed("finalize_features: \(Errno.name(result))") }
            let written = session.features
            if let error = validate(session) { return failed(error) }
            if session.features != written {
                session.note("validate changed the features: writing them again")
                let again = transport.finalizeFeatures(session.features, windows: 2)
                if again != 0 { return failed("finalize_features: \(Errno.name(again))") }
            }
        }
        session.stage = "probe"
        if version != .current {
            // virtio_finalize_features: "ret = dev->config->finalize_features(dev); if (ret) return ret;"
            let result = transport.finalizeFeatures(session.features, windows: 2)
            if result != 0 { return failed("finalize_features: \(Errno.name(result))") }
        }
        // virtio_features_ok: a legacy device has no FEATURES_OK.
        if session.has("VERSION_1") {
            transport.addStatus(.featuresOK)
            if !transport.getStatus().contains(.featuresOK) { return failed("virtio: device refuses features") }
        }
        return virtnetProbe(session, unsupported: unsupported)
    }

    /// virtnet_validate: the feature dependencies, then mtu, then STANDBY.
    private func validate(_ session: DriverSession) -> String? {
        session.stage = "validate"
        if let missing = needControlQueue.first(where: { session.has($0) && !session.has("CTRL_VQ") }) {
            return "\(missing) but not CTRL_VQ (virtnet_validate_features: -EINVAL)"
        }
        if session.has("MTU") {
            // "int mtu = virtio_cread16(vdev, offsetof(struct virtio_net_config, mtu)); if (mtu < MIN_MTU)
            // __virtio_clear_bit(vdev, VIRTIO_NET_F_MTU);" (fe36cbe0671e)
            let mtu = session.readVirtio("mtu")
            if mtu < NetValues.minimumMTU {
                session.drop("MTU", because: "validate read mtu \(mtu), below the minimum \(NetValues.minimumMTU)")
            }
        }
        if session.has("STANDBY") && !session.has("MAC") {
            session.drop("STANDBY", because: "STANDBY needs MAC")
        }
        return nil
    }

    /// virtnet_probe's config reads, DRIVER_OK, then the config work's status and settings reads.
    private func virtnetProbe(_ session: DriverSession, unsupported: FeatureSet) -> DriverResult {
        var values = NetValues.assumed
        let readsPairs = version == .current ? session.has("MQ") || session.has("RSS") : session.has("MQ")
        if readsPairs {
            let pairs = session.readVirtio("max_virtqueue_pairs")
            // "We need at least 2 queue's": out of 1...0x8000 or without CTRL_VQ, one pair, silently.
            if (1...0x8000).contains(pairs) && session.has("CTRL_VQ") {
                values.maxQueuePairs = Int(pairs)
            } else {
                session.note("max_virtqueue_pairs \(pairs) is unusable (range 1...0x8000, needs CTRL_VQ): using 1")
            }
        }
        if session.has("MAC") {
            // virtio_cread_bytes: six 1-byte reads in a generation loop.
            let mac = session.readConsistently("mac")
            session.remember("mac", bytes: mac)
            values.mac = mac
        } else {
            session.note("no MAC: eth_hw_addr_random")
        }
        if session.has("RSS") || session.has("HASH_REPORT") {
            // virtio_cread8, virtio_cread16 and virtio_cread32, although the fields are __le.
            _ = session.readVirtio("rss_max_key_size")
            if session.has("RSS") { _ = session.readVirtio("rss_max_indirection_table_length") }
            _ = session.readVirtio("supported_hash_types")
        }
        if session.has("MTU") {
            let mtu = session.readVirtio("mtu")
            if mtu < NetValues.minimumMTU {
                return .failed(session, "device MTU appears to have changed: it is now \(mtu) < \(NetValues.minimumMTU)",
                               unsupported: unsupported)
            }
            values.mtu = Int(mtu)
        }
        // register_netdevice, then virtio_device_ready.
        session.transport.addStatus(.driverOK)
        session.stage = "config work"
        if session.has("STATUS") {
            values.linkUp = session.readVirtio("status") & 1 != 0
        }
        if values.linkUp && session.has("SPEED_DUPLEX") {
            // virtnet_update_settings: virtio_cread_le(speed), virtio_cread8(duplex).
            values.settings(speed: session.readLittleEndian("speed"), duplex: session.readVirtio("duplex"))
        }
        return DriverResult(view: values.view, failure: nil, unsupported: unsupported)
    }
}
