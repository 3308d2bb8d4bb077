import Foundation
import Testing
import TestSupport

/// `cfgspace conform` through the built executable: exit statuses (0 conforms, 1 differs, 2 cannot
/// be measured, 64 mistyped), file:line findings, the C options, JSON and its error object.
@Suite(.enabled(if: (Tools.find("gcc") != nil && Tools.find("rustc") != nil) || Tools.areRequired, "needs gcc and rustc"))
struct ConformCLITests {
    static let fixtures = "Tests/VirtioHostTests/Fixtures/conform"
    static let fixture = fixtures + "/blk-wide-num-queues.h"

    @Test func theGeneratedHeaderConforms() throws {
        let result = try Subprocess.cfgspace("conform", "Generated/c/net.h", "--struct", "virtio_net_config")
        #expect(result.status == 0, "\(result.stdout)\(result.stderr)")
        #expect(result.stdout.contains("The struct conforms to virtio 1.4"))
    }

    @Test func aDifferenceExitsOneWithTheCauseFirst() throws {
        let result = try Subprocess.cfgspace("conform", Self.fixture, "--struct", "my_blk_config", "--device", "blk", "--spec", "1.2")
        #expect(result.status == 1)
        // Findings wrap at 100 columns; the words are what matter.
        let words = result.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("\(Self.fixture):23: resized: num_queues is 4 bytes, spec 2: every field after it is 2 bytes late"))
        #expect(words.contains("\(Self.fixture):24: moved: max_discard_sectors at 38, spec 36"))
        #expect(words.contains("1 difference from virtio 1.2."))
        #expect(result.stdout.split(separator: "\n").allSatisfy { $0.count <= 100 }, "text fits 100 columns")
    }

    @Test func jsonCarriesTheShiftAndTheFoldedFindings() throws {
        let result = try Subprocess.cfgspace("conform", Self.fixture, "--struct", "my_blk_config", "--device", "blk", "--format", "json")
        #expect(result.status == 1)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let shift = try #require(document["first_shift"] as? [String: Any])
        #expect(shift["field"] as? String == "max_discard_sectors")
        #expect(shift["by"] as? Int == 2)
        #expect(document["verdict"] as? String == "differs")
        #expect(document["spec"] as? String == "1.2" && document["spec_chosen"] as? Bool == true)
        #expect(document["without"] as? [String] == ["SECURE_ERASE"])
        let findings = try #require(document["findings"] as? [[String: Any]])
        let cause = try #require(findings.first { $0["severity"] as? String == "difference" })
        #expect((cause["consequences"] as? [Any])?.count == 7)
    }

    /// A struct the compiler cannot measure exits 2, never 1, saying what is missing; JSON gets an
    /// error object.
    @Test func aCompilerFailureExitsTwoWithWhatIsMissing() throws {
        let folder = try Tools.temporaryFolder("conform-cli")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("bad.h").path
        try "struct virtio_blk_config { nosuchtype capacity; };\n".write(toFile: file, atomically: true, encoding: .utf8)
        let text = try Subprocess.cfgspace("conform", file, "--struct", "virtio_blk_config")
        #expect(text.status == 2)
        #expect(text.stderr.contains("\(file):1"), "\(text.stderr)")
        #expect(text.stderr.contains("missing: nosuchtype"))
        let json = try Subprocess.cfgspace("conform", file, "--struct", "virtio_blk_config", "--format", "json")
        #expect(json.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect(document["verdict"] as? String == "unmeasurable")
        let error = try #require(document["error"] as? [String: Any])
        #expect(error["kind"] as? String == "compiler")
        #expect(error["missing"] as? [String] == ["nosuchtype"])
    }

    /// -I, -D and -include, spelled as gcc takes them, glued or not.
    @Test func theCompilersOwnOptionsReachIt() throws {
        let header = Self.fixtures + "/dpdk-style/drivers/virtio/virtio_net.h"
        let lib = Self.fixtures + "/dpdk-style/lib"
        let found = try Subprocess.cfgspace("conform", header, "--struct", "virtio_net_config", "-I", lib + "/net",
                                            "-I\(lib)/eal", "--header-dir", Self.fixtures + "/dpdk-style/config")
        #expect(found.status == 0, "\(found.stdout)\(found.stderr)")
        #expect(found.stdout.contains("1.2 with every feature of net"))
        let macro = try Subprocess.cfgspace("conform", Self.fixtures + "/unknown-packing-macro.h", "--struct", "virtio_blk_config",
                                            "-DMYDEV_PACKED=__attribute__((packed))")
        #expect(macro.stdout.contains("size      36 bytes"), "\(macro.stdout)")
        let prelude = try Subprocess.cfgspace("conform", Self.fixtures + "/needs-prelude.h", "--struct", "console_config",
                                              "--device", "console", "-include", Self.fixtures + "/prelude.h", "--modern")
        #expect(prelude.status == 0, "\(prelude.stdout)\(prelude.stderr)")
    }

    /// --features: a config short of what the offered features need differs; short of only what
    /// they do not need, it conforms.
    @Test func featuresDecideWhatIsComplete() throws {
        let file = Self.fixtures + "/tinyvmm/src/devices/block.rs"
        let short = try Subprocess.cfgspace("conform", file, "--struct", "BlockConfigSpace", "--device", "blk",
                                            "--features", "FLUSH,RO", "--modern", "--format", "json")
        #expect(short.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(short.stdout.utf8)) as? [String: Any])
        let findings = try #require(document["findings"] as? [[String: Any]])
        #expect(findings.contains { $0["message"] as? String == "ends at byte 8, before size_max (needs SIZE_MAX)" })
        #expect(document["features"] as? [String] == ["RO", "FLUSH"])
        let more = try Subprocess.cfgspace("conform", file, "--struct", "BlockConfigSpace", "--device", "blk",
                                           "--features", "FLUSH,RO,SIZE_MAX", "--modern")
        #expect(more.status == 1)
    }

    /// Byte order that cannot be read is not conforming: exit 2, with the report.
    @Test func anUnreadableByteOrderExitsTwo() throws {
        let result = try Subprocess.cfgspace("conform", Self.fixtures + "/byte_orders.rs", "--struct", "WrappingConsole",
                                             "--device", "console")
        #expect(result.status == 2)
        #expect(result.stdout.contains("Cannot say"))
    }

    @Test(arguments: [
        ["conform", "Generated/c/net.h"],
        ["conform", "Generated/c/net.h", "--struct", "my_struct"],
        ["conform", "notes.txt", "--struct", "virtio_net_config"],
        ["conform", "Generated/c/net.h", "--struct", "virtio_net_config", "--lang", "go"],
        ["conform", "Generated/c/net.h", "--struct", "virtio_net_config", "--map", "mtu"],
        ["conform", "Generated/c/net.h", "--struct", "virtio_net_config", "--map", "x=mtuu"],
        ["conform", "Generated/c/net.h", "--struct", "virtio_net_config", "--map", "nosuch=mtu"],
        ["conform", "Generated/c/net.h", "--struct", "virtio_net_config", "--spec", "9.7"],
        ["conform", "Generated/c/net.h", "--struct", "virtio_net_config", "--features", "NOSUCH"],
        ["conform", "Generated/c/blk.h", "--struct", "virtio_blk_config", "--features", "SECURE_ERASE", "--spec", "1.1"],
        ["conform", "Generated/c/net.h", "--struct", "virtio_net_confg", "--device", "net"],
        ["conform", "Tests/VirtioHostTests/Fixtures/conform/nested_modules.rs", "--struct", "virtio_console_config"],
    ])
    func mistakesAreUsageErrors(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == 64, "\(arguments): \(result.stderr)")
    }

    @Test func anUnknownMapMemberGetsADidYouMean() throws {
        let result = try Subprocess.cfgspace("conform", "Generated/c/net.h", "--struct", "virtio_net_config", "--map", "mtuu=mtu")
        #expect(result.status == 64)
        #expect(result.unwrappedStderr.contains("has no member 'mtuu'. Did you mean 'mtu'?"), "\(result.stderr)")
    }

    @Test func anUnknownStructIsRejectedWithASuggestion() throws {
        let result = try Subprocess.cfgspace("conform", "Generated/c/net.h", "--struct", "virtio_net_confg", "--device", "net")
        #expect(result.status == 64)
        #expect(result.unwrappedStderr.contains("Did you mean 'virtio_net_config'?"), "\(result.stderr)")
    }
}
