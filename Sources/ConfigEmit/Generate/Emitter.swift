import ConfigLayout

/// A writer of one target, which declares everything about itself here: its name for `--target`,
/// what `generate --help` calls it, its column in the index, where each device's file goes, and
/// when it runs. Adding one is its file and an entry in `GenerationTarget.all`.
///
/// It writes a file per device and files every device shares (a transport header, a schema). Each
/// file is a pure function of the generator's inputs, so the generator may write them in any order,
/// on any core.
protocol Emitter: Sendable {
    /// `--target`'s value and the folder its files go in: `c`.
    static var name: String { get }
    /// What `generate --help` lists it as: `C`.
    static var summary: String { get }
    /// Its column in the index (Generated/README.md); by default the summary.
    static var column: String { get }
    /// When it runs among the others; by default in list order.
    static var phase: EmitterPhase { get }
    /// Where a device's file goes under the output folder: `c/net.h`.
    static func path(of device: Device) -> String

    init(generator: Generator)
    var sharedFiles: [GeneratedFile] { get }
    /// The device's file.
    func contents(for input: GenerationInput) -> String
}

/// Emitters that work out a device's fixed-versus-packed diff run first, those that reuse it last:
/// no core waits for a diff, and none waits for the others between phases.
enum EmitterPhase: Int, Sendable, Comparable {
    case worksOutDiffs, plain, reusesDiffs

    static func < (lhs: EmitterPhase, rhs: EmitterPhase) -> Bool { lhs.rawValue < rhs.rawValue }
}

extension Emitter {
    static var column: String { summary }
    static var phase: EmitterPhase { .plain }

    func file(for input: GenerationInput) -> GeneratedFile {
        GeneratedFile(path: Self.path(of: input.device), contents: contents(for: input))
    }
}
