import ConfigLayout
import Rendering
import VirtioModel

/// The last stage of a QEMU probe, its verdict: each prediction cfgspace makes about the device
/// (its layout, QEMU's sizing, what QEMU's properties promise), held against what the device served.
struct ProbeVerdict {
    /// The device as started, its catalogue entry and the properties in force for it.
    let started: QEMUDeviceSpec
    let type: QEMUDeviceType?
    let properties: QEMUDeviceProperties
    /// The virtio ID the device reports.
    let virtioID: Int
    let read: QEMUConfigRead
    let observation: ConfigObservation
    let pastEnd: [QEMUProbeResult.PastEndRead]
    /// cfgspace's QEMU sizing over the offered features.
    let predicted: Int

    typealias Check = ProbeCheck
    typealias Cause = ProbeCheck.Cause

    private var device: Device { read.device }
    private var negotiation: ProbeNegotiation { read.negotiation }
    private var offered: FeatureSet { negotiation.offered }
    private var length: ConfigObservation.Length { observation.length }
    private var bytes: [UInt8] { observation.bytes }
    private var fields: [ObservedField] { observation.fields }

    func all() -> [Check] {
        [layoutMatches(), lengthMatches(), pastEndIsAllOnes(), explained(ConfigChecks.valuesInRange(observation, device: device)),
         featuresOK(), propertiesHeld(), legacyAgrees()]
            .compactMap { $0 }
    }

    private func check(_ name: String, _ passed: Bool, _ summary: String, _ details: [String] = [],
                       cause: Cause? = nil) -> Check {
        explained(Check(name, passed: passed, summary, details, cause: cause))
    }

    /// A departure QEMU's own behaviour explains, with the finding as its cause.
    private func explained(_ check: Check) -> Check {
        guard check.verdict == .departs,
              let finding = QEMUFindings.explain(check: check.name, device: device, spec: started, offered: offered) else {
            return check
        }
        return check.caused(by: Cause(kind: .finding, text: finding))
    }

    private func layoutMatches() -> Check {
        check("layout", device.id == virtioID,
              device.id == virtioID ? "the device reports virtio ID \(virtioID), the layout's (\(device.name))"
                  : "the device reports virtio ID \(virtioID), but the layout describes \(device.name) (ID \(device.id))")
    }

    private func lengthMatches() -> Check {
        switch length {
        case .exact(let actual):
            let inherited = properties.inherited(readBy: device)
            let with = inherited.isEmpty ? "" : " and " + inherited.map { "\($0.name)=\($0.value)" }.joined(separator: ", ")
            return check("length", actual == predicted,
                         actual == predicted ? "\(actual) bytes, as cfgspace's QEMU sizing predicts over the offered features\(with)"
                             : "\(actual) bytes, but cfgspace's QEMU sizing predicts \(predicted) over the offered features\(with)",
                         cause: actual == predicted ? agreementCause(inherited) : lengthCause(actual))
        case .atLeast(let bound, let reason):
            if bound > predicted {
                return check("length", false, "at least \(bound) bytes, more than the \(predicted) cfgspace predicts", [reason])
            }
            let tail = bytes.count >= predicted ? bytes[bound..<predicted].allSatisfy { $0 == 0xff } : false
            return Check(name: "length", verdict: .undecided,
                         summary: "at least \(bound) bytes; cfgspace predicts \(predicted)"
                             + (tail ? " (the bytes in between read 0xff, so it may be)" : ""),
                         details: [reason],
                         cause: QEMUFindings.explainUndecidedLength(device: device).map { Cause(kind: .finding, text: $0) })
        }
    }

    /// Where a prediction that agrees took a property QEMU's defaults do not set: the machine
    /// type's or a -global's.
    private func agreementCause(_ inherited: [QEMUDeviceProperties.Setting]) -> Cause? {
        guard let first = inherited.first else { return nil }
        let kind: Cause.Kind = if case .machine = first.source { .machineType } else { .property }
        return Cause(kind: kind, text: inherited.map { "\($0.type).\($0.name)=\($0.value) from \($0.source)" }
            .joined(separator: "; "))
    }

