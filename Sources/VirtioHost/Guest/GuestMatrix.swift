import ConfigLayout
import Foundation
import VirtioModel

/// `cfgspace guest --matrix`: every device a guest's own driver can read, in as few boots as the
/// devices allow. The first boot holds every device QEMU makes itself and every fed device under
/// the fixed interpretation; the second, every fed device under packed, where the model predicts
/// each misread. Both boot the generic kernel when any device needs it, else the cloud one.
public enum GuestMatrix {
    public struct Options: Sendable {
        public var devices: [GuestDevice]
        /// The layout of each device cfgspace feeds, by the device's name, as the caller loaded it.
        public var fedLayouts: [String: (path: String, device: Device)]
        public var cpus: Int
        public var qemu: String?
        public var timeout: Duration

        public init(devices: [GuestDevice] = GuestDevice.all, fedLayouts: [String: (path: String, device: Device)],
                    cpus: Int = 2, qemu: String? = nil, timeout: Duration = .seconds(240)) {
            self.devices = devices
            self.fedLayouts = fedLayouts
            self.cpus = cpus
            self.qemu = qemu
            self.timeout = timeout
        }
    }

    public struct Boot: Sendable {
        /// What the boot held, for the report: `console, balloon, blk (fixed)`.
        public let devices: [String]
        public let report: GuestReport
        public let seconds: Double
    }

    public struct Result: Sendable {
        public let kernel: GuestKernel
        public let boots: [Boot]
        public let rows: [GuestRow]
        /// The whole matrix, from the first probe to the last boot's power-off.
        public let seconds: Double

        public var agrees: Bool { boots.allSatisfy(\.report.isComplete) && rows.allSatisfy(\.agrees) }
    }

    public static func run(_ options: Options) throws(HostError) -> Result {
        let start = ContinuousClock.now
        let kernel = options.devices.map(\.kernel).max() ?? .cloud
        let image = try GuestImage.ensure(kernel: kernel)
        let session = GuestSession.Options(image: image, cpus: options.cpus,
                                           memoryMiB: max(512, options.devices.compactMap(\.memoryMiB).max() ?? 512),
                                           deviceMemoryMiB: options.devices.compactMap(\.deviceMemoryMiB).max() ?? 0,
                                           qemu: options.qemu, timeout: options.timeout)
        var boots: [Boot] = []
        var rows: [GuestRow] = []
        for interpretation in [Interpretation.fixed, .packed] {
            var participants: [any GuestParticipant] = []
            defer { participants.forEach { $0.stop() } }
            for device in options.devices {
                switch device.presentation {
                case .qemu where interpretation == .fixed:
                    participants.append(try OwnDeviceParticipant(device, layout: nil, cpus: options.cpus, qemu: options.qemu))
                case .fed(let make):
                    guard let layout = options.fedLayouts[device.name] else {
                        throw HostError(.refused, "no layout was given for \(device.name), which cfgspace feeds")
                    }
                    participants.append(try make(FedOptions(layout: layout, interpretation: interpretation, image: image,
                                                            cpus: options.cpus, qemu: options.qemu)))
                default:
                    continue
                }
            }
            guard !participants.isEmpty else { continue }
            let bootStart = ContinuousClock.now
            let (report, _) = try GuestSession.run(participants, session)
            boots.append(Boot(devices: participants.map(\.label), report: report, seconds: seconds(since: bootStart)))
            rows += participants.flatMap { $0.rows(report) }
        }
        return Result(kernel: kernel, boots: boots, rows: rows, seconds: seconds(since: start))
    }

    private static func seconds(since start: ContinuousClock.Instant) -> Double {
        let elapsed = ContinuousClock.now - start
        return Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
    }
}
