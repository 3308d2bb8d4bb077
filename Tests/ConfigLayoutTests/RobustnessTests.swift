import Foundation
import Testing
import TestSupport
@testable import ConfigLayout

/// No input crashes or hangs the front end: whatever comes in, a clear answer comes out.
@Suite struct RobustnessTests {
    private func check(_ bytes: [UInt8]) -> [Diagnostic] {
        LayoutLoader().load(SourceFile(path: fixture("diagnostics/input.layout").path, bytes: bytes)).diagnostics
    }

    @Test func randomBytes() {
        var random = SeededGenerator(seed: 0xC0FF_EE)
        for _ in 0..<300 {
            let length = Int.random(in: 0..<2000, using: &random)
            let bytes = (0..<length).map { _ in UInt8.random(in: 0...255, using: &random) }
            let diagnostics = check(bytes)
            // Random bytes are almost never a valid file; when they are not, say so.
            if bytes.contains(where: { $0 > 0x7F }) { #expect(diagnostics.hasErrors) }
        }
    }

    @Test func randomTokenSoup() {
        let words = ["device", "feature", "config", "struct", "union", "if", "valid", "range", "requires", "{", "}",
                     "(", ")", "[", "]", "=", "&&", "||", "!", "...", ".", ",", ";", "\n", "1", "0x10", "1.2",
                     "\"s\"", "///d\n", "u8", "le16", "MTU", "x", "import", "transport", "qemu", "min_size", "end"]
        var random = SeededGenerator(seed: 42)
        for _ in 0..<500 {
            let count = Int.random(in: 0..<80, using: &random)
            let text = (0..<count).map { _ in words.randomElement(using: &random) ?? "" }.joined(separator: " ")
            _ = check(Array(text.utf8))
        }
    }

    /// Every prefix of a real layout, as a file cut off anywhere would be.
    @Test func truncatedFiles() throws {
        let bytes = Array(try Data(contentsOf: PackagePaths.layout("net.layout")))
        for length in stride(from: 0, to: bytes.count, by: 7) {
            _ = check(Array(bytes[..<length]))
        }
    }

    @Test func deeplyNestedExpressions() {
        for (open, close) in [("(", ")"), ("!", ""), ("!(", ")")] {
            let text = "device d = 1 { feature A = 1\n config c { x u8 if " + String(repeating: open, count: 100_000)
                + "A" + String(repeating: close, count: 100_000) + " } }"
            #expect(check(Array(text.utf8)).map(\.kind) == [.nestingTooDeep])
        }
    }

    @Test func longChains() throws {
        let chain = (0..<20_000).map { _ in "A" }.joined(separator: " || ")
        let device = try device("device d = 1 { feature A = 1\n config c { x u8 if \(chain) } }")
        #expect(device.config?.fields.first?.existence?.condition.featureNames == ["A"])
    }

    @Test func deeplyNestedStructs() {
        let text = "device d = 1 { config c { x " + String(repeating: "struct { y ", count: 1000) + "u8"
            + String(repeating: " }", count: 1000) + " } }"
        #expect(check(Array(text.utf8)).contains { $0.kind == .nestingTooDeep })
    }

    @Test func hugeNumbers() {
        let diagnostics = check(Array("""
            device d = 18446744073709551615 {
              feature A = 18446744073709551615
              feature B = 99999999999999999999999999
              config c { x u8[18446744073709551615] range 0...18446744073709551615 }
            }
            """.utf8))
        #expect(Set(diagnostics.map(\.kind)) == [.deviceIDOutOfRange, .featureBitOutOfRange, .numberTooLarge,
                                                 .invalidArrayLength])
    }
}
