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
        let result = try GuestDeviceRun.run(.init(devices: [(NetGuestDevice.device, options.device)],
                                                  layouts: options.layout.map { ["net": $0] } ?? [:], image: options.image,
                                                  cpus: options.cpus, qemu: options.qemu, timeout: options.timeout))
        guard let probe = result.probes.first, let predicted = probe.driverRuns.first?.real else {
            throw HostError(.refused, "the driver model did not run against \(options.device)")
        }
        return Result(probe: probe, predicted: predicted, report: result.report, rows: result.rows,
                      qemuProcess: result.qemuProcess)
    }
}
