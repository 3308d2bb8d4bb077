import ConfigLayout
import VirtioModel

/// `cfgspace probe vhost-user`: connects to any vhost-user back-end as a front-end would, reads its
/// features, protocol features, queue count and configuration, and holds them against a layout.
public enum VhostUserProbe {
    public struct Result: Sendable {
        public let socket: String
        public let layoutPath: String
        public let device: Device
        public let offered: FeatureSet
        /// Offered bits neither the layout nor the transport declare (vhost's own bits aside).
        public let unknownBits: [Int]
        /// vhost's own bits the back-end offers, by name.
        public let vhostBits: [String]
        public let protocolFeatures: UInt64
        public let queues: UInt64?
        /// What the back-end serves: the largest GET_CONFIG it answers from offset 0, and its bytes.
        public let observation: ConfigObservation
        public let checks: [ProbeCheck]

        public var configSize: Int { observation.length.value }
        public var bytes: [UInt8] { observation.bytes }
        public var fields: [ObservedField] { observation.fields }
        public var agrees: Bool { !checks.contains { $0.verdict == .departs } }
    }

    public static func run(socket: String, layout: (path: String, device: Device), timeout: Duration = .seconds(10)) throws(HostError) -> Result {
        let device = layout.device
        let client = try VhostUserClient(connectingTo: socket, timeout: timeout)
        defer { client.close() }
        let features = try client.features()
        var protocolFeatures: UInt64 = 0
        if features & (1 << UInt64(VhostUserProtocol.protocolFeaturesBit)) != 0 {
            protocolFeatures = try client.negotiateProtocolFeatures(VhostUserProtocol.spoken)
        }
        try client.setOwner()
        let queues = protocolFeatures & VhostUserProtocol.Feature.mq.mask != 0 ? try client.queueCount() : nil
        var offered = FeatureSet(words: [features])
        let vhostBits = VhostUserProtocol.vhostBits.keys.sorted().filter { offered.contains($0) }
        for bit in vhostBits { offered.remove(bit) }
        var bytes: [UInt8] = []
        var size = 0
        if protocolFeatures & VhostUserProtocol.Feature.config.mask != 0 {
            (size, bytes) = try client.largestConfig(upTo: VhostUserProtocol.maximumConfig)
        }
        let known = Set(device.allFeatures.map(\.bit))
        let unknown = offered.bits.filter { !known.contains($0) }
        // A vhost-user back-end serves the config as a modern device does, little-endian; it has no
        // generation to read.
        let observation = ConfigObservation(bytes: bytes, length: .exact(size), generation: nil, device: device,
                                            offered: offered, encoding: ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
        let checks = VhostUserChecks(device: device, offered: offered, protocolFeatures: protocolFeatures,
                                     observation: observation, unknown: unknown).all()
        return Result(socket: socket, layoutPath: layout.path, device: device, offered: offered, unknownBits: unknown,
                      vhostBits: vhostBits.compactMap { bit in VhostUserProtocol.vhostBits[bit].map { "\($0) (\(bit))" } },
                      protocolFeatures: protocolFeatures, queues: queues, observation: observation, checks: checks)
    }
}
