import Testing
import TestSupport
import VirtioModel
@testable import VirtioHost

/// The Linux 6.1 models of console, balloon, scsi and rng probe QEMU's real devices over qtest, each
/// run held line for line against the same run on the qemu model set up as the probe found the
/// device: default and non-default properties, and the legacy interface.
@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct LinuxDriverProbeTests {
    @Test(arguments: [
        "virtio-serial-pci", "virtio-serial-pci,max_ports=5", "virtio-serial-pci,max_ports=1",
        "virtio-serial-pci,disable-modern=on",
        "virtio-balloon-pci", "virtio-balloon-pci,deflate-on-oom=on,free-page-hint=on",
        "virtio-balloon-pci,page-poison=off,free-page-reporting=on",
        "virtio-scsi-pci", "virtio-scsi-pci,num_queues=4,max_sectors=1024,cmd_per_lun=64", "virtio-scsi-pci,disable-modern=on",
        "virtio-scsi-pci,virtqueue_size=64,cmd_per_lun=100",
        "virtio-rng-pci",
    ])
    func everyLinuxModelTracesAsOnTheModel(device: String) throws {
        let layout = try #require(QEMUDeviceType.forDriver(try QEMUDeviceSpec.parse(device).get().driver)?.layout)
        let drivers = DriverKind.all.filter { $0.layout == layout }.map(\.name)
        #expect(!drivers.isEmpty, "no driver model for \(layout)")
        let result = try QEMUProbeTests.probe(device, drivers: drivers)
        #expect(result.driverRuns.count == drivers.count)
        #expect(RenderingCheck.problems(QEMUProbeReport(result: result, showsTrace: true)) == [], "\(device)")
        for run in result.driverRuns {
            #expect(run.real.realDeviceFailure == nil)
            #expect(run.real.probeFailure == nil, "\(run.driver.name): \(run.real.probeFailure ?? "")")
            #expect(run.differences.isEmpty, "\(run.driver.name): \(run.differences.map { "\($0.side) #\($0.step) \($0.line)" })")
            #expect(run.real.trace.count > 10)
        }
    }

    /// What the models read from QEMU's own devices, by value.
    @Test func theModelsReadQEMUsValues() throws {
        let scsi = try #require(try QEMUProbeTests.probe("virtio-scsi-pci,num_queues=4,max_sectors=1024,cmd_per_lun=64",
                                                         drivers: ["linux-6.1"]).driverRuns.first?.real.view.texts)
        #expect(scsi["max_hw_sectors_kb"] == "512" && scsi["cmd_per_lun"] == "64" && scsi["max_id"] == "256")
        // One CPU in the model: four queues offered, one used.
        #expect(scsi["nr_hw_queues"] == "1")
        // can_queue is the request ring's size, read from the transport's queue_size; cmd_per_lun is cut to it.
        let small = try #require(try QEMUProbeTests.probe("virtio-scsi-pci,virtqueue_size=64,cmd_per_lun=100", drivers: ["linux-6.1"])
            .driverRuns.first?.real.view.texts)
        #expect(small["can_queue"] == "64" && small["cmd_per_lun"] == "64" && small["queue_depth"] == "64")
        #expect(scsi["can_queue"] == "256")
        let console = try #require(try QEMUProbeTests.probe("virtio-serial-pci,max_ports=5", drivers: ["linux-6.1"])
            .driverRuns.first?.real.view.texts)
        #expect(console["max_nr_ports"] == "5")
        let balloon = try #require(try QEMUProbeTests.probe("virtio-balloon-pci", drivers: ["linux-6.1-init-on-free"])
            .driverRuns.first?.real)
        // poison_val written 0 at 12 on QEMU's own 16-byte config.
        #expect(balloon.trace.contains { entry in
            if case .configWrite(12, [0, 0, 0, 0], "poison_val") = entry.event { return true }
            return false
        })
    }
}
