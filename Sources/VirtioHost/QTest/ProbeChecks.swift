import ConfigLayout
import VirtioModel

/// The verdict of a QEMU probe: each prediction cfgspace makes about the device, held against what
/// the device served.
struct ProbeChecks {
    let device: Device
    let type: QEMUDeviceType?
    let started: QEMUDeviceSpec
    let offered: FeatureSet
    let length: QEMUProbeResult.ConfigLength
    let predicted: Int
    let bytes: [UInt8]
    let fields: [QEMUProbeResult.Field]
    let pastEnd: [QEMUProbeResult.PastEndRead]
    let featuresAccepted: Bool?
    let legacyViews: [QEMUProbeResult.LegacyView]
    let virtioID: Int

    typealias Check = QEMUProbeResult.Check

    func all() -> [Check] {
        [layoutMatches(), lengthMatches(), pastEndIsAllOnes(), valuesInRange(), featuresOK(), propertiesHeld(), legacyAgrees()]
            .compactMap { $0 }
    }

    private func check(_ name: String, _ passed: Bool, _ summary: String, _ details: [String] = []) -> Check {
        let finding = passed ? nil : QEMUFindings.explain(check: name, device: device, spec: started, offered: offered)
        return Check(name: name, verdict: passed ? .agrees : .departs, summary: summary, details: details, knownFinding: finding)
    }

    private func layoutMatches() -> Check {
        check("layout", device.id == virtioID,
              device.id == virtioID ? "the device reports virtio ID \(virtioID), the layout's (\(device.name))"
                  : "the device reports virtio ID \(virtioID), but the layout describes \(device.name) (ID \(device.id))")
    }

    private func lengthMatches() -> Check {
        switch length {
        case .exact(let actual):
            return check("length", actual == predicted,
                         actual == predicted ? "\(actual) bytes, as cfgspace's QEMU sizing predicts over the offered features"
                             : "\(actual) bytes, but cfgspace's QEMU sizing predicts \(predicted) over the offered features")
        case .atLeast(let bound, let reason):
            if bound > predicted {
                return check("length", false, "at least \(bound) bytes, more than the \(predicted) cfgspace predicts", [reason])
            }
            let tail = bytes.count >= predicted ? bytes[bound..<predicted].allSatisfy { $0 == 0xff } : false
            return Check(name: "length", verdict: .undecided,
                         summary: "at least \(bound) bytes; cfgspace predicts \(predicted)"
                             + (tail ? " (the bytes in between read 0xff, so it may be)" : ""),
                         details: [reason], knownFinding: QEMUFindings.explainUndecidedLength(device: device))
        }
    }

    private func pastEndIsAllOnes() -> Check {
        let bad = pastEnd.filter { !$0.bytes.allSatisfy { $0 == 0xff } }
        return check("past the end", bad.isEmpty,
                     bad.isEmpty ? "every read past byte \(length.value) returns all ones (\(pastEnd.count) reads at widths 1, 2 and 4)"
                         : "\(bad.count) of \(pastEnd.count) reads past byte \(length.value) return something other than all ones",
                     bad.map { "\($0.width)-byte read at \($0.offset) → \(hexBytes($0.bytes))" })
    }

    private func valuesInRange() -> Check {
        let checked = fields.filter { $0.exists && $0.isValid && $0.isInside && device.rangeOf($0.path) != nil }
        let bad = checked.compactMap { field -> String? in
            guard let range = device.rangeOf(field.path), case .integer(let value)? = field.value,
                  !range.contains(value) else { return nil }
            return "\(field.path) is \(value), outside \(range.lowerBound)...\(range.upperBound)"
        }
        return check("ranges", bad.isEmpty,
                     bad.isEmpty ? "every offered field with a declared range holds a value in it (\(checked.count) checked)"
                         : "\(bad.count) offered field\(bad.count == 1 ? "" : "s") hold a value outside the declared range", bad)
    }

    private func featuresOK() -> Check {
        guard let accepted = featuresAccepted else {
            return check("FEATURES_OK", true, "not applicable: the legacy interface has no FEATURES_OK")
        }
        return check("FEATURES_OK", accepted, accepted ? "the device keeps FEATURES_OK for the whole offered set"
                         : "the device clears FEATURES_OK when the driver accepts exactly what it offered")
    }

    private func propertiesHeld() -> Check? {
        guard let type else { return nil }
        var held: [String] = []
        var broken: [String] = []
        for binding in type.bindings {
            guard let expected = binding.expected(started) else { continue }
            guard let field = fields.first(where: { $0.path == binding.field }) else { continue }
            let actual: UInt64? = if case .integer(let number)? = field.value { number } else { nil }
            let line = "\(binding.field) = \(actual.map(String.init) ?? "?") from \(binding.property) (\(binding.source))"
            if actual == expected { held.append(line) } else { broken.append(line + ", expected \(expected)") }
        }
        guard !held.isEmpty || !broken.isEmpty else { return nil }
        return check("properties", broken.isEmpty,
                     broken.isEmpty ? "every field QEMU fills from a property holds it (\(held.count) checked)"
                         : "\(broken.count) field\(broken.count == 1 ? "" : "s") do not hold their property's value",
                     broken + held)
    }

    private func legacyAgrees() -> Check? {
        guard !legacyViews.isEmpty else { return nil }
        let count = min(length.value, bytes.count)
        let bad = legacyViews.filter { Array($0.bytes.prefix(count)) != Array(bytes.prefix(count)) }
        return check("legacy interface", bad.isEmpty,
                     bad.isEmpty ? "the legacy interface serves the same \(count) bytes at "
                         + legacyViews.map { "\($0.configOffset)" }.joined(separator: " and ")
                         : "the legacy interface serves other bytes",
                     bad.map { "at \($0.configOffset): \(hexBytes(Array($0.bytes.prefix(count))))" })
    }
}

extension Device {
    /// The declared range of the leaf field at a dotted path.
    func rangeOf(_ path: String) -> ClosedRange<UInt64>? {
        config?.member(at: path.split(separator: ".").map(String.init))?.range
    }
}
