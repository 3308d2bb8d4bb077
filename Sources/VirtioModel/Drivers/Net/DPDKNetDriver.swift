import ConfigLayout

/// DPDK's virtio PMD (`drivers/net/virtio/virtio_ethdev.c`). `virtio_ethdev_negotiate_features` reads
/// mtu at `offsetof(struct virtio_net_config, mtu)` before writing any guest feature, and clears F_MTU
/// when it is below RTE_ETHER_MIN_MTU; then `virtio_init_device` reads the rest.
///
/// On virtio-pci, `modern_read_dev_config` reads byte by byte inside a config_generation loop. On
/// vDPA the PMD is virtio-user over vhost-vdpa, where a read is one VHOST_VDPA_GET_CONFIG ioctl.
struct DPDKNetDriver: DriverModel {
    var vdpaFront: VDPABus.Front { .vhostVDPA }

    static let kind = DriverKind(
        name: "dpdk", layout: "net", summary: "DPDK virtio PMD: reads mtu before writing any feature",
        follows: "`virtio_ethdev_negotiate_features`: mtu read before any feature write; byte-by-byte config reads on PCI",
        fields: NetValues.fields, make: { DPDKNetDriver() })

    private static let requested = ["MAC", "STATUS", "MQ", "CTRL_VQ", "CTRL_RX", "CTRL_VLAN", "CSUM", "GUEST_CSUM",
                                    "HOST_TSO4", "HOST_TSO6", "GUEST_TSO4", "GUEST_TSO6", "MRG_RXBUF", "MTU",
                                    "GUEST_ANNOUNCE", "CTRL_MAC_ADDR", "SPEED_DUPLEX", "RSS", "VERSION_1",
                                    "ACCESS_PLATFORM", "RING_PACKED", "IN_ORDER", "INDIRECT_DESC", "ORDER_PLATFORM",
                                    "NOTIFICATION_DATA"]

    /// A field's bytes as the PMD reads them: byte by byte in a generation loop on virtio-pci, one
    /// ioctl on vhost-vdpa.
    private func bytes(_ session: DriverSession, _ field: String) -> [UInt8] {
        session.transport is PCITransport ? session.readConsistently(field) : session.readBytes(field)
    }

    /// One config number, decoded in the host's order as the PMD's struct copy is.
    private func read(_ session: DriverSession, _ field: String) -> UInt64 {
        let bytes = bytes(session, field)
        return session.remember(field, bytes, DriverSession.number(bytes, littleEndian: session.guestIsLittleEndian))
    }

    func probe(_ session: DriverSession) -> DriverResult {
        let transport = session.transport
        transport.reset()
        transport.addStatus(.acknowledge)
        transport.addStatus(.driver)
        session.stage = "negotiate"
        let offered = transport.getFeatures(windows: 2)
        session.features = offered.intersection(session.device.features(named: Self.requested))
        let unsupported = offered.subtracting(session.features)
        func failed(_ reason: String) -> DriverResult { .failed(session, reason, unsupported: unsupported) }

        if session.has("MTU") {
            // "If supported, ensure MTU value is valid before acknowledging it."
            let mtu = read(session, "mtu")
            if mtu < NetValues.minimumMTU {
                session.drop("MTU", because: "read mtu \(mtu) before negotiating, below RTE_ETHER_MIN_MTU \(NetValues.minimumMTU)")
            }
        }
        let result = transport.finalizeFeatures(session.features, windows: 2)
        if result != 0 { return failed("setting guest features failed: \(Errno.name(result))") }
        if session.has("VERSION_1") {
            transport.addStatus(.featuresOK)
            if !transport.getStatus().contains(.featuresOK) { return failed("Failed to set FEATURES_OK status!") }
        }

        session.stage = "init"
        var values = NetValues.assumed
        if session.has("MAC") {
            let mac = bytes(session, "mac")
            session.remember("mac", bytes: mac)
            values.mac = mac
        } else {
            session.note("no MAC: rte_eth_random_addr")
        }
        if session.has("STATUS") { values.linkUp = read(session, "status") & 1 != 0 }
        if session.has("MQ") {
            let pairs = read(session, "max_virtqueue_pairs")
            values.maxQueuePairs = pairs == 0 ? 1 : Int(pairs)
        }
        if session.has("MTU") { values.mtu = Int(read(session, "mtu")) }
        if session.has("SPEED_DUPLEX") {
            values.settings(speed: read(session, "speed"), duplex: read(session, "duplex"))
        }
        transport.addStatus(.driverOK)
        return DriverResult(view: values.view, failure: nil, unsupported: unsupported)
    }
}
