import ConfigLayout
import VirtioModel

/// Drives a device's selectors as a driver does: writes a selector value (and subselector), then
/// reads `size` and as many bytes of the union member the layout says that value fills.
struct SelectionProbe {
    let registers: any VirtioRegisters
    let layout: Layout

    /// The subselector values tried for a case that uses one: input's event types (EV_MAX 0x1f) and
    /// axes (ABS_MAX 0x3f).
    static let subselectValues: [UInt64] = Array(0...0x3f)

    func run(_ selector: Selector) throws(HostError) -> [QEMUProbeResult.Selection] {
        guard let select = layout.field(selector.select)?.offset, let union = layout.measureOffset(selector.union) else {
            return []
        }
        let subselect = selector.subselect.flatMap { layout.field($0)?.offset }
        let size = selector.size.flatMap { layout.field($0)?.offset }
        var results: [QEMUProbeResult.Selection] = []
        for entry in selector.cases {
            for subvalue in entry.usesSubselect ? Self.subselectValues : [0] {
                try registers.writeConfig(offset: select, bytes: [UInt8(truncatingIfNeeded: entry.value)])
                if let subselect { try registers.writeConfig(offset: subselect, bytes: [UInt8(truncatingIfNeeded: subvalue)]) }
                let count = try size.map { offset throws(HostError) in Int(try registers.readConfig(offset: offset, width: 1)[0]) }
                guard let count, count > 0 else { continue }
                let member = layout.fields.first { $0.path == (selector.union + [entry.member]).joined(separator: ".") }
                    ?? layout.fields.first { $0.path.hasPrefix((selector.union + [entry.member]).joined(separator: ".") + ".") }
                let width = member?.field.type.scalar.map { min($0.size, 4) } ?? 1
                var bytes: [UInt8] = []
                var position = 0
                while position < count {
                    let step = position + width <= count && (union + position) % width == 0 ? width : 1
                    bytes += try registers.readConfig(offset: union + position, width: step)
                    position += step
                }
                results.append(.init(name: entry.name, select: entry.value, subselect: entry.usesSubselect ? subvalue : nil,
                                     member: entry.member, size: count, bytes: bytes))
            }
        }
        try registers.writeConfig(offset: select, bytes: [0])
        if let subselect { try registers.writeConfig(offset: subselect, bytes: [0]) }
        return results
    }
}
