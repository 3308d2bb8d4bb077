import ConfigLayout

/// A user's struct, as their compiler measured it, held against a device's fixed layout. Each
/// member is matched to its field first (ConformMatching); then, for the features the device
/// offers (given, or the most the struct can serve), every offset, size and byte order is
/// compared, and where fields are off their place the cause is found and what follows from it
/// folded under it (ShiftAnalysis). Without a spec version, every version the device exists in
/// is tried and the one that fits best is kept.
public enum ConformCheck {
    public struct Options: Sendable {
        /// Nil: the version that fits best.
        public var spec: SpecVersion?
        /// The features the device offers; nil: the most the struct can serve.
        public var features: FeatureSet?
        /// The device offers only the modern interface, so virtio-endian fields are little-endian.
        public var modern: Bool
        /// A plain integer where the spec names an order is a difference, not a note.
        public var strictByteOrder: Bool
        /// Member paths to field paths.
        public var map: [String: String]

        public init(spec: SpecVersion? = nil, features: FeatureSet? = nil, modern: Bool = false, strictByteOrder: Bool = false,
                    map: [String: String] = [:]) {
            self.spec = spec
            self.features = features
            self.modern = modern
            self.strictByteOrder = strictByteOrder
            self.map = map
        }
    }

    /// The result at `options.spec`, or at the version that fits best.
    public static func check(_ measured: ConformProbe.Measured, with device: Device, options: Options = Options()) -> ConformResult {
        let versions = options.spec.map { [$0] } ?? SpecVersion.known.filter { device.exists(in: $0) }.reversed()
        let results = versions.compactMap { version -> ConformResult? in
            let asOf = device.asOf(selected: version)
            if options.spec == nil, let features = options.features {
                // A version without one of the offered features cannot be the device's.
                let known = Set(asOf.features.map(\.bit))
                guard device.features.allSatisfy({ !features.contains($0.bit) || known.contains($0.bit) }) else { return nil }
            }
            return compare(measured, with: asOf, version: version, chosen: options.spec == nil, options: options)
        }
        // The version that explains the most members, then the fewest differences, the fewest misfits and
        // the fewest features left out; the newest on a tie.
        return results.min { lhs, rhs in score(lhs).lexicographicallyPrecedes(score(rhs)) }
            ?? compare(measured, with: device, version: SpecVersion.newest, chosen: false, options: options)
    }

    private static func score(_ result: ConformResult) -> [Int] {
        let all = result.allFindings
        let matched = Set(result.rows.compactMap { $0.theirs?.path })
        let unexplained = result.measured.members.filter { !$0.member.isPadding && !matched.contains($0.member.path) }.count
        let misfits = all.filter { [.moved, .resized, .extra, .missing, .extension].contains($0.kind) }.count
        return [unexplained, all.filter(\.isDifference).count, all.filter { $0.severity == .unknown }.count, misfits,
                result.without.count]
    }

