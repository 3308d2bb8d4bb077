import ConfigLayout

/// What a config read needs of a device's state, kept from one read to the next: the image's
/// bytes under the encoding last served, and which bytes a read may not touch without the rules
/// being judged field by field. A reference, whose accesses are short and never overlap, so
/// reads pay no exclusivity checks for it. The device drops both whenever its image, status or driver
/// features change, so a read in a steady state is a copy and a check of a few flags.
final class ReadCache {
    private var encoded: (encoding: ConfigImage.Encoding, bytes: [UInt8])?
    /// Per byte of the layout: whether a read touching it can break a rule in the present state.
    private var audited: [Bool]?

    func invalidate() {
        encoded = nil
        audited = nil
    }

    /// The state that decides which reads break rules changed; the bytes did not.
    func invalidateAudit() {
        audited = nil
    }

    /// The image's bytes under `encoding`, encoded once per change.
    func bytes(_ encoding: ConfigImage.Encoding, encode: (ConfigImage.Encoding) -> [UInt8]) -> [UInt8] {
        if let encoded, encoded.encoding == encoding { return encoded.bytes }
        let bytes = encode(encoding)
        encoded = (encoding, bytes)
        return bytes
    }

    /// Whether no byte of `offset..<offset + count` needs a field-by-field audit; `mask` gives,
    /// once per state, the bytes whose reading can break a rule.
    func isQuiet(offset: Int, count: Int, mask makeMask: () -> [Bool]) -> Bool {
        let mask: [Bool]
        if let audited {
            mask = audited
        } else {
            mask = makeMask()
            audited = mask
        }
        guard offset >= 0, count > 0 else { return false }
        var index = offset
        let end = offset.addingReportingOverflow(count).overflow ? Int.max : offset + count
        while index < end && index < mask.count {
            if mask[index] { return false }
            index += 1
        }
        return true
    }

    /// The bytes of every placed field, reserved ones aside, that `needsAudit` picks.
    static func mask(_ image: ConfigImage, _ needsAudit: (PlacedField) -> Bool) -> [Bool] {
        var mask = [Bool](repeating: false, count: image.layout.size)
        for placed in image.layout.fields where !placed.field.isReserved && needsAudit(placed) {
            guard let offset = placed.offset, offset < mask.count else { continue }
            for index in offset..<min(offset + placed.size, mask.count) { mask[index] = true }
        }
        return mask
    }
}

extension DeviceModel {
    /// Whether reading the field in the present state breaks a rule `audit` judges, however it is read.
    func readMayBreakARule(_ placed: PlacedField) -> Bool {
        if let existence = placed.field.existence, existence.basis == .negotiated {
            if !status.contains(.featuresOK) || !device.holds(existence.condition, in: driverFeatures) { return true }
        } else if !placed.exists {
            return true
        }
        if let after = placed.field.readableAfter, !status.contains(after) { return true }
        return placed.exists && placed.isValid && image.rangeProblem(placed.path) != nil
    }
}
