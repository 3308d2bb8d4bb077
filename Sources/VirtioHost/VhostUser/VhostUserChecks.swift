import ConfigLayout
import Rendering

/// The verdict of a vhost-user probe: the checks every probe makes of a configuration, and those
/// only GET_CONFIG allows: the size, the bytes past the last field, and the features the layout
/// does not know.
struct VhostUserChecks {
    let device: Device
    let offered: FeatureSet
    let protocolFeatures: UInt64
    let observation: ConfigObservation
    let unknown: [Int]

    typealias Check = ProbeCheck

    func all() -> [Check] {
        guard protocolFeatures & VhostUserProtocol.Feature.config.mask != 0 else {
            return [Check(name: "config", verdict: .undecided, summary: "the back-end does not offer VHOST_USER_PROTOCOL_F_CONFIG",
                          details: []), knownFeatures()]
        }
        return [sizeMatches(), ConfigChecks.valuesInRange(observation, device: device), pastTheFields(), knownFeatures()]
    }

    private var size: Int { observation.length.value }

    /// The config must reach the end of the last field the offered features make exist; it may stop
    /// before fields of features not offered (a back-end built on older headers does).
    private func sizeMatches() -> Check {
        let layout = Layout(device: device, features: offered, interpretation: .fixed)
        let needed = layout.fields.filter(\.exists).compactMap(\.end).max() ?? 0
        return Check("size", passed: size >= needed,
                     "GET_CONFIG answers up to \(size) bytes; the offered fields end at \(needed), the whole struct at \(layout.size)")
    }

    private func pastTheFields() -> Check {
        let end = Layout(device: device, features: offered, interpretation: .fixed).size
        let bytes = observation.bytes
        let extra = end < bytes.count ? Array(bytes[end...]) : []
        return Check("past the fields", passed: extra.isEmpty,
                     extra.isEmpty ? "nothing is served past byte \(size), within the \(end)-byte struct"
                         : "\(extra.count) bytes past the last field: \(hexBytes(extra))")
    }

    private func knownFeatures() -> Check {
        Check("features", passed: unknown.isEmpty, unknown.isEmpty ? "the layout knows every offered bit"
                  : "offered bits the layout does not know: " + unknown.map(String.init).joined(separator: ", "))
    }
}
