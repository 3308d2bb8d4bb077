import Foundation
import Testing
import TestSupport

/// What a user chooses of the generated files: the C names' prefix, the byte map's features, and
/// the Rust modules as one crate.
@Suite struct GenerateChoicesCLITests {
    @Test func theCKeepsTheLayoutsNamesUnlessGivenAPrefix() throws {
        let plain = try Subprocess.cfgspace("generate", "net", "--target", "c", "--output", "-")
        #expect(plain.status == 0, "\(plain.stderr)")
        #expect(plain.stdout.contains("struct virtio_net_config {"))
        #expect(plain.stdout.contains("Linux's <linux/virtio_net.h> declares"))
        let prefixed = try Subprocess.cfgspace("generate", "net", "--target", "c", "--c-prefix", "my_", "--output", "-")
        #expect(prefixed.status == 0, "\(prefixed.stderr)")
        #expect(prefixed.stdout.contains("struct my_virtio_net_config {"))
        #expect(!prefixed.stdout.contains("struct virtio_net_config"))
    }

    @Test func theByteMapShowsTheChosenFeatures() throws {
        let result = try Subprocess.cfgspace("generate", "net", "--target", "svg", "--features", "MTU,STATUS", "--output", "-")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("Packed under {MTU, STATUS}: 1 field moves"), "\(result.stdout.prefix(2000))")
    }

    @Test func theRustFolderIsOneCrate() throws {
        let folder = try Tools.temporaryFolder("generate-rust")
        defer { try? FileManager.default.removeItem(at: folder) }
        let result = try Subprocess.cfgspace("generate", "blk", "net", "--target", "rust", "--output", folder.path)
        #expect(result.status == 0, "\(result.stderr)")
        let files = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("rust").path).sorted()
        #expect(files == ["blk.rs", "le.rs", "mod.rs", "net.rs", "transport.rs"])
        let tree = try String(contentsOf: folder.appendingPathComponent("rust/mod.rs"), encoding: .utf8)
        #expect(tree.contains("pub mod le;\npub mod transport;\n\npub mod net;\npub mod blk;\n"), "\(tree)")
    }

    @Test(arguments: [
        (["net", "--target", "c", "--c-prefix", "9lives_"], "a C name must start with a letter or '_'"),
        (["net", "--target", "c", "--features", "MTU"], "--features chooses what the SVG byte map shows"),
        (["net", "blk", "--target", "svg", "--features", "MTU"], "--features names one device's features: give one layout"),
        (["net", "--target", "svg", "--features", "MTUU"], "Did you mean 'MTU'?"),
    ])
    func misusesSayWhatToType(arguments: [String], says: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["generate"] + arguments + ["--output", "-"], in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.unwrappedStderr.contains(says), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}
