import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// A real Linux 6.1 guest's own virtio_blk and virtio_net read devices whose config comes from
/// cfgspace (or from QEMU), and report what they made of them; cfgspace's model of the driver must
/// predict every value. Each test boots the guest under TCG (about 3 s).
@Suite(.enabled(if: GuestFixture.isAvailable || Tools.areRequired,
                "needs qemu-system-x86_64, qemu-storage-daemon and the guest image (Guest/build-image: apt-get download, dpkg-deb, cpio); .ci/run installs and builds them"))
struct GuestTests {
    private func run(_ configure: (inout GuestBlkRun.Options) throws -> Void) throws -> GuestBlkRun.Result {
        var options = GuestBlkRun.Options(layout: try GuestFixture.blk(), image: try GuestFixture.get())
        try configure(&options)
        let result = try GuestBlkRun.run(options)
        for pid in result.processes { #expect(ProcessTable.isGone(pid), "process \(pid) outlived the guest run") }
        return result
    }

    private func disagreements(_ rows: [GuestRow]) -> [String] {
        rows.filter { !$0.agrees }.map { "\($0.name): model \($0.predicted), guest \($0.guest) (\($0.source))" }
    }

    /// Fixed: what cfgspace served through the interposer, what the model predicts and what the
    /// driver reports are the same, value by value; and the data path reads the file's bytes.
    @Test func fixedAgreesWithTheDriversOwnView() throws {
        let result = try run { _ in }
        #expect(result.agrees, "\(disagreements(result.rows)); console: \(result.report.console.suffix(5))")
        let view = GuestComparison.view(result.report)
        #expect(view.texts["size"] == "2097152")
        #expect(view.texts["logical_block_size"] == "512")
        #expect(view.texts["queues"] == "2")
        #expect(result.rows.contains { $0.name == "first block" && $0.agrees })
        // Under fixed, every value the driver read is the value cfgspace served.
        for read in result.prediction.reads {
            guard let served = result.served, let placed = served.image.layout.field(read.field) else { continue }
            #expect(placed.offset == read.offset, "\(read.field) served at \(placed.offset ?? -1), read at \(read.offset)")
        }
    }

    /// Packed, without SIZE_MAX, SEG_MAX or GEOMETRY: blk_size, the topology, writeback and the
    /// discard and write-zeroes limits all move, and the driver reads each at its fixed offset. With
    /// these values the misread block size is one Linux accepts (4096), and the guest reports
    /// exactly the misreads, clamps and fallbacks the model predicted.
    @Test func packedMisreadsExactlyAsPredicted() throws {
        let result = try run { options in
            options.interpretation = .packed
            options.features = try options.layout.device.parseFeatures("BLK_SIZE,FLUSH,TOPOLOGY,CONFIG_WCE,MQ,DISCARD,WRITE_ZEROES").get()
            options.values = [("unused0", .integer(0x10)), ("num_queues", .integer(0)), ("max_discard_sectors", .integer(0x0002_0003))]
        }
        #expect(result.agrees, "\(disagreements(result.rows)); console: \(result.report.console.suffix(5))")
        let guest = GuestComparison.view(result.report)
        // The misreads: each value is what the packed layout put at the field's fixed offset.
        #expect(guest.texts["logical_block_size"] == "4096", "blk_size served 512 at 8, read at 20")
        #expect(guest.texts["physical_block_size"] == "32768", "physical_block_exp read from max_discard_sectors' first byte")
        #expect(guest.texts["write_cache"] == "write back", "writeback served 0, read from discard_sector_alignment")
        // Linux's own clamps and fallbacks: 0 read as max_write_zeroes_sectors becomes UINT_MAX, and
        // a 0 discard_sector_alignment falls back to the logical block size.
        #expect(guest.texts["write_zeroes_max_bytes"] == String(UInt64(UInt32.max) << 9))
        #expect(guest.texts["discard_granularity"] == "4096")
        #expect(result.served?.image.value("blk_size") == .integer(512))
    }

    /// Packed with the daemon's own values: the block size the driver reads at 20 is 0x20000
    /// (writeback, unused0 and num_queues' bytes), which blk_validate_block_size refuses: no disk.
    @Test func packedBlockSizeIsRefusedAsPredicted() throws {
        let result = try run { options in
            options.interpretation = .packed
            options.features = try options.layout.device.parseFeatures("BLK_SIZE,FLUSH,TOPOLOGY,CONFIG_WCE,MQ,DISCARD,WRITE_ZEROES").get()
        }
        #expect(result.agrees, "\(disagreements(result.rows))")
        #expect(result.prediction.failure == "virtio_blk: invalid block size: 0x20000")
        #expect(GuestComparison.view(result.report)["disk"] == .text("none"))
    }

    /// `set capacity=` on the interposer while the guest runs: the driver's config work reads the
    /// new capacity, logs "new size" and resizes the disk.
    @Test func aResizeReachesTheRunningGuest() throws {
        let result = try run { options in options.resizeTo = 4_194_304 }
        #expect(result.agrees, "\(disagreements(result.rows))")
        #expect(result.report.value("vda.resized") == "4194304")
        #expect(result.report.values("vda.dmesg").contains { $0.contains("new size: 4194304 512-byte logical blocks") })
    }

    /// QEMU's own virtio-net with host_mtu=9000 and mq=off: eth0 comes up at 9000, so the driver read
    /// mtu at its fixed offset 10, as the model did against the same device over qtest.
    @Test func netMTUComesFromTheFixedOffset() throws {
        let result = try GuestNetRun.run(.init(image: try GuestFixture.get()))
        #expect(result.agrees, "\(disagreements(result.rows)); console: \(result.report.console.suffix(5))")
        #expect(result.report.value("eth0.mtu") == "9000")
        #expect(result.predicted.reads.last { $0.field == "mtu" }?.offset == 10)
        #expect(ProcessTable.isGone(result.qemuProcess))
    }
}
