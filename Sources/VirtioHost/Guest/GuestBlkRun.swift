import ConfigLayout
import Foundation
import VirtioModel

/// `cfgspace guest --device blk`: a real Linux guest's own virtio_blk reads a disk whose config
/// comes from cfgspace. qemu-storage-daemon exports a file; cfgspace's interposer sits in front of
/// it (the data path passes straight through) and serves the config under the chosen
/// interpretation; QEMU's vhost-user-blk-pci presents it; the guest boots, loads virtio_blk and
/// reports what the driver made of it. Beside that, cfgspace predicts the same view with its model
/// of Linux 6.1's driver over the bytes it predicts QEMU presents.
public enum GuestBlkRun {
    public struct Options: Sendable {
        public var layout: (path: String, device: Device)
        public var interpretation: Interpretation
        /// The device features the guest may see, of the daemon's (transport bits pass through);
        /// nil for all of them.
        public var features: FeatureSet?
        /// Values set by hand over the daemon's (`--set`).
        public var values: [(path: String, value: FieldValue)]
        public var cpus: Int
        public var diskSize: UInt64
        /// The disk's first bytes, which the guest's first read must return.
        public var firstBytes: [UInt8]
        /// Once the guest has reported, `set capacity=` to this on the interposer, as on serve's stdin.
        public var resizeTo: UInt64?
        /// MiB the guest reads from the disk, timed by the guest's kernel clock.
        public var readMiB: Int?
        /// false: QEMU talks straight to the daemon (the baseline for the read benchmark).
        public var throughInterposer: Bool
        public var image: GuestImage
        public var qemu: String?
        public var timeout: Duration

        public init(layout: (path: String, device: Device), image: GuestImage, interpretation: Interpretation = .fixed,
                    features: FeatureSet? = nil, values: [(path: String, value: FieldValue)] = [], cpus: Int = 2,
                    diskSize: UInt64 = 1 << 30, firstBytes: [UInt8] = Array("cfgspace guest disk\n".utf8),
                    resizeTo: UInt64? = nil, readMiB: Int? = nil, throughInterposer: Bool = true, qemu: String? = nil,
                    timeout: Duration = .seconds(120)) {
            self.layout = layout
            self.image = image
            self.interpretation = interpretation
            self.features = features
            self.values = values
            self.cpus = cpus
            self.diskSize = diskSize
            self.firstBytes = firstBytes
            self.resizeTo = resizeTo
            self.readMiB = readMiB
            self.throughInterposer = throughInterposer
            self.qemu = qemu
            self.timeout = timeout
        }
    }

    public struct Result {
        public let interpretation: Interpretation
        /// What the daemon offers, and what QEMU's front-end offers the guest.
        public let daemonOffers: FeatureSet
        public let qemuOffers: FeatureSet
        /// The device the interposer serves (nil when QEMU talks to the daemon directly).
        public let served: ServedDevice?
        /// The config bytes cfgspace predicts QEMU presents to the guest.
        public let presented: [UInt8]
        public let prediction: DriverPrediction
        /// The prediction after the resize, when there was one.
        public let predictedAfterResize: DriverPrediction?
        public let report: GuestReport
        public let rows: [GuestRow]
        /// Seconds the guest took to read `readMiB` MiB, by its kernel's clock.
        public let readSeconds: Double?
        public let device: Device
        /// The processes the run started (daemon, QEMU), every one ended and reaped by now.
        public let processes: [Int32]

        public var agrees: Bool { report.isComplete && rows.allSatisfy(\.agrees) }
    }

