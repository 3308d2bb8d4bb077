import ConfigLayout

/// A driver that follows the spec's text to the letter: the initialization sequence of 3.1.1 in
/// order (negotiate, FEATURES_OK, then read config), "only exists if" read as packed offsets keyed by
/// the offered features, and only fields whose features it negotiated, read with the access widths of
/// 4.1.3.1 inside a config_generation loop.
struct SpecLiteralNetDriver: DriverModel {
    static let kind = DriverKind(
        name: "spec-literal", layout: "net",
        summary: "the spec read literally: negotiates first, reads packed offsets keyed by offered features",
        follows: "3.1.1 in order, packed offsets keyed by the offered features, only negotiated fields, conforming access widths",
        fields: NetValues.fields, make: { SpecLiteralNetDriver() })

    func probe(_ session: DriverSession) -> DriverResult {
        let transport = session.transport
        let device = session.device
        transport.reset()
        transport.addStatus(.acknowledge)
        transport.addStatus(.driver)
        session.stage = "negotiate"
        let highest = device.allFeatures.map(\.bit).max() ?? 0
        let offered = transport.getFeatures(windows: highest / 32 + 1)
        // Accept every offered feature the layout describes; then give up those whose requirements are
        // not met ("MUST NOT accept a feature which requires another feature which was not accepted").
        let described = FeatureSet(bits: device.allFeatures.filter { !$0.isLegacyOnly }.map(\.bit))
        session.features = offered.intersection(described)
        let unsupported = offered.subtracting(session.features)
        while let unmet = device.unmetRequirements(in: session.features).first {
            session.drop(unmet.feature.name, because: "it requires \(unmet.requires)")
        }
        func failed(_ reason: String) -> DriverResult { .failed(session, reason, unsupported: unsupported) }
        let result = transport.finalizeFeatures(session.features, windows: highest / 32 + 1)
        if result != 0 { return failed("writing features failed: \(Errno.name(result))") }
        if session.has("VERSION_1") {
            transport.addStatus(.featuresOK)
            if !transport.getStatus().contains(.featuresOK) { return failed("the device does not support our subset of features") }
        }

        session.stage = "config"
        session.layout = Layout(device: device, features: offered, interpretation: .packed)
        var values = NetValues.assumed
        session.consistently {
            if session.has("MAC") {
                let mac = session.readConsistently("mac")
                session.remember("mac", bytes: mac)
                values.mac = mac
            }
            if session.has("STATUS") { values.linkUp = session.readDeclared("status") & 1 != 0 }
            if (session.has("MQ") || session.has("RSS")) && session.has("CTRL_VQ") {
                let pairs = session.readDeclared("max_virtqueue_pairs")
                if (1...0x8000).contains(pairs) {
                    values.maxQueuePairs = Int(pairs)
                } else {
                    session.note("max_virtqueue_pairs \(pairs) is outside 1...0x8000: using 1")
                }
            }
            if session.has("MTU") {
                let mtu = session.readDeclared("mtu")
                if mtu >= NetValues.minimumMTU {
                    values.mtu = Int(mtu)
                } else {
                    session.note("mtu \(mtu) is outside 68...65535: keeping \(NetValues.defaultMTU)")
                }
            }
            if session.has("SPEED_DUPLEX") {
                values.settings(speed: session.readDeclared("speed"), duplex: session.readDeclared("duplex"))
            }
        }
        transport.addStatus(.driverOK)
        return DriverResult(view: values.view, failure: nil, unsupported: unsupported)
    }
}
