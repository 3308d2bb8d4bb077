import ConfigLayout

/// What a config read needs of a device's state, kept from one read to the next: the image's
/// bytes under the encoding last served, and which bytes a read may not touch without the rules
/// being judged field by field. A reference, whose accesses are short and never overlap, so
/// reads pay no exclusivity checks for it. The device drops all of it whenever its image, status
/// or driver features change.
///
/// Once a read has found the state steady (nothing recorded per access, nothing to judge, the
/// generation still where the last read left it), the bytes a later read may take without any
/// of that are kept in one table, so such a read is one bounds check, a scan and a copy.
final class ReadCache {
    private var encoded: (encoding: ConfigImage.Encoding, bytes: [UInt8])?
    /// Per byte of the layout: whether a read touching it can break a rule in the present state.
    private var audited: [Bool]?
    /// Per byte of the configuration space in the steady state: the byte served, or -1 where a
    /// read must go the whole way. Empty when the state is not known to be steady.
    private var steady: [Int16] = []

    func invalidate() {
        encoded = nil
        audited = nil
        unsettle()
    }

    /// The state that decides which reads break rules changed; the bytes did not.
    func invalidateAudit() {
        audited = nil
        unsettle()
    }

    private func unsettle() {
        if !steady.isEmpty { steady = [] }
    }

    /// Serves a read from the steady table when every byte it covers is in it; false when the
    /// read must go the whole way, which then serves every byte of `buffer` again.
    @inline(__always)
    func serveSteadily(offset: Int, into buffer: inout [UInt8]) -> Bool {
        let count = buffer.count
        guard offset >= 0, count > 0, offset <= steady.count - count else { return false }
        for index in 0..<count {
            // In bounds: 0 <= offset and offset + count <= steady.count, checked above.
            let entry = steady[offset + index]
            if entry < 0 { return false }
            buffer[index] = UInt8(truncatingIfNeeded: entry)
        }
        return true
    }

    /// Records the state as steady: `bytes` (zero beyond them) for each of `size` bytes, save those
    /// the audit mask marks. Called only after a read found nothing to judge.
    func settle(size: Int, bytes: [UInt8]) {
        guard steady.isEmpty, let audited else { return }
        steady = (0..<max(0, size)).map { index in
            index < audited.count && audited[index] ? -1 : Int16(index < bytes.count ? bytes[index] : 0)
        }
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
    func readMayBreakARule(_ placed: PlacedField, in image: ConfigImage) -> Bool {
        if let existence = placed.field.existence, existence.basis == .negotiated {
            if !status.contains(.featuresOK) || !device.holds(existence.condition, in: driverFeatures) { return true }
        } else if !placed.exists {
            return true
        }
        if let after = placed.field.readableAfter, !status.contains(after) { return true }
        return placed.exists && placed.isValid && image.rangeProblem(placed) != nil
    }
}
