/// The checks that need to know where fields sit, run on the fixed layout as of every spec version
/// the config mentions: every field at its natural alignment, and the whole within the window a
/// transport can expose.
public enum PlacementCheck {
    /// Configuration spaces larger than this are rejected: virtio-pci's device-configuration
    /// window in QEMU is 0x1000 bytes (hw/virtio/virtio-pci.c).
    public static let maximumConfigSize = 4096

    public static func diagnostics(for device: Device) -> [Diagnostic] {
        guard let config = device.config else { return [] }
        var diagnostics: [Diagnostic] = []
        var warned = Set<SourceSpan>()
        var sizeReported = false
        for version in snapshots(of: config) {
            let layout = Layout(device: device.asOf(version), features: FeatureSet(), interpretation: .fixed)
            if layout.size > maximumConfigSize, !sizeReported {
                sizeReported = true
                diagnostics.append(Diagnostic(
                    .configTooLarge, "the config is \(layout.size) bytes" + (version.map { " in spec \($0)" } ?? "")
                        + "; configuration spaces are limited to \(maximumConfigSize) bytes", at: config.span))
            }
            for field in layout.fields {
                let alignment = field.field.type.naturalAlignment
                guard let offset = field.offset, offset % alignment != 0, warned.insert(field.field.span).inserted else {
                    continue
                }
                diagnostics.append(Diagnostic(
                    .misalignedField, "field '\(field.path)' (\(field.field.type.name)) is at offset \(offset), "
                        + "which is not a multiple of its \(alignment)-byte alignment", at: field.field.span,
                    notes: [.init("PCI and MMIO drivers read it with aligned \(min(alignment, 4) * 8)-bit accesses; "
                                  + "add padding before it")]))
            }
        }
        return diagnostics
    }

    /// Each spec version at which a field appears or retires, then the newest.
    private static func snapshots(of config: Aggregate) -> [SpecVersion?] {
        var versions: Set<SpecVersion> = []
        func collect(_ aggregate: Aggregate) {
            for field in aggregate.fields {
                if let since = field.since { versions.insert(since) }
                if let until = field.until { versions.insert(until) }
                if case .aggregate(let inner) = field.type { collect(inner) }
            }
        }
        collect(config)
        return versions.sorted().map { $0 } + [nil]
    }
}
