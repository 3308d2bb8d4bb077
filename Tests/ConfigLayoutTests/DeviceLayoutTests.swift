import Foundation
import Testing
import TestSupport
@testable import ConfigLayout

/// Loads a device from Layouts/ with every spec version in it.
func layoutDevice(_ name: String) throws -> Device {
    let loaded = try LayoutLoader().load(path: PackagePaths.layout("\(name).layout").path)
    guard !loaded.hasErrors, let device = loaded.devices.first else {
        throw TestFailure(DiagnosticRenderer().render(loaded.diagnostics))
    }
    return device
}

/// The same device with QEMU's table dropped, so that QEMU's sizing follows its own conditions.
func withoutQemuTable(_ device: Device) -> Device {
    Device(name: device.name, id: device.id, title: device.title, doc: device.doc, since: device.since,
           specReference: device.specReference, features: device.features, transport: device.transport,
           config: device.config, qemuMinimumSize: device.qemuMinimumSize, qemuFeatureSizes: [], span: device.span)
}

@Suite struct DeviceLayoutTests {
    /// Every device type the spec defines in 1.4 has a layout; those without configuration say so.
    @Test func everyDeviceHasALayout() throws {
        let withFields = ["net", "blk", "console", "balloon", "scsi", "gpu", "input", "crypto", "vsock", "fs", "rpmb",
                          "iommu", "sound", "mem", "gpio", "pmem", "can", "spi", "media"]
        let without = ["entropy", "i2c", "scmi", "rtc"]
        for name in withFields {
            #expect(try layoutDevice(name).config != nil, "\(name)")
        }
        for name in without {
            #expect(try layoutDevice(name).config == nil, "\(name)")
        }
    }

    /// Sizes and field counts from the spec's tables (virtio-spec-config.md §1), as of 1.4.
    @Test(arguments: [("net", 28, 10), ("blk", 96, 31), ("console", 12, 4), ("balloon", 16, 4), ("scsi", 36, 10),
                      ("gpu", 20, 5), ("input", 136, 15), ("crypto", 56, 13), ("vsock", 8, 1), ("fs", 44, 3),
                      ("rpmb", 3, 3), ("iommu", 40, 8), ("sound", 16, 4), ("mem", 56, 8), ("gpio", 8, 3),
                      ("pmem", 16, 2), ("can", 2, 1), ("spi", 32, 11), ("media", 40, 3)])
    func sizesAsTheSpecTablesGiveThem(name: String, size: Int, fields: Int) throws {
        let layout = Layout(device: try layoutDevice(name).asOf(nil), features: FeatureSet(), interpretation: .fixed)
        #expect(layout.size == size)
        #expect(layout.fields.count == fields)
    }

    @Test func theSpecsAnomaliesAreInTheLayouts() throws {
        let balloon = try layoutDevice("balloon").asOf(nil)
        // Little-endian even in legacy: le32, never virtio32.
        #expect(balloon.config?.fields.allSatisfy { $0.type.scalar?.byteOrder == .little } == true)
        let pmem = try layoutDevice("pmem").asOf(nil)
        #expect(pmem.config?.member(at: ["start"])?.validity?.condition == .not(.feature("SHMEM_REGION")))
        #expect(pmem.config?.member(at: ["start"])?.validity?.basis == .negotiated)
        #expect(try layoutDevice("sound").asOf(nil).config?.member(at: ["controls"])?.existence?.basis == .negotiated)
        let blk = try layoutDevice("blk").asOf(nil)
        #expect(blk.config?.member(at: ["writeback"])?.readableAfter == .featuresOK)
        #expect(blk.config?.member(at: ["writeback"])?.access == .driverWritable)
        #expect(blk.config?.member(at: ["write_zeroes_may_unmap"])?.existence?.isImplied == true)
        #expect(try layoutDevice("iommu").asOf(nil).config?.member(at: ["probe_size"])?.existence?.isImplied == true)
        let console = try layoutDevice("console").asOf(nil)
        #expect(console.config?.fields.prefix(2).map(\.name) == ["cols", "rows"])
        let net = try layoutDevice("net").asOf(nil)
        #expect(net.config?.member(at: ["mac"])?.existence == nil)
        #expect(net.config?.member(at: ["mac"])?.validity?.condition == .feature("MAC"))
    }

