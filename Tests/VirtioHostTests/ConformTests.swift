import Foundation
import Testing
import TestSupport
import ConfigLayout
@testable import VirtioHost

/// `cfgspace conform` with gcc and rustc as witnesses: fixtures written from scratch for each kind
/// of bug real code has had and each idiom it is written in, and the generated C and Rust, which
/// must conform to their own layouts.
@Suite(.enabled(if: ConformFixture.compilersAreHere, "needs gcc and rustc (.ci/run installs them)"))
struct ConformTests {
    /// num_queues declared 32-bit: one finding, the wrong width, with the seven fields it pushes 2
    /// bytes late folded under it; no byte-order finding for a member of the wrong width.
    @Test(arguments: [("blk-wide-num-queues.h", "my_blk_config", 23), ("blk_wide_num_queues.rs", "VirtioBlockConfig", 32)])
    func aWideNumQueuesIsOneCauseWithItsConsequences(file: String, structName: String, line: Int) throws {
        let result = try ConformFixture.check(file, structName, device: "blk")
        #expect(result.verdict == .differs)
        let differences = result.differences.filter { $0.kind != .byteOrder }
        #expect(differences.count == 1, "\(differences.map(\.message))")
        let cause = try #require(differences.first)
        #expect(cause.kind == .resized && cause.field == "num_queues")
        #expect(cause.line == line, "the finding points at the declaration")
        #expect(cause.message == "num_queues is 4 bytes, spec 2: every field after it is 2 bytes late", "\(cause.message)")
        #expect(cause.consequences.count == 7)
        #expect(cause.consequences.allSatisfy { $0.kind == .moved })
        #expect(cause.consequences.first?.signature == "moved blk.max_discard_sectors spec=36 theirs=38")
        #expect(!result.has(.byteOrder, "num_queues"), "a wrong width is a size finding, not a byte-order one")
        let shift = try #require(result.firstShift)
        #expect(shift.field == "max_discard_sectors" && shift.by == 2 && shift.following == 6)
    }

    /// num_queues at 36 behind a reserved field three bytes wide: the wide reserved field is the cause.
    /// Little-endian types where the spec says virtio-endian are a difference in C and in Rust alike,
    /// unless the device is modern-only.
    @Test(arguments: ["blk-num-queues-at-36.h", "blk_num_queues_at_36.rs"])
    func numQueuesAtThirtySixIsMovedByTheWideReservedField(file: String) throws {
        let structName = file.hasSuffix(".rs") ? "BlkConfig" : "blk_config_v2"
        let result = try ConformFixture.check(file, structName, device: "blk", spec: SpecVersion("1.2"))
        let cause = try #require(result.findings.first { $0.kind == .resized && $0.field == "unused0" })
        #expect(cause.consequences.contains { $0.signature == "moved blk.num_queues spec=34 theirs=36" })
        #expect(result.has(.byteOrder, "capacity", severity: .difference))
        let modern = try ConformFixture.check(file, structName, device: "blk", spec: SpecVersion("1.2"), modern: true)
        #expect(!modern.has(.byteOrder, "capacity"))
        #expect(modern.verdict == .differs, "the move is still there")
    }

