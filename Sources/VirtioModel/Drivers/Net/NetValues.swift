import ConfigLayout

/// What a net driver ended up with, as it builds it: the interface's MTU, queue pairs, address,
/// link and settings. Its `view` is what the user reads, under the names the reports and the guest use.
struct NetValues: Sendable, Equatable {
    /// The MTU the interface runs with: the device's when F_MTU is negotiated, else 1500.
    var mtu: Int
    var maxQueuePairs: Int
    /// The MAC address from the device; nil when the driver made up a random one (no F_MAC).
    var mac: [UInt8]?
    var linkUp: Bool
    /// Mbit/s; nil when unknown or not reported.
    var speed: UInt32?
    /// 0 half, 1 full; nil when unknown or not reported.
    var duplex: UInt8?

    /// ETH_DATA_LEN (Linux) and RTE_ETHER_MTU (DPDK).
    static let defaultMTU = 1500
    /// ETH_MIN_MTU, RTE_ETHER_MIN_MTU, and the spec's lower bound.
    static let minimumMTU: UInt64 = 68

    /// The fields the net driver models read.
    static let fields = ["mac", "status", "max_virtqueue_pairs", "mtu", "speed", "duplex", "rss_max_key_size",
                         "rss_max_indirection_table_length", "supported_hash_types"]

    /// What a driver assumes before it reads anything: 1500, one queue pair, a random MAC, link up.
    static let assumed = NetValues(mtu: defaultMTU, maxQueuePairs: 1, mac: nil, linkUp: true, speed: nil, duplex: nil)

    /// Takes speed and duplex as read, keeping only what `ethtool_validate_speed` and
    /// `ethtool_validate_duplex` accept (0xffffffff and 0xff mean unknown).
    mutating func settings(speed: UInt64, duplex: UInt64) {
        self.speed = speed <= UInt64(Int32.max) ? UInt32(speed) : nil
        self.duplex = duplex <= 1 ? UInt8(duplex) : nil
    }

    /// `10000/full`, `unknown/half`; `—` when the driver has neither.
    var settingsText: String {
        guard speed != nil || duplex != nil else { return "—" }
        return (speed.map { "\($0)" } ?? "unknown") + "/" + (duplex.map { $0 == 1 ? "full" : "half" } ?? "unknown")
    }

    /// The interface as `ip link` and ethtool show it.
    var view: DriverView {
        var view = DriverView()
        view.set("mtu", UInt64(mtu), from: ["mtu"])
        view.set("pairs", UInt64(maxQueuePairs), from: ["max_virtqueue_pairs"])
        view.set("mac", mac.map { .mac($0) } ?? .text("random"), from: ["mac"])
        view.set("link", .text(linkUp ? "up" : "down"), from: ["status"])
        view.set("speed", .text(settingsText), from: ["speed", "duplex"])
        return view
    }
}
