import Foundation
import Testing
import TestSupport
import ConfigLayout
@testable import VirtioHost

/// Rust structs where they live: in a crate's module that names types from other modules and
/// other crates, in nested modules, as bindgen writes them; measured by rustc from a probe of just
/// what their layout needs.
@Suite(.enabled(if: ConformFixture.compilersAreHere, "needs gcc and rustc (.ci/run installs them)"))
struct ConformRustTests {
    /// A file of a crate: the MAC type comes from another module's file and its length from a
    /// constant there; members kept for their place (`_status`) match by name; derives, serde
    /// attributes, impls and let-chains elsewhere in the file do not reach rustc.
    @Test func aCrateModuleIsReadWithTheTypesItNamesFromTheCrate() throws {
        let result = try ConformFixture.check("tinyvmm/src/devices/net.rs", "NetConfigSpace", device: "net",
                                              features: "MAC,MTU,CSUM", modern: true)
        #expect(result.verdict == .conforms, "\(result.differences.map(\.message))")
        #expect(result.measured.size == 12)
        let mac = try #require(result.rows.first { $0.field == "mac" }?.theirs)
        #expect(mac.path == "guest_mac" && mac.size == 6 && mac.kind == "u8")
        #expect(result.rows.first { $0.field == "status" }?.theirs?.path == "_status")
        #expect(result.findings.contains { $0.signature == "renamed net.mac theirs=guest_mac" })
        #expect(result.findings.contains { $0.kind == .ends && $0.message == "ends at byte 12, before speed (needs SPEED_DUPLEX)" })
        let crate = try #require(result.note(.crate))
        #expect(crate.message.contains("Mac (") && crate.message.contains("util/mac.rs") && crate.message.contains("MAC_LEN"))
    }

    /// `crate::le32`, through two glob re-exports, is zerocopy's U32<LE>: little-endian, aligned to 1.
    @Test func anAliasThroughGlobReExportsIsZerocopysLittleEndian() throws {
        let result = try ConformFixture.check("tinyvmm/src/devices/fs.rs", "FsConfig", device: "fs")
        #expect(result.rows.first { $0.field == "num_request_queues" }?.theirs?.kind == "le32")
        #expect(result.measured.alignment == 1, "zerocopy's byteorder types are aligned to 1")
        #expect(result.note(.standIn)?.message.contains("zerocopy's U32<LE>") == true)
        #expect(result.verdict == .conforms)
        #expect(result.without == ["NOTIFICATION"])
    }

    /// Eight bytes of capacity are the whole config a device offering FLUSH and RO needs; offering
    /// SEG_MAX asks for a field the struct does not have.
    @Test func aShortConfigIsCompleteForTheFeaturesOffered() throws {
        let short = try ConformFixture.check("tinyvmm/src/devices/block.rs", "BlockConfigSpace", device: "blk",
                                             features: "FLUSH,RO", modern: true)
        #expect(short.verdict == .conforms)
        #expect(short.findings.contains { $0.signature == "ends blk at=8 before=size_max needs=SIZE_MAX" })
        let tooShort = try ConformFixture.check("tinyvmm/src/devices/block.rs", "SegMaxConfigSpace", device: "blk",
                                                features: "SEG_MAX", modern: true)
        let ends = try #require(tooShort.differences.first)
        #expect(ends.kind == .ends && ends.message.hasPrefix("ends at byte 12, before seg_max, which SEG_MAX needs"))
        #expect(ends.consequences.map(\.signature) == ["missing blk.seg_max"])
    }

    /// bindgen's aliases are read through: __virtio64 is virtio64, __u8 a byte; its zoned fields
    /// in virtio order are notes, and Linux's shape fits 1.4 whole.
    @Test func bindgenAliasesGiveTheirOrder() throws {
        let result = try ConformFixture.check("bindgen_blk.rs", "virtio_blk_config", device: "blk")
        #expect(result.rows.first { $0.field == "capacity" }?.theirs?.kind == "virtio64")
        #expect(result.rows.first { $0.field == "zoned.model" }?.theirs?.kind == "u8")
        #expect(result.verdict == .conforms, "\(result.differences.map(\.message))")
        #expect(result.specVersion == SpecVersion.newest && result.without.isEmpty)
        #expect(result.findings.contains { $0.signature == "byte-order blk virtioForLittle count=5" })
    }

