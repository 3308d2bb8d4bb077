import Foundation
import Testing
import TestSupport
@testable import ConfigLayout

@Suite struct FrontEndGoldenTests {
    private func source(_ url: URL) throws -> SourceFile {
        // Paths relative to the test folder keep golden files independent of the checkout.
        let text = try String(contentsOf: url, encoding: .utf8)
        return SourceFile(path: url.path.replacingOccurrences(of: testDirectory.path + "/", with: ""), text: text)
    }

    @Test func tokensOfTheSample() throws {
        let (tokens, diagnostics) = Lexer.tokenize(try source(fixture("sample.layout")))
        #expect(diagnostics.isEmpty)
        let mismatch = Golden.mismatch(SyntaxPrinter.render(tokens: tokens), goldenAt: golden("tokens/sample.txt"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test(arguments: ["sample.layout", "multipleErrors.layout"])
    func parseTree(of name: String) throws {
        let (syntax, _) = Parser.parse(try source(fixture(name)))
        let mismatch = Golden.mismatch(SyntaxPrinter.render(syntax), goldenAt: golden("syntax/\(name).txt"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func parseTreeOfNet() throws {
        let url = PackagePaths.layout("net.layout")
        let file = SourceFile(path: "Layouts/net.layout", text: try String(contentsOf: url, encoding: .utf8))
        let (syntax, diagnostics) = Parser.parse(file)
        #expect(diagnostics.isEmpty)
        let mismatch = Golden.mismatch(SyntaxPrinter.render(syntax), goldenAt: golden("syntax/net.layout.txt"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    /// One fixture per kind of diagnostic; each must produce its kind, and the whole rendered text
    /// must match its golden file.
    @Test(arguments: Diagnostic.Kind.allCases)
    func diagnostic(_ kind: Diagnostic.Kind) throws {
        let url = fixture("diagnostics/\(kind.rawValue).layout")
        #expect(FileManager.default.fileExists(atPath: url.path), "no fixture for \(kind.rawValue)")
        let loaded = try LayoutLoader().load(path: url.path)
        #expect(loaded.diagnostics.contains { $0.kind == kind }, "\(kind.rawValue) was not reported")
        let mismatch = Golden.mismatch(renderRelative(loaded.diagnostics),
                                       goldenAt: golden("diagnostics/\(kind.rawValue).txt"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func everyErrorInAFileIsReportedInOneRun() throws {
        let loaded = try LayoutLoader().load(path: fixture("multipleErrors.layout").path)
        let kinds = Set(loaded.diagnostics.map(\.kind))
        #expect(kinds == [.duplicateFeatureName, .unknownFeature, .rangeDoesNotFit, .unknownType, .duplicateField])
        #expect(loaded.diagnostics.count == 6)
        let mismatch = Golden.mismatch(renderRelative(loaded.diagnostics), goldenAt: golden("diagnostics/multipleErrors.txt"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
