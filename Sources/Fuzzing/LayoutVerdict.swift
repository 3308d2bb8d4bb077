import ConfigLayout

/// What the front end and engine made of one hostile layout, judged against the promises every
/// input is owed: an answer, never a crash or a hang; a rejected file gets at least one error, and
/// every diagnostic points at a real line and column of the file.
public struct LayoutVerdict: Sendable {
    public let accepted: Bool
    public let diagnostics: Int
    /// Broken promises, in words; empty when the input was handled as it should be.
    public let problems: [String]

    /// Loads the bytes as a layout file (imports resolve among the built-in layouts only), renders
    /// every diagnostic, and on acceptance runs the engine over every device: a layout under no
    /// features and under all, and the fixed-versus-packed diff over the whole feature space.
    public static func judge(_ bytes: [UInt8], path: String = "fuzz.layout") -> LayoutVerdict {
        let loader = LayoutLoader(reader: { name in .failure(LayoutLoader.LoadError(path: name, reason: "no such file")) })
        let file = SourceFile(path: path, bytes: bytes)
        let loaded = loader.load(file)
        var problems: [String] = []
        if loaded.hasErrors, !loaded.diagnostics.contains(where: { $0.severity == .error }) {
            problems.append("rejected without an error")
        }
        for diagnostic in loaded.diagnostics {
            problems += placementProblems(diagnostic.span, in: diagnostic.message)
            for note in diagnostic.notes {
                if let span = note.span { problems += placementProblems(span, in: note.message) }
            }
        }
        _ = DiagnosticRenderer().render(loaded.diagnostics)
        let accepted = !loaded.hasErrors
        if accepted {
            if loaded.devices.isEmpty && loaded.checked.transport == nil { problems.append("accepted, but declares nothing") }
            for device in loaded.devices { exercise(device) }
        }
        return LayoutVerdict(accepted: accepted, diagnostics: loaded.diagnostics.count, problems: problems)
    }

    /// A span must lie inside its file, and its line and column inside the text shown for it.
    private static func placementProblems(_ span: SourceSpan, in message: String) -> [String] {
        let file = span.file
        let shortMessage = String(message.prefix(80))
        guard span.start >= 0, span.start <= span.end, span.end <= file.bytes.count else {
            return ["span \(span.start)..<\(span.end) outside the \(file.bytes.count)-byte file: \(shortMessage)"]
        }
        let location = file.location(of: span.start)
        guard location.line >= 1, location.line <= file.lineCount else {
            return ["line \(location.line) of \(file.lineCount): \(shortMessage)"]
        }
        let width = file.displayLine(location.line).characters.count
        guard location.column >= 1, location.column <= width + 1 else {
            return ["column \(location.column) on a line of \(width): \(shortMessage)"]
        }
        return []
    }

    private static func exercise(_ device: Device) {
        let all = FeatureSet(bits: device.allFeatures.map(\.bit))
        for features in [FeatureSet(), all] {
            for interpretation in Interpretation.allCases {
                for sizing in Sizing.allCases {
                    _ = Layout(device: device, features: features, interpretation: interpretation, sizing: sizing)
                }
            }
        }
        if device.config != nil {
            _ = InterpretationDiff(device: device, from: .fixed, to: .packed)
        }
    }
}
