import ConfigLayout
import VirtioModel

/// Applies driver operations to a device model and holds each against the promises every model
/// keeps, whatever the driver does:
/// - a read returns the image's bytes inside the space; one that reaches outside it gets only what
///   the device's past-end policy gives (all ones, zeros past the end, the reader's own bytes, or
///   a failure);
/// - a status write takes effect as the spec's rules say, and a write that breaks them is recorded
///   as a violation (a cleared bit, a step out of order, anything but a reset after FAILED);
/// - a config write never changes a read-only field.
public struct DriverOperationCheck {
    public let model: DeviceModel
    /// The byte a read leaves where the device writes nothing.
    private static let sentinel: UInt8 = 0x5A

    public init(model: DeviceModel) {
        self.model = model
    }

    /// Applies the operation; returns every broken promise, in words.
    public func apply(_ operation: DriverOperation) -> [String] {
        switch operation {
        case .writeStatus(let value): return writeStatus(DeviceStatus(rawValue: value))
        case .readDeviceFeatures(let select): _ = model.readDeviceFeatureWindow(select)
        case .writeDriverFeatures(let select, let value): model.writeDriverFeatureWindow(select, value)
        case .setFeatures(let value): _ = model.acceptDriverFeatures(FeatureSet(words: [value]))
        case .read(let offset, let width): return read(offset: offset, width: width)
        case .write(let offset, let bytes): return write(offset: offset, bytes: bytes)
        case .readGeneration: _ = model.readGeneration()
        case .reset: return writeStatus([])
        }
        return []
    }

    private func read(offset: Int, width: Int) -> [String] {
        let served = model.servedBytes
        var buffer = [UInt8](repeating: Self.sentinel, count: width)
        let outcome = model.readConfig(offset: offset, into: &buffer, field: nil)
        // QEMU's memory core cuts a read that straddles the end into aligned pieces and judges each:
        // a piece that reaches past the end reads all ones, even its bytes inside the space.
        var piecesPastTheEnd: [Range<Int>] = []
        if outcome == .straddles {
            var position = 0
            for piece in QEMUMemoryAccess.pieces(offset: offset, count: width) {
                if piece.offset < 0 || piece.offset > model.configSize - piece.width {
                    piecesPastTheEnd.append(position..<position + piece.width)
                }
                position += piece.width
            }
        }
        var problems: [String] = []
        for (index, byte) in buffer.enumerated() {
            let (position, overflow) = offset.addingReportingOverflow(index)
            let inside = !overflow && position >= 0 && position < model.configSize
            let allowed: Set<UInt8>
            switch outcome {
            // The device wrote nothing: the reader keeps its own bytes.
            case .failed, .untouched: allowed = [Self.sentinel]
            // QEMU's virtio_config_read*: an access reaching past the end reads all ones, every byte.
            case .allOnes: allowed = [0xFF]
            // Pieces (QEMU's memory core): those inside read the space, those outside all ones; or
            // firecracker's copy of what exists, then zeros.
            case .served, .straddles, .zeros:
                if piecesPastTheEnd.contains(where: { $0.contains(index) }) {
                    allowed = [0xFF]
                } else if inside {
                    allowed = [position < served.count ? served[position] : 0]
                } else {
                    allowed = outcome == .zeros ? [0] : outcome == .served ? [] : [0xFF]
                }
            }
            if !allowed.contains(byte) {
                problems.append("read \(width) at \(offset) (\(outcome.rawValue)): byte \(index) is 0x\(String(byte, radix: 16)), "
                                + "not \(allowed.map { "0x" + String($0, radix: 16) }.sorted())")
                break
            }
        }
        if outcome != .served, offset >= 0, width > 0, !model.trace.violations.contains(where: { $0.rule == .readsPastTheEnd }) {
            problems.append("read \(width) at \(offset) reached past the end (\(outcome.rawValue)) and no violation says so")
        }
        return problems
    }

    private func writeStatus(_ value: DeviceStatus) -> [String] {
        let old = model.status
        let version1 = model.device.bit(named: "VERSION_1").map { model.driverFeatures.contains($0) } ?? false
        model.writeStatus(value)
        let new = model.status
        if value.isEmpty {
            return new.isEmpty && model.driverFeatures.isEmpty ? [] : ["a reset left status \(new), features \(model.driverFeatures.words)"]
        }
        var problems: [String] = []
        // FEATURES_OK stays clear when the device refuses the features; a device may add DEVICE_NEEDS_RESET.
        if !new.subtracting(.deviceNeedsReset).isSubset(of: value) || !value.subtracting(.featuresOK).isSubset(of: new) {
            problems.append("status \(value) written over \(old) reads back \(new)")
        }
        func recorded(_ rule: Rule) -> Bool { model.trace.violations.contains { $0.rule == rule } }
        if !old.subtracting(value).isEmpty, !recorded(.clearsStatusBit) {
            problems.append("status \(value) over \(old) cleared bits and no violation says so")
        }
        let added = value.subtracting(old)
        let prerequisites: [(DeviceStatus, DeviceStatus)] = [
            (.driver, .acknowledge), (.featuresOK, [.acknowledge, .driver]),
            (.driverOK, version1 ? [.acknowledge, .driver, .featuresOK] : [.acknowledge, .driver]),
        ]
        let outOfOrder = prerequisites.contains { bit, needs in added.contains(bit) && !needs.isSubset(of: value) }
            || (old.contains(.failed) && !added.subtracting([.failed, .deviceNeedsReset]).isEmpty)
        if outOfOrder, !recorded(.statusOutOfOrder) {
            problems.append("status \(value) over \(old) skipped a step and no violation says so")
        }
        return problems
    }

    private func write(offset: Int, bytes: [UInt8]) -> [String] {
        let before = model.image.values
        model.writeConfig(offset: offset, bytes: bytes, field: nil)
        let version1 = model.device.bit(named: "VERSION_1").map { model.driverFeatures.contains($0) } ?? false
        return model.image.layout.fields.compactMap { placed in
            let fixed = placed.field.access == .readOnly || (placed.field.access == .legacyWritable && version1)
            guard fixed, before[placed.path] != model.image.values[placed.path] else { return nil }
            return "a \(bytes.count)-byte write at \(offset) changed read-only \(placed.path)"
        }
    }
}
