import Foundation
import Testing
import TestSupport

/// A spec editor's proposal is a layout edit: `diff OLD NEW` gives it the verdicts of a version
/// comparison, `since next` keeps a proposed field out of every published version, and `--strict`
/// turns a breaking verdict into a failing exit for scripts.
@Suite struct ProposalDiffCLITests {
    /// A copy of a built-in layout with `line` inserted before the config's closing brace.
    private func proposal(_ name: String, adding line: String, in folder: URL) throws -> (old: String, new: String) {
        let text = try String(contentsOf: PackagePaths.layout("\(name).layout"), encoding: .utf8)
        guard let close = text.range(of: "  }\n}", options: .backwards) else { throw TestFailure("no config in \(name)") }
        let old = folder.appendingPathComponent("\(name).layout"), new = folder.appendingPathComponent("\(name)-proposal.layout")
        try text.write(to: old, atomically: true, encoding: .utf8)
        try (text[..<close.lowerBound] + line + "\n" + text[close.lowerBound...]).write(to: new, atomically: true, encoding: .utf8)
        return (old.path, new.path)
    }

    @Test func aFieldAppendedUnderANewFeatureIsCompatibleAndSaysWhy() throws {
        let folder = try Tools.temporaryFolder("proposal")
        defer { try? FileManager.default.removeItem(at: folder) }
        var files = try proposal("console", adding: "    proposed  le32  if SIZE  since next", in: folder)
        var result = try Subprocess.run(Subprocess.cfgspace, ["diff", files.old, files.new, "--strict"])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("console (ID 3): Console device: console.layout → console-proposal.layout"))
        #expect(result.stdout.contains("verdict  compatible; 0 in reserved bytes, 1 at the tail"))
        #expect(result.stdout.contains("new at 12..15, past the console.layout end (12)"))

        // The same field over max_nr_ports' bytes is breaking, and --strict says so with exit 1.
        let text = try String(contentsOfFile: files.new, encoding: .utf8)
            .replacingOccurrences(of: "    max_nr_ports", with: "    proposed_first  le32  if SIZE  since next\n    max_nr_ports")
            .replacingOccurrences(of: "    proposed  le32  if SIZE  since next\n", with: "")
        try text.write(toFile: files.new, atomically: true, encoding: .utf8)
        result = try Subprocess.run(Subprocess.cfgspace, ["diff", files.old, files.new, "--strict", "--format", "json"])
        #expect(result.status == 1)
        #expect(result.stderr.contains("--strict: "), "\(result.stderr)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        #expect(object["breaking"] as? Bool == true)
        #expect(object["from"] as? String == "console.layout")

        // A field under a feature the old layout lacks, past every field, names the feature.
        files = try proposal("vsock", adding: "    proposed  le32  if NEWBIT  since next", in: folder)
        let withFeature = try String(contentsOfFile: files.new, encoding: .utf8)
            .replacingOccurrences(of: "  config ", with: "  feature NEWBIT = 3 since next\n\n  config ")
        try withFeature.write(toFile: files.new, atomically: true, encoding: .utf8)
        result = try Subprocess.run(Subprocess.cfgspace, ["diff", files.old, files.new, "--format", "json"])
        #expect(result.status == 0, "\(result.stderr)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let changes = try #require(json["changes"] as? [[String: Any]])
        #expect(changes.count == 1)
        #expect((changes.first?["reason"] as? String)?.hasSuffix("only under NEWBIT, which no vsock.layout driver negotiates") == true,
                "\(changes)")
        #expect(json["features_added"] as? [String] == ["NEWBIT"])
    }

    @Test func sinceNextStaysOutOfEveryPublishedVersion() throws {
        let folder = try Tools.temporaryFolder("next")
        defer { try? FileManager.default.removeItem(at: folder) }
        let files = try proposal("console", adding: "    proposed  le32  if SIZE  since next", in: folder)
        let newest = try Subprocess.run(Subprocess.cfgspace, ["table", files.new])
        #expect(newest.status == 0)
        #expect(!newest.stdout.contains("proposed"))
        let next = try Subprocess.run(Subprocess.cfgspace, ["table", files.new, "--spec", "next"])
        #expect(next.status == 0, "\(next.stderr)")
        #expect(next.stdout.contains("proposed"))
        let versions = try Subprocess.run(Subprocess.cfgspace, ["diff", files.new, "--spec", "1.4", "--to-spec", "next"])
        #expect(versions.stdout.contains("virtio 1.4 → next"), "\(versions.stdout)")
    }

    @Test(arguments: [
        (["diff", "Layouts/net.layout", "Layouts/blk.layout"], "diff OLD NEW compares two layouts of the same device"),
        (["diff", "Layouts/net.layout", "Layouts/net.layout", "--to-spec", "1.2"], "--to-spec does not apply to two files"),
        (["diff", "Layouts/net.layout", "Layouts/net.layout", "--features", "MTU"], "--features does not apply to two files"),
    ] as [([String], String)])
    func misusesAreUsageErrors(arguments: [String], message: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64)
        #expect(result.unwrappedStderr.contains(message), "\(result.stderr)")
    }

    @Test func strictFailsWhenInterpretationsPlaceAFieldDifferently() throws {
        let moving = try Subprocess.run(Subprocess.cfgspace, ["diff", "net", "--strict"])
        #expect(moving.status == 1)
        #expect(moving.stderr.contains("move between fixed and packed"))
        let still = try Subprocess.run(Subprocess.cfgspace, ["diff", "scsi", "--strict"])
        #expect(still.status == 0, "\(still.stderr)")
        let oneSet = try Subprocess.run(Subprocess.cfgspace, ["diff", "net", "--features", "MAC,STATUS", "--strict"])
        #expect(oneSet.status == 0, "\(oneSet.stderr)")
    }
}