    /// Why QEMU's length is not the prediction, as far as cfgspace can tell: a QEMU property its
    /// sizing reads that would give QEMU's length if it were set the other way (set by nothing
    /// cfgspace sees, or set where cfgspace does not look), or a machine type whose compat
    /// properties cfgspace does not know.
    private func lengthCause(_ actual: Int) -> Cause? {
        for entry in device.qemuPropertySizes {
            let flipped = properties.qemu.setting(entry.property, properties.qemu.isOn(entry.property) ? "off" : "on")
            let other = QEMUProbe.predictedLength(device, offered: offered, properties: flipped, selections: read.selections,
                                                  bytes: bytes, encoding: read.encoding)
            guard other == actual else { continue }
            let now = properties.setting(entry.property).map { "\($0.value) from \($0.source)" } ?? "QEMU's default, off"
            return Cause(kind: .property, text: "QEMU's \(actual) bytes are cfgspace's prediction with \(entry.property)="
                         + "\(properties.qemu.isOn(entry.property) ? "off" : "on"); cfgspace took \(now)")
        }
        if !properties.machineIsKnown {
            return Cause(kind: .machineType, text: "cfgspace's table of QEMU 7.2's compat properties has no machine type "
                         + "'\(properties.machine)', so none of its compat properties entered the prediction")
        }
        return nil
    }

    private func pastEndIsAllOnes() -> Check {
        let bad = pastEnd.filter { !$0.bytes.allSatisfy { $0 == 0xff } }
        return check("past the end", bad.isEmpty,
                     bad.isEmpty ? "every read past byte \(length.value) returns all ones (\(pastEnd.count) reads at widths 1, 2 and 4)"
                         : "\(bad.count) of \(pastEnd.count) reads past byte \(length.value) return something other than all ones",
                     bad.map { "\($0.width)-byte read at \($0.offset) → \(hexBytes($0.bytes))" })
    }

    private func featuresOK() -> Check {
        guard let accepted = negotiation.featuresAccepted else {
            return check("FEATURES_OK", true, "not applicable: the legacy interface has no FEATURES_OK")
        }
        return check("FEATURES_OK", accepted, accepted ? "the device keeps FEATURES_OK for the whole offered set"
                         : "the device clears FEATURES_OK when the driver accepts exactly what it offered")
    }

    private func propertiesHeld() -> Check? {
        guard let type else { return nil }
        var held: [String] = []
        var broken: [String] = []
        // Every property in force: the machine type's compat properties and -globals, then the -device value's.
        let effective = properties.effective(started)
        var inherited: [QEMUDeviceProperties.Setting] = []
        for binding in type.bindings {
            guard let expected = binding.expected(effective) else { continue }
            guard let field = fields.first(where: { $0.path == binding.field }) else { continue }
            let actual: UInt64? = if case .integer(let number)? = field.value { number } else { nil }
            // The properties the binding reads that something other than -device set.
            let from = binding.property.split(separator: ",").compactMap { name in
                properties.setting(name.filter { $0 != " " }).flatMap { $0.source == .device ? nil : $0 }
            }
            inherited += from
            let line = "\(binding.field) = \(actual.map(String.init) ?? "?") from \(binding.property) (\(binding.source))"
                + from.map { ", \($0.name)=\($0.value) from \($0.source)" }.joined()
            if actual == expected { held.append(line) } else { broken.append(line + ", expected \(expected)") }
        }
        guard !held.isEmpty || !broken.isEmpty else { return nil }
        return check("properties", broken.isEmpty,
                     broken.isEmpty ? "every field QEMU fills from a property holds it (\(held.count) checked)"
                         : "\(broken.count) field\(broken.count == 1 ? "" : "s") do not hold their property's value",
                     broken + held, cause: agreementCause(inherited))
    }

    private func legacyAgrees() -> Check? {
        let legacyViews = read.legacyViews
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
