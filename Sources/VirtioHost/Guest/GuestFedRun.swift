import ConfigLayout
import VirtioModel

/// `cfgspace guest --device NAME` for a device cfgspace feeds over vhost-user other than blk (which
/// has its own run, with a disk behind it): the device's participant starts what feeds it, one guest
/// boots with it, and each value the guest's driver shows is held against the model's prediction.
public enum GuestFedRun {
    public struct Result: Sendable {
        /// The device as the rows name it: `vsock (fixed)`.
        public let label: String
        public let report: GuestReport
        public let rows: [GuestRow]
        /// The guest's QEMU, ended and reaped by now.
        public let qemuProcess: Int32

        public var agrees: Bool { report.isComplete && rows.allSatisfy(\.agrees) }
    }

    public static func run(_ device: GuestDevice, _ options: FedOptions, timeout: Duration = .seconds(180)) throws(HostError) -> Result {
        guard case .fed(let make) = device.presentation else {
            throw HostError(.refused, "\(device.name) is made by QEMU, not fed by cfgspace")
        }
        let participant = try make(options)
        defer { participant.stop() }
        let (report, process) = try GuestSession.run([participant], .init(image: options.image, cpus: options.cpus,
                                                                          memoryMiB: device.memoryMiB ?? 256,
                                                                          qemu: options.qemu, timeout: timeout))
        return Result(label: participant.label, report: report, rows: participant.rows(report), qemuProcess: process)
    }
}
