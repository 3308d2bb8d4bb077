import ConfigLayout
@testable import ConfigEmit

/// A fixture: a new output language, written as any emitter is, in one file. It declares its name,
/// summary and paths here and nowhere else; ExtensionPointTests adds it to the list.
struct TSVEmitter: Emitter {
    static let name = "tsv"
    static let summary = "TSV"

    static func path(of device: Device) -> String { "tsv/\(device.name).tsv" }

    let generator: Generator

    var sharedFiles: [GeneratedFile] { [] }

    func contents(for input: GenerationInput) -> String {
        let layout = Layout(device: input.device, features: FeatureSet(), interpretation: .fixed)
        return "offset\tsize\tfield\n" + layout.fields.compactMap { field in
            field.offset.map { "\($0)\t\(field.size)\t\(field.path)\n" }
        }.joined()
    }
}
