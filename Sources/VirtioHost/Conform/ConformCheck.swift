import ConfigLayout

/// A user's struct, as their compiler measured it, held against a device's fixed layout: each
/// member matched to its field (by name, by `--map`, by the last name of a flattened path, by a
/// likely misspelling, by place), then every offset, size and byte-order kind compared.
public struct ConformResult: Sendable {
    public enum Kind: String, Sendable {
        case moved, resized, missing, extra, byteOrder = "byte-order", size, renamed
    }

    public struct Finding: Sendable {
        public let kind: Kind
        /// The field's path in the layout (the member's, for an extra one).
        public let field: String
        public let message: String
        /// The member's line in the user's file, where there is one.
        public let line: Int?
        /// A stable one-line form: `moved blk.num_queues spec=34 theirs=36`.
        public let signature: String
        /// Renames are reported, not counted as differences.
        public var isDifference: Bool { kind != .renamed }
    }

    /// One field of the layout beside the member that matched it.
    public struct Row: Sendable {
        public let field: String
        public let offset: Int
        public let size: Int
        public let kind: String
        public let theirs: (path: String, offset: Int, size: Int, kind: String?, line: Int)?
    }

    /// The first field at the wrong offset, how far it is off, and how many later fields are off
    /// by the same amount.
    public struct Shift: Sendable {
        public let field: String
        public let by: Int
        public let following: Int
        /// The field before it whose size differs, which usually is the cause.
        public let cause: String?
    }

    public let deviceName: String
    public let specVersion: String
    public let measured: ConformProbe.Measured
    public let rows: [Row]
    public let findings: [Finding]
    public let firstShift: Shift?
    /// The fixed layout's whole struct, and QEMU's largest config for the device.
    public let fixedSize: Int
    public let qemuLargest: Int

    public var agrees: Bool { !findings.contains(where: \.isDifference) }
}

