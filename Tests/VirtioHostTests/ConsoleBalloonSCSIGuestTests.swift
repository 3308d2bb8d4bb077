import Foundation
import Testing
import TestSupport
import VirtioModel
@testable import VirtioHost

/// A real Linux 6.1 guest's own virtio_console, virtio_balloon, virtio_scsi and virtio-rng read QEMU's
/// devices made with properties that change their config, all in one boot, beside cfgspace's models
/// run against the same devices over qtest; while it runs, QMP `balloon` changes the balloon's target
/// and the guest's driver follows it as the model's configChanged predicts.
@Suite(.enabled(if: GuestFixture.isAvailable || Tools.areRequired,
                "needs qemu-system-x86_64 and the guest image (Guest/build-image: apt-get download, dpkg-deb, cpio); .ci/run installs and builds them"))
struct ConsoleBalloonSCSIGuestTests {
    private func run(_ devices: [(String, String)], cpus: Int) throws -> GuestDeviceRun.Result {
        try run(devices.map { name, spec in (try #require(GuestDevice.named(name)), Optional(spec)) }, cpus: cpus)
    }

    private func run(_ devices: [(device: GuestDevice, spec: String?)], cpus: Int) throws -> GuestDeviceRun.Result {
        let result = try GuestDeviceRun.run(.init(devices: devices, image: try GuestFixture.get(), cpus: cpus))
        for pid in [result.qemuProcess] + result.probes.map(\.qemuProcess) {
            #expect(ProcessTable.isGone(pid), "process \(pid) outlived the guest run")
        }
        return result
    }

    private func disagreements(_ result: GuestDeviceRun.Result) -> String {
        result.rows.filter { !$0.agrees }.map { "\($0.device) \($0.name): model \($0.predicted), guest \($0.guest)" }
            .joined(separator: "; ") + "; console: \(result.report.console.suffix(5))"
    }

    /// Four queues on four CPUs, a smaller max_sectors, rings of 128 that cut cmd_per_lun to them, five
    /// ports, and a balloon that deflates on OOM and hints free pages: every value as the models read
    /// it from the same devices.
    @Test func nonDefaultPropertiesAgreeInOneBoot() throws {
        let result = try run([("console", "virtio-serial-pci,max_ports=5,vectors=12"),
                              ("balloon", "virtio-balloon-pci,deflate-on-oom=on,free-page-hint=on"),
                              ("scsi", "virtio-scsi-pci,num_queues=4,max_sectors=1024,cmd_per_lun=200,virtqueue_size=128"),
                              ("entropy", "virtio-rng-pci")], cpus: 4)
        #expect(result.agrees, "\(disagreements(result))")
        let report = result.report
        #expect(report.value("console.max_nr_ports") == "5")
        #expect(report.value("scsi.nr_hw_queues") == "4")
        #expect(report.value("scsi.max_hw_sectors_kb") == "512")
        // can_queue is the request ring's size; cmd_per_lun is cut to it (virtscsi_probe l.881).
        #expect(report.value("scsi.can_queue") == "128" && report.value("scsi.sg_tablesize") == "126")
        #expect(report.value("scsi.cmd_per_lun") == "128" && report.value("scsi.queue_depth") == "128")
        // The balloon followed the target: 4096 pages, and with DEFLATE_ON_OOM MemTotal stays.
        #expect(report.value("balloon.changed.actual") == "4096")
        #expect(report.value("balloon.changed.memtotal_drop_kb") == "0")
        #expect(result.rows.contains { $0.device == "balloon" && $0.name == "actual, changed" && $0.agrees })
        #expect(report.value("entropy.probe") == "ok")
    }

    /// One port: no MULTIPORT, so the driver makes port 0 a console itself; and the balloon's default
    /// features, under which MemTotal falls by the pages it takes.
    @Test func aSinglePortConsoleAndTheDefaultBalloon() throws {
        let result = try run([("console", "virtio-serial-pci,max_ports=1,vectors=3"), ("balloon", "virtio-balloon-pci")], cpus: 2)
        #expect(result.agrees, "\(disagreements(result))")
        #expect(result.report.value("console.ports") == "1" && result.report.value("console.hvc") == "hvc0")
        #expect(result.report.value("balloon.changed.memtotal_drop_kb") == "16384")
    }

    /// A guest booted with init_on_free=1 keeps PAGE_POISON (bit 4), which the linux-6.1-init-on-free
    /// model predicts from `virtballoon_validate`; with console and scsi as QEMU makes them by default.
    @Test func initOnFreeKeepsPagePoisonBesideTheDefaultConsoleAndSCSI() throws {
        let devices = try ["console", "scsi"].map { (device: try #require(GuestDevice.named($0)), spec: String?.none) }
        let result = try run([(device: BalloonGuestDevice.initOnFree, spec: nil)] + devices, cpus: 2)
        #expect(result.agrees, "\(disagreements(result))")
        let features = try #require(result.report.value("balloon.features"))
        #expect(Array(features).count == 64 && Array(features)[4] == "1", "\(features)")
        #expect(result.report.value("balloon.changed.memtotal_drop_kb") == "16384")
        #expect(result.report.value("console.max_nr_ports") == "31" && result.report.value("scsi.nr_hw_queues") == "2")
    }
}
