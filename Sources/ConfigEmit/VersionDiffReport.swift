import ConfigLayout
import Rendering

/// `cfgspace diff FILE --spec A --to-spec B`: what changed between spec versions, sorted for a
/// review: breaking changes first, then fields added at the tail, then conditions and access.
public struct VersionDiffReport: Report {
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

    public func text(style: TextStyle) -> String {
        var out = style.bold(heading) + "\n"
        out += TextTable.keyValues([
            ("size", "\(diff.oldSize) → \(diff.newSize) bytes"),
            ("verdict", verdict(style: style)),
        ])
        for (title, changes) in sections where !changes.isEmpty {
            out += "\n" + style.bold(title) + "\n"
            var table = TextTable([.init("FIELD"), .init("BYTES"), .init("TYPE"), .init("CHANGE", wraps: true)])
            for change in changes {
                let cells = [change.path, place(change.new ?? change.old), type(change), change.reason]
                table.add(change.kind.isBreaking ? [style.red(cells[0])] + cells.dropFirst() : cells)
            }
            out += table.rendered(style: style)
        }
        if diff.changes.isEmpty { out += "\n  No field changed.\n" }
        out += features(style: style)
        return out
    }

    /// The three kinds side by side: breaking, reserved bytes taken, added at the tail.
    private func verdict(style: TextStyle) -> String {
        let breaking = diff.breaking.count, reserved = diff.reservedTaken.count, tail = diff.addedAtTail.count
        let lead = breaking == 0 ? style.green("compatible") : style.red("\(breaking) breaking")
        return lead + "; \(reserved) in reserved bytes, \(tail) at the tail"
    }

    private func features(style: TextStyle) -> String {
        var out = ""
        if !diff.featuresAdded.isEmpty {
            out += "\n" + TextTable.paragraph("Features added: " + diff.featuresAdded.map { "\($0.name) (\($0.bit))" }
                .joined(separator: ", "), continuation: "  ")
        }
        if !diff.featuresRemoved.isEmpty {
            out += "\n" + TextTable.paragraph("Features removed: " + diff.featuresRemoved.map { "\($0.name) (\($0.bit))" }
                .joined(separator: ", "), continuation: "  ")
        }
        return out
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

    public func markdown() -> String {
        "## \(heading)\n\n" + markdownBody(sectionLevel: "###")
    }

    /// The report without its heading; `sectionLevel` is the Markdown prefix of its sections.
    public func markdownBody(sectionLevel: String) -> String {
        var out = "Size \(diff.oldSize) → \(diff.newSize) bytes. "
        out += diff.breaking.isEmpty ? "Compatible" : "**\(diff.breaking.count) breaking**"
        out += "; \(diff.reservedTaken.count) in reserved bytes, \(diff.addedAtTail.count) at the tail.\n"
        for (title, changes) in sections where !changes.isEmpty {
            out += "\n\(sectionLevel) \(title)\n\n"
            var table = MarkdownTable([.init("Field"), .init("Bytes"), .init("Type"), .init("Change")])
            for change in changes {
                table.add(["`\(change.path)`", place(change.new ?? change.old), "`\(type(change))`", change.reason])
            }
            out += table.rendered()
        }
        if !diff.featuresAdded.isEmpty {
            out += "\nFeatures added: " + diff.featuresAdded.map { "`\($0.name)` (\($0.bit))" }.joined(separator: ", ") + ".\n"
        }
        if !diff.featuresRemoved.isEmpty {
            out += "\nFeatures removed: " + diff.featuresRemoved.map { "`\($0.name)` (\($0.bit))" }.joined(separator: ", ") + ".\n"
        }
        return out
    }
}
