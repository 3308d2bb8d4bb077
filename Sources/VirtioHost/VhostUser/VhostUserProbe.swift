import ConfigLayout
import Rendering
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
        /// The largest GET_CONFIG the back-end answers from offset 0, and its bytes.
        public let configSize: Int
        public let bytes: [UInt8]
        public let fields: [QEMUProbeResult.Field]
        public let checks: [QEMUProbeResult.Check]

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
        let fields = QEMUProbe.analyse(bytes, device: device, offered: offered, length: size,
                                       encoding: ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
        let checks = VhostUserChecks(device: device, offered: offered, protocolFeatures: protocolFeatures, size: size,
                                     bytes: bytes, fields: fields, unknown: unknown).all()
        return Result(socket: socket, layoutPath: layout.path, device: device, offered: offered, unknownBits: unknown,
                      vhostBits: vhostBits.compactMap { bit in VhostUserProtocol.vhostBits[bit].map { "\($0) (\(bit))" } },
                      protocolFeatures: protocolFeatures, queues: queues, configSize: size, bytes: bytes, fields: fields,
                      checks: checks)
    }
}

/// The verdict of a vhost-user probe, as the QEMU probe's: the size, the values, the bytes past the
/// last field, and the features the layout does not know.
struct VhostUserChecks {
    let device: Device
    let offered: FeatureSet
    let protocolFeatures: UInt64
    let size: Int
    let bytes: [UInt8]
    let fields: [QEMUProbeResult.Field]
    let unknown: [Int]

    typealias Check = QEMUProbeResult.Check

    func all() -> [Check] {
        guard protocolFeatures & VhostUserProtocol.Feature.config.mask != 0 else {
            return [Check(name: "config", verdict: .undecided, summary: "the back-end does not offer VHOST_USER_PROTOCOL_F_CONFIG",
                          details: []), knownFeatures()]
        }
        return [sizeMatches(), valuesInRange(), pastTheFields(), knownFeatures()]
    }

    private func check(_ name: String, _ passed: Bool, _ summary: String, _ details: [String] = []) -> Check {
        Check(name: name, verdict: passed ? .agrees : .departs, summary: summary, details: details)
    }

    /// The config must reach the end of the last field the offered features make exist; it may stop
    /// before fields of features not offered (a back-end built on older headers does).
    private func sizeMatches() -> Check {
        let layout = Layout(device: device, features: offered, interpretation: .fixed)
        let needed = layout.fields.filter(\.exists).compactMap(\.end).max() ?? 0
        return check("size", size >= needed,
                     "GET_CONFIG answers up to \(size) bytes; the offered fields end at \(needed), the whole struct at \(layout.size)")
    }

    private func valuesInRange() -> Check {
        let checked = fields.filter { $0.exists && $0.isValid && $0.isInside && device.rangeOf($0.path) != nil }
        let bad = checked.compactMap { field -> String? in
            guard let range = device.rangeOf(field.path), case .integer(let value)? = field.value, !range.contains(value) else { return nil }
            return "\(field.path) is \(value), outside \(range.lowerBound)...\(range.upperBound)"
        }
        return check("ranges", bad.isEmpty, bad.isEmpty ? "every offered field with a declared range holds a value in it "
                        + "(\(checked.count) checked)" : "\(bad.count) offered fields hold a value outside the declared range", bad)
    }

    private func pastTheFields() -> Check {
        let end = Layout(device: device, features: offered, interpretation: .fixed).size
        let extra = end < bytes.count ? Array(bytes[end...]) : []
        return check("past the fields", extra.isEmpty,
                     extra.isEmpty ? "nothing is served past byte \(size), within the \(end)-byte struct"
                         : "\(extra.count) bytes past the last field: \(hexBytes(extra))")
    }

    private func knownFeatures() -> Check {
        check("features", unknown.isEmpty, unknown.isEmpty ? "the layout knows every offered bit"
                  : "offered bits the layout does not know: " + unknown.map(String.init).joined(separator: ", "))
    }
}
