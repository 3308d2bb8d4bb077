import ConfigLayout

/// How QEMU's virtio-input answers a driver's select and subsel writes (hw/input/virtio-input.c):
/// `virtio_input_set_config` takes `cfg_select` and `cfg_subsel` from the device's config copy after
/// each write, and `virtio_input_get_config` copies the entry `virtio_input_find_config` finds for
/// that exact pair (its own select, subsel and size bytes with it) into the config on every read, or
/// zeros the whole config when there is none. QEMU's generation does not move for either.
///
/// A write lands in the copy the last read refreshed (`virtio_config_modern_writeb`), so a select
/// write pairs with the subsel the last read served, or with the one written since.
struct QEMUSelectorState {
    let selector: Selector
    let contents: SelectionContents
    let selectOffset: Int
    let subselectOffset: Int?
    /// `cfg_select`, `cfg_subsel`: zero when the device is created, and kept across a reset
    /// (`virtio_input_reset` leaves them).
    private(set) var chosen = ServedDevice.Selection(select: 0, subselect: 0)
    /// The select and subsel bytes of the device's config copy (`vdev->config`).
    private var copy: (select: UInt64, subselect: UInt64) = (0, 0)

    init?(device: Device, layout: Layout, contents: SelectionContents) {
        guard let selector = device.selectors.first, !contents.isEmpty,
              let select = layout.field(selector.select)?.offset else { return nil }
        self.selector = selector
        self.contents = contents
        selectOffset = select
        subselectOffset = selector.subselect.flatMap { layout.field($0)?.offset }
    }

    /// Whether the chosen pair has an entry; without one, the whole config reads as zeros.
    var isFound: Bool { current != nil }

    private var current: (chosen: Selector.Case, bytes: [UInt8])? {
        selector.content(contents, select: chosen.select, subselect: chosen.subselect, matching: .exact)
    }

    /// The config length QEMU gives the device: 8 bytes of header and the largest entry
    /// (`virtio_input_device_realize`: "cfg_size += 8").
    func configSize(_ layout: Layout) -> Int {
        (layout.measureOffset(selector.union) ?? 8) + (contents.values.map(\.count).max() ?? 0)
    }

    /// A read refreshes the config copy from the chosen entry, or zeros.
    mutating func didRead() {
        copy = isFound ? (chosen.select, chosen.subselect) : (0, 0)
    }

    /// Takes a write's bytes at select and subsel into the copy and chooses again; false when the
    /// write touched neither.
    mutating func take(offset: Int, bytes: [UInt8]) -> Bool {
        var touched = false
        for (index, byte) in bytes.enumerated() {
            if offset + index == selectOffset {
                copy.select = UInt64(byte)
                touched = true
            } else if offset + index == subselectOffset {
                copy.subselect = UInt64(byte)
                touched = true
            }
        }
        if touched { chosen = ServedDevice.Selection(select: copy.select, subselect: copy.subselect) }
        return touched
    }

    /// The image as a read after the last write serves it: the entry's select, subsel, size and
    /// union, without moving the generation. The bytes of a pair with no entry are zeroed as they
    /// are served (`serveConfig`), so that the driver's write of select stays where it wrote it. A
    /// value the image cannot hold is an error.
    func apply(to image: inout ConfigImage) throws(FieldValueError) {
        try image.setKeepingGeneration(selector.select, .integer(chosen.select))
        if let subselect = selector.subselect { try image.setKeepingGeneration(subselect, .integer(chosen.subselect)) }
        try image.fill(selector, with: current, keepingGeneration: true)
    }
}

extension Layout {
    /// Where a member (leaf or not) starts in this layout.
    public func measureOffset(_ path: [String]) -> Int? {
        let offset = measure(.offset(of: path))
        return offset < size || fields.contains { $0.path.hasPrefix(path.joined(separator: ".")) } ? offset : nil
    }
}
