import ConfigLayout
import Rendering

/// A page per device for people reading the spec: the field table, where the packed reading
/// diverges from the fixed one, QEMU's size, and the version history.
struct MarkdownEmitter: Emitter {
    let generator: Generator

    var sharedFiles: [GeneratedFile] { [] }

    static let name = "markdown"
    static let summary = "Markdown"
    static let column = "Page"
    static let phase = EmitterPhase.worksOutDiffs

    static func path(of device: Device) -> String { "markdown/\(device.name).md" }

    func contents(for input: GenerationInput) -> String { page(for: input) }

    private func page(for input: GenerationInput) -> String {
        let device = input.device
        var out = "<!-- \(generator.banner(input.layoutName)) -->\n\n"
        out += "# \(Format.title(of: device))\n\n"
        var facts: [String] = []
        if let spec = device.specReference { facts.append(spec) }
        if let since = device.since { facts.append("in the spec since virtio \(since)") }
        if !facts.isEmpty { out += facts.joined(separator: "; ") + ".\n\n" }
        if let doc = device.doc { out += doc.replacingNewlines() + "\n\n" }
        out += "[\(device.name).html](../html/\(device.name).html) lays it out in a browser under the features and "
        out += "spec version you tick.\n\n"

        guard device.config != nil else {
            out += "The specification defines no configuration for this device.\n\n"
            return out + featureTable(device)
        }
        out += fieldTable(device)
        out += featureTable(device)
        out += "## Fixed versus packed\n\n"
        out += "Where the spec's literal wording (absent fields take no space) places fields differently from "
        out += "their C offsets, over every feature set a device may offer.\n\n"
        out += DiffReport(diff: generator.fixedVersusPacked(device)).markdownBody() + "\n"
        out += qemuSection(device)
        out += history(input.declared)
        return out
    }

    private func fieldTable(_ device: Device) -> String {
        let layout = Layout(device: device, features: FeatureSet(), interpretation: .fixed)
        var table = MarkdownTable([.init("Offset", .right), .init("Size", .right), .init("Field"), .init("Type"),
                                   .init("Condition"), .init("Access"), .init("Since")])
        for field in layout.fields {
            guard let offset = field.offset else { continue }
            var access = field.field.access.rawValue
            if let before = field.field.writableBefore { access += " before \(before)" }
            if let after = field.field.readableAfter { access += "; readable after \(after)" }
            if field.field.isReserved { access = "reserved" }
            table.add(["\(offset) (\(Format.hex(offset)))", "\(field.size)", "`\(field.path)`", "`\(field.field.type.name)`",
                       field.field.conditionText.isEmpty ? "always" : "`\(field.field.conditionText)`", access,
                       field.field.since.map { "\($0)" } ?? ""])
        }
        return "## Fields\n\nThe configuration is \(layout.size) bytes, every field at its fixed (C) offset.\n\n"
            + table.rendered() + "\n"
    }

    private func featureTable(_ device: Device) -> String {
        guard !device.features.isEmpty else { return "" }
        var table = MarkdownTable([.init("Bit", .right), .init("Feature"), .init("Requires"), .init("Since"),
                                   .init("Meaning")])
        for feature in device.features {
            table.add(["\(feature.bit)", "`\(feature.name)`" + (feature.isLegacyOnly ? " (legacy)" : ""),
                       feature.requires.map { "`\($0)`" } ?? "", feature.since.map { "\($0)" } ?? "",
                       feature.doc?.replacingNewlines() ?? ""])
        }
        return "## Feature bits\n\n" + table.rendered() + "\n"
    }

