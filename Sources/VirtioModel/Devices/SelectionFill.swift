import ConfigLayout

/// What each selection of a device's selector serves (input's name, serial, IDs, bitmaps and axis
/// information), as raw bytes of the union member it fills, by selector and subselector value.
public typealias SelectionContents = [ServedDevice.Selection: [UInt8]]

/// How a (select, subsel) pair finds what it serves.
enum SelectionMatching {
    /// The subselector counts only for the cases that use one (`per subsel`): ID_NAME with any
    /// subsel is the name. What `serve` does.
    case byCase
    /// Both must match an entry exactly; any other pair serves nothing. QEMU's
    /// `virtio_input_find_config` (hw/input/virtio-input.c).
    case exact
}

extension Selector {
    /// The case a pair chooses and what it serves, or nil when it serves nothing (size 0).
    func content(_ contents: SelectionContents, select: UInt64, subselect: UInt64,
                 matching: SelectionMatching) -> (chosen: Case, bytes: [UInt8])? {
        guard let chosen = selection(select) else { return nil }
        let key = switch matching {
        case .byCase: ServedDevice.Selection(select: select, subselect: chosen.usesSubselect ? subselect : 0)
        case .exact: ServedDevice.Selection(select: select, subselect: subselect)
        }
        guard let bytes = contents[key], !bytes.isEmpty else { return nil }
        return (chosen, bytes)
    }
}

extension ConfigImage {
    /// Fills a selector's union as a selection serves it: its bytes laid over the member it names and
    /// `size` set to their count, or an empty union and size 0 ("size ... 0 if there is no
    /// information", virtio 1.4, 5.8.4). With `keepingGeneration`, as a device whose generation counts
    /// only its own notices (QEMU's) does it. A value a field cannot hold is an error, not a lost write.
    mutating func fill(_ selector: Selector, with content: (chosen: Selector.Case, bytes: [UInt8])?,
                       keepingGeneration: Bool) throws(FieldValueError) {
        let kept = generation
        defer { if keepingGeneration { restoreGeneration(kept) } }
        let union = selector.union.joined(separator: ".")
        for field in layout.fields where field.path.hasPrefix(union + ".") { clear(field.path) }
        if let size = selector.size { try set(size, .integer(UInt64(content?.bytes.count ?? 0))) }
        guard let content else { return }
        let memberPath = union + "." + content.chosen.member
        let leaves = layout.fields.filter { $0.path == memberPath || $0.path.hasPrefix(memberPath + ".") }
        guard let base = leaves.compactMap(\.offset).min() else { return }
        for leaf in leaves {
            guard let start = leaf.offset else { continue }
            var slice = [UInt8](repeating: 0, count: leaf.size)
            for index in slice.indices where start - base + index < content.bytes.count {
                slice[index] = content.bytes[start - base + index]
            }
            if let value = ConfigDecoder.value(of: slice, as: leaf.field.type,
                                               ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true)) {
                try set(leaf.path, value)
            } else {
                clear(leaf.path)
            }
        }
    }
}
