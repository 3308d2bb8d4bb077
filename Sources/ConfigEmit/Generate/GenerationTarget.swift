/// What `cfgspace generate` can write: an emitter, by the name it declares.
public struct GenerationTarget: Sendable, Hashable, CustomStringConvertible {
    let emitter: any Emitter.Type

    init(_ emitter: any Emitter.Type) {
        self.emitter = emitter
    }

    /// Every emitter, in the order help and the index name them. Adding one is its file and an
    /// entry here.
    public static let all: [GenerationTarget] = [
        CEmitter.self, RustEmitter.self, SwiftEmitter.self, JSONEmitter.self, MarkdownEmitter.self, SVGEmitter.self,
        HTMLEmitter.self,
    ].map(GenerationTarget.init)

    /// `--target`'s value: `c`.
    public var name: String { emitter.name }
    /// What help lists it as: `C`.
    public var summary: String { emitter.summary }
    public var description: String { name }

    /// The target of this name.
    public static func named(_ name: String) -> GenerationTarget? { all.first { $0.name == name } }

    public static func == (lhs: GenerationTarget, rhs: GenerationTarget) -> Bool { lhs.name == rhs.name }
    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
