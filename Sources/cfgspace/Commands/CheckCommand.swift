import Arguments
import ConfigLayout

/// `cfgspace check FILE...`
enum CheckCommand: Command {
    static let spec = CommandSpec(
        name: "check",
        abstract: "Parse and check layout files, reporting every problem in one run.",
        discussion: "Reports errors and warnings as path:line:column with the source line and a caret under the "
            + "problem, and a one-line summary of each clean file. Exits with 1 if any file has an error.",
        arguments: [.init(name: "files", help: "Layout files (or built-in names), such as Layouts/*.layout.", isVariadic: true)],
        options: [SharedOptions.include])

    struct Options: CommandOptions {
        var files: [String]
        var includes: [String]

        init(_ arguments: ParsedArguments) {
            files = arguments.arguments("files")
            includes = arguments.values("include")
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let loader = LayoutInput.loader(includes: options.includes)
        var reported = Set<String>()
        var all: [Diagnostic] = []
        var failed = false
        for path in options.files {
            let loaded: LayoutLoader.Loaded
            do {
                loaded = try loader.load(argument: path)
            } catch {
                console.error(error.description)
                failed = true
                continue
            }
            // A file imported by several others reports its problems once.
            let fresh = loaded.diagnostics.filter {
                reported.insert("\($0.span.file.path):\($0.span.start):\($0.kind):\($0.message)").inserted
            }
            all += fresh
            if !fresh.isEmpty {
                console.err(DiagnosticRenderer(colors: console.stderrColors).render(fresh))
            }
            if !loaded.hasErrors {
                console.out(summary(of: loaded))
            }
        }
        if let summary = DiagnosticRenderer.summary(of: all) { console.err(summary + "\n") }
        if failed || all.hasErrors { throw .failed }
    }

    /// `Layouts/net.layout: net (ID 1): 48 features, 10 fields, 28 bytes`
    private static func summary(of loaded: LayoutLoader.Loaded) -> String {
        var lines: [String] = []
        if let transport = loaded.checked.transport {
            lines.append("\(loaded.file.path): transport: \(count(transport.features.count, "feature"))")
        }
        for device in loaded.devices {
            let newest = device.asOf(nil)
            var text = "\(loaded.file.path): \(device.name) (ID \(device.id)): \(count(newest.features.count, "feature")), "
            if let config = newest.config {
                let layout = Layout(device: newest, features: FeatureSet(), interpretation: .fixed)
                text += "\(count(layout.fields.count, "field")), \(count(config.size, "byte"))"
            } else {
                text += "no configuration space"
            }
            lines.append(text)
        }
        return lines.map { $0 + "\n" }.joined()
    }

    private static func count(_ n: Int, _ word: String) -> String { "\(n) \(word)\(n == 1 ? "" : "s")" }
}
