import Arguments
import Rendering
import ConfigLayout

/// Options several commands share.
enum SharedOptions {
    static func format(default value: ReportFormat = .text) -> CommandSpec.Option {
        .init(name: "format", valueName: "format", help: "How to print the result.",
              choices: ReportFormat.allCases.map(\.rawValue), defaultValue: value.rawValue)
    }

    static let device = CommandSpec.Option(
        name: "device", valueName: "name", help: "The device to use when the file declares more than one.")

    static func sizing(default value: Sizing = .full) -> CommandSpec.Option {
        .init(name: "sizing", valueName: "sizing",
              help: "How big the config space is: 'full' (the struct, or the sum of present fields when packed) "
                  + "or 'qemu' (QEMU's feature-sized config).",
              choices: Sizing.allCases.map(\.rawValue), defaultValue: value.rawValue)
    }

    static let include = CommandSpec.Option(
        name: "include", valueName: "folder",
        help: "Another folder to find imported layouts in, after the importing file's own and before CFGSPACE_PATH "
            + "and the built-in layouts.", isRepeatable: true)

    static let file = CommandSpec.Argument(name: "file", help: "A layout file, such as Layouts/net.layout.")

    static let files = CommandSpec.Argument(name: "files", help: "Layout files, such as Layouts/*.layout.",
                                            isVariadic: true)

    static let spec = CommandSpec.Option(
        name: "spec", valueName: "version",
        help: "The spec version whose layout to use: "
            + SpecVersion.known.map(\.description).joined(separator: ", ")
            + ", or next (the draft after \(SpecVersion.newest): what a layout adds 'since next').",
        defaultValue: SpecVersion.newest.description)

    /// The spec version an option names, which must be one cfgspace knows; nil if not given.
    static func version(_ arguments: ParsedArguments, option: String = "spec") throws(UsageError) -> SpecVersion? {
        // Given on the command line, not its default: nil lets a command tell "newest" from "not said".
        guard arguments.isGiven(option), let text = arguments.value(option) else { return nil }
        guard let version = SpecVersion(text), SpecVersion.selectable.contains(version) else {
            let known = SpecVersion.selectable.map(\.description).joined(separator: ", ")
            throw arguments.misuse("The value '\(text)' is invalid for '--\(option) <version>'. Please provide one of \(known).")
        }
        return version
    }
}
