import ConfigLayout

/// DPDK 22.11's virtio PMD bringing a port up, as testpmd does with its defaults:
/// `eth_virtio_dev_init` → `virtio_init_device` → `virtio_ethdev_negotiate_features`
/// (drivers/net/virtio/virtio_ethdev.c at v22.11, as Debian's 22.11.11 ships it).
///
/// - It asks for VIRTIO_PMD_DEFAULT_GUEST_FEATURES; offloads and RSS are asked for only at configure,
///   from the port's offload flags, which testpmd leaves off.
/// - "If supported, ensure MTU value is valid before acknowledging it": mtu is read before any
///   feature is written, and F_MTU cleared below RTE_ETHER_MIN_MTU.
/// - Then mac (`virtio_get_hwaddr`), speed and duplex with SPEED_DUPLEX, and only with CTRL_VQ the
///   rest: mac again, status with STATUS, max_virtqueue_pairs with MQ or RSS, and mtu, which sets the
///   port's maximum. Without CTRL_VQ the port has one queue pair and a maximum MTU of
///   VIRTIO_MAX_RX_PKTLEN less the Ethernet header, a VLAN tag and the virtio-net header.
/// - On virtio-pci every config read is byte by byte in a config_generation loop
///   (`modern_read_dev_config`); on vhost-vdpa the port is virtio-user (`VirtioUserTransport`).
enum DPDKVirtioInit {
    /// VIRTIO_PMD_DEFAULT_GUEST_FEATURES (virtio_ethdev.h).
    static let requested = ["MAC", "STATUS", "MQ", "CTRL_MAC_ADDR", "CTRL_VQ", "CTRL_RX", "CTRL_VLAN", "MRG_RXBUF", "MTU",
                            "GUEST_ANNOUNCE", "INDIRECT_DESC", "VERSION_1", "IN_ORDER", "RING_PACKED", "ACCESS_PLATFORM",
                            "ORDER_PLATFORM", "NOTIFICATION_DATA", "SPEED_DUPLEX"]

    static func probe(_ session: DriverSession) -> DriverResult {
        if let bus = session.transport as? VDPABus, bus.front == .vhostVDPA {
            session.transport = VirtioUserTransport(bus: bus, layout: session.layout)
        }
        let transport = session.transport
        // virtio_init_device: "Reset the device although not necessary at startup", ACK, DRIVER.
        transport.reset()
        transport.addStatus(.acknowledge)
        transport.addStatus(.driver)
        session.stage = "negotiate"
        let offered = transport.getFeatures(windows: 2)
        session.features = offered.intersection(session.device.features(named: requested))
        let unsupported = offered.subtracting(session.features)
        func failed(_ reason: String) -> DriverResult { .failed(session, reason, unsupported: unsupported) }

        if session.has("MTU") {
            let mtu = read(session, "mtu")
            if mtu < NetValues.minimumMTU {
                session.drop("MTU", because: "read mtu \(mtu) before negotiating, below RTE_ETHER_MIN_MTU \(NetValues.minimumMTU)")
            }
        }
        // virtio_negotiate_features: "features = host_features & hw->guest_features".
        let result = transport.finalizeFeatures(session.features, windows: 2)
        if result != 0 { return failed("setting guest features failed: \(Errno.name(result))") }
        if session.has("VERSION_1") {
            transport.addStatus(.featuresOK)
            if !transport.getStatus().contains(.featuresOK) { return failed("Failed to set FEATURES_OK status!") }
        }

        session.stage = "init"
        var values = NetValues.assumed
        if session.has("MAC") {
            values.mac = macAddress(session)
        } else {
            session.note("no MAC: rte_eth_random_addr")
        }
        if session.has("SPEED_DUPLEX") {
            // virtio_get_speed_duplex, as no speed devarg is given.
            values.settings(speed: read(session, "speed"), duplex: read(session, "duplex"))
        }
        if session.has("CTRL_VQ") {
            _ = macAddress(session)
            if session.has("STATUS") { values.linkUp = read(session, "status") & 1 != 0 }
            if session.has("MQ") || session.has("RSS") { values.maxQueuePairs = Int(read(session, "max_virtqueue_pairs")) }
            if session.has("MTU") {
                let mtu = read(session, "mtu")
                // "MTU value has already been checked at negotiation time, but check again".
                if mtu < NetValues.minimumMTU { return failed("invalid max MTU value (\(mtu))") }
                values.mtu = Int(mtu)
            }
        } else {
            session.note("no CTRL_VQ: one queue pair, and the largest MTU the PMD's buffers hold")
        }
        // virtio_reinit_complete.
        transport.addStatus(.driverOK)
        if session.has("STATUS") && !session.has("CTRL_VQ") {
            // virtio_dev_link_update when the port starts.
            session.stage = "start"
            values.linkUp = read(session, "status") & 1 != 0
        }
        return DriverResult(view: values.view, failure: nil, unsupported: unsupported)
    }

    /// A field's bytes as the PMD reads them: byte by byte in a generation loop on virtio-pci, one
    /// read of the transport otherwise.
    private static func bytes(_ session: DriverSession, _ field: String) -> [UInt8] {
        session.transport is PCITransport ? session.readConsistently(field) : session.readBytes(field)
    }

    /// One config number, decoded in the host's order as the PMD's struct copy is.
    private static func read(_ session: DriverSession, _ field: String) -> UInt64 {
        let bytes = bytes(session, field)
        return session.remember(field, bytes, DriverSession.number(bytes, littleEndian: session.guestIsLittleEndian))
    }

    private static func macAddress(_ session: DriverSession) -> [UInt8] {
        let mac = bytes(session, "mac")
        session.remember("mac", bytes: mac)
        return mac
    }
}
