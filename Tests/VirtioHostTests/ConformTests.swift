import Foundation
import Testing
import TestSupport
import ConfigLayout
@testable import VirtioHost

/// `cfgspace conform` with gcc and rustc as witnesses: fixtures written from scratch for each kind
/// of bug real code has had, and the generated C and Rust, which must conform to their own layouts.
@Suite(.enabled(if: (Tools.find("gcc") != nil && Tools.find("rustc") != nil) || Tools.areRequired,
                "needs gcc and rustc (.ci/run installs them)"))
struct ConformTests {
    static let fixtures = PackagePaths.root.appendingPathComponent("Tests/VirtioHostTests/Fixtures/conform")

    private func check(_ file: String, _ structName: String, device name: String = "blk",
                       language: ConformProbe.Language = .c) throws -> ConformResult {
        let builtin = try #require(BuiltinLayouts.file(name))
        let device = try #require(LayoutLoader().load(SourceFile(path: builtin.path, bytes: builtin.bytes)).devices.first).asOf(nil)
        let path = file.hasPrefix("/") ? file : Self.fixtures.appendingPathComponent(file).path
        let measured = try ConformProbe.measure(file: path, structName: structName, language: language)
        return ConformCheck.compare(measured, with: device, spec: "1.4", language: language)
    }

    private func has(_ result: ConformResult, _ kind: ConformResult.Kind, _ field: String) -> Bool {
        result.findings.contains { $0.kind == kind && $0.field == field }
    }

    /// num_queues declared 32-bit: the report names num_queues as resized and the first field it
    /// pushes, max_discard_sectors, 2 bytes late with everything after it.
    @Test(arguments: [("blk-wide-num-queues.h", "my_blk_config", ConformProbe.Language.c),
                      ("blk_wide_num_queues.rs", "VirtioBlockConfig", .rust)])
    func aWideNumQueuesShiftsEverythingAfterIt(file: String, structName: String, language: ConformProbe.Language) throws {
        let result = try check(file, structName, language: language)
        #expect(!result.agrees)
        #expect(has(result, .resized, "num_queues"))
        let shift = try #require(result.firstShift)
        #expect(shift.field == "max_discard_sectors")
        #expect(shift.by == 2)
        #expect(shift.following == 6)
        #expect(shift.cause?.hasPrefix("num_queues is 4 bytes") == true, "\(shift.cause ?? "no cause")")
        let resized = try #require(result.findings.first { $0.kind == .resized })
        #expect(resized.line == (language == .c ? 23 : 32), "the finding points at the declaration")
    }

    /// num_queues at 36 instead of 34, behind a reserved field three bytes wide.
    @Test(arguments: [("blk-num-queues-at-36.h", "blk_config_v2", ConformProbe.Language.c),
                      ("blk_num_queues_at_36.rs", "BlkConfig", .rust)])
    func numQueuesAtThirtySixIsMoved(file: String, structName: String, language: ConformProbe.Language) throws {
        let result = try check(file, structName, language: language)
        #expect(result.findings.contains { $0.signature == "moved blk.num_queues spec=34 theirs=36" })
        #expect(has(result, .resized, "unused0"))
        let shift = try #require(result.firstShift)
        #expect(shift.field == "num_queues")
        #expect(shift.cause?.hasPrefix("unused0 is 3 bytes") == true)
        // Little-endian wrappers match the spec's virtio fields in Rust; C says __le16 and means it.
        #expect(has(result, .byteOrder, "capacity") == (language == .c))
    }

    /// Zoned characteristics in the guest's order and too early, as Linux first declared them.
    @Test func zonedFieldsOutOfOrderAndPlace() throws {
        let result = try check("blk-zoned-virtio.h", "virtio_blk_config")
        #expect(result.findings.contains { $0.signature == "byte-order blk.zoned.zone_sectors spec=le32 theirs=virtio32" })
        #expect(result.firstShift?.field == "zoned.zone_sectors")
        #expect(result.firstShift?.by == -12)
        #expect(has(result, .missing, "max_secure_erase_sectors"))
    }

    /// A Rust struct with a wrong integer type is caught by rustc's own measurements.
    @Test func rawRustIntegersAreNotLittleEndian() throws {
        let result = try check("blk_wide_num_queues.rs", "VirtioBlockConfig", language: .rust)
        #expect(result.findings.contains { $0.signature == "byte-order blk.capacity spec=virtio64 theirs=u64" })
    }

    /// The generated C headers and Rust modules conform to the layouts they came from.
    @Test(arguments: PackagePaths.deviceLayouts.map { String($0.dropLast(".layout".count)) })
    func generatedCodeConforms(device name: String) throws {
        let c = PackagePaths.root.appendingPathComponent("Generated/c/\(name).h").path
        guard (try String(contentsOfFile: c, encoding: .utf8)).contains("struct cfgspace_\(name)_config {") else { return }
        let fromC = try check(c, "cfgspace_\(name)_config", device: name)
        #expect(fromC.agrees, "C: \(fromC.findings.map(\.signature))")

        let rust = PackagePaths.root.appendingPathComponent("Generated/rust/\(name).rs").path
        let text = try String(contentsOfFile: rust, encoding: .utf8)
        // "/// Size of [`VirtioBlkConfig`] in bytes." names the config struct.
        let marker = try #require(text.range(of: "/// Size of [`"))
        let structName = String(text[marker.upperBound...].prefix { $0 != "`" })
        let fromRust = try check(rust, structName, device: name, language: .rust)
        #expect(fromRust.agrees, "Rust: \(fromRust.findings.map(\.signature))")
        #expect(fromRust.measured.size == fromC.measured.size)
    }

    @Test func anUnknownStructGetsADidYouMean() throws {
        #expect {
            _ = try ConformProbe.measure(file: Self.fixtures.appendingPathComponent("blk-num-queues-at-36.h").path,
                                         structName: "blk_config_2", language: .c)
        } throws: { error in
            (error as? ConformProbe.Failure)?.description.contains("Did you mean 'blk_config_v2'?") == true
        }
    }

    /// A file that does not compile: the compiler's own words, about the user's own file.
    @Test(arguments: [("broken.h", "struct broken { __u16 a; unknown_t b; };\n", ConformProbe.Language.c),
                      ("broken.rs", "pub struct Broken {\n    pub a: u16,\n    pub b: Unknown,\n}\n", .rust)])
    func compilerErrorsPointAtTheUsersFile(name: String, text: String, language: ConformProbe.Language) throws {
        let folder = try Tools.temporaryFolder("conform-broken")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent(name).path
        try ("#include <linux/types.h>\n" .filter { _ in language == .c } + text).write(toFile: file, atomically: true, encoding: .utf8)
        #expect {
            _ = try ConformProbe.measure(file: file, structName: language == .c ? "broken" : "Broken", language: language)
        } throws: { error in
            guard case .compiler(let words)? = error as? ConformProbe.Failure else { return false }
            return words.contains(file) && (words.contains("unknown_t") || words.contains("Unknown"))
        }
    }
}
