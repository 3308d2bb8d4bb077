import ConfigLayout

/// What a net driver ended up with, in the guest's terms.
public struct NetValues: Sendable, Equatable {
    /// The MTU the interface runs with: the device's when F_MTU is negotiated, else 1500.
    public var mtu: Int
    public var maxQueuePairs: Int
    /// The MAC address from the device; nil when the driver made up a random one (no F_MAC).
    public var mac: [UInt8]?
    public var linkUp: Bool
    /// Mbit/s; nil when unknown or not reported.
    public var speed: UInt32?
    /// 0 half, 1 full; nil when unknown or not reported.
    public var duplex: UInt8?

    /// ETH_DATA_LEN (Linux) and RTE_ETHER_MTU (DPDK).
    public static let defaultMTU = 1500
    /// ETH_MIN_MTU, RTE_ETHER_MIN_MTU, and the spec's lower bound.
    public static let minimumMTU: UInt64 = 68

    /// What a driver assumes before it reads anything: 1500, one queue pair, a random MAC, link up.
    static let assumed = NetValues(mtu: defaultMTU, maxQueuePairs: 1, mac: nil, linkUp: true, speed: nil, duplex: nil)

    /// Takes speed and duplex as read, keeping only what `ethtool_validate_speed` and
    /// `ethtool_validate_duplex` accept (0xffffffff and 0xff mean unknown).
    mutating func settings(speed: UInt64, duplex: UInt64) {
        self.speed = speed <= UInt64(Int32.max) ? UInt32(speed) : nil
        self.duplex = duplex <= 1 ? UInt8(duplex) : nil
    }
}

/// What a driver model's probe came to.
struct DriverResult {
    var values: NetValues?
    var failure: String?
    /// Offered features the driver does not know, so never accepted.
    var unsupported: FeatureSet
}

/// A net driver model: its own reading of the layout and its real sequence of status writes,
/// feature accesses and config reads.
protocol NetDriver: Sendable {
    /// How it reaches a vDPA device: the guest kernel, or user space through vhost-vdpa.
    var vdpaFront: VDPABus.Front { get }
    func probe(_ session: DriverSession) -> DriverResult
}

/// The driver models a scenario can use.
public enum DriverKind: String, CaseIterable, Sendable {
    case linux5_12 = "linux-5.12"
    case linux5_16BigEndian = "linux-5.16-be"
    case linuxCurrent = "linux-current"
    case dpdk
    case specLiteral = "spec-literal"

    public var summary: String {
        switch self {
        case .linux5_12: "Linux 5.12: validate reads mtu before any feature is written (404123c2db79)"
        case .linux5_16BigEndian: "Linux with 2f9a174f918e: on a big-endian guest, VERSION_1 alone is written before validate"
        case .linuxCurrent: "Linux with 4fa59ede9519: all features written, validate, rewritten if changed, FEATURES_OK"
        case .dpdk: "DPDK virtio PMD: reads mtu before writing any feature"
        case .specLiteral: "the spec read literally: negotiates first, reads packed offsets keyed by offered features"
        }
    }

    var model: any NetDriver {
        switch self {
        case .linux5_12: LinuxNetDriver(version: .v5_12)
        case .linux5_16BigEndian: LinuxNetDriver(version: .v5_16)
        case .linuxCurrent: LinuxNetDriver(version: .current)
        case .dpdk: DPDKNetDriver()
        case .specLiteral: SpecLiteralNetDriver()
        }
    }
}

extension DriverResult {
    static func failed(_ session: DriverSession, _ reason: String, unsupported: FeatureSet) -> DriverResult {
        DriverResult(values: nil, failure: session.fail(reason), unsupported: unsupported)
    }
}
