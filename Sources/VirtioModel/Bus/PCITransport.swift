import ConfigLayout

/// A virtio-pci function driven through its registers, as `virtio_pci_modern` (or, for a device that
/// does not offer VERSION_1, `virtio_pci_legacy`) does it.
///
/// Modern config reads are single 8-, 16- or 32-bit accesses, and a wider one is split into 32-bit
/// accesses (`vp_get`: "case 8: ioread32 ×2"); the access-width rule of 4.1.3.1 is checked against the
/// device's field at each offset. Legacy reads go byte by byte (`vp_legacy_get`), which the legacy
/// interface allows, and there is no generation register.
final class PCITransport: Transport {
    let device: DeviceModel
    let trace: Trace
    /// The driver found the modern interface: the device offers VERSION_1.
    let isModern: Bool

    init(device: DeviceModel, trace: Trace) {
        self.device = device
        self.trace = trace
        isModern = device.device.has("VERSION_1", in: device.offered)
    }

    func reset() {
        device.writeStatus([])
        // "After writing 0 to device_status, the driver MUST wait for a read of device_status to return 0."
        _ = device.readStatus()
    }

    func getStatus() -> DeviceStatus { device.readStatus() }

    func setStatus(_ status: DeviceStatus) { device.writeStatus(status) }

    func getFeatures(windows: Int) -> FeatureSet {
        let count = isModern ? max(1, min(windows, DeviceModel.featureWindows)) : 1
        var words = [UInt64](repeating: 0, count: (count + 1) / 2)
        for select in 0..<count {
            words[select / 2] |= UInt64(device.readDeviceFeatureWindow(select)) << (32 * UInt64(select % 2))
        }
        return FeatureSet(words: words)
    }

    func finalizeFeatures(_ features: FeatureSet, windows: Int) -> Int32 {
        guard isModern else {
            // The legacy header has one 32-bit driver features register.
            device.writeDriverFeatureWindow(0, features.window(0))
            return 0
        }
        // vp_finalize_features: "virtio: device uses modern interface but does not have VIRTIO_F_VERSION_1".
        guard device.device.has("VERSION_1", in: features) else {
            trace.note(.driver, "finalize_features: modern device without VERSION_1 accepted: -EINVAL")
            return Errno.einval
        }
        for select in 0..<max(1, min(windows, DeviceModel.featureWindows)) {
            device.writeDriverFeatureWindow(select, features.window(select))
        }
        return 0
    }

    func get(_ offset: Int, _ count: Int, field: String?) -> [UInt8] {
        // A modern 1-, 2- or 4-byte read is one access, read straight into the result.
        if isModern, count == 1 || count == 2 || count == 4, offset >= 0, offset <= Int.max - count {
            var buffer = [UInt8](repeating: 0, count: count)
            checkWidth(offset, count, field: field)
            device.readConfig(offset: offset, into: &buffer, field: field)
            return buffer
        }
        var out: [UInt8] = []
        for (start, width) in accesses(offset, count) {
            var buffer = [UInt8](repeating: 0, count: width)
            if isModern { checkWidth(start, width, field: field) }
            device.readConfig(offset: start, into: &buffer, field: field)
            out += buffer
        }
        return out
    }

    /// The register accesses one read becomes.
    private func accesses(_ offset: Int, _ count: Int) -> [(offset: Int, width: Int)] {
        guard count > 0 else { return [] }
        // An access the address space cannot hold is one access, which the device refuses.
        guard offset >= 0, offset <= Int.max - count else { return [(offset, count)] }
        if !isModern { return (0..<count).map { (offset + $0, 1) } }
        if [1, 2, 4].contains(count) { return [(offset, count)] }
        if count % 4 == 0 { return stride(from: 0, to: count, by: 4).map { (offset + $0, 4) } }
        return (0..<count).map { (offset + $0, 1) }
    }

    /// 4.1.3.1: "8-bit wide accesses for 8-bit wide fields, 16-bit wide and aligned accesses for 16-bit
    /// wide fields and 32-bit wide and aligned accesses for 32-bit and 64-bit wide fields".
    private func checkWidth(_ offset: Int, _ width: Int, field: String?) {
        // Every read passes here: the fields are scanned in place, and only one a read touches is copied.
        let fields = device.image.layout.fields
        for index in fields.indices
        where fields[index].overlaps(offset: offset, count: width) && !fields[index].field.isReserved {
            let placed = fields[index]
            guard let start = placed.offset else { continue }
            let element = placed.field.type.naturalAlignment
            let required = min(element, 4)
            let aligned = (offset - start) % required == 0 && offset % required == 0
            guard width != required || !aligned else { continue }
            // A union's other members share the bytes of the one the driver reads (input's u.string
            // over u.abs.min): the access is that member's, and judged by it alone.
            if let field, field != placed.path,
               let named = fields.first(where: { $0.path == field }), let namedStart = named.offset,
               placed.overlaps(offset: namedStart, count: named.size) { continue }
            if width != required {
                trace.violation(.accessWidth, "\(width)-byte reads of \(placed.path) (offset \(start)), a field that "
                                + "needs \(required)-byte accesses")
            } else if !aligned {
                trace.violation(.accessWidth, "a misaligned \(width)-byte read at offset \(offset) of \(placed.path)")
            }
        }
    }

    /// `vp_set`: one access of the field's width on the modern interface (8 bytes as two 32-bit
    /// writes); `vp_legacy_set`, byte by byte.
    func set(_ offset: Int, _ bytes: [UInt8], field: String?) {
        var start = 0
        for (_, width) in accesses(offset, bytes.count) {
            if isModern { checkWidth(offset + start, width, field: field) }
            device.writeConfig(offset: offset + start, bytes: Array(bytes[start..<start + width]), field: field)
            start += width
        }
    }

    func generation() -> UInt32 {
        isModern ? device.readGeneration() : 0
    }

    func queueSize(_ index: Int) -> Int? { device.queueSize(index) }
}