public enum ConformCheck {
    /// `map` takes the user's member paths to the layout's field paths.
    public static func compare(_ measured: ConformProbe.Measured, with device: Device, spec: String,
                               language: ConformProbe.Language, map: [String: String] = [:]) -> ConformResult {
        let everything = FeatureSet(bits: device.allFeatures.map(\.bit))
        let layout = Layout(device: device, features: everything, interpretation: .fixed)
        let qemuLargest = Layout(device: device, features: everything, interpretation: .fixed, sizing: .qemu).size
        let name = device.name
        var unmatched = measured.members.map { (member: $0.member, offset: $0.offset, size: $0.size) }
        var findings: [ConformResult.Finding] = []
        var rows: [ConformResult.Row] = []
        let fields = layout.fields.filter { $0.offset != nil }
        let leafNames = Set(fields.map { lastName($0.path) })

        func take(_ predicate: ((member: DeclaredStruct.Member, offset: Int, size: Int)) -> Bool) -> (member: DeclaredStruct.Member, offset: Int, size: Int)? {
            guard let index = unmatched.firstIndex(where: predicate) else { return nil }
            return unmatched.remove(at: index)
        }

        for field in fields {
            guard let offset = field.offset else { continue }
            let kind = specKind(field.field.type)
            let last = lastName(field.path)
            var renamed = false
            var match = take { $0.member.path == field.path } ?? take { map[$0.member.path] == field.path }
            if match == nil {
                match = take { map[$0.member.path] == nil && lastName($0.member.path) == last }
                    ?? take { candidate in
                        map[candidate.member.path] == nil && !leafNames.contains(lastName(candidate.member.path))
                            && Suggestion.closest(to: lastName(candidate.member.path), in: [last]) != nil
                    }
                    ?? take { map[$0.member.path] == nil && $0.offset == offset && $0.size == field.size
                        && !leafNames.contains(lastName($0.member.path)) }
                renamed = match != nil && match?.member.path != field.path
            }
            guard let match else {
                findings.append(.init(kind: .missing, field: field.path, message: "\(field.path) (\(field.size) bytes at \(offset)) is not declared",
                                      line: nil, signature: "missing \(name).\(field.path)"))
                rows.append(.init(field: field.path, offset: offset, size: field.size, kind: kind, theirs: nil))
                continue
            }
            let member = match.member
            let theirKind = language == .c ? DeclaredKind.c(member.typeName) : DeclaredKind.rust(member.typeName)
            rows.append(.init(field: field.path, offset: offset, size: field.size, kind: kind,
                              theirs: (member.path, match.offset, match.size, theirKind, member.line)))
            if renamed {
                findings.append(.init(kind: .renamed, field: field.path,
                                      message: "\(member.path) stands for \(field.path)",
                                      line: member.line, signature: "renamed \(name).\(field.path) theirs=\(member.path)"))
            }
            if match.offset != offset {
                findings.append(.init(kind: .moved, field: field.path,
                                      message: "\(member.path) at \(match.offset), spec \(offset)",
                                      line: member.line, signature: "moved \(name).\(field.path) spec=\(offset) theirs=\(match.offset)"))
            }
            if match.size != field.size && !member.isFlexible {
                findings.append(.init(kind: .resized, field: field.path,
                                      message: "\(member.path) is \(match.size) bytes, spec \(field.size) (\(kind))",
                                      line: member.line, signature: "resized \(name).\(field.path) spec=\(field.size) theirs=\(match.size)"))
            }
            if let theirKind, !kindsAgree(spec: kind, theirs: theirKind, language: language) {
                findings.append(.init(kind: .byteOrder, field: field.path,
                                      message: "\(member.path) is \(member.typeName) (\(theirKind)), spec \(kind)",
                                      line: member.line, signature: "byte-order \(name).\(field.path) spec=\(kind) theirs=\(theirKind)"))
            }
        }
        for extra in unmatched {
            findings.append(.init(kind: .extra, field: extra.member.path,
                                  message: "\(extra.member.path) (\(extra.size) bytes at \(extra.offset)) is no field of \(name)",
                                  line: extra.member.line, signature: "extra \(measured.declared.name).\(extra.member.path)"))
        }
        if measured.size != layout.size {
            findings.append(.init(kind: .size, field: measured.declared.name,
                                  message: "sizeof is \(measured.size), spec \(layout.size) (QEMU's largest config \(qemuLargest))",
                                  line: measured.declared.line, signature: "size \(name) spec=\(layout.size) theirs=\(measured.size)"))
        }
        return ConformResult(deviceName: name, specVersion: spec, measured: measured, rows: rows, findings: findings,
                             firstShift: firstShift(rows), fixedSize: layout.size, qemuLargest: qemuLargest)
    }

    private static func lastName(_ path: String) -> String { path.split(separator: ".").last.map(String.init) ?? path }

    /// The first field off its place, in the spec's order, and what follows it off by as much.
    private static func firstShift(_ rows: [ConformResult.Row]) -> ConformResult.Shift? {
        let placed = rows.filter { $0.theirs != nil }.sorted { $0.offset < $1.offset }
        guard let index = placed.firstIndex(where: { $0.theirs?.offset != $0.offset }), let theirs = placed[index].theirs else {
            return nil
        }
        let shift = theirs.offset - placed[index].offset
        let following = placed[(index + 1)...].filter { ($0.theirs?.offset ?? 0) - $0.offset == shift }.count
        let resized = placed[..<index].last { row in row.theirs.map { $0.size != row.size } ?? false }
        let cause = resized.flatMap { row in
            row.theirs.map { "\($0.path) is \($0.size) bytes where the spec's \(row.field) is \(row.size)" }
        }
        return .init(field: placed[index].field, by: shift, following: following, cause: cause)
    }

    /// The element kind of a field: scalars by name, chars and flexible arrays as bytes.
    static func specKind(_ type: FieldType) -> String {
        switch type {
        case .scalar(let scalar), .array(let scalar, _): scalar.rawValue
        case .chars, .flexible: "u8"
        case .aggregate: "struct"
        }
    }

    /// C says every kind exactly. Rust cannot say `virtio`: a modern device's virtio fields are
    /// little-endian, so a little-endian wrapper matches them; a raw integer matches only a raw one.
    static func kindsAgree(spec: String, theirs: String, language: ConformProbe.Language) -> Bool {
        if spec == theirs { return true }
        if language == .rust, spec.hasPrefix("virtio"), theirs == "le" + spec.dropFirst("virtio".count) { return true }
        return false
    }
}