    public static func run(_ options: Options) throws(HostError) -> Result {
        let device = options.layout.device
        let daemon = try StorageDaemon(.init(size: options.diskSize, queues: options.cpus, firstBytes: options.firstBytes))
        defer { daemon.stop() }
        // The daemon serves one front-end at a time: ask it before the interposer connects.
        let upstream = try VhostUserProbe.run(socket: daemon.socketPath, layout: options.layout)
        var toFrontend = upstream.offered
        if let features = options.features {
            toFrontend = FeatureSet(bits: toFrontend.bits.filter { features.contains($0) || Interposer.transportBits.contains($0) })
        }
        let settings = try settingsDevice(options, offered: toFrontend)
        let served = options.throughInterposer
            ? try Interposer.frontendDevice(upstreamConfig: upstream.bytes, offered: toFrontend, settings: settings) : nil
        let spec = try QEMUDeviceSpec.parse("vhost-user-blk-pci,num-queues=\(options.cpus)").get()
        let backendConfig = served?.bytes(modern: true) ?? upstream.bytes
        let presented = QEMUFrontend.presented(backendConfig, by: spec, device: device, cpus: options.cpus)
        let qemuOffers = QEMUFrontend.offered(backend: toFrontend, by: spec, device: device, cpus: options.cpus) ?? toFrontend
        let driver = DriverKind.named("linux-6.1", for: device)
        guard let driver else { throw HostError(.refused, "no Linux 6.1 model drives \(device.name)") }
        let prediction = driver.predict(device: device, offered: qemuOffers, presented: presented, cpus: options.cpus,
                                        label: "vhost-user-blk-pci")
        let predictedAfterResize = options.resizeTo.map { capacity in
            driver.predict(device: device, offered: qemuOffers, presented: presented,
                           changed: resized(presented, capacity: capacity, device: device, offered: qemuOffers),
                           cpus: options.cpus, label: "vhost-user-blk-pci")
        }

        let (report, qemuProcess) = try boot(options, daemon: daemon, settings: settings)
        // The guest reports /sys before the resize and its kernel log after it.
        var rows = GuestComparison.rows(predicted: prediction, log: (predictedAfterResize ?? prediction).view.log,
                                        guest: GuestComparison.view(report), guestFeatures: report.value("vda.features") ?? "",
                                        served: served)
        if prediction.view["disk"] == .text("vda") {
            var block = Array(options.firstBytes.prefix(512))
            block += [UInt8](repeating: 0, count: 512 - block.count)
            rows.append(GuestRow(name: "first block", predicted: CRC32.hex(CRC32.of(block)), guest: report.value("vda.crc32") ?? "—",
                                 source: "CRC-32 of the disk's first 512 bytes, read through the data path"))
        }
        if let capacity = options.resizeTo, let predictedAfterResize {
            rows.append(GuestRow(name: "size after resize", predicted: predictedAfterResize.view["size"]?.description ?? "—",
                                 guest: report.value("vda.resized") ?? "—",
                                 source: "set capacity=\(capacity) on the interposer while the guest runs"))
        }
        return Result(interpretation: options.interpretation, daemonOffers: upstream.offered, qemuOffers: qemuOffers,
                      served: served, presented: presented, prediction: prediction, predictedAfterResize: predictedAfterResize,
                      report: report, rows: rows, readSeconds: readSeconds(report), device: device,
                      processes: [daemon.process.pid, qemuProcess])
    }

    /// The presented bytes with a new capacity, as the interposer's `set capacity=` makes QEMU present them.
    private static func resized(_ presented: [UInt8], capacity: UInt64, device: Device, offered: FeatureSet) -> [UInt8] {
        var bytes = presented
        guard let placed = Layout(device: device, features: offered, interpretation: .fixed).field("capacity"),
              let offset = placed.offset, offset + placed.size <= bytes.count else { return bytes }
        for index in 0..<placed.size { bytes[offset + index] = UInt8(truncatingIfNeeded: capacity >> (8 * UInt64(index))) }
        return bytes
    }

    /// The interposer's settings: the layout, the interpretation, and the values set by hand.
    private static func settingsDevice(_ options: Options, offered: FeatureSet) throws(HostError) -> ServedDevice {
        do {
            return try ServedDevice(device: options.layout.device, interpretation: options.interpretation, offered: offered,
                                    values: options.values)
        } catch {
            throw HostError(.refused, error.description)
        }
    }

    /// Boots the guest against the interposer (on a thread of its own, as `serve --upstream` runs
    /// it) or straight against the daemon, and reads its report.
    private static func boot(_ options: Options, daemon: StorageDaemon,
                             settings: ServedDevice) throws(HostError) -> (GuestReport, Int32) {
        var socket = daemon.socketPath
        let interposer = options.throughInterposer
            ? try RunningServer(upstream: daemon.socketPath, settings: settings, offerOnly: options.features) : nil
        if let interposer { socket = interposer.socketPath }
        defer { interposer?.stop() }
        var kernelArguments = ["cfgspace.expect=blk"]
        if options.resizeTo != nil { kernelArguments.append("cfgspace.resize=1") }
        if let mib = options.readMiB { kernelArguments.append("cfgspace.read=\(mib)") }
        let machine = try GuestMachine(.init(
            image: options.image, cpus: options.cpus, kernelArguments: kernelArguments,
            arguments: ["-chardev", "socket,id=cfgspace-vhost,path=\(socket)",
                        "-device", "vhost-user-blk-pci,chardev=cfgspace-vhost,num-queues=\(options.cpus)"],
            sharedMemory: true, executable: options.qemu, timeout: options.timeout))
        if let capacity = options.resizeTo, try machine.waitFor("vda.waiting") != nil {
            guard let interposer else { throw HostError(.refused, "a resize needs the interposer") }
            try interposer.command("set capacity=\(capacity)")
        }
        return (try finish(machine), machine.process.pid)
    }

    private static func finish(_ machine: GuestMachine) throws(HostError) -> GuestReport {
        let report = try machine.finish()
        guard report.value("begin") != nil else {
            throw HostError(.refused, "the guest never reported; QEMU said: "
                            + machine.process.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return report
    }

    /// The read's duration from the kernel log's markers, in seconds.
    private static func readSeconds(_ report: GuestReport) -> Double? {
        guard let start = report.value("read.start_us").flatMap(Double.init),
              let end = report.value("read.end_us").flatMap(Double.init), end >= start else { return nil }
        return (end - start) / 1e6
    }
}
