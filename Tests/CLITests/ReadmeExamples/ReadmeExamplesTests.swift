import Foundation
import Testing
import TestSupport
import VirtioHost

/// Every example in the README is run, and its output held against what the README shows.
/// `CFGSPACE_UPDATE_GOLDEN=1` rewrites the README's outputs from the real ones, as it does the
/// goldens; a `...` line stays where it was.
@Suite(.serialized) struct ReadmeExamplesTests {
    static let readme = PackagePaths.root.appendingPathComponent("README.md")
    static let examples = ReadmeExamples.parse((try? String(contentsOf: readme, encoding: .utf8)) ?? "")

    static func needing(_ need: ReadmeExample.Need) -> [ReadmeExample] { examples.filter { $0.need == need } }

    private static func has(_ tools: String...) -> Bool { tools.allSatisfy { Tools.find($0) != nil } }
    static var hasQEMU: Bool { has("qemu-system-x86_64") }
    static var hasGuest: Bool { has("qemu-system-x86_64", "qemu-storage-daemon", "cpio") }
    static var hasVDPAGuest: Bool { has("qemu-system-x86_64", "dpdk-testpmd", "make", "gcc-12", "cpio") }
    static var hasStorageDaemon: Bool { has("qemu-storage-daemon") }

    /// Written by one example at a time, each re-reading the README the one before left.
    private static let writing = NSLock()

    @Test func theReadmeHasExamplesOfEveryKind() {
        #expect(Self.examples.count >= 15, "found \(Self.examples.count) examples")
        for need in ReadmeExample.Need.allCases {
            #expect(!Self.needing(need).isEmpty, "no example needs \(need.rawValue): is its comment mistyped?")
        }
        // A comment that looks like a directive but names nothing known would be read as "needs
        // nothing"; say so instead.
        let text = (try? String(contentsOf: Self.readme, encoding: .utf8)) ?? ""
        for line in text.components(separatedBy: "\n") where line.hasPrefix("<!-- example") {
            #expect(ReadmeExamples.directive(line) != nil, "a comment that says nothing known: \(line)")
        }
    }

    @Test(arguments: needing(.nothing))
    func runsAsShown(_ example: ReadmeExample) throws {
        try check(example)
    }

    @Test(.enabled(if: hasQEMU || Tools.areRequired, "needs qemu-system-x86_64"), arguments: needing(.qemu))
    func runsAsShownAgainstQEMU(_ example: ReadmeExample) throws {
        try check(example)
    }

    @Test(.enabled(if: hasStorageDaemon || Tools.areRequired, "needs qemu-storage-daemon"),
          arguments: needing(.storageDaemon))
    func runsAsShownAgainstTheStorageDaemon(_ example: ReadmeExample) throws {
        let daemon = try StorageDaemon(.init(size: 1 << 30))
        defer { daemon.stop() }
        let placeholder = try #require(example.placeholder, "the directive names no socket path")
        try check(example, replacing: placeholder, with: daemon.socketPath)
    }

    @Test(.enabled(if: hasGuest || Tools.areRequired, "needs QEMU, qemu-storage-daemon and cpio to boot the guest"),
          arguments: needing(.guest))
    func runsAsShownInAGuest(_ example: ReadmeExample) throws {
        try check(example)
    }

    @Test(.enabled(if: hasVDPAGuest || Tools.areRequired, "needs QEMU, make, gcc-12 and DPDK's testpmd for the vDPA guest"),
          arguments: needing(.vdpaGuest))
    func runsAsShownInTheVDPAGuest(_ example: ReadmeExample) throws {
        try check(example)
    }

    /// Runs the example's command with the built cfgspace from the package root, both streams as a
    /// terminal shows them, and holds the output against the block (or rewrites the block).
    private func check(_ example: ReadmeExample, replacing placeholder: String? = nil, with real: String = "") throws {
        var words = example.words
        try #require(words.first == "cfgspace", "\(example.testDescription): only cfgspace commands are examples")
        words.removeFirst()
        if let placeholder { words = words.map { $0.replacingOccurrences(of: placeholder, with: real) } }
        var environment = ProcessInfo.processInfo.environment
        environment["NO_COLOR"] = "1"
        environment["CFGSPACE_GUEST_CACHE"] = environment["CFGSPACE_GUEST_CACHE"]
            ?? PackagePaths.root.appendingPathComponent(".cache/guest").path
        let result = try Subprocess.run(Subprocess.cfgspace, words.flatMap(Self.expand), in: PackagePaths.root,
                                        environment: environment, timeout: .seconds(900), merged: true)
        #expect(!result.endedBySignal && !result.timedOut, "\(example.testDescription): ended by a signal\n\(result.stdout)")
        #expect(result.status == example.status,
                "\(example.testDescription): exit \(result.status), the README says \(example.status)\n\(result.stdout)")
        var output = result.stdout
        if let placeholder { output = output.replacingOccurrences(of: real, with: placeholder) }
        let match = ExampleMatch(shown: example.expected, output: output)
        if Golden.isUpdating {
            try Self.writing.withLock {
                let text = try String(contentsOf: Self.readme, encoding: .utf8)
                let updated = try #require(ReadmeExamples.replacing(output: match.rewritten, ofExample: example.ordinal, in: text))
                try updated.write(to: Self.readme, atomically: true, encoding: .utf8)
            }
            return
        }
        if let mismatch = match.mismatch {
            Issue.record("\(example.testDescription) (CFGSPACE_UPDATE_GOLDEN=1 rewrites it):\n\(mismatch)")
        }
    }

    /// A word with `*` in its last path component stands for the files it matches, sorted, as a
    /// shell expands it.
    private static func expand(_ word: String) -> [String] {
        guard word.contains("*") else { return [word] }
        let url = URL(fileURLWithPath: word, relativeTo: PackagePaths.root)
        let folder = url.deletingLastPathComponent()
        let pattern = url.lastPathComponent
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        let prefix = word.range(of: "/", options: .backwards).map { String(word[..<$0.upperBound]) } ?? ""
        let matches = names.filter { fnmatch(pattern, $0, 0) == 0 }.sorted().map { prefix + $0 }
        return matches.isEmpty ? [word] : matches
    }
}
