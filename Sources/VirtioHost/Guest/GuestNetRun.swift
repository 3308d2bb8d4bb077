import ConfigLayout
import Foundation
import VirtioModel

/// `cfgspace guest --device net`: QEMU's own virtio-net (mq=off, host_mtu=9000 by default) read by
/// the guest's own virtio_net, beside cfgspace's model of Linux's driver run against the same QEMU
/// device over qtest (`probe qemu --driver linux-current`). With MTU and without MQ, mtu sits at
/// offset 10 and max_virtqueue_pairs' bytes before it: a guest that brings eth0 up at host_mtu read
/// it at the fixed offset.
public enum GuestNetRun {
    public struct Options: Sendable {
        /// The `-device` value, without its netdev (a user-mode one is added).
        public var device: String
        public var layout: (path: String, device: Device)?
        public var image: GuestImage
        public var cpus: Int
        public var qemu: String?
        public var timeout: Duration

        public init(device: String = "virtio-net-pci,mq=off,host_mtu=9000", layout: (path: String, device: Device)? = nil,
                    image: GuestImage, cpus: Int = 2, qemu: String? = nil, timeout: Duration = .seconds(120)) {
            self.device = device
            self.layout = layout
            self.image = image
            self.cpus = cpus
            self.qemu = qemu
            self.timeout = timeout
        }
    }

    public struct Result: Sendable {
        public let probe: QEMUProbeResult
        /// The driver model's run against the real device.
        public let predicted: Outcome
        public let report: GuestReport
        public let rows: [GuestRow]
        /// The guest's QEMU, ended and reaped by now (the probe's is in `probe`).
        public let qemuProcess: Int32

        public var agrees: Bool { report.isComplete && rows.allSatisfy(\.agrees) }
    }

    public static func run(_ options: Options) throws(HostError) -> Result {
        let probe = try QEMUProbe.run(.init(device: options.device, layout: options.layout, drivers: ["linux-current"],
                                            qemu: options.qemu))
        guard let predicted = probe.driverRuns.first?.real else {
            throw HostError(.refused, "the driver model did not run against \(options.device)")
        }
        let machine = try GuestMachine(.init(
            image: options.image, cpus: options.cpus, memoryMiB: 256, kernelArguments: ["cfgspace.expect=net"],
            arguments: ["-netdev", "user,id=cfgspace-net", "-device", options.device + ",netdev=cfgspace-net"],
            executable: options.qemu, timeout: options.timeout))
        let report = try machine.finish()
        guard report.value("begin") != nil else {
            throw HostError(.refused, "the guest never reported; QEMU said: "
                            + machine.process.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        let mtuRead = predicted.reads.last { $0.field == "mtu" }
        let rows = [
            GuestRow(name: "features", predicted: DriverPrediction.featureBits(predicted.negotiated),
                     guest: report.value("eth0.features") ?? "—", source: "offered by QEMU, kept by the driver's table"),
            GuestRow(name: "mtu", predicted: predicted.value("mtu")?.description ?? "—", guest: report.value("eth0.mtu") ?? "—",
                     source: mtuRead.map { "mtu read at \($0.offset): " + hexBytes($0.bytes) }
                        ?? "mtu not read"),
            GuestRow(name: "address", predicted: predicted.value("mac")?.description ?? "—",
                     guest: report.value("eth0.address") ?? "—", source: "mac, read a byte at a time"),
        ]
        return Result(probe: probe, predicted: predicted, report: report, rows: rows, qemuProcess: machine.process.pid)
    }

}
