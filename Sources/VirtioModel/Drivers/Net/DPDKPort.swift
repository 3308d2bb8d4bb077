import ConfigLayout

/// A DPDK 22.11 virtio port as testpmd shows it, predicted from a run of the `dpdk` driver model: the
/// features the PMD's debug log prints, the MAC, the link, the MTU the port is configured with and
/// which MTUs `port config mtu` takes.
public struct DPDKPort: Sendable, Equatable {
    /// VIRTIO_MAX_RX_PKTLEN, RTE_ETHER_HDR_LEN and VLAN_TAG_LEN (virtio_ethdev.c).
    public static let maxReceivePacket = 9728
    /// RTE_ETHER_MTU and RTE_ETHER_MIN_MTU.
    public static let defaultMTU = NetValues.defaultMTU
    public static let minimumMTU = Int(NetValues.minimumMTU)
    static let etherHeader = 14
    static let vlanTag = 4

    /// "guest_features before negotiate": what the PMD asks for (VIRTIO_PMD_DEFAULT_GUEST_FEATURES).
    public let requested: UInt64
    /// "host_features before negotiate": what the PMD was offered (virtio-user's filtered set on vDPA).
    public let offered: UInt64
    /// "features after negotiate".
    public let negotiated: UInt64
    public let mac: [UInt8]?
    public let linkUp: Bool
    /// `hw->max_mtu`, which `virtio_dev_info_get` reports as the port's max_mtu.
    public let maxMTU: Int
    /// The virtio-net header the PMD uses: `virtio_net_hdr_mrg_rxbuf` with MRG_RXBUF, VERSION_1 or
    /// packed rings, else `virtio_net_hdr`.
    public let headerSize: Int

    /// The port, from the features and the view of a run of the `dpdk` model (nil when its probe failed).
    public init(device: Device, offered: FeatureSet, negotiated: FeatureSet, view: DriverView?) {
        var mtu: Int?
        if case .number(let value)? = view?["mtu"] { mtu = Int(value) }
        requested = device.features(named: DPDKVirtioInit.requested).words.first ?? 0
        self.offered = offered.words.first ?? 0
        self.negotiated = negotiated.words.first ?? 0
        if case .mac(let bytes)? = view?["mac"] { mac = bytes } else { mac = nil }
        linkUp = view?["link"] == .text("up")
        headerSize = ["MRG_RXBUF", "VERSION_1", "RING_PACKED"].contains { device.has($0, in: negotiated) } ? 12 : 10
        // With CTRL_VQ and MTU the device's mtu is the maximum; otherwise what the buffers hold.
        if device.has("CTRL_VQ", in: negotiated), device.has("MTU", in: negotiated), let mtu {
            maxMTU = mtu
        } else {
            maxMTU = Self.maxReceivePacket - Self.etherHeader - Self.vlanTag - headerSize
        }
    }

    /// What virtio-user logs as it sets the features on vhost-vdpa ("set features: 0x..."): the
    /// negotiated ones without MAC, CTRL_VQ and STATUS, before vhost_vdpa_set_features adds
    /// ACCESS_PLATFORM.
    public static func virtioUserWrites(_ negotiated: FeatureSet, device: Device) -> UInt64 {
        VirtioUserTransport.written(negotiated, device: device).subtracting(device.features(named: ["ACCESS_PLATFORM"]))
            .words.first ?? 0
    }

    /// The MTU after testpmd configures the port: `rte_eth_dev_configure` takes rxmode.mtu 0 as
    /// RTE_ETHER_MTU.
    public var configuredMTU: Int { NetValues.defaultMTU }

    /// Whether `port config mtu 0 MTU` takes it, and if not, the log line that says why:
    /// `eth_dev_validate_mtu` (lib/ethdev/rte_ethdev.c) against min_mtu 68 and the port's max_mtu,
    /// then `virtio_mtu_set` against the frame the PMD's buffers hold.
    public func accepts(_ mtu: Int) -> (accepted: Bool, reason: String) {
        if mtu < Int(NetValues.minimumMTU) { return (false, "MTU (\(mtu)) < device min MTU (\(NetValues.minimumMTU)) for port_id 0") }
        if mtu > maxMTU { return (false, "MTU (\(mtu)) > device max MTU (\(maxMTU)) for port_id 0") }
        let overhead = Self.etherHeader + Self.vlanTag + headerSize
        let largest = min(maxMTU + overhead, Self.maxReceivePacket)
        if mtu + overhead > largest {
            return (false, "MTU should be between \(NetValues.minimumMTU) and \(largest - overhead)")
        }
        return (true, "")
    }
}
