import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import Foundation

/// `cfgspace generate [FILE...] --target ... --output DIR`
enum GenerateCommand: Command {
    static let spec = CommandSpec(
        name: "generate",
        abstract: "Write C, Rust, Swift, JSON, Markdown, SVG and HTML from layouts.",
        discussion: "With no files it takes every layout in Layouts/. Output is the same, byte for byte, from run "
            + "to run; every file says it is generated and from which layout. --target all also writes an index, "
            + "README.md.",
        arguments: [.init(name: "files", help: "Layout files or built-in names; by default every Layouts/*.layout, or outside a "
                  + "checkout every built-in layout.", isVariadic: true,
                          isOptional: true)],
        options: [
            SharedOptions.include,
            .init(name: "target", valueName: "target", help: "What to write.",
                  choices: GenerationTarget.allCases.map(\.rawValue) + ["all"], defaultValue: "all"),
            .init(name: "output", valueName: "directory", help: "The folder to write into; it is created if missing.",
                  isRequired: true),
            SharedOptions.spec,
        ])

    static func run(_ arguments: ParsedArguments, console: Console) throws(CommandError) {
        guard let target = arguments.value("target"), let output = arguments.value("output") else { throw .failed }
        let version = try LayoutInput.version(arguments.value("spec"), option: "spec")
        var paths = arguments.arguments("files")
        if paths.isEmpty {
            // The Layouts/ folder of a checkout, or anywhere else the built-in layouts.
            if let names = try? FileManager.default.contentsOfDirectory(atPath: "Layouts") {
                paths = names.filter { $0.hasSuffix(".layout") }.sorted().map { "Layouts/\($0)" }
            } else {
                paths = BuiltinLayouts.names.map(BuiltinLayouts.path(of:))
            }
        }

        let loader = LayoutInput.loader(arguments)
        var inputs: [GenerationInput] = []
        var transport: Transport?
        var failed = false
        for path in paths {
            do {
                let loaded = try loader.load(argument: path)
                LayoutInput.report(loaded.diagnostics, console: console)
                failed = failed || loaded.hasErrors
                transport = transport ?? loaded.checked.transport ?? loaded.devices.first?.transport
                let name = URL(fileURLWithPath: path).lastPathComponent
                inputs += loaded.devices.filter { $0.exists(in: version) }.map {
                    GenerationInput(device: $0.asOf(version == SpecVersion.newest ? nil : version), declared: $0,
                                    layoutName: name)
                }
            } catch {
                console.error(error.description)
                failed = true
            }
        }
        if failed { throw .failed }
        // The transport's own page lists only the bits of the version, as every device's does.
        transport = transport?.asOf(version == SpecVersion.newest ? nil : version)

        let targets = target == "all" ? GenerationTarget.allCases : GenerationTarget(rawValue: target).map { [$0] } ?? []
        let files = Generator(inputs: inputs, transport: transport, version: version).files(for: targets)
        var folder = OutputFolder(output)
        var unchanged = 0
        for file in files {
            do {
                if try !folder.write(file.contents, to: file.path) { unchanged += 1 }
            } catch let error as OutputError {
                console.error(error.description)
                throw .failed
            } catch {
                console.error("cannot write into '\(output)': \(error.localizedDescription)")
                throw .failed
            }
        }
        if unchanged == 0 {
            console.out("wrote \(files.count) files for \(inputs.count) devices to \(output)\n")
        } else {
            console.out("wrote \(files.count - unchanged) of \(files.count) files for \(inputs.count) devices to \(output); "
                        + "\(unchanged) already held the same bytes and were left alone\n")
        }
    }
}
