import ConfigLayout
import Rendering

/// The spec read to the letter, for any device: the initialization sequence of 3.1.1 in order
/// (negotiate every feature the layout describes and the device offers, FEATURES_OK, then read),
/// "only exists if" read as packed offsets keyed by the offered features, and every field whose
/// features it negotiated read with the access widths of 4.1.3.1 inside a config_generation loop.
/// Its view is each field's value by name. No real driver is this literal; it shows what a reader of
/// the text alone would make of a device, which is where a device's author meets the spec.
struct SpecLiteralDriver: DriverModel {
    static let kind = DriverKind(
        name: "spec-literal", layout: nil,
        summary: "the spec read literally: negotiates first, reads every negotiated field at packed offsets",
        follows: "3.1.1 in order, packed offsets keyed by the offered features, only negotiated fields, conforming access widths",
        make: { SpecLiteralDriver() })

    func probe(_ session: DriverSession) -> DriverResult {
        let transport = session.transport
        let device = session.device
        transport.reset()
        transport.addStatus(.acknowledge)
        transport.addStatus(.driver)
        session.stage = "negotiate"
        let highest = device.allFeatures.map(\.bit).max() ?? 0
        let windows = highest / 32 + 1
        let offered = transport.getFeatures(windows: windows)
        let described = FeatureSet(bits: device.allFeatures.filter { !$0.isLegacyOnly }.map(\.bit))
        session.features = offered.intersection(described)
        let unsupported = offered.subtracting(session.features)
        // "MUST NOT accept a feature which requires another feature which was not accepted".
        while let unmet = device.unmetRequirements(in: session.features).first {
            session.drop(unmet.feature.name, because: "it requires \(unmet.requires)")
        }
        let result = transport.finalizeFeatures(session.features, windows: windows)
        if result != 0 { return .failed(session, "writing features failed: \(Errno.name(result))", unsupported: unsupported) }
        if session.has("VERSION_1") {
            transport.addStatus(.featuresOK)
            if !transport.getStatus().contains(.featuresOK) {
                return .failed(session, "the device does not support our subset of features", unsupported: unsupported)
            }
        }
        session.stage = "config"
        session.layout = Layout(device: device, features: offered, interpretation: .packed)
        let negotiatedLayout = Layout(device: device, features: session.features, interpretation: .fixed)
        let view = session.consistently { () -> DriverView in
            var view = DriverView()
            for placed in session.layout.fields where placed.exists && !placed.field.isReserved {
                // Only what the driver negotiated: a field offered but not accepted is not the driver's.
                guard negotiatedLayout.field(placed.path)?.exists == true, placed.size > 0 else { continue }
                view.set(placed.path, read(session, placed), from: [placed.path])
            }
            return view
        }
        transport.addStatus(.driverOK)
        return DriverResult(view: view, failure: nil, unsupported: unsupported)
    }

    /// One field at the access width its type asks for, decoded in its declared order.
    private func read(_ session: DriverSession, _ placed: PlacedField) -> DriverValue {
        switch placed.field.type {
        case .scalar:
            return .number(session.readDeclared(placed.path))
        case .chars:
            let bytes = session.readArray(placed.path)
            return .text(String(decoding: bytes.prefix { $0 != 0 }, as: UTF8.self))
        case .array(let element, _) where element.size > 1:
            let bytes = session.readConsistently(placed.path, element: min(element.size, 4))
            session.remember(placed.path, bytes: bytes)
            return .text(hexBytes(bytes))
        default:
            return .text(hexBytes(session.readArray(placed.path)))
        }
    }
}