    private func qemuSection(_ device: Device) -> String {
        let table = QemuSizeTable(device: device)
        let (minimum, entries) = table.fixedEnds(of: device)
        var out = "## QEMU's config size\n\n"
        out += table.isTranscribed ? "From QEMU's feature_sizes table for this device: "
            : "QEMU's rule applied to this layout (no QEMU table is transcribed): "
        out += "at least \(minimum) bytes, and"
        if entries.isEmpty { return out + " nothing more.\n\n" }
        out += " at least the end of each entry whose features are offered.\n\n"
        var rows = MarkdownTable([.init("When offered"), .init("Ends at", .right)])
        for entry in entries { rows.add(["`\(entry.condition)`", "\(entry.end)"]) }
        out += rows.rendered() + "\n"
        let coverage = SizeCoverage(device: device)
        if coverage.gaps.isEmpty {
            out += "Every field lies inside QEMU's config whenever it means something.\n\n"
        } else {
            out += "Fields that mean something beyond QEMU's end:\n\n"
            for gap in coverage.gaps {
                out += "- `\(gap.path)` (offset \(gap.offset)) when `\(gap.when?.description ?? "(no short form)")`"
                if let example = gap.example {
                    out += ", e.g. \(Format.features(example.features, of: device)): config \(example.from) bytes, "
                        + "field ends at \(example.to)"
                }
                out += ".\n"
            }
            out += "\n"
        }
        return out
    }

    /// Each step between consecutive spec versions that changed the layout, from the device as
    /// declared: the device as of the newest version has lost the fields later versions retired.
    private func history(_ device: Device) -> String {
        let versions = SpecVersion.known.filter { device.exists(in: $0) }
        var out = "## History\n\n"
        var steps = 0
        for (from, to) in zip(versions, versions.dropFirst()) {
            let diff = VersionDiff(device: device, from: from, to: to)
            guard !diff.changes.isEmpty || !diff.featuresAdded.isEmpty || !diff.featuresRemoved.isEmpty else { continue }
            steps += 1
            out += "### virtio \(from) → \(to)\n\n" + VersionDiffReport(diff: diff).markdownBody(sectionLevel: "####") + "\n"
        }
        if steps == 0 {
            let first = versions.first.map { "\($0)" } ?? "its first version"
            out += "The layout has not changed since virtio \(first).\n\n"
        }
        return out
    }
}

/// Generated/README.md: what is here, linked.
struct IndexEmitter {
    let generator: Generator
    /// Each target gets a column, in order.
    let targets: [GenerationTarget]

    func file() -> GeneratedFile {
        var out = "<!-- \(generator.banner("Layouts/*.layout")) -->\n\n# Generated from Layouts/\n\n"
        out += "Everything here is written by `cfgspace generate --target all --output Generated` from the layouts "
        out += "as of virtio \(generator.version); a test fails when it is stale. C headers compile with "
        out += "`-std=c11 -pedantic` and assert every offset; Rust modules assert theirs at compile time; the JSON "
        out += "documents follow [json/schema.json](json/schema.json). Each device's [HTML page](html/index.html) lays it "
        out += "out under the features and spec version you tick, in a browser.\n\n"
        var table = MarkdownTable([.init("Device"), .init("ID", .right), .init("Fields", .right)]
                                  + targets.map { .init($0.emitter.column) })
        for input in generator.inputs {
            let device = input.device
            let name = device.name
            let fields = device.config == nil ? "none"
                : "\(Layout(device: device, features: FeatureSet(), interpretation: .fixed).fields.count)"
            table.add(["\(name)", "\(device.id)", fields] + targets.map { target in
                let path = target.emitter.path(of: device)
                return "[\(path.split(separator: "/").last ?? Substring(path))](\(path))"
            })
        }
        out += table.rendered()
        out += "\nThe device-independent feature bits, and what the files of a language share, are in "
        out += "[c/transport.h](c/transport.h), [rust/transport.rs](rust/transport.rs) and "
        out += "[swift/VirtioTransport.swift](swift/VirtioTransport.swift).\n"
        return GeneratedFile(path: "README.md", contents: out)
    }
}

extension String {
    func replacingNewlines() -> String {
        split(separator: "\n").joined(separator: " ")
    }
}