    @Test func fieldsCarryTheirHistory() throws {
        let blk = try layoutDevice("blk")
        let type = { (version: SpecVersion) in blk.asOf(version).config?.member(at: ["num_queues"])?.type.name }
        #expect(type(SpecVersion(major: 1, minor: 1)) == nil)
        #expect(type(SpecVersion(major: 1, minor: 2)) == "u16")
        #expect(type(SpecVersion(major: 1, minor: 3)) == "u16")
        #expect(type(SpecVersion(major: 1, minor: 4)) == "virtio16")
        #expect(blk.asOf(SpecVersion(major: 1, minor: 1)).config?.member(at: ["unused0"])?.type.name == "u8[3]")
        #expect(blk.asOf(SpecVersion(major: 1, minor: 0)).config?.size == 33)
        let crypto = try layoutDevice("crypto")
        #expect(crypto.asOf(SpecVersion(major: 1, minor: 2)).config?.member(at: ["akcipher_algo"]) == nil)
        #expect(crypto.asOf(SpecVersion(major: 1, minor: 3)).config?.member(at: ["reserved"]) == nil)
        #expect(try layoutDevice("gpu").asOf(SpecVersion(major: 1, minor: 1)).config?.member(at: ["num_capsets"]) == nil)
        #expect(try !layoutDevice("can").exists(in: SpecVersion(major: 1, minor: 3)))
    }
}

/// QEMU's feature_sizes tables (quoted in linux-qemu-behaviour.md §4.1, §4.2): cfgspace's qemu
/// sizing must reproduce them for every subset of the features the tables name, both from the
/// transcribed table and from the layout's own conditions.
@Suite struct QemuSizeTableTests {
    /// QEMU's config_len for a set, computed the way virtio_get_config_size does, with the ends
    /// as QEMU's own table gives them (not as cfgspace computes them).
    static func qemu(_ offered: Set<String>, minimum: Int, table: [(flags: [String], end: Int)]) -> Int {
        table.filter { entry in entry.flags.contains(where: offered.contains) }.map(\.end).reduce(minimum, max)
    }

    static func check(_ name: String, minimum: Int, table: [(flags: [String], end: Int)], forced: [String] = []) throws {
        let device = try layoutDevice(name).asOf(nil)
        let names = Array(Set(table.flatMap(\.flags))).sorted()
        for features in allSubsets(of: names.compactMap { device.feature(named: $0)?.bit }) {
            let offered = Set(device.names(of: features) + forced)
            let expected = qemu(offered, minimum: minimum, table: table)
            for candidate in [device, withoutQemuTable(device)] {
                let size = Layout(device: candidate, features: features, interpretation: .fixed, sizing: .qemu).size
                #expect(size == expected, "\(name) \(offered.sorted()) \(candidate.qemuFeatureSizes.isEmpty ? "derived" : "table")")
            }
        }
    }

    @Test func net() throws {
        // hw/net/virtio-net.c; virtio_net_set_config_size adds MAC.
        try Self.check("net", minimum: 6, table: [(["MAC"], 6), (["STATUS"], 8), (["MQ"], 10), (["MTU"], 12),
                                                   (["SPEED_DUPLEX"], 17), (["RSS", "HASH_REPORT"], 24)], forced: ["MAC"])
    }

    @Test func blk() throws {
        // hw/block/virtio-blk-common.c: min_size offsetof(max_discard_sectors) = 36.
        try Self.check("blk", minimum: 36, table: [(["DISCARD"], 48), (["WRITE_ZEROES"], 57), (["ZONED"], 96)])
    }
}

@Suite struct VersionDiffTests {
    private func version(_ text: String) throws -> SpecVersion { try #require(SpecVersion(text)) }

    /// blk 1.2 put num_queues, under the new MQ, in bytes 1.1 reserved (unused0 shrank from three to
    /// one): the spec's own way to extend a device, compatible with every 1.1 driver.
    @Test func blkOneOneToOneTwoTakesReservedBytes() throws {
        let diff = VersionDiff(device: try layoutDevice("blk"), from: try version("1.1"), to: try version("1.2"))
        #expect(diff.breaking.isEmpty)
        #expect(diff.reservedTaken.map(\.path) == ["unused0", "num_queues"])
        #expect(diff.reservedTaken.map(\.kind) == [.reservedShrank, .reservedTaken])
        #expect(diff.reservedTaken.first?.reason == "reserved u8[3] → u8: it gives up 2 bytes to new fields")
        #expect(diff.reservedTaken.last?.reason.contains("only under MQ, new in 1.2") == true)
        #expect(diff.addedAtTail.map(\.path) == ["max_secure_erase_sectors", "max_secure_erase_seg",
                                                 "secure_erase_sector_alignment"])
        #expect(diff.oldSize == 60 && diff.newSize == 72)
        #expect(diff.featuresAdded.map(\.name).contains("SECURE_ERASE"))
    }

    @Test func renamesRetypesAndConditions() throws {
        let crypto = VersionDiff(device: try layoutDevice("crypto"), from: try version("1.2"), to: try version("1.3"))
        #expect(crypto.changes.map(\.kind) == [.renamed])
        #expect(crypto.changes.first?.reason == "renamed from reserved")
        let gpu = VersionDiff(device: try layoutDevice("gpu"), from: try version("1.1"), to: try version("1.2"))
        #expect(gpu.changes.map(\.path) == ["num_capsets"])
        let blk = VersionDiff(device: try layoutDevice("blk"), from: try version("1.3"), to: try version("1.4"))
        #expect(blk.changes.map(\.kind) == [.retyped])
        #expect(blk.changes.first?.reason == "retyped from u16 to virtio16; same size, byte order unspecified → virtio")
        let net = VersionDiff(device: try layoutDevice("net"), from: try version("1.1"), to: try version("1.2"))
        #expect(net.breaking.isEmpty)
        #expect(net.meaningChanges.map(\.reason) == ["if MQ → if MQ || RSS"])
        #expect(net.addedAtTail.count == 5)
        let same = VersionDiff(device: try layoutDevice("net"), from: try version("1.4"), to: try version("1.4"))
        #expect(same.changes.isEmpty)
    }

    @Test func blkOneZeroToOneOneOnlyAddsAtTheTail() throws {
        let diff = VersionDiff(device: try layoutDevice("blk"), from: try version("1.0"), to: try version("1.1"))
        #expect(diff.breaking.isEmpty)
        #expect(diff.addedAtTail.first?.path == "unused0")
    }
}

