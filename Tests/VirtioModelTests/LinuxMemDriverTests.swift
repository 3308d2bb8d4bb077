import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_mem on configurations built by hand, each expectation worked out
/// from drivers/virtio/virtio_mem.c for an x86-64 guest (128 MiB memory blocks, 2 MiB pageblocks);
/// the guest tests hold the model against the real driver.
@Suite struct LinuxMemDriverTests {
    /// QEMU's default (2 MiB blocks, 1 GiB at 4 GiB, 128 MiB requested): sub-block mode with 2 MiB
    /// sub-blocks; 64 of them fill memory block 32 (4 GiB / 128 MiB).
    @Test func subBlockModePlugsTheRequest() throws {
        let outcome = try linuxRun("mem")
        #expect(outcome.probeFailure == nil)
        #expect(outcome.view.log == ["start address: 0x100000000", "region size: 0x40000000", "device block size: 0x200000",
                                     "nid: 0", "memory block size: 0x8000000", "subblock size: 0x200000",
                                     "plugged size: 0x0", "requested size: 0x8000000"])
        #expect(outcome.text("region") == "100000000-13fffffff")
        #expect(outcome.text("system_ram") == "100000000-107ffffff")
        #expect(outcome.text("memory_blocks") == "32")
        #expect(outcome.text("memtotal_added_kib") == "131072")
        #expect(outcome.text("big_block_size") == "—")
    }

    /// The order of reads: plugged_size, block_size, node_id (16 bits), addr, region_size at probe;
    /// DRIVER_OK; then plugged_size, usable_region_size, requested_size in the worker.
    @Test func readsInTheDriversOrder() throws {
        let outcome = try linuxRun("mem")
        #expect(outcome.reads.map(\.field) == ["plugged_size", "block_size", "node_id", "addr", "region_size", "plugged_size",
                                               "usable_region_size", "requested_size"])
        #expect(outcome.accesses(of: "node_id").map { "\($0.offset)/\($0.width)" } == ["8/2"])
        #expect(outcome.accesses(of: "addr").map { "\($0.offset)/\($0.width)" } == ["16/4", "20/4"])
        let driverOK = try #require(outcome.trace.firstIndex {
            if case .statusWrite(let status) = $0.event { status.contains(.driverOK) } else { false }
        })
        let usable = try #require(outcome.trace.firstIndex {
            if case .configRead(_, _, _, "usable_region_size", _) = $0.event { true } else { false }
        })
        #expect(driverOK < usable, "usable_region_size is first read after DRIVER_OK")
    }

    /// node_id is read even when ACPI_PXM is not negotiated, and the model says so.
    @Test func nodeIDIsReadWithoutACPIPXM() throws {
        let outcome = try linuxRun("mem", features: "-ACPI_PXM")
        #expect(outcome.accesses(of: "node_id").count == 1)
        #expect(outcome.trace.contains { if case .note(let text) = $0.event { text.contains("node_id read without ACPI_PXM") } else { false } })
        #expect(outcome.text("nid") == "0")
    }

    /// node_id is "valid if ACPI_PXM", not conditional, so packed places every field the driver reads
    /// where fixed does, with or without ACPI_PXM: there is no packed misread to predict.
    @Test(arguments: ["none", "ACPI_PXM", "ACPI_PXM,UNPLUGGED_INACCESSIBLE"])
    func packedMovesNothingTheDriverReads(features: String) throws {
        let device = try builtinDevice("mem")
        let offered = try device.parseFeatures(features).get()
        let fixed = Layout(device: device, features: offered, interpretation: .fixed)
        let packed = Layout(device: device, features: offered, interpretation: .packed)
        for field in LinuxMemDriver.kind.fields { #expect(fixed.field(field)?.offset == packed.field(field)?.offset, "\(field)") }
    }

    /// A 128 MiB device block is not under a memory block: big-block mode, each big block 128 MiB;
    /// 384 MiB are three of them, memory blocks 32-34.
    @Test func bigBlockMode() throws {
        let outcome = try linuxRun("mem", [("block_size", "0x8000000"), ("requested_size", "0x18000000"),
                                           ("usable_region_size", "0x28000000")])
        #expect(outcome.text("subblock_size") == "—")
        #expect(outcome.text("big_block_size") == "0x8000000")
        #expect(outcome.view.log.contains("big block size: 0x8000000"))
        #expect(outcome.text("system_ram") == "100000000-117ffffff")
        #expect(outcome.text("memory_blocks") == "32 33 34")
        #expect(outcome.text("memtotal_added_kib") == "393216")
    }

    /// 100 MiB is 50 sub-blocks of 2 MiB: one memory block added, partly plugged.
    @Test func aPartialBlock() throws {
        let outcome = try linuxRun("mem", [("requested_size", "0x6400000")])
        #expect(outcome.text("memory_blocks") == "32")
        #expect(outcome.text("memtotal_added_kib") == "102400")
    }

    /// With every added block offline (Debian's default), the driver stops at the 1 GiB offline
    /// threshold: 8 blocks of a 2 GiB request.
    @Test func offlineMemoryStopsAtTheThreshold() throws {
        let outcome = try linuxRun("mem", [("region_size", "0x100000000"), ("requested_size", "0x80000000"),
                                           ("usable_region_size", "0x90000000")])
        #expect(outcome.text("memory_blocks") == "32 33 34 35 36 37 38 39")
        #expect(outcome.text("memtotal_added_kib") == "1048576")
    }

    /// A start 16 MiB past a memory block: both alignment warnings, and the first usable block is
    /// the next whole one, 0x108000000 (block 33).
    @Test func aMisalignedRegionLosesItsPartialBlocks() throws {
        let outcome = try linuxRun("mem", [("addr", "0x101000000")])
        #expect(outcome.view.log.contains("The alignment of the physical start address can make some memory unusable."))
        #expect(outcome.view.log.contains("The alignment of the physical end address can make some memory unusable."))
        #expect(outcome.text("system_ram") == "108000000-10fffffff")
        #expect(outcome.text("region") == "101000000-140ffffff")
    }

    /// The usable region ends the plugging: 64 MiB usable of a 128 MiB request at block 32 leaves no
    /// whole usable memory block.
    @Test func theUsableRegionBoundsThePlugging() throws {
        let outcome = try linuxRun("mem", [("usable_region_size", "0x4000000")])
        #expect(outcome.text("system_ram") == "none")
        #expect(outcome.text("memtotal_added_kib") == "0")
    }

    /// A zero block_size is taken at probe (SBM with 2 MiB sub-blocks) and divides by zero at the
    /// first plug.
    @Test func aZeroBlockSizeOopsesAtTheFirstPlug() throws {
        let outcome = try linuxRun("mem", [("block_size", "0")])
        #expect(outcome.probeFailure == nil)
        #expect(outcome.text("subblock_size") == "0x200000")
        #expect(outcome.view.log.last == "divide error in virtio_mem_run_wq")
        #expect(outcome.text("system_ram") == "none")
    }

    /// Memory still plugged at probe: "unplugging all memory is required".
    @Test func pluggedMemoryAtProbeIsUnpluggedFirst() throws {
        let outcome = try linuxRun("mem", [("plugged_size", "0x8000000")])
        #expect(outcome.view.log.contains("unplugging all memory is required"))
    }

    /// A config change to 512 MiB once the first 128 MiB are online: the worker logs the plugged and
    /// requested sizes and adds blocks 33-35.
    @Test func aLargerRequestAtRunTime() throws {
        let device = try builtinDevice("mem")
        let offered = try device.parseFeatures("ACPI_PXM,VERSION_1").get()
        func bytes(_ values: [(String, UInt64)]) throws -> [UInt8] {
            try ConfigImage(device: device, interpretation: .fixed, features: offered,
                            values: values.map { ($0.0, FieldValue.integer($0.1)) })
                .bytes(ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
        }
        let start: [(String, UInt64)] = [("block_size", 2 << 20), ("addr", 1 << 32), ("region_size", 1 << 30),
                                         ("usable_region_size", 384 << 20), ("requested_size", 128 << 20)]
        let changed = start + [("plugged_size", 128 << 20), ("requested_size", 512 << 20), ("usable_region_size", 768 << 20)]
        let driver = try #require(DriverKind.named("linux-6.1", for: device))
        let prediction = driver.predict(device: device, offered: offered, presented: try bytes(start), changed: try bytes(changed))
        #expect(prediction.view.log.suffix(2) == ["plugged size: 0x8000000", "requested size: 0x20000000"])
        #expect(prediction.view.texts["memory_blocks"] == "32 33 34 35")
        #expect(prediction.view.texts["system_ram"] == "100000000-11fffffff")
        #expect(prediction.view.texts["memtotal_added_kib"] == "524288")
        #expect(prediction.view.texts["requested_size"] == "0x20000000")
    }
}