    static func compare(_ measured: ConformProbe.Measured, with device: Device, version: SpecVersion, chosen: Bool,
                        options: Options) -> ConformResult {
        let name = device.name
        let everything = FeatureSet(bits: device.features.filter { !$0.isLegacyOnly }.map(\.bit))
        let fields = Layout(device: device, features: everything, interpretation: .fixed).fields.filter { $0.offset != nil }
        let members = measured.members
        let matching = ConformMatching(fields: fields, members: members, map: options.map)
        let unmatchedFields = fields.indices.filter { matching.byField[$0] == nil }

        var without: [String] = []
        var offered = options.features ?? everything
        if options.features == nil {
            (offered, without) = inferOffered(device, everything, missing: Set(unmatchedFields.map { fields[$0].path }))
        }
        let layout = Layout(device: device, features: offered, interpretation: .fixed)
        let valid = Dictionary(layout.fields.map { ($0.path, $0.isValid) }, uniquingKeysWith: { first, _ in first })
        func isRequired(_ field: PlacedField) -> Bool { !field.field.isReserved && (valid[field.path] ?? false) }
        func needs(_ field: PlacedField) -> String {
            device.fieldTree.node(field.path).map { "\($0.valid)" } ?? "?"
        }

        var findings: [ConformResult.Finding] = []
        var pairs: [ShiftAnalysis.Pair] = []
        var byteOrder: [ByteOrderRule.Category: [ConformResult.Finding]] = [:]
        var unknown: [ConformResult.Finding] = []
        var rows: [ConformResult.Row] = []
        for (index, field) in fields.enumerated() {
            guard let offset = field.offset else { continue }
            let specKind = Self.specKind(field.field.type)
            guard let (memberIndex, how) = matching.byField[index] else {
                rows.append(.init(field: field.path, offset: offset, size: field.size, kind: specKind, isRequired: isRequired(field),
                                  isReserved: field.field.isReserved, theirs: nil))
                continue
            }
            let (member, theirOffset, theirSize) = members[memberIndex]
            rows.append(.init(field: field.path, offset: offset, size: field.size, kind: specKind, isRequired: isRequired(field),
                              isReserved: field.field.isReserved, theirs: (member.path, theirOffset, theirSize, member.kind, member.line)))
            let severity: ConformResult.Severity = isRequired(field) ? .difference : .note
            if how != .name && how != .map && ConformMatching.normalized(member.path) != field.path {
                findings.append(.init(kind: .renamed, severity: .note, field: field.path, message: "\(member.path) stands for \(field.path)",
                                      line: member.line, signature: "renamed \(name).\(field.path) theirs=\(member.path)"))
            }
            var resized: ConformResult.Finding?
            if theirSize != field.size && !member.isFlexible {
                resized = .init(kind: .resized, severity: field.field.isReserved ? .note : severity, field: field.path,
                                message: "\(member.path) is \(theirSize) bytes, spec \(field.size) (\(field.field.type.name))",
                                line: member.line, signature: "resized \(name).\(field.path) spec=\(field.size) theirs=\(theirSize)")
            }
            pairs.append(.init(field: field, member: member, theirOffset: theirOffset, theirSize: theirSize, severity: severity,
                               resized: resized))
            guard theirSize == field.size, !field.field.isReserved, isRequired(field) || options.features == nil else { continue }
            let outcome = ByteOrderRule.compare(spec: specKind, theirs: member.kind, typeName: "\(member.path) (\(member.typeName))",
                                                strict: options.strictByteOrder, modern: options.modern)
            let signature = "byte-order \(name).\(field.path) spec=\(specKind) theirs=\(member.kind ?? "?")"
            switch outcome {
            case .agrees:
                break
            case .note(let category, let text):
                byteOrder[category, default: []].append(.init(kind: .byteOrder, severity: .note, field: field.path, message: text,
                                                             line: member.line, signature: signature))
            case .difference(let category, let text):
                byteOrder[category, default: []].append(.init(kind: .byteOrder, severity: severity, field: field.path,
                                                             message: text, line: member.line, signature: signature))
            case .unknown:
                guard isRequired(field) else { break }
                unknown.append(.init(kind: .unresolved, severity: .unknown, field: field.path,
                                     message: "\(member.path) is \(member.typeName), whose byte order cannot be read",
                                     line: member.line, signature: "unresolved \(name).\(field.path) theirs=\(member.typeName)"))
            }
        }
        // One finding per kind of byte order, the members under it.
        for category in ByteOrderRule.Category.allCases {
            guard let group = byteOrder[category], let first = group.first else { continue }
            guard group.count > 1 else { findings.append(first); continue }
            var root = ConformResult.Finding(
                kind: .byteOrder, severity: group.contains(where: \.isDifference) ? .difference : .note, field: first.field,
                message: ByteOrderRule.summary(category, count: group.count, strict: options.strictByteOrder), line: first.line,
                signature: "byte-order \(name) \(category.rawValue) count=\(group.count)")
            root.consequences = group
            findings.append(root)
        }
        if !unknown.isEmpty {
            var root = ConformResult.Finding(
                kind: .unresolved, severity: .unknown, field: unknown[0].field,
                message: "the byte order of \(unknown.count) member\(unknown.count == 1 ? "" : "s") cannot be read from their types, "
                    + "so the struct cannot be said to conform in byte order", line: unknown[0].line,
                signature: "unresolved \(name) count=\(unknown.count)")
            root.consequences = unknown
            findings.append(root)
        }

        // Members no field matched: a union's other name, padding, an extension past the end, or extra.
        let fixedSize = Layout(device: device, features: everything, interpretation: .fixed).size
        var extras: [ConformResult.Finding] = []
        var extraMembers: [(offset: Int, size: Int, finding: ConformResult.Finding)] = []
        for index in matching.unmatchedMembers {
            let (member, offset, size) = members[index]
            if let twin = pairs.first(where: { $0.theirOffset == offset && $0.theirSize == size }) {
                findings.append(.init(kind: .alias, severity: .note, field: twin.field.path,
                                      message: "\(member.path) shares \(twin.member.path)'s bytes, as in a union", line: member.line,
                                      signature: "alias \(name).\(twin.field.path) theirs=\(member.path)"))
                continue
            }
            if member.isPadding { continue }
            if offset >= fixedSize {
                findings.append(.init(kind: .`extension`, severity: .note, field: member.path,
                                      message: "\(member.path) (\(Self.bytes(size)) at \(offset)) is past the end of \(name)'s config in "
                                          + "virtio \(version) (\(fixedSize) bytes)", line: member.line,
                                      signature: "extension \(measured.declared.name).\(member.path)"))
                continue
            }
            let overlapped = fields.filter { $0.overlaps(offset: offset, count: size) }
            let required = overlapped.filter(isRequired)
            let place = overlapped.isEmpty ? "" : ", where the spec has " + overlapped.map(\.path).joined(separator: ", ")
            let finding = ConformResult.Finding(
                kind: .extra, severity: required.isEmpty ? .note : .difference, field: member.path,
                message: "\(member.path) (\(Self.bytes(size)) at \(offset)) is no field of \(name)\(place)", line: member.line,
                signature: "extra \(measured.declared.name).\(member.path)")
            extraMembers.append((offset, size, finding))
            extras.append(finding)
        }

        // Fields no member stands for: past the struct's end, or in its middle.
        let declaredEnd = pairs.map { ($0.field.offset ?? 0) + $0.field.size }.max() ?? 0
        // A union's other alternatives share the bytes of the one declared: views, not missing fields.
        var unionViews: [String: (declared: ShiftAnalysis.Pair, others: [String])] = [:]
        var missing: [(field: PlacedField, finding: ConformResult.Finding)] = []
        var trailing: [PlacedField] = []
        for index in unmatchedFields where !fields[index].field.isReserved {
            let field = fields[index]
            guard let offset = field.offset else { continue }
            if offset >= declaredEnd { trailing.append(field); continue }
            if let view = pairs.first(where: { pair in
                pair.field.overlaps(offset: offset, count: max(1, field.size)) && Self.sameUnion(pair.field.path, field.path)
            }) {
                unionViews[view.field.path, default: (view, [])].others.append(field.path)
                continue
            }
            let covering = members.filter { $0.member.isPadding && $0.offset < offset + field.size && offset < $0.offset + $0.size }
            let cover = covering.first.map { ": \($0.member.path) covers its bytes" } ?? ""
            guard isRequired(field) || !covering.isEmpty else {
                missing.append((field, .init(kind: .missing, severity: .note, field: field.path,
                                             message: "\(field.path) (\(Self.bytes(field.size)) at \(offset)) is not declared",
                                             line: nil, signature: "missing \(name).\(field.path)")))
                continue
            }
            let needing = isRequired(field) ? "" : " (harmless while the device does not offer \(needs(field)))"
            missing.append((field, .init(kind: .missing, severity: isRequired(field) ? .difference : .note, field: field.path,
                                         message: "\(field.path) (\(Self.bytes(field.size)) at \(offset)) is not declared\(cover)\(needing)",
                                         line: covering.first?.member.line, signature: "missing \(name).\(field.path)")))
        }
        for (_, view) in unionViews.sorted(by: { $0.key < $1.key }) {
            let union = view.declared.field.path.split(separator: ".").dropLast().joined(separator: ".")
            findings.append(.init(kind: .alias, severity: .note, field: union,
                                  message: "\(view.declared.member.path) holds the union \(union): "
                                      + ShiftAnalysis.list(view.others) + " share its bytes", line: view.declared.member.line,
                                  signature: "union \(name).\(union) theirs=\(view.declared.member.path)"))
        }
        if let first = trailing.min(by: { ($0.offset ?? 0) < ($1.offset ?? 0) }) {
            let required = trailing.filter(isRequired)
            if required.isEmpty {
                findings.append(.init(kind: .ends, severity: .note, field: first.path,
                                      message: "ends at byte \(declaredEnd), before \(first.path) (needs \(needs(first)))",
                                      line: measured.declared.line,
                                      signature: "ends \(name) at=\(declaredEnd) before=\(first.path) needs=\(needs(first))"))
            } else {
                var root = ConformResult.Finding(
                    kind: .ends, severity: .difference, field: required[0].path,
                    message: "ends at byte \(declaredEnd), before \(required[0].path), which \(needs(required[0])) needs and the "
                        + "device offers", line: measured.declared.line,
                    signature: "ends \(name) at=\(declaredEnd) before=\(required[0].path) needs=\(needs(required[0]))")
                root.consequences = required.map { field in
                    .init(kind: .missing, severity: .difference, field: field.path,
                          message: "\(field.path) (\(Self.bytes(field.size)) at \(field.offset ?? 0)) is not declared",
                          line: nil, signature: "missing \(name).\(field.path)")
                }
                findings.append(root)
            }
        }
        if measured.size > fixedSize, extraMembers.isEmpty, !findings.contains(where: { $0.kind == .`extension` }),
           measured.size > (members.map { $0.offset + $0.size }.max() ?? 0) || members.last.map({ $0.member.isPadding }) == true {
            findings.append(.init(kind: .size, severity: .note, field: measured.declared.name,
                                  message: "sizeof is \(measured.size), \(measured.size - fixedSize) bytes past the spec's \(fixedSize): "
                                      + "padding after the last field", line: measured.declared.line,
                                  signature: "size \(name) spec=\(fixedSize) theirs=\(measured.size)"))
        }

        let analysis = ShiftAnalysis(pairs: pairs, missing: missing, extras: extraMembers, measured: measured, device: name)
        let used = analysis.used
        findings += analysis.roots + extras.filter { !used.contains($0.signature) }
        findings += missing.map(\.finding).filter { finding in
            !used.contains(finding.signature) && (finding.severity == .difference || finding.line != nil)
        }
        let qemuSize = Layout(device: device, features: offered, interpretation: .fixed, sizing: .qemu).size
        return ConformResult(deviceName: name, specVersion: version, specWasChosen: chosen,
                             offered: device.names(of: offered.intersection(everything)), featuresWereGiven: options.features != nil,
                             without: without, measured: measured, rows: rows, findings: findings.sorted(by: Self.order),
                             firstShift: analysis.firstShift, fixedSize: fixedSize, qemuSize: qemuSize)
    }

