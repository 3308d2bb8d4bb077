/// Whether a member's declared byte order says what the spec says of its field, when the widths
/// already agree (a wrong width is a size finding, never a byte-order one).
///
/// - `u16` in the spec (1.2's num_queues) names no order, so nothing contradicts it.
/// - `le16`: `Le16`, `__le16` agree; `__virtio16` gives the same bytes, since a field typed
///   little-endian is one the legacy interface never serves (a note); a plain integer is the
///   host's order, right on little-endian hosts (a note, or with `strict` a difference).
/// - `virtio16`: `__virtio16` agrees; a plain integer is the host's order (as above); a
///   little-endian type is right for a modern-only device, and wrong on the legacy interface of a
///   transitional one, which serves the field in the guest's order (a difference unless `modern`).
/// - Big-endian never agrees: no virtio config field is big-endian.
/// - Bytes (`[u8; 2]` for a le16) are ordered by the code that fills them (a note).
/// - A type whose order cannot be read never agrees.
enum ByteOrderRule {
    enum Category: String, CaseIterable {
        case plain, virtioForLittle, littleForVirtio, bytes, bigEndian
    }

    enum Outcome: Equatable {
        case agrees
        case note(Category, String)
        case difference(Category, String)
        case unknown
    }

    static func compare(spec: String, theirs: String?, typeName: String, strict: Bool, modern: Bool) -> Outcome {
        guard bits(spec) > 8 else { return .agrees }
        guard let theirs else { return .unknown }
        let specOrder = order(spec), theirOrder = order(theirs)
        if bits(theirs) == 8 {
            return .note(.bytes, "\(typeName) holds bytes: their order is up to the code that fills them (the spec says \(spec))")
        }
        if theirOrder == "be" { return .difference(.bigEndian, "\(typeName) is big-endian; the spec says \(spec)") }
        switch (specOrder, theirOrder) {
        case ("u", _), ("le", "le"), ("virtio", "virtio"):
            return .agrees
        case ("le", "virtio"):
            return .note(.virtioForLittle, "\(typeName) is virtio-endian where the spec says \(spec): the same bytes, since "
                         + "the legacy interface never serves this field")
        case (_, "u"):
            let words = "\(typeName) is in the host's order: right on a little-endian host only"
            return strict ? .difference(.plain, words + " (the spec says \(spec))") : .note(.plain, words)
        case ("virtio", "le"):
            if modern { return .agrees }
            return .difference(.littleForVirtio, "\(typeName) is little-endian where the spec says \(spec): a transitional "
                               + "device's legacy interface serves it in the guest's order (a modern-only device: say --modern)")
        default:
            return .agrees
        }
    }

    /// What a group of members of one category has in common, for the finding that holds them.
    static func summary(_ category: Category, count: Int, strict: Bool) -> String {
        let members = "\(count) members"
        switch category {
        case .plain:
            return "\(members) are plain integers in the host's order, which is the spec's only on a little-endian host"
                + (strict ? "" : " (--strict-byte-order makes each a difference)")
        case .virtioForLittle:
            return "\(members) are virtio-endian where the spec says little-endian: the same bytes, since the legacy "
                + "interface never serves them"
        case .littleForVirtio:
            return "\(members) are little-endian where the spec says virtio-endian: a transitional device's legacy "
                + "interface serves them in the guest's order (a modern-only device: say --modern)"
        case .bytes:
            return "\(members) hold bytes where the spec has integers: their order is up to the code that fills them"
        case .bigEndian:
            return "\(members) are big-endian; no virtio config field is"
        }
    }

    /// `le32` → le, `virtio16` → virtio, `u16` → u.
    static func order(_ kind: String) -> String { String(kind.prefix { $0.isLetter }) }

    static func bits(_ kind: String) -> Int { Int(kind.drop { $0.isLetter }) ?? 8 }
}
