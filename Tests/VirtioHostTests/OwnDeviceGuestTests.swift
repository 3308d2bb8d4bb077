import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// A real Linux 6.1 guest's own virtio_input, virtio_mem, virtio_pmem and virtiofs read QEMU's devices
/// in one boot, and the linux-6.1 models, run against the same devices over qtest, predict every value.
@Suite(.enabled(if: GuestFixture.isAvailable || Tools.areRequired,
                "needs qemu-system-x86_64, virtiofsd (qemu-system-common) and the guest image; .ci/run installs and builds them"))
struct OwnDeviceGuestTests {
    private func run(_ devices: [(String, String?)]) throws -> GuestDeviceRun.Result {
        let resolved = try devices.map { name, spec in (device: try #require(GuestDevice.named(name)), spec: spec) }
        let result = try GuestDeviceRun.run(.init(devices: resolved, image: try GuestFixture.get()))
        #expect(ProcessTable.isGone(result.qemuProcess))
        for pid in result.backendProcesses { #expect(ProcessTable.isGone(pid), "back-end \(pid) outlived the run") }
        #expect(result.report.isComplete, "console: \(result.report.console.suffix(10))")
        let differing = result.rows.filter { !$0.agrees }.map { "\($0.device) \($0.name): model \($0.predicted), guest \($0.guest)" }
        #expect(result.agrees, "\(differing)")
        return result
    }

    /// Each device with its defaults: a tablet, 128 MiB of a 1 GiB virtio-mem plugged at 4 GiB, then
    /// 128 MiB more once QMP raises requested-size while the guest runs, 16 MiB of pmem at 5 GiB, and
    /// virtiofs tagged cfgspace.
    @Test func defaultsAgreeInOneBoot() throws {
        let result = try run([("input", nil), ("mem", nil), ("pmem", nil), ("fs", nil)])
        #expect(result.report.value("input.absinfo.0") == "min 0 max 32767 fuzz 0 flat 0 res 0")
        #expect(result.report.value("mem.memtotal_added_kib") == "131072")
        #expect(result.report.value("mem.changed.requested_size") == "0x10000000")
        #expect(result.report.value("mem.changed.memory_blocks") == "32 33")
        #expect(result.report.value("mem.changed.memtotal_added_kib") == "262144")
        #expect(result.rows.contains { $0.name == "kernel log, changed" && $0.guest == "requested size: 0x10000000" })
        #expect(result.report.value("pmem.disk") == "pmem0")
        #expect(result.report.value("fs.read") == FSGuestDevice.sharedFile.1)
        #expect(result.backendProcesses.count == 2, "virtiofsd for the probe, then for the guest")
    }

    /// Values that change the config: a keyboard whose 64-byte serial has no terminator in the driver's
    /// buffer (so uniq runs on into phys, "virtio0/input0": it is the first device), a mouse with a
    /// serial, a tablet whose wheel-axis=off QEMU ignores; virtio-mem in big-block mode (128 MiB
    /// blocks, 384 MiB requested); pmem at a start 4 KiB past 2 MiB alignment, which nd_pmem cannot
    /// map; and a tag of all 36 bytes, with no NUL.
    @Test func nonDefaultValuesAgreeInOneBoot() throws {
        let serial = String(repeating: "k", count: 64)
        let result = try run([
            ("input", "virtio-keyboard-pci,serial=\(serial)"), ("input", "virtio-mouse-pci,serial=cfgspace-mouse"),
            ("input", "virtio-tablet-pci,wheel-axis=off"), ("mem", "virtio-mem-pci,requested-size=384M,block-size=128M"),
            ("pmem", "virtio-pmem-pci,memaddr=0x140001000"), ("fs", "vhost-user-fs-pci,tag=abcdefghijklmnopqrstuvwxyz0123456789"),
        ])
        #expect(result.report.value("input.uniq") == serial + "virtio0/input0")
        #expect(result.report.value("input2.uniq") == "cfgspace-mouse")
        #expect(result.report.value("input3.capabilities.rel") == "100")
        #expect(result.report.value("mem.big_block_size") == "0x8000000")
        #expect(result.report.value("mem.memory_blocks") == "32 33 34")
        #expect(result.report.value("mem.changed.memory_blocks") == "32 33 34 35")
        #expect(result.report.value("pmem.disk") == "none")
        let predicted = try #require(result.probes.first { $0.device.name == "pmem" }?.driverRuns.first?.real.view.log)
        #expect(result.report.values("pmem.dmesg") == predicted)
        #expect(result.report.value("fs.tag") == "abcdefghijklmnopqrstuvwxyz0123456789")
    }
}
