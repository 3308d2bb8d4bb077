import Foundation
import Testing
import TestSupport
@testable import ConfigLayout

/// The built executable, end to end: exit codes, streams, JSON.
@Suite struct CLITests {
    private let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    private func json(_ result: ProcessResult) throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    private func fields(_ document: [String: Any]) throws -> [String: [String: Any]] {
        let list = try #require(document["fields"] as? [[String: Any]])
        return Dictionary(uniqueKeysWithValues: list.compactMap { field in (field["name"] as? String).map { ($0, field) } })
    }

    // MARK: - table

    @Test func packedPutsMTUAtEight() throws {
        let result = try Subprocess.cfgspace("table", "Layouts/net.layout", "--features", "STATUS,MTU",
                                             "--interpretation", "packed", "--format", "json")
        #expect(result.status == 0, "\(result.stderr)")
        let document = try json(result)
        #expect(document["device"] as? String == "net")
        #expect(document["interpretation"] as? String == "packed")
        #expect(document["sizing"] as? String == "full")
        #expect(document["features"] as? [String] == ["MTU", "STATUS"])
        #expect(document["size"] as? Int == 10)
        let byName = try fields(document)
        #expect(byName["mtu"]?["offset"] as? Int == 8)
        #expect(byName["status"]?["offset"] as? Int == 6)
        #expect(byName["max_virtqueue_pairs"]?["offset"] is NSNull)
        #expect(byName["mac"]?["present"] as? Bool == true)
        #expect(byName["mac"]?["valid"] as? Bool == false)
        // One entry per leaf field, in declaration order.
        let names = try #require(document["fields"] as? [[String: Any]]).compactMap { $0["name"] as? String }
        #expect(names.first == "mac" && names.last == "supported_tunnel_types" && names.count == 10)
    }

    @Test func fixedPutsMTUAtTen() throws {
        let result = try Subprocess.cfgspace("table", "Layouts/net.layout", "--features", "STATUS,MTU",
                                             "--interpretation", "fixed", "--format", "json")
        #expect(result.status == 0)
        #expect(try fields(json(result))["mtu"]?["offset"] as? Int == 10)
    }

    @Test func qemuSizingWithMTUIsTwelve() throws {
        let result = try Subprocess.cfgspace("table", "Layouts/net.layout", "--sizing", "qemu", "--features", "MTU",
                                             "--format", "json")
        #expect(result.status == 0)
        #expect(try json(result)["size"] as? Int == 12)
    }

    @Test func featuresByBitNumberNoneAndAll() throws {
        let byBit = try json(Subprocess.cfgspace("table", "Layouts/net.layout", "--features", "3,16", "--format", "json"))
        #expect(byBit["features"] as? [String] == ["MTU", "STATUS"])
        let none = try json(Subprocess.cfgspace("table", "Layouts/net.layout", "--features", "none",
                                                "--interpretation", "packed", "--format", "json"))
        #expect(none["size"] as? Int == 6)
        let all = try json(Subprocess.cfgspace("table", "Layouts/net.layout", "--features", "all",
                                               "--interpretation", "packed", "--format", "json"))
        #expect(all["size"] as? Int == 28)
    }

    @Test func textOutputHasNoEscapesWhenPiped() throws {
        let result = try Subprocess.cfgspace("table", "Layouts/net.layout", "--features", "MTU")
        #expect(result.status == 0)
        #expect(!result.stdout.contains("\u{1B}["))
        #expect(result.stdout.contains("10  0x0a"))
    }

    @Test func aSetThatBreaksRequiresIsWarnedAbout() throws {
        let result = try Subprocess.cfgspace("table", "Layouts/net.layout", "--features", "MQ")
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: MQ requires CTRL_VQ"))
    }

    // MARK: - diff

