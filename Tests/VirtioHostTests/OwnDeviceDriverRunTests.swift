import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// The Linux 6.1 models of virtio_input, virtio_pmem, virtio_mem and virtiofs drive QEMU's own devices
/// over qtest exactly as they drive the qemu model: the same accesses, bytes and decisions, line by line.
@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct OwnDeviceDriverRunTests {
    private func run(_ device: String, arguments: [String] = []) throws -> QEMUProbeResult.DriverRun {
        let result = try QEMUProbe.run(.init(device: try QEMUDeviceSpec.parse(device).get(), drivers: ["linux-6.1"], qemuArguments: arguments))
        #expect(ProcessTable.isGone(result.qemuProcess), "QEMU \(result.qemuProcess) outlived the probe of \(device)")
        let run = try #require(result.driverRuns.first)
        #expect(run.real.realDeviceFailure == nil)
        #expect(run.differences.isEmpty, "\(device): \(run.differences.map { "\($0.side) #\($0.step) \($0.line)" })")
        #expect(run.real.violations.isEmpty, "\(device): \(run.real.violations.map(\.detail))")
        return run
    }

    @Test(arguments: ["virtio-keyboard-pci", "virtio-mouse-pci,serial=cfgspace-mouse", "virtio-tablet-pci",
                      "virtio-pmem-pci", "virtio-pmem-pci,memaddr=0x180000000", "virtio-mem-pci,requested-size=64M",
                      "virtio-mem-pci,requested-size=128M,block-size=128M,node=0"])
    func tracesAsOnTheModel(device: String) throws {
        let run = try run(device)
        #expect(run.real.probeFailure == nil)
        #expect(run.real.trace.count > 10)
    }

    /// Every selection virtinput_probe makes reaches QEMU's table and comes back as the model predicts.
    @Test func theKeyboardAsTheDriverSeesIt() throws {
        let run = try run("virtio-keyboard-pci,serial=kbd")
        #expect(run.real.view["name"] == .text("QEMU Virtio Keyboard"))
        #expect(run.real.view["uniq"] == .text("kbd"))
        #expect(run.real.view["capabilities.key"] == .text("400000000 3078f800dfff febeffff7bcfffff fffffffffffffffe"))
        #expect(run.real.view["capabilities.ev"] == .text("120003"))
        // QEMU's table, transcribed, is what the device serves.
        #expect(run.model.view == (try linuxRunOnTable(.keyboard, serial: "kbd")).view)
    }

    /// QEMU 7.2's mouse and tablet choose their tables in instance_init, before properties are set:
    /// wheel-axis=off changes nothing a driver reads (REL_WHEEL stays, version stays 2).
    @Test(arguments: [("virtio-mouse-pci,wheel-axis=off", "103"), ("virtio-tablet-pci,wheel-axis=off", "100")])
    func wheelAxisOffIsIgnored(device: String, relative: String) throws {
        let run = try run(device)
        #expect(run.real.view["capabilities.rel"] == .text(relative), "REL_WHEEL (bit 8) is still there")
        #expect(run.real.view["id.version"] == .text("0002"))
    }

    /// virtiofsd as the back-end; QEMU serves tag and num_request_queues itself (`vuf_get_config`).
    @Test func virtiofsOverVirtiofsd() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-vfs-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder.appendingPathComponent("share"), withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let daemon = try VirtioFSDaemon(sharing: folder.appendingPathComponent("share").path,
                                        socketPath: folder.appendingPathComponent("vfs.sock").path)
        defer { daemon.stop() }
        let run = try run("vhost-user-fs-pci,chardev=vfs,tag=abcdefghijklmnopqrstuvwxyz0123456789",
                          arguments: ["-chardev", "socket,id=vfs,path=\(daemon.socketPath)"])
        daemon.stop()
        #expect(ProcessTable.isGone(daemon.process.pid))
        #expect(run.real.view["tag"] == .text("abcdefghijklmnopqrstuvwxyz0123456789"))
        #expect(run.real.view["request_queues"] == .number(1))
        #expect(run.real.configSize == 40)
    }

    /// virtiofsd serves two queues, and QEMU sets up every one at realize (`vhost_dev_init` sets each
    /// vring's error notifier), so more request queues need another back-end: cfgspace's own server,
    /// answering for eight. QEMU still serves the config itself.
    @Test func moreRequestQueuesOverCfgspacesServer() throws {
        let device = try ProbeTarget.builtinLayout(forID: 26, likely: "fs").device.asOf(nil)
        let server = try RunningServer(served: try ServedDevice(device: device, interpretation: .fixed,
                                                                offered: ServedDevice.defaultFeatures(of: device), values: []))
        defer { server.stop() }
        let run = try run("vhost-user-fs-pci,chardev=vfs,tag=q3,num-request-queues=3",
                          arguments: ["-chardev", "socket,id=vfs,path=\(server.socketPath)"])
        #expect(run.real.view["tag"] == .text("q3"))
        #expect(run.real.view["request_queues"] == .number(3))
    }

    /// The linux-6.1 model on the qemu model holding QEMU's transcribed table.
    private func linuxRunOnTable(_ kind: QEMUInputDevices.Kind, serial: String? = nil) throws -> Outcome {
        let device = try ProbeTarget.builtinLayout(forID: 18, likely: "input").device.asOf(nil)
        let driver = try #require(DriverKind.named("linux-6.1", for: device))
        return try Simulator(device: device).run(Scenario(driver: driver, device: .qemu,
                                                          selections: QEMUInputDevices.contents(kind, serial: serial)))
    }
}