/// Coverage against brute force: a field is reported beyond the end exactly when some valid
/// feature set makes it valid while the config ends before it.
@Suite struct SizeCoverageTests {
    @Test(arguments: ["net", "blk", "iommu", "balloon", "fs"])
    func againstEnumeration(name: String) throws {
        let device = try layoutDevice(name).asOf(nil)
        let coverage = SizeCoverage(device: device)
        let bits = (coverage.space.features + coverage.space.supporting).compactMap { device.feature(named: $0)?.bit }
        for features in allSubsets(of: bits) where device.unmetRequirements(in: features).isEmpty {
            let layout = Layout(device: device, features: features, interpretation: .fixed, sizing: .qemu)
            for field in layout.fields where !field.field.isReserved {
                let beyond = field.isValid && (field.end ?? 0) > layout.size
                let gap = coverage.gaps.first { $0.path == field.path }
                #expect(gap?.when?.evaluate { device.isSet($0, in: features) } ?? false == beyond,
                        "\(name).\(field.path) under \(device.names(of: features))")
            }
        }
    }

    @Test func qemusGaps() throws {
        let blk = SizeCoverage(device: try layoutDevice("blk").asOf(nil))
        #expect(blk.gaps.map(\.path) == ["max_secure_erase_sectors", "max_secure_erase_seg", "secure_erase_sector_alignment"])
        #expect(blk.gaps.first?.when?.description == "SECURE_ERASE && !ZONED")
        let net = SizeCoverage(device: try layoutDevice("net").asOf(nil))
        #expect(net.gaps.map(\.path) == ["supported_tunnel_types"])
        #expect(net.gaps.first?.when?.description == "HASH_TUNNEL")
        // Without a transcribed table QEMU's rule follows the layout, so nothing is left out.
        #expect(SizeCoverage(device: withoutQemuTable(try layoutDevice("blk").asOf(nil))).gaps.isEmpty)
    }
}

/// True breaks stay breaking: a field retyped, a field moved, a new field over bytes that meant
/// something, and a new field in reserved bytes under a feature the old version already had.
@Suite struct VersionBreakTests {
    private func device(_ source: String) throws -> Device {
        let loaded = LayoutLoader().load(SourceFile(path: "versions.layout", bytes: Array(source.utf8)))
        #expect(!loaded.hasErrors, "\(DiagnosticRenderer().render(loaded.diagnostics))")
        return try #require(loaded.devices.first)
    }

    @Test func breaksAreStillBreaking() throws {
        let layout = try device("""
            device demo = 99 "Demo" {
              feature OLD = 0
              feature NEW = 1  since 1.2
              config demo_config {
                a         le16
                spare     u8[2]  reserved  until 1.2
                b         le16   if OLD    since 1.2
                width     le16             until 1.2
                width     le32             since 1.2
              }
            }
            """)
        let diff = VersionDiff(device: layout, from: try #require(SpecVersion("1.1")), to: try #require(SpecVersion("1.2")))
        // b takes reserved bytes, but under OLD, which 1.1 drivers negotiate: breaking.
        #expect(diff.breaking.contains { $0.path == "b" && $0.kind == .renamed })
        #expect(diff.breaking.contains { $0.path == "width" && $0.kind == .retyped })
        #expect(diff.reservedTaken.isEmpty)
    }

    @Test func aReservedFieldGivenUpWhollyToANewFeatureIsCompatible() throws {
        let layout = try device("""
            device demo = 99 "Demo" {
              feature NEW = 1  since 1.2
              config demo_config {
                a      le16
                spare  u8[2]  reserved  until 1.2
                b      le16   if NEW    since 1.2
              }
            }
            """)
        let diff = VersionDiff(device: layout, from: try #require(SpecVersion("1.1")), to: try #require(SpecVersion("1.2")))
        #expect(diff.breaking.isEmpty, "\(diff.breaking.map(\.reason))")
        #expect(Set(diff.reservedTaken.map(\.kind)) == [.reservedTaken, .reservedShrank])
    }
}
