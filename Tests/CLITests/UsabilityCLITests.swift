import Foundation
import Testing
import TestSupport

/// What a new user meets first: built-in layouts from any directory, imports found where they are
/// said to be, and mistakes that are usage errors with a hint.
@Suite struct UsabilityCLITests {
    private func run(_ arguments: [String], in directory: URL, environment: [String: String]? = nil) throws -> ProcessResult {
        try Subprocess.run(Subprocess.cfgspace, arguments, in: directory, environment: environment)
    }

    @Test func builtInLayoutsWorkFromAnyDirectory() throws {
        let elsewhere = try Tools.temporaryFolder("elsewhere")
        defer { try? FileManager.default.removeItem(at: elsewhere) }
        let table = try run(["table", "blk", "--features", "SEG_MAX"], in: elsewhere)
        #expect(table.status == 0, "\(table.stderr)")
        #expect(table.stdout.contains("seg_max"))
        #expect(try run(["diff", "net"], in: elsewhere).status == 0)
        #expect(try run(["simulate", "--driver", "linux-current", "--device", "qemu"], in: elsewhere).status == 0)
        let generated = try run(["generate", "--target", "json", "--output", elsewhere.appendingPathComponent("out").path], in: elsewhere)
        #expect(generated.status == 0, "\(generated.stderr)")
        #expect(FileManager.default.fileExists(atPath: elsewhere.appendingPathComponent("out/json/blk.json").path))
    }

    @Test func aPathWinsOverABuiltInName() throws {
        let folder = try Tools.temporaryFolder("path-wins")
        defer { try? FileManager.default.removeItem(at: folder) }
        try "device blk = 77 \"Mine\" {\n  config my_config {\n    x  le32\n  }\n}\n"
            .write(to: folder.appendingPathComponent("blk"), atomically: true, encoding: .utf8)
        let result = try run(["table", "blk"], in: folder)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix("blk (ID 77)"))
    }

    @Test func listShowsEveryBuiltInDevice() throws {
        let result = try Subprocess.cfgspace("list", "--format", "json")
        #expect(result.status == 0)
        let entries = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        #expect(entries.count == PackagePaths.deviceLayouts.count + 1)
        let blk = try #require(entries.first { $0["name"] as? String == "blk" })
        #expect(blk["id"] as? Int == 2)
        #expect(blk["since"] as? String == "1.0")
    }

    /// `import NAME`: beside the file, then --include, then CFGSPACE_PATH, then the built-ins; the
    /// error lists every place it looked.
    @Test func importsAreFoundThroughIncludeAndThePath() throws {
        let folder = try Tools.temporaryFolder("imports")
        defer { try? FileManager.default.removeItem(at: folder) }
        let shared = folder.appendingPathComponent("shared")
        let other = folder.appendingPathComponent("other")
        try FileManager.default.createDirectory(at: shared, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: other, withIntermediateDirectories: true)
        try "transport {\n  feature VERSION_1 = 32\n}\n".write(to: shared.appendingPathComponent("mybits.layout"), atomically: true, encoding: .utf8)
        let device = folder.appendingPathComponent("dev.layout")
        try "import mybits\n\ndevice dev = 60 \"Dev\" {\n  config dev_config {\n    x  le16\n  }\n}\n"
            .write(to: device, atomically: true, encoding: .utf8)

        let missing = try run(["check", device.path], in: folder)
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("cannot import 'mybits'"))
        #expect(missing.stderr.contains(folder.path + "/mybits.layout"), "\(missing.stderr)")
        #expect(missing.stderr.contains("(built-in)/mybits.layout"))

        #expect(try run(["check", device.path, "--include", other.path, "--include", shared.path], in: folder).status == 0)
        var environment = ProcessInfo.processInfo.environment
        environment["CFGSPACE_PATH"] = other.path + ":" + shared.path
        #expect(try run(["check", device.path], in: folder, environment: environment).status == 0)
    }

    @Test(arguments: [
        ["table", "net", "--features", ""], ["table", "net", "--features", "all,none"], ["table", "net", "--features", "MTU,,MAC"],
        ["diff", "net", "--to-spec", "1.2"], ["simulate", "--driver", "dpdk", "--device", "qemu", "--set", "mtu=70000"],
    ])
    func unclearArgumentsAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
        #expect(result.stderr.contains("Error:"))
    }

    @Test func simulateStrictFailsAScriptOnAViolationOrADifference() throws {
        #expect(try Subprocess.cfgspace("simulate", "--driver", "linux-current", "--device", "qemu", "--strict").status == 0)
        #expect(try Subprocess.cfgspace("simulate", "--driver", "linux-5.12", "--device", "mlx5-5.12", "--strict").status == 1)
        #expect(try Subprocess.cfgspace("simulate", "--matrix", "--strict").status == 1)
        #expect(try Subprocess.cfgspace("simulate", "--matrix").status == 0)
    }
}
