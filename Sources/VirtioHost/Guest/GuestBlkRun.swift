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
        let disk = try BlkParticipant(options)
        let session = GuestSession.Options(image: options.image, cpus: options.cpus, memoryMiB: 512, qemu: options.qemu,
                                           timeout: options.timeout)
        let (report, qemuProcess) = try GuestSession.run([disk], session)
        return Result(interpretation: options.interpretation, daemonOffers: disk.daemonOffers, qemuOffers: disk.qemuOffers,
                      served: disk.served, presented: disk.presented, prediction: disk.prediction,
                      predictedAfterResize: disk.predictedAfterResize, report: report, rows: disk.rows(report),
                      readSeconds: readSeconds(report), device: options.layout.device,
                      processes: [disk.daemonProcess, qemuProcess])
    }

    /// The read's duration from the kernel log's markers, in seconds.
    private static func readSeconds(_ report: GuestReport) -> Double? {
        guard let start = report.value("read.start_us").flatMap(Double.init),
              let end = report.value("read.end_us").flatMap(Double.init), end >= start else { return nil }
        return (end - start) / 1e6
    }
}
