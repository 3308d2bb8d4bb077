import ConfigLayout
import Spelling

/// Which member stands for which field, decided before any offset is compared: by name (a leading
/// underscore or `r#` aside), by `--map`, by the last name of a flattened path, by a likely
/// misspelling, and last by place (same offset and size). Padding (`_padding`, `reserved`,
/// `unused1`) stands only for the spec's reserved bytes, never for a field that means something.
struct ConformMatching {
    enum How { case name, map, lastName, misspelling, place }

    /// The member each field matched, by index into the measured members, and how.
    private(set) var byField: [Int: (member: Int, how: How)] = [:]
    private(set) var unmatchedMembers: [Int] = []

    init(fields: [PlacedField], members: [(member: DeclaredStruct.Member, offset: Int, size: Int)], map: [String: String]) {
        var free = Set(members.indices)
        let normalized = members.map { Self.normalized($0.member.path) }
        let fieldNames = Set(fields.map(\.path))
        let lastNames = Set(fields.map { Self.lastName($0.path) })

        func take(_ field: Int, how: How, _ predicate: (Int) -> Bool) {
            guard byField[field] == nil, let member = free.sorted().first(where: predicate) else { return }
            free.remove(member)
            byField[field] = (member, how)
        }
        func mapped(_ index: Int) -> String? { map[members[index].member.path] ?? map[normalized[index]] }

        for (index, field) in fields.enumerated() {
            take(index, how: .map) { mapped($0) == field.path }
        }
        for (index, field) in fields.enumerated() {
            take(index, how: .name) { mapped($0) == nil && normalized[$0] == field.path }
        }
        for (index, field) in fields.enumerated() {
            let last = Self.lastName(field.path)
            take(index, how: .lastName) { candidate in
                mapped(candidate) == nil && !fieldNames.contains(normalized[candidate])
                    && Self.lastName(normalized[candidate]) == last && Self.mayStand(members[candidate].member, for: field)
            }
        }
        for (index, field) in fields.enumerated() where !field.field.isReserved {
            let last = Self.lastName(field.path)
            take(index, how: .misspelling) { candidate in
                let name = Self.lastName(normalized[candidate])
                return mapped(candidate) == nil && !members[candidate].member.isPadding && !lastNames.contains(name)
                    && Suggestion.closest(to: name, in: [last]) != nil
            }
        }
        for (index, field) in fields.enumerated() {
            guard let offset = field.offset else { continue }
            take(index, how: .place) { candidate in
                mapped(candidate) == nil && members[candidate].offset == offset && members[candidate].size == field.size
                    && !lastNames.contains(Self.lastName(normalized[candidate])) && Self.mayStand(members[candidate].member, for: field)
            }
        }
        unmatchedMembers = free.sorted()
    }

    /// Padding stands only for reserved bytes.
    static func mayStand(_ member: DeclaredStruct.Member, for field: PlacedField) -> Bool {
        !member.isPadding || field.field.isReserved
    }

    /// `_status` → `status`, `r#type` → `type`, `u.abs.min` as it is.
    static func normalized(_ path: String) -> String {
        path.split(separator: ".").map { segment -> String in
            var name = String(segment)
            if name.hasPrefix("r#") { name.removeFirst(2) }
            let stripped = name.drop { $0 == "_" }
            return stripped.isEmpty ? name : String(stripped.hasSuffix("_") && stripped.count > 1 ? stripped.dropLast() : stripped)
        }.joined(separator: ".")
    }

    static func lastName(_ path: String) -> String { path.split(separator: ".").last.map(String.init) ?? path }
}