    /// `1 byte`, `4 bytes`.
    static func bytes(_ count: Int) -> String { count == 1 ? "1 byte" : "\(count) bytes" }

    /// Two fields in the same union of the spec: their paths part below a union.
    static func sameUnion(_ lhs: String, _ rhs: String) -> Bool {
        let a = lhs.split(separator: "."), b = rhs.split(separator: ".")
        let common = zip(a, b).prefix { $0 == $1 }.count
        return common > 0 && common < min(a.count, b.count)
    }

    /// Differences first, then what cannot be said, then notes; each in the order of the file.
    private static func order(_ lhs: ConformResult.Finding, _ rhs: ConformResult.Finding) -> Bool {
        let rank: [ConformResult.Severity: Int] = [.difference: 0, .unknown: 1, .note: 2]
        if rank[lhs.severity] != rank[rhs.severity] { return rank[lhs.severity] ?? 0 < rank[rhs.severity] ?? 0 }
        return (lhs.line ?? 0) < (rhs.line ?? 0)
    }

    /// The most a struct can serve: every feature, less those whose fields it does not declare,
    /// taken away one at a time, the one that accounts for most of them first.
    static func inferOffered(_ device: Device, _ everything: FeatureSet, missing: Set<String>) -> (FeatureSet, [String]) {
        func stillNeeded(_ set: FeatureSet) -> Int {
            Layout(device: device, features: set, interpretation: .fixed).fields
                .filter { missing.contains($0.path) && $0.isValid && !$0.field.isReserved }.count
        }
        var offered = everything
        var removed: [Int] = []
        var remaining = stillNeeded(offered)
        while remaining > 0 {
            var best: (bit: Int, count: Int)?
            for bit in offered.bits {
                var candidate = offered
                candidate.remove(bit)
                let count = stillNeeded(candidate)
                if count < remaining, count < (best?.count ?? Int.max) { best = (bit, count) }
            }
            guard let best else { break }
            offered.remove(best.bit)
            removed.append(best.bit)
            remaining = best.count
        }
        return (offered, device.names(of: FeatureSet(bits: removed)))
    }

    /// The element kind of a field: scalars by name, chars and flexible arrays as bytes.
    static func specKind(_ type: FieldType) -> String {
        switch type {
        case .scalar(let scalar), .array(let scalar, _): scalar.rawValue
        case .chars, .flexible: "u8"
        case .aggregate: "struct"
        }
    }
}
