import ConfigLayout

/// The cause first: walking the fields in the spec's order, each place where the distance between
/// a member and its field changes has one cause before it (a member of the wrong size, a field not
/// declared, a member the spec does not have, or padding the compiler put in), and every field
/// after it that is off by the same distance is a consequence of that cause, folded under it.
struct ShiftAnalysis {
    struct Pair {
        let field: PlacedField
        let member: DeclaredStruct.Member
        let theirOffset: Int
        let theirSize: Int
        /// Difference if the device's features make the field mean something, else note.
        let severity: ConformResult.Severity
        let resized: ConformResult.Finding?
    }

    /// The causes, with their consequences, and the wrong sizes that move nothing.
    private(set) var roots: [ConformResult.Finding] = []
    private(set) var firstShift: ConformResult.Shift?
    /// The signatures of every finding the roots hold.
    var used: Set<String> { Set(roots.flatMap { [$0.signature] + $0.consequences.map(\.signature) }) }

    init(pairs: [Pair], missing: [(field: PlacedField, finding: ConformResult.Finding)],
         extras: [(offset: Int, size: Int, finding: ConformResult.Finding)], measured: ConformProbe.Measured, device: String) {
        let sorted = pairs.sorted { ($0.field.offset ?? 0, $0.theirOffset) < ($1.field.offset ?? 0, $1.theirOffset) }
        var previous: Pair?
        var delta = 0
        var current: Int?
        var usedResized = Set<String>()
        for (index, pair) in sorted.enumerated() {
            let specOffset = pair.field.offset ?? 0
            let shift = pair.theirOffset - specOffset
            let moved = ConformResult.Finding(
                kind: .moved, severity: pair.severity, field: pair.field.path,
                message: "\(pair.member.path) at \(pair.theirOffset), spec \(specOffset)", line: pair.member.line,
                signature: "moved \(device).\(pair.field.path) spec=\(specOffset) theirs=\(pair.theirOffset)")
            if shift == delta {
                if shift != 0, let current { roots[current].consequences.append(moved) }
                previous = pair
                continue
            }
            let change = shift - delta
            let later = sorted[(index + 1)...].prefix { $0.theirOffset - ($0.field.offset ?? 0) == shift }.count
            let amount = "\(abs(change))" + (delta == 0 ? "" : " more") + " byte\(abs(change) == 1 ? "" : "s")"
                + " \(change > 0 ? "late" : "early")" + (delta == 0 ? "" : " (\(abs(shift)) in all)")
            let isRest = later == sorted.count - index - 1
            let effect = later == 0 ? "\(pair.field.path) is \(amount)"
                : isRest ? "every field from \(pair.field.path) on is \(amount)"
                : "\(pair.field.path) and the \(later) field\(later == 1 ? "" : "s") after it are \(amount)"
            let specStart = previous.map { ($0.field.offset ?? 0) + $0.field.size } ?? 0
            let theirStart = previous.map { $0.theirOffset + $0.theirSize } ?? 0
            var root: ConformResult.Finding
            if let previous, var resized = previous.resized, previous.theirSize - previous.field.size == change {
                resized.message = resized.message.replacingOccurrences(of: " (\(previous.field.field.type.name))", with: "")
                    + ": " + (isRest ? "every field after it is \(amount)" : effect)
                usedResized.insert(previous.field.path)
                root = resized
                root.consequences = [moved]
            } else if case let gone = missing.filter({ ($0.field.offset ?? 0) >= specStart && ($0.field.offset ?? 0) < specOffset }),
                      !gone.isEmpty, gone.map(\.field.size).reduce(0, +) == -change {
                let names = gone.map(\.field.path)
                root = ConformResult.Finding(
                    kind: .missing, severity: gone.contains { $0.finding.severity == .difference } ? .difference : pair.severity,
                    field: names[0], message: Self.list(names) + (names.count == 1 ? " is" : " are") + " not declared: " + effect,
                    line: pair.member.line, signature: gone[0].finding.signature)
                root.consequences = Array(gone.dropFirst().map(\.finding)) + [moved]
            } else if case let added = extras.filter({ $0.offset >= theirStart && $0.offset < pair.theirOffset }),
                      !added.isEmpty, added.map(\.size).reduce(0, +) == change {
                root = added[0].finding
                root.message += ": " + effect
                root.severity = .difference
                root.consequences = Array(added.dropFirst().map(\.finding)) + [moved]
            } else if pair.theirOffset - theirStart == change + (specOffset - specStart),
                      !measured.members.contains(where: { $0.offset >= theirStart && $0.offset < pair.theirOffset }) {
                root = ConformResult.Finding(
                    kind: .moved, severity: pair.severity, field: pair.field.path,
                    message: "the compiler put \(change) byte\(change == 1 ? "" : "s") of padding before \(pair.member.path) "
                        + "to align it (\(measured.declared.name) is not packed): \(effect)",
                    line: pair.member.line, signature: moved.signature)
            } else {
                root = moved
                root.message += ": " + effect
            }
            roots.append(root)
            current = roots.count - 1
            if firstShift == nil {
                firstShift = .init(field: pair.field.path, by: shift, following: later, cause: root.message)
            }
            delta = shift
            previous = pair
        }
        for pair in sorted where !usedResized.contains(pair.field.path) {
            if let resized = pair.resized { roots.append(resized) }
        }
        for index in roots.indices where roots[index].consequences.contains(where: \.isDifference) {
            roots[index].severity = .difference
        }
    }

    /// `a`, `a and b`, `a, b and c`.
    static func list(_ names: [String]) -> String {
        names.count <= 2 ? names.joined(separator: " and ") : names.dropLast().joined(separator: ", ") + " and " + (names.last ?? "")
    }
}