    @Test func diffNamesMTUAndItsCondition() throws {
        let result = try Subprocess.cfgspace("diff", "Layouts/net.layout")
        #expect(result.status == 0, "\(result.stderr)")
        // The row and its continuation lines (long formulas wrap), each cell's words in order.
        let lines = result.stdout.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.hasPrefix("  mtu ") })
        let continuation = lines[(start + 1)...].prefix { $0.hasPrefix("      ") }
        let words = ([lines[start]] + continuation).joined(separator: " ").split(separator: " ").joined(separator: " ")
        for part in ["MTU", "&& !(STATUS", "&& (MQ || RSS))", "{MTU}:", "10", "→ 6"] {
            #expect(words.contains(part), "\(part) not in \(words)")
        }
    }

    /// The condition the CLI prints for mtu, parsed back and checked on every valid feature set
    /// against layouts computed directly.
    @Test func diffConditionHoldsOnEveryFeatureSet() throws {
        let document = try json(Subprocess.cfgspace("diff", "Layouts/net.layout", "--format", "json"))
        let mtu = try #require(try fields(document)["mtu"])
        let text = try #require(mtu["moves_when"] as? String)

        let loaded = try LayoutLoader().load(path: PackagePaths.layout("net.layout").path)
        let net = try #require(loaded.devices.first).asOf(nil)
        // Parse the printed condition with the layout language itself.
        let condition = try parseCondition(text, features: net.allFeatures.map(\.name))
        let space = try #require(document["feature_space"] as? [String]) + (document["supporting_features"] as? [String] ?? [])
        var checked = 0
        for mask in 0..<(1 << space.count) {
            let features = FeatureSet(bits: space.indices.filter { mask & (1 << $0) != 0 }
                .compactMap { net.feature(named: space[$0])?.bit })
            guard net.unmetRequirements(in: features).isEmpty else { continue }
            let fixed = Layout(device: net, features: features, interpretation: .fixed).field("mtu")?.offset
            let packed = Layout(device: net, features: features, interpretation: .packed).field("mtu")?.offset
            let moved = packed != nil && packed != fixed
            #expect(net.holds(condition, in: features) == moved, "\(net.names(of: features))")
            checked += 1
        }
        // With CTRL_VQ, every set but HASH_TUNNEL without RSS or HASH_REPORT (224); without it,
        // none of MQ, RSS or HASH_TUNNEL (32).
        #expect(checked == 256)
    }

    private func parseCondition(_ text: String, features: [String]) throws -> Condition {
        let declarations = features.enumerated().map { "  feature \($1) = \($0)" }.joined(separator: "\n")
        let source = "device probe = 1 {\n\(declarations)\n  config c { x u8 if \(text) }\n}\n"
        let loaded = LayoutLoader().load(SourceFile(path: "probe.layout", text: source))
        let device = try #require(loaded.devices.first)
        return try #require(device.config?.fields.first?.existence?.condition)
    }

    @Test func diffUnderOneFeatureSet() throws {
        let result = try Subprocess.cfgspace("diff", "Layouts/net.layout", "--features", "STATUS,MTU", "--format", "json")
        #expect(result.status == 0)
        let mtu = try #require(try fields(json(result))["mtu"])
        #expect(mtu["from"] as? Int == 10 && mtu["to"] as? Int == 8 && mtu["delta"] as? Int == -2)
    }

    // MARK: - spec versions

    @Test func versionDiffShowsReservedBytesTakenAsCompatible() throws {
        let result = try Subprocess.cfgspace("diff", "blk", "--spec", "1.1", "--to-spec", "1.2")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("verdict  compatible; 2 in reserved bytes, 3 at the tail"))
        #expect(!result.stdout.contains("Breaking"))
        let document = try json(Subprocess.cfgspace("diff", "blk", "--spec", "1.1", "--to-spec", "1.2", "--format", "json"))
        #expect(document["breaking"] as? Bool == false)
        let counts = try #require(document["counts"] as? [String: Any])
        #expect(counts["reserved_bytes_taken"] as? Int == 2)
        let changes = try #require(document["changes"] as? [[String: Any]])
        #expect(changes.first { $0["name"] as? String == "unused0" }?["kind"] as? String == "reserved shrank")
        #expect(changes.first { $0["name"] as? String == "num_queues" }?["kind"] as? String == "reserved bytes taken")
        let markdown = try Subprocess.cfgspace("diff", "blk", "--spec", "1.1", "--to-spec", "1.2", "--format", "markdown")
        #expect(markdown.stdout.contains("- verdict: compatible; 2 in reserved bytes, 3 at the tail\n"))
    }

    @Test func tableAsOfASpecVersion() throws {
        let document = try json(Subprocess.cfgspace("table", "Layouts/net.layout", "--spec", "1.1", "--format", "json"))
        #expect(try fields(document).keys.sorted() == ["mac", "max_virtqueue_pairs", "mtu", "status"])
        #expect(document["size"] as? Int == 12)
    }

    @Test(arguments: [
        (["table", "Layouts/can.layout", "--spec", "1.2"], "can does not exist in virtio 1.2; it appeared in 1.4."),
        (["table", "Layouts/net.layout", "--spec", "2.0"], "The value '2.0' is invalid for '--spec <version>'."),
        (["diff", "Layouts/net.layout", "--to-spec", "1.2"], "give the first with --spec"),
        (["diff", "Layouts/net.layout", "--spec", "1.1", "--to-spec", "1.2", "--features", "MTU"], "it takes no --features"),
    ])
    func versionMistakes(arguments: [String], message: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64)
        #expect(result.unwrappedStderr.contains(message), "\(result.stderr)")
    }

    // MARK: - coverage and summary

    private var allLayouts: [String] {
        get throws {
            try FileManager.default.contentsOfDirectory(atPath: PackagePaths.root.appendingPathComponent("Layouts").path)
                .filter { $0.hasSuffix(".layout") }.sorted().map { "Layouts/" + $0 }
        }
    }

    @Test func coverageFindsQEMUsGaps() throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["coverage", "--format", "json"] + allLayouts,
                                        in: PackagePaths.root)
        #expect(result.status == 0, "\(result.stderr)")
        let reports = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]])
        let gaps = Dictionary(uniqueKeysWithValues: reports.compactMap { report -> (String, [String])? in
            guard let device = report["device"] as? String, let list = report["gaps"] as? [[String: Any]] else { return nil }
            return (device, list.compactMap { $0["name"] as? String })
        })
        #expect(gaps["blk"] == ["max_secure_erase_sectors", "max_secure_erase_seg", "secure_erase_sector_alignment"])
        #expect(gaps["net"] == ["supported_tunnel_types"])
        #expect(gaps["console"] == [])
    }

    @Test func everyLayoutChecksCleanAndSummarizes() throws {
        let check = try Subprocess.run(Subprocess.cfgspace, ["check"] + allLayouts, in: PackagePaths.root)
        #expect(check.status == 0)
        #expect(check.stderr.isEmpty, "\(check.stderr)")
        let summary = try Subprocess.run(Subprocess.cfgspace, ["summary", "--format", "json"] + allLayouts,
                                         in: PackagePaths.root)
        let rows = try #require(try JSONSerialization.jsonObject(with: Data(summary.stdout.utf8)) as? [[String: Any]])
        #expect(rows.count == PackagePaths.deviceLayouts.count)
        #expect(rows.first { $0["device"] as? String == "net" }?["fields_moving_when_packed"] as? Int == 8)
    }

    // MARK: - generate

    /// Generated/ is what the tool writes now; a stale file fails by name.
    @Test func generatedFolderIsFresh() throws {
        let output = try Tools.temporaryFolder("fresh")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try Subprocess.cfgspace("generate", "--target", "all", "--output", output.path)
        #expect(result.status == 0, "\(result.stderr)")
        let committed = PackagePaths.root.appendingPathComponent("Generated")
        let fresh = try Self.files(under: output)
        let existing = try Self.files(under: committed)
        let missing = fresh.keys.filter { existing[$0] == nil }.sorted()
        let extra = existing.keys.filter { fresh[$0] == nil }.sorted()
        let stale = fresh.keys.filter { existing[$0] != nil && existing[$0] != fresh[$0] }.sorted()
        #expect(missing.isEmpty && extra.isEmpty && stale.isEmpty, """
            Generated/ is stale; run `swift run cfgspace generate --target all --output Generated`.
            missing: \(missing.joined(separator: ", "))
            not generated any more: \(extra.joined(separator: ", "))
            different: \(stale.joined(separator: ", "))
            """)
    }

    /// A second run over its own output leaves every file alone (a build that depends on the
    /// folder rebuilds nothing); a file edited by hand is written back, and no temporary is left.
    @Test func generateLeavesUpToDateFilesAlone() throws {
        let output = try Tools.temporaryFolder("again")
        defer { try? FileManager.default.removeItem(at: output) }
        let first = try Subprocess.cfgspace("generate", "--target", "c", "--output", output.path)
        #expect(first.status == 0, "\(first.stderr)")
        let header = output.appendingPathComponent("c/net.h")
        let past = Date(timeIntervalSince1970: 1_000_000_000)
        try FileManager.default.setAttributes([.modificationDate: past], ofItemAtPath: header.path)
        let edited = output.appendingPathComponent("c/blk.h")
        try Data("edited\n".utf8).write(to: edited)

        let second = try Subprocess.cfgspace("generate", "--target", "c", "--output", output.path)
        #expect(second.status == 0, "\(second.stderr)")
        let count = try Self.files(under: output).count
        #expect(second.stdout.contains("wrote 1 of \(count) files"), "\(second.stdout)")
        let modified = try FileManager.default.attributesOfItem(atPath: header.path)[.modificationDate] as? Date
        #expect(modified == past)
        #expect(try String(contentsOf: edited, encoding: .utf8).hasPrefix("/* Generated by cfgspace"))
        #expect(try FileManager.default.contentsOfDirectory(atPath: output.appendingPathComponent("c").path)
            .allSatisfy { !$0.hasPrefix(".") })
    }

    /// An empty file, one of comments alone, and one naming a version no spec has get the same
    /// diagnostic, with its position, from every command that reads layouts; each fails with 1.
    @Test func filesWithNothingToLayOutFailAlikeEverywhere() throws {
        let folder = try Tools.temporaryFolder("nothing")
        defer { try? FileManager.default.removeItem(at: folder) }
        let inputs = [("empty.layout", "", "empty.layout:1:1: error: the file is empty"),
                      ("comments.layout", "// nothing here\n", "comments.layout:1:1: error: the file declares no device"),
                      ("version.layout", "device d = 1 {\n  feature A = 0 since 9.7\n  config c { x u8 if A }\n}\n",
                       "version.layout:2:23: error: 'since 9.7' names no virtio specification version; the versions are 1.0")]
        for (name, text, expected) in inputs {
            let path = folder.appendingPathComponent(name).path
            try text.write(toFile: path, atomically: true, encoding: .utf8)
            var errors: Set<String> = []
            for command in [["check"], ["table"], ["diff"], ["summary"], ["generate", "--output", folder.appendingPathComponent("out").path]] {
                let result = try Subprocess.run(Subprocess.cfgspace, [command[0], path] + command.dropFirst(), in: folder)
                #expect(result.status == 1, "\(command[0]) \(name): \(result.stdout)\(result.stderr)")
                #expect(result.unwrappedStderr.contains(expected), "\(command[0]) \(name): \(result.stderr)")
                errors.insert(result.stderr.components(separatedBy: "\n").first ?? "")
            }
            #expect(errors.count == 1, "\(name): \(errors)")
        }
    }

    @Test func generateRejectsBadInput() throws {
        let noOutput = try Subprocess.cfgspace("generate", "--target", "c")
        #expect(noOutput.status == 64)
        #expect(noOutput.stderr.contains("Missing expected argument '--output <directory>'."))
        let badTarget = try Subprocess.cfgspace("generate", "--target", "cobol", "--output", "/tmp/x")
        #expect(badTarget.status == 64)
        let missingFile = try Subprocess.cfgspace("generate", "Layouts/nope.layout", "--output", "/tmp/cfgspace-never")
        #expect(missingFile.status == 1)
        #expect(!FileManager.default.fileExists(atPath: "/tmp/cfgspace-never"))
    }

    /// Every file under a folder, by relative path, with its bytes.
    static func files(under root: URL) throws -> [String: Data] {
        var files: [String: Data] = [:]
        guard let enumerator = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            return files
        }
        for case let url as URL in enumerator where (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true {
            let relative = String(url.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            files[relative] = try Data(contentsOf: url)
        }
        return files
    }

    // MARK: - check

    @Test func checkIsCleanOnTheShippedLayouts() throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["check", "Layouts/net.layout", "Layouts/transport.layout"],
                                        in: PackagePaths.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stderr.isEmpty)
        #expect(result.stdout.contains("Layouts/net.layout: net (ID 1):"))
    }

    @Test func checkReportsEveryErrorAndFails() throws {
        let path = "Tests/ConfigLayoutTests/Fixtures/multipleErrors.layout"
        let result = try Subprocess.cfgspace("check", path)
        #expect(result.status == 1)
        #expect(result.stderr.contains("\(path):4:11: error: duplicate feature name 'MTU'"))
        #expect(result.stderr.contains("    |           ^^^"))
        #expect(result.stderr.contains("6 errors generated."))
        #expect(result.stdout.isEmpty)
    }

    @Test func warningsAloneDoNotFail() throws {
        let result = try Subprocess.cfgspace("check", "Tests/ConfigLayoutTests/Fixtures/diagnostics/misalignedField.layout")
        #expect(result.status == 0)
        #expect(result.stderr.contains("2 warnings generated."))
    }

    @Test func aMissingFileFails() throws {
        let result = try Subprocess.cfgspace("check", "Layouts/nope.layout")
        #expect(result.status == 1)
        #expect(result.stderr.contains("cannot read 'Layouts/nope.layout': no such file"))
        let table = try Subprocess.cfgspace("table", "Layouts")
        #expect(table.status == 1)
        #expect(table.stderr.contains("it is a directory"))
    }

    @Test func theTransportHasNoDeviceToShow() throws {
        let result = try Subprocess.cfgspace("table", "Layouts/transport.layout")
        #expect(result.status == 1)
        #expect(result.stderr.contains("declares no device"))
    }

    // MARK: - usage errors

    @Test(arguments: [
        (["table", "Layouts/net.layout", "--featurs", "MTU"], "Unknown option '--featurs'. Did you mean '--features'?"),
        (["table", "Layouts/net.layout", "--interpretation", "loose"],
         "The value 'loose' is invalid for '--interpretation <interpretation>'. Please provide one of 'fixed', 'packed'."),
        (["table", "Layouts/net.layout", "--features", "MTUU"], "Did you mean 'MTU'?"),
        (["table", "Layouts/net.layout", "--features", "99"], "bit 99 is not a feature of net or the transport"),
        (["table"], "Missing expected argument '<file>'."),
        (["table", "Layouts/net.layout", "--features"], "Missing value for '--features <features>'."),
        (["table", "a", "b"], "Unexpected argument 'b'."),
        (["tabel"], "Unknown subcommand 'tabel'. Did you mean 'table'?"),
        (["diff", "Layouts/net.layout", "--to", "packed", "--to", "fixed"], "'--to' is given more than once"),
        (["diff", "Layouts/net.layout", "--ignore-requires=yes"], "The flag '--ignore-requires' does not take a value."),
        (["help", "nope"], "Unknown subcommand 'nope'."),
        ([], "USAGE: cfgspace <subcommand>"),
    ])
    func usageErrors(arguments: [String], message: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64)
        #expect(result.unwrappedStderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }

    @Test func usageErrorsSayWhatToTypeInstead() throws {
        let result = try Subprocess.cfgspace("table", "Layouts/net.layout", "--featurs", "MTU")
        #expect(result.stderr.contains("Usage: cfgspace table <file>"))
        #expect(result.stderr.contains("See 'cfgspace table --help' for more information."))
    }

    // MARK: - help

    @Test(arguments: [
        ("root", ["--help"]), ("check", ["help", "check"]), ("table", ["table", "--help"]), ("diff", ["diff", "-h"]),
        ("simulate", ["simulate", "--help"]),
    ])
    func help(name: String, arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 0)
        let mismatch = Golden.mismatch(result.stdout, goldenAt: goldenDirectory.appendingPathComponent("help-\(name).txt"))
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func version() throws {
        let result = try Subprocess.cfgspace("--version")
        #expect(result.status == 0)
        #expect(result.stdout.hasPrefix("cfgspace "))
    }
}
