import ConfigLayout

/// A writer of one target: a file per device, and files every device shares (a transport header,
/// a schema). Each file is a pure function of the generator's inputs, so the generator may write
/// them in any order, on any core.
protocol Emitter: Sendable {
    init(generator: Generator)
    var sharedFiles: [GeneratedFile] { get }
    func file(for input: GenerationInput) -> GeneratedFile
}

extension GenerationTarget {
    func emitter(_ generator: Generator) -> any Emitter {
        switch self {
        case .c: CEmitter(generator: generator)
        case .rust: RustEmitter(generator: generator)
        case .swift: SwiftEmitter(generator: generator)
        case .json: JSONEmitter(generator: generator)
        case .markdown: MarkdownEmitter(generator: generator)
        case .svg: SVGEmitter(generator: generator)
        case .html: HTMLEmitter(generator: generator)
        }
    }
}
