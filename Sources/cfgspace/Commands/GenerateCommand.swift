import Arguments
import ConfigEmit
import Rendering
import ConfigLayout
import Foundation

/// `cfgspace generate [FILE...] --target ... --output DIR`
enum GenerateCommand: Command {
    static let spec = makeSpec(targets: GenerationTarget.all)

    /// The command as the targets make it: its abstract names each, and --target takes each name.
    static func makeSpec(targets: [GenerationTarget]) -> CommandSpec {
        let summaries = targets.map(\.summary)
        let listed = summaries.count > 1 ? summaries.dropLast().joined(separator: ", ") + " and " + (summaries.last ?? "")
            : summaries.joined()
        return CommandSpec(
            name: "generate",
            abstract: "Write \(listed) from layouts.",
            discussion: "With no files it takes every layout in Layouts/. Output is the same, byte for byte, from run "
                + "to run; every file says it is generated and from which layout. --target all also writes an index, "
                + "README.md.",
            arguments: [.init(name: "files", help: "Layout files or built-in names; by default every Layouts/*.layout, or outside a "
                      + "checkout every built-in layout.", isVariadic: true,
                              isOptional: true)],
            options: [
                SharedOptions.include,
                .init(name: "target", valueName: "target", help: "What to write.",
                      choices: targets.map(\.name) + ["all"], defaultValue: "all"),
                .init(name: "output", valueName: "directory", help: "The folder to write into; it is created if missing. '-' "
                      + "prints the one file a single layout gives for a single --target to standard output instead.",
                      isRequired: true),
                SharedOptions.spec,
                .init(name: "c-prefix", valueName: "prefix",
                      help: "Put this before every C struct and union name, such as cfgspace_ (struct "
                          + "cfgspace_virtio_net_config), for a program that also includes Linux's <linux/virtio_*.h>. By "
                          + "default the C keeps the names the layouts declare."),
                .init(name: "features", valueName: "features",
                      help: "The features the SVG byte map shows the packed layout under, for one layout: names or bit "
                          + "numbers, 'none' or 'all'. By default the set under which the most fields move."),
            ])
    }

    struct Options: CommandOptions {
        var files: [String]
        var includes: [String]
        /// What to write: one target, or every one.
        var targets: [GenerationTarget]
        var output: String
        var version: SpecVersion
        var cPrefix: String
        /// The byte map's features, as given; resolved once the one layout is loaded.
        var pictured: String?

        init(_ arguments: ParsedArguments) throws(UsageError) {
            files = arguments.arguments("files")
            includes = arguments.values("include")
            let target = try arguments.required("target")
            if target == "all" {
                targets = GenerationTarget.all
            } else {
                guard let one = GenerationTarget.named(target) else {
                    throw arguments.misuse("The value '\(target)' is invalid for '--target <target>'. Please provide one of "
                                           + (GenerationTarget.all.map(\.name) + ["all"]).map { "'\($0)'" }
                                               .joined(separator: ", ") + ".")
                }
                targets = [one]
            }
            output = try arguments.required("output")
            version = try SharedOptions.version(arguments) ?? .newest
            cPrefix = arguments.value("c-prefix") ?? ""
            guard GenerationOptions.isValidCPrefix(cPrefix) else {
                throw arguments.misuse("The value '\(cPrefix)' is invalid for '--c-prefix <prefix>': a C name must start "
                                       + "with a letter or '_' and go on with letters, digits and '_', such as cfgspace_.")
            }
            pictured = arguments.value("features")
            if pictured != nil, !targets.contains(where: { $0.name == "svg" }) {
                throw arguments.misuse("--features chooses what the SVG byte map shows: give --target svg (or all).")
            }
        }
    }

    static func run(_ options: Options, console: Console) throws(CommandError) {
        let (output, version) = (options.output, options.version)
        var paths = options.files
        if paths.isEmpty {
            // The Layouts/ folder of a checkout, or anywhere else the built-in layouts.
            if let names = try? FileManager.default.contentsOfDirectory(atPath: "Layouts") {
                paths = names.filter { $0.hasSuffix(".layout") }.sorted().map { "Layouts/\($0)" }
            } else {
                paths = BuiltinLayouts.names.map(BuiltinLayouts.path(of:))
            }
        }

        let loader = LayoutInput.loader(includes: options.includes)
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
                    GenerationInput(device: $0.asOf(selected: version), declared: $0, layoutName: name)
                }
            } catch {
                console.error(error.description)
                failed = true
            }
        }
        if failed { throw .failed }
        // The transport's own page lists only the bits of the version, as every device's does.
        transport = transport?.asOf(selected: version)

        let targets = options.targets
        var choices = GenerationOptions(cPrefix: options.cPrefix)
        if let text = options.pictured {
            guard inputs.count == 1, let input = inputs.first else {
                throw .usage("--features names one device's features: give one layout, such as "
                             + "'cfgspace generate net --target svg --features MTU,STATUS --output -'.")
            }
            let features = try LayoutInput.features(text, for: input.device, console: console, whole: input.declared, version: version)
            choices.pictured[input.device.name] = features
        }
        let generator = Generator(inputs: inputs, transport: transport, version: version, options: choices)
        if output == "-" {
            guard targets.count == 1, let only = targets.first, inputs.count == 1, let input = inputs.first else {
                throw .usage("--output - prints one file: give one layout and one --target other than all, "
                             + "such as 'cfgspace generate blk --target c --output -'.")
            }
            console.out(generator.file(for: only, of: input).contents)
            return
        }
        let files = generator.files(for: targets)
        var folder = OutputFolder(output)
        var unchanged = 0
        for file in files {
            do {
                if try !folder.write(file.contents, to: file.path) { unchanged += 1 }
            } catch let error as OutputError {
                throw .rejected(error.description)
            } catch {
                throw .rejected("cannot write into '\(output)': \(error.localizedDescription)")
            }
        }
        if unchanged == 0 {
            console.out("wrote \(files.count) files for \(Self.devices(inputs.count)) to \(output)\n")
        } else {
            console.out("wrote \(files.count - unchanged) of \(files.count) files for \(Self.devices(inputs.count)) to \(output); "
                        + "\(unchanged) already held the same bytes and were left alone\n")
        }
    }

    /// `1 device`, `24 devices`.
    static func devices(_ count: Int) -> String { count == 1 ? "1 device" : "\(count) devices" }
}