    /// A struct in a nested module: found by name when it is the only one, named by its module
    /// path when two modules have one; `use super::*` brings vm-memory's types in.
    @Test func structsInNestedModules() throws {
        #expect {
            _ = try ConformFixture.measure("nested_modules.rs", "virtio_console_config")
        } throws: { error in
            guard case .ambiguous(let text)? = error as? ConformProbe.Failure else { return false }
            return text.contains("--struct console::virtio_console_config") && text.contains("--struct legacy::virtio_console_config")
        }
        let console = try ConformFixture.check("nested_modules.rs", "console::virtio_console_config", device: "console")
        #expect(console.findings.contains { $0.signature == "byte-order console littleForVirtio count=4" && $0.isDifference })
        let modern = try ConformFixture.check("nested_modules.rs", "console::virtio_console_config", device: "console",
                                              modern: true)
        #expect(modern.verdict == .conforms)
        let gpu = try ConformFixture.check("nested_modules.rs", "gpu::virtio_gpu_config", device: "gpu")
        #expect(gpu.verdict == .conforms && gpu.note(.standIn)?.message.contains("data_model::Le32") == true)
    }

    /// `_padding` after the config is padding: never matched to max_secure_erase_sectors by its
    /// place, harmless while SECURE_ERASE is not offered, and no stand-in for the field when it is.
    @Test func explicitPaddingIsNeverARealField() throws {
        let result = try ConformFixture.check("padding_blk.rs", "BlkConfig", device: "blk", features: "SEG_MAX,FLUSH,DISCARD")
        #expect(result.rows.first { $0.field == "max_secure_erase_sectors" }?.theirs == nil)
        #expect(!result.allFindings.contains { $0.kind == .renamed })
        #expect(result.verdict == .conforms)
        let erase = try ConformFixture.check("padding_blk.rs", "BlkConfig", device: "blk", features: "SEG_MAX,SECURE_ERASE")
        #expect(erase.verdict == .differs)
        #expect(erase.allFindings.contains { $0.signature == "missing blk.max_secure_erase_sectors" && $0.isDifference })
    }

    /// Big-endian is a difference; a type whose order cannot be read keeps the struct from
    /// conforming; bytes are a note; a plain integer is a note, or with strict a difference.
    @Test func byteOrdersTheSpecDoesNotAccept() throws {
        let big = try ConformFixture.check("byte_orders.rs", "BigEndianConsole", device: "console", features: "SIZE")
        #expect(big.findings.contains { $0.signature == "byte-order console bigEndian count=2" && $0.isDifference })
        let wrapping = try ConformFixture.check("byte_orders.rs", "WrappingConsole", device: "console", features: "SIZE")
        #expect(wrapping.verdict == .unknown)
        let bytes = try ConformFixture.check("byte_orders.rs", "BytesConsole", device: "console", features: "SIZE")
        #expect(bytes.verdict == .conforms && bytes.has(.byteOrder, "cols", severity: .note))
        let plain = try ConformFixture.check("nested_modules.rs", "legacy::virtio_console_config", device: "console",
                                             features: "SIZE")
        #expect(plain.verdict == .conforms && plain.has(.byteOrder, "cols", severity: .note))
        let strict = try ConformFixture.check("nested_modules.rs", "legacy::virtio_console_config", device: "console",
                                              features: "SIZE", strict: true)
        #expect(strict.verdict == .differs && strict.has(.byteOrder, "cols", severity: .difference))
    }

    /// A type from a crate cfgspace knows nothing of: the struct cannot be measured, and the answer
    /// names the type.
    @Test func anUnknownOutsideTypeCannotBeMeasured() throws {
        #expect {
            _ = try ConformFixture.measure("foreign_type.rs", "NetConfig")
        } throws: { error in
            guard case .compiler(let words, let missing)? = error as? ConformProbe.Failure else { return false }
            return missing.contains("net_types::MacAddress") && words.contains("foreign_type.rs:7")
        }
    }

    /// Without `packed`, rustc aligns a 32-bit num_queues to 36: the padding is one cause, the width
    /// another, each with what it moves.
    @Test func compilerPaddingIsACauseOfItsOwn() throws {
        let result = try ConformFixture.check("blk_forgot_packed.rs", "BlkConfig", device: "blk")
        let padding = try #require(result.differences.first { $0.kind == .moved })
        #expect(padding.message.hasPrefix("the compiler put 2 bytes of padding before num_queues"), "\(padding.message)")
        let width = try #require(result.differences.first { $0.kind == .resized })
        #expect(width.message.hasSuffix("every field after it is 2 more bytes late (4 in all)"), "\(width.message)")
        #expect(width.consequences.count == 3)
        #expect(result.note(.representation) == nil, "it is #[repr(C)]")
    }
}
