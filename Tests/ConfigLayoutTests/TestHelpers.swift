import Foundation
import TestSupport
@testable import ConfigLayout

/// The folder of this test target, for fixtures and golden files.
let testDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()

func fixture(_ name: String) -> URL {
    testDirectory.appendingPathComponent("Fixtures").appendingPathComponent(name)
}

func golden(_ name: String) -> URL {
    testDirectory.appendingPathComponent("Golden").appendingPathComponent(name)
}

/// Loads a layout from text as if it were a file in `Fixtures/diagnostics`, so imports resolve.
func load(_ text: String, path: String = fixture("diagnostics/inline.layout").path) -> LayoutLoader.Loaded {
    LayoutLoader().load(SourceFile(path: path, text: text))
}

/// The newest version of the only device in a layout text that must check cleanly.
func device(_ text: String) throws -> Device {
    let loaded = load(text)
    guard !loaded.hasErrors, let device = loaded.devices.first else {
        throw TestFailure(DiagnosticRenderer().render(loaded.diagnostics))
    }
    return device.asOf(nil)
}

/// The newest net layout from Layouts/.
func netDevice() throws -> Device {
    let loaded = try LayoutLoader().load(path: PackagePaths.layout("net.layout").path)
    guard !loaded.hasErrors, let device = loaded.devices.first else {
        throw TestFailure(DiagnosticRenderer().render(loaded.diagnostics))
    }
    return device.asOf(nil)
}

/// Diagnostics rendered with paths relative to the test folder, so golden files do not depend on
/// where the package is checked out.
func renderRelative(_ diagnostics: [Diagnostic]) -> String {
    DiagnosticRenderer().render(diagnostics).replacingOccurrences(of: testDirectory.path + "/", with: "")
}

/// Every feature set over the given bits.
func allSubsets(of bits: [Int]) -> [FeatureSet] {
    (0..<(1 << bits.count)).map { mask in
        FeatureSet(bits: bits.indices.filter { mask & (1 << $0) != 0 }.map { bits[$0] })
    }
}
