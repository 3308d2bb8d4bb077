import ConfigLayout
import Foundation
import VirtioModel

/// `cfgspace guest --device NAME` for devices QEMU makes itself: each device's driver model probes
/// the same device over qtest first, then one guest boots with all of them, and each value its own
/// drivers show is held against the model's.
public enum GuestDeviceRun {
    public struct Options: Sendable {
        /// The devices, each with its `-device` value (nil for the device's default).
        public var devices: [(device: GuestDevice, spec: String?)]
        /// A layout to hold a device against instead of the built-in one, by device name.
        public var layouts: [String: (path: String, device: Device)]
        public var image: GuestImage
        public var cpus: Int
        public var qemu: String?
        public var timeout: Duration

        public init(devices: [(device: GuestDevice, spec: String?)], layouts: [String: (path: String, device: Device)] = [:],
                    image: GuestImage, cpus: Int = 2, qemu: String? = nil, timeout: Duration = .seconds(180)) {
            self.devices = devices
            self.layouts = layouts
            self.image = image
            self.cpus = cpus
            self.qemu = qemu
            self.timeout = timeout
        }
    }

    public struct Result: Sendable {
        /// Each device's probe over qtest, with its driver model's run against it.
        public let probes: [QEMUProbeResult]
        public let report: GuestReport
        public let rows: [GuestRow]
        /// The guest's QEMU, ended and reaped by now (each probe's is in its result).
        public let qemuProcess: Int32
        /// The back-end processes (virtiofsd) of the probes and the guest, stopped by now.
        public let backendProcesses: [Int32]

        public var agrees: Bool { report.isComplete && rows.allSatisfy(\.agrees) }
    }

    public static func run(_ options: Options) throws(HostError) -> Result {
        var participants: [OwnDeviceParticipant] = []
        defer { participants.forEach { $0.stop() } }
        for (device, spec) in options.devices {
            let instance = participants.filter { $0.device.name == device.name }.count + 1
            participants.append(try OwnDeviceParticipant(device, spec: spec, layout: options.layouts[device.name],
                                                         cpus: options.cpus, qemu: options.qemu, instance: instance))
        }
        let memory = max(256, participants.compactMap(\.device.memoryMiB).max() ?? 256)
        let deviceMemory = participants.compactMap(\.device.deviceMemoryMiB).max() ?? 0
        let (report, process) = try GuestSession.run(participants, .init(image: options.image, cpus: options.cpus,
                                                                          memoryMiB: memory, deviceMemoryMiB: deviceMemory,
                                                                          qemu: options.qemu, timeout: options.timeout))
        return Result(probes: participants.map(\.probe), report: report, rows: participants.flatMap { $0.rows(report) },
                      qemuProcess: process, backendProcesses: participants.flatMap(\.backendProcesses))
    }
}
