import ConfigLayout
import Rendering

/// `cfgspace diff FILE --spec A --to-spec B`: what changed between spec versions, sorted for a
/// review: breaking changes first, then fields added at the tail, then conditions and access.
public struct VersionDiffReport: DocumentedReport {
    public let diff: VersionDiff

    public init(diff: VersionDiff) {
        self.diff = diff
    }

    private var heading: String {
        "\(Format.title(of: diff.device)): " + (diff.comparesVersions ? "virtio \(diff.from) → \(diff.to)" : "\(diff.from) → \(diff.to)")
    }

    private func place(_ field: PlacedField?) -> String {
        guard let field, let offset = field.offset else { return "-" }
        return field.size == 1 ? "\(offset)" : "\(offset)..\(offset + field.size - 1)"
    }

    private func type(_ change: VersionDiff.Change) -> String {
        switch (change.old?.field.type.name, change.new?.field.type.name) {
        case (let old?, let new?) where old != new: "\(old) → \(new)"
        case (_, let new?): new
        case (let old?, nil): old
        default: ""
        }
    }

    private var sections: [(title: String, changes: [VersionDiff.Change])] {
        [("Breaking: bytes an existing driver reads moved or changed meaning", diff.breaking),
         ("Compatible: reserved bytes taken, under features \(diff.from) did not have", diff.reservedTaken),
         ("Compatible: added at the tail (\(diff.from) ended at \(diff.oldSize))", diff.addedAtTail),
         ("Conditions and access changed, bytes unmoved", diff.meaningChanges)]
    }

    public func document() -> ReportDocument {
        var document = ReportDocument()
        document.title(.init(heading))
        document.facts([("size", "\(diff.oldSize) → \(diff.newSize) bytes"), ("verdict", verdict)])
        for (title, changes) in sections where !changes.isEmpty {
            document.gap()
            document.section(title)
            var table = ReportDocument.Table([.init("Field"), .init("Bytes"), .init("Type"), .init("Change", wraps: true)])
            for change in changes {
                table.add([.code(change.path, tone: change.kind.isBreaking ? .bad : .plain), .init(place(change.new ?? change.old)),
                           .code(type(change)), .init(change.reason)])
            }
            document.table(table)
        }
        if diff.changes.isEmpty {
            document.gap()
            document.paragraph("No field changed.")
        }
        for (label, features) in [("added", diff.featuresAdded), ("removed", diff.featuresRemoved)] where !features.isEmpty {
            document.gap()
            let names = features.enumerated().map { index, feature -> ReportDocument.Inline in
                (index == 0 ? "" : ", ") + .code(feature.name) + " (\(feature.bit))"
            }
            document.paragraph(names.reduce("Features \(label): ", +), indent: "", continuation: "  ")
        }
        return document
    }

    /// The three kinds side by side: breaking, reserved bytes taken, added at the tail.
    private var verdict: ReportDocument.Inline {
        let breaking = diff.breaking.count, reserved = diff.reservedTaken.count, tail = diff.addedAtTail.count
        let lead = breaking == 0 ? ReportDocument.Inline("compatible", tone: .good)
            : ReportDocument.Inline("\(breaking) breaking", tone: .bad)
        return lead + "; \(reserved) in reserved bytes, \(tail) at the tail"
    }

    public func json() -> JSON {
        func field(_ field: PlacedField?) -> JSON {
            guard let field else { return .null }
            return .object([("offset", .int(field.offset)), ("size", .int(field.size)),
                             ("type", .string(field.field.type.name))])
        }
        return .object([
            ("device", .string(diff.device.name)),
            ("from", .string(diff.from)),
            ("to", .string(diff.to)),
            ("from_size", .int(diff.oldSize)),
            ("to_size", .int(diff.newSize)),
            ("breaking", .bool(!diff.breaking.isEmpty)),
            ("counts", .object([("breaking", .int(diff.breaking.count)), ("reserved_bytes_taken", .int(diff.reservedTaken.count)),
                                ("added_at_tail", .int(diff.addedAtTail.count)), ("meaning_changed", .int(diff.meaningChanges.count))])),
            ("changes", .array(diff.changes.map { change in
                .object([("name", .string(change.path)), ("kind", .string(change.kind.rawValue)),
                         ("breaking", .bool(change.kind.isBreaking)), ("reason", .string(change.reason)),
                         ("from", field(change.old)), ("to", field(change.new))])
            })),
            ("features_added", .array(diff.featuresAdded.map { .string($0.name) })),
            ("features_removed", .array(diff.featuresRemoved.map { .string($0.name) })),
        ])
    }

    /// The report without its heading; `sectionLevel` is the Markdown prefix of its sections.
    public func markdownBody(sectionLevel: String) -> String {
        document().body.markdown(level: sectionLevel.count - 1)
    }
}
