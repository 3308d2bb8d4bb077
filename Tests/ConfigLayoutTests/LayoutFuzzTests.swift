import ConfigLayout
import Foundation
import Fuzzing
import Testing
import TestSupport

/// Thousands of hostile layouts from fixed seeds: the built-in layouts mutated every way a file is
/// broken, random layouts from the grammar, and the extremes. Every one must get an answer (no
/// crash), quickly (no hang), with every rejection explained at a real line and column.
/// `cfgspace-bench --fuzz` runs the same generators for longer.
@Suite struct LayoutFuzzTests {
    /// A case slower than this is a hang, not a slow machine: the largest inputs (megabyte
    /// identifiers) take a few seconds in a debug build on a loaded 2-core machine, the rest
    /// milliseconds. It bounds the run; the release bench measures speed.
    static let hangBound: Duration = .seconds(60)

    @Test(arguments: LayoutMutator.Kind.allCases)
    func mutatedLayouts(_ kind: LayoutMutator.Kind) throws {
        var mutator = LayoutMutator(corpus: LayoutMutator.builtinCorpus, seed: SplitMix64.seed(kind.rawValue))
        let count = [.deepNesting, .hugeIdentifier, .hugeNumber].contains(kind) ? 40 : 300
        let clock = ContinuousClock()
        var rejected = 0
        for index in 0..<count {
            let input = mutator.next(kind)
            let start = clock.now
            let verdict = LayoutVerdict.judge(input.bytes)
            let elapsed = clock.now - start
            #expect(verdict.problems.isEmpty, "\(kind) #\(index) from \(input.origin): \(verdict.problems)")
            #expect(elapsed < Self.hangBound, "\(kind) #\(index) from \(input.origin) took \(elapsed)")
            if !verdict.accepted { rejected += 1 }
        }
        switch kind {
        case .grammar, .lineEnds:
            // Valid by construction, whatever their line ends.
            #expect(rejected == 0)
        case .controlBytes, .invalidUTF8, .hugeIdentifier, .deepNesting, .hugeNumber:
            break
        default:
            // Most mutations break a file; a run where none did tested nothing.
            #expect(rejected > count / 4)
        }
    }

    /// CRLF, CR-only and a byte-order mark change nothing: the same devices, the same diagnostics.
    @Test func otherLineEndsReadTheSame() throws {
        for name in BuiltinLayouts.names {
            let bytes = try #require(BuiltinLayouts.file(name)).bytes
            let reference = LayoutLoader().load(SourceFile(path: "\(name).layout", bytes: bytes))
            for style in 0..<3 {
                let variant = LayoutLoader().load(SourceFile(path: "\(name).layout",
                                                             bytes: LayoutMutator.withLineEnds(bytes, style)))
                #expect(variant.diagnostics.map(\.message) == reference.diagnostics.map(\.message), "\(name) style \(style)")
                #expect(variant.devices.map(\.name) == reference.devices.map(\.name))
                for (a, b) in zip(variant.devices, reference.devices) {
                    let fields = { (device: Device) in
                        Layout(device: device, features: FeatureSet(), interpretation: .fixed).fields.map { "\($0.path)@\($0.offset ?? -1)" }
                    }
                    #expect(fields(a) == fields(b))
                }
            }
        }
    }

    /// A diagnostic's line counts CR-only and CRLF line ends alike.
    @Test func diagnosticsFindTheirLineWhateverTheLineEnds() {
        let text = "device d = 1 {\n  feature A = 0\n  config c {\n    x u8 if B\n  }\n}\n"
        for style in 0..<3 {
            let bytes = LayoutMutator.withLineEnds(Array(text.utf8), style)
            let diagnostics = LayoutLoader().load(SourceFile(path: "d.layout", bytes: bytes)).diagnostics
            let unknown = diagnostics.first { $0.kind == .unknownFeature }
            #expect(unknown.map { "\($0.span.file.location(of: $0.span.start))" } == "4:13",
                    "style \(style)")
        }
    }

    /// A diagnostic on a line of a million characters shows a window of it, and a message quoting
    /// a million-character name is cut short: the rendering stays a few lines long.
    @Test func enormousLinesRenderAsAWindow() {
        let name = String(repeating: "A", count: 1_000_000)
        let text = "device d = 1 { feature \(name) = 1\n feature \(name) = 2\n config c { x u8 if \(name)B } }\n"
        let diagnostics = LayoutLoader().load(SourceFile(path: "long.layout", text: text)).diagnostics
        #expect(diagnostics.contains { $0.kind == .duplicateFeatureName })
        let rendered = DiagnosticRenderer().render(diagnostics)
        #expect(rendered.utf8.count < 800 * (diagnostics.count + diagnostics.flatMap(\.notes).count), "\(rendered.utf8.count) bytes")
        #expect(rendered.contains("… (999"))
        for line in rendered.split(separator: "\n") { #expect(line.count < 600) }
    }

    /// Crashes and hangs the fuzzers found, minimised, kept so they stay fixed.
    @Test func regressions() {
        let cases: [(String, [UInt8])] = [
            // Two million-character names, one misspelt: the suggestion's edit distance was quadratic
            // in their lengths and asked for a 10^12-entry table.
            ("huge misspelt name", Array(("device d = 1 { feature \(String(repeating: "A", count: 300_000)) = 1\n config c { x u8 if "
                                          + String(repeating: "A", count: 300_000) + "B } }\n").utf8)),
        ]
        for (name, bytes) in cases {
            let verdict = LayoutVerdict.judge(bytes)
            #expect(verdict.problems.isEmpty, "\(name): \(verdict.problems)")
            #expect(!verdict.accepted, "\(name)")
        }
    }
}