    /// Zoned characteristics where the secure-erase fields belong, in the guest's order: the three
    /// missing fields are the cause of the shift; virtio32 for a field legacy devices never serve is
    /// the same bytes as le32, so a note.
    @Test func zonedFieldsTooEarlyAreExplainedByTheFieldsLeftOut() throws {
        let result = try ConformFixture.check("blk-zoned-virtio.h", "virtio_blk_config", device: "blk")
        let cause = try #require(result.differences.first { $0.kind == .missing })
        #expect(cause.message.hasPrefix("max_secure_erase_sectors, max_secure_erase_seg and secure_erase_sector_alignment are "
                                        + "not declared: every field from zoned.zone_sectors on is 12 bytes early"), "\(cause.message)")
        #expect(result.firstShift?.field == "zoned.zone_sectors" && result.firstShift?.by == -12)
        #expect(result.has(.byteOrder, "zoned.zone_sectors", severity: .note))
        #expect(!result.has(.byteOrder, "zoned.zone_sectors", severity: .difference))
    }

    /// Linux's UAPI shape between multiqueue and secure erase fits no version whole: the closest is
    /// 1.2 without SECURE_ERASE, and it conforms for such a device, its names and flattened topology
    /// notes.
    @Test func theLinuxShapedBlockConfigGetsItsClosestFit() throws {
        let result = try ConformFixture.check("linux-blk-6.0.h", "virtio_blk_config", device: "blk")
        #expect(result.verdict == .conforms, "\(result.differences.map(\.message))")
        #expect(result.specWasChosen && result.specVersion == SpecVersion("1.2"))
        #expect(result.without == ["SECURE_ERASE"])
        #expect(result.findings.contains { $0.signature == "renamed blk.writeback theirs=wce" })
        #expect(result.findings.contains { $0.kind == .ends && $0.message == "ends at byte 60, before max_secure_erase_sectors (needs SECURE_ERASE)" })
    }

    /// QEMU_PACKED, which only the emulator's own headers define, means packed: through the whole
    /// header with -I, and through an extract without it.
    @Test func aQemuStyleHeaderIsPackedWithOrWithoutItsIncludePath() throws {
        let header = "qemu-style/include/standard-headers/linux/virtio_blk.h"
        let include = ConformFixture.path("qemu-style/include")
        let whole = try ConformFixture.measure(header, "virtio_blk_config", options: .init(includePaths: [include]))
        #expect(whole.size == 36, "packed: 36 bytes, not the 40 of an unpacked struct")
        #expect(whole.notes.contains { $0.kind == .predefined && $0.message.hasPrefix("QEMU_PACKED") })
        #expect(!whole.notes.contains { $0.kind == .extract })
        let extracted = try ConformFixture.measure(header, "virtio_blk_config")
        #expect(extracted.size == 36)
        let note = try #require(extracted.notes.first { $0.kind == .extract })
        #expect(note.message.contains("standard-headers/linux/types.h: No such file"))
        let result = ConformCheck.check(extracted, with: try ConformFixture.device("blk"))
        #expect(result.verdict == .conforms)
        #expect(result.without == ["DISCARD", "WRITE_ZEROES", "SECURE_ERASE"])
    }

    /// A struct closed by a macro nothing defines is measured unpacked, with a warning saying what to
    /// define; defined with -D, it is packed.
    @Test func anUndefinedPackingMacroIsWarnedAbout() throws {
        let plain = try ConformFixture.measure("unknown-packing-macro.h", "virtio_blk_config")
        #expect(plain.size == 40)
        let warning = try #require(plain.notes.first { $0.kind == .undefinedMacro })
        #expect(warning.isWarning && warning.message.contains("-D 'MYDEV_PACKED=__attribute__((packed))'"))
        let defined = try ConformFixture.measure("unknown-packing-macro.h", "virtio_blk_config",
                                                 options: .init(defines: ["MYDEV_PACKED=__attribute__((packed))"]))
        #expect(defined.size == 36)
        #expect(!defined.notes.contains { $0.kind == .undefinedMacro })
    }

    /// `struct __rte_packed_begin name {` is found; a header whose generated config is absent is
    /// measured from an extract holding the length macro from the -I folder.
    @Test func aDpdkStyleHeaderIsMeasuredFromAnExtract() throws {
        let header = "dpdk-style/drivers/virtio/virtio_net.h"
        let folders = ["dpdk-style/lib/net", "dpdk-style/lib/eal", "dpdk-style/config"].map(ConformFixture.path)
        let result = try ConformFixture.check(header, "virtio_net_config", device: "net", options: .init(includePaths: folders))
        #expect(result.measured.size == 24)
        let note = try #require(result.note(.extract))
        #expect(note.message.contains("generated_build_config.h") && note.message.contains("NET_ETHER_ADDR_LEN"))
        #expect(result.verdict == .conforms && result.specVersion == SpecVersion("1.2"))
        #expect(result.findings.contains { $0.signature == "byte-order net plain count=6" })
        #expect {
            _ = try ConformFixture.measure(header, "virtio_net_config")
        } throws: { error in
            (error as? ConformProbe.Failure)?.missing.contains("header net_ether.h") == true
        }
    }

    /// gcc's -include: the project's types from a header included first.
    @Test func aForcedIncludeSuppliesTheTypes() throws {
        let prelude = ConformFixture.path("prelude.h")
        let result = try ConformFixture.check("needs-prelude.h", "console_config", device: "console", modern: true,
                                              options: .init(forcedIncludes: [prelude]))
        #expect(result.verdict == .conforms, "\(result.differences.map(\.message))")
        #expect(result.measured.members.map(\.member.kind) == ["le16", "le16", "le32", "le32"])
        #expect {
            _ = try ConformFixture.measure("needs-prelude.h", "console_config")
        } throws: { error in
            (error as? ConformProbe.Failure)?.missing == ["le16_t", "le32_t"]
        }
    }

    /// The generated C headers and Rust modules conform to the layouts they came from. The Rust
    /// wraps every field little-endian: right for a modern-only device.
    @Test(arguments: PackagePaths.deviceLayouts.map { String($0.dropLast(".layout".count)) })
    func generatedCodeConforms(device name: String) throws {
        let c = PackagePaths.root.appendingPathComponent("Generated/c/\(name).h").path
        // "/* The configuration space, every field at its fixed (C) offset. */\nstruct virtio_net_config {"
        let header = try String(contentsOfFile: c, encoding: .utf8)
        guard let opening = header.range(of: "fixed (C) offset. */\nstruct ") else { return }
        let cName = String(header[opening.upperBound...].prefix { $0 != " " })
        let fromC = try ConformFixture.check(c, cName, device: name, features: "all",
                                             spec: SpecVersion.newest)
        #expect(fromC.agrees, "C: \(fromC.allFindings.filter(\.isDifference).map(\.signature))")

        let rust = PackagePaths.root.appendingPathComponent("Generated/rust/\(name).rs").path
        let text = try String(contentsOfFile: rust, encoding: .utf8)
        // "/// Size of [`VirtioBlkConfig`] in bytes." names the config struct.
        let marker = try #require(text.range(of: "/// Size of [`"))
        let structName = String(text[marker.upperBound...].prefix { $0 != "`" })
        let fromRust = try ConformFixture.check(rust, structName, device: name, features: "all",
                                                spec: SpecVersion.newest, modern: true)
        #expect(fromRust.agrees, "Rust: \(fromRust.allFindings.filter(\.isDifference).map(\.signature))")
        #expect(fromRust.measured.size == fromC.measured.size)
    }

    @Test func anUnknownStructGetsADidYouMean() throws {
        #expect {
            _ = try ConformFixture.measure("blk-num-queues-at-36.h", "blk_config_2")
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
            guard case .compiler(let words, let missing)? = error as? ConformProbe.Failure else { return false }
            return words.contains(file) && (missing.contains("unknown_t") || missing.contains("Unknown"))
        }
    }
}
