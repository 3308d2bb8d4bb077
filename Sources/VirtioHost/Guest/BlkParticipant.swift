import ConfigLayout
import Foundation
import VirtioModel

/// virtio-blk fed by cfgspace in a guest's boot: qemu-storage-daemon exports a file, cfgspace's
/// interposer sits in front of it (the data path passes straight through) and serves the config
/// under an interpretation, and QEMU's vhost-user-blk-pci presents it. Beside that, cfgspace
/// predicts the driver's view with its model of Linux 6.1's virtio_blk over the bytes it predicts
/// QEMU presents.
final class BlkParticipant: GuestParticipant {
    let options: GuestBlkRun.Options
    let label: String
    /// What the daemon offers, and what QEMU's front-end offers the guest.
    let daemonOffers: FeatureSet
    let qemuOffers: FeatureSet
    /// The device the interposer serves (nil when QEMU talks to the daemon directly).
    let served: ServedDevice?
    /// The config bytes cfgspace predicts QEMU presents to the guest.
    let presented: [UInt8]
    let prediction: DriverPrediction
    let predictedAfterResize: DriverPrediction?
    let daemonProcess: Int32
    private let daemon: StorageDaemon
    private let interposer: RunningServer?

    var reporter: String { "blk" }
    var needsSharedMemory: Bool { true }

    init(_ options: GuestBlkRun.Options) throws(HostError) {
        self.options = options
        label = "blk (\(options.throughInterposer ? options.interpretation.rawValue : "direct"))"
        let device = options.layout.device
        daemon = try StorageDaemon(.init(size: options.diskSize, queues: options.cpus, firstBytes: options.firstBytes))
        daemonProcess = daemon.process.pid
        do throws(HostError) {
            // The daemon serves one front-end at a time: ask it before the interposer connects.
            let upstream = try VhostUserProbe.run(socket: daemon.socketPath, layout: options.layout)
            var toFrontend = upstream.offered
            if let features = options.features {
                toFrontend = FeatureSet(bits: toFrontend.bits.filter { features.contains($0) || Interposer.transportBits.contains($0) })
            }
            daemonOffers = upstream.offered
            let settings = try Self.settingsDevice(options, offered: toFrontend)
            served = options.throughInterposer
                ? try Interposer.frontendDevice(upstreamConfig: upstream.bytes, offered: toFrontend, settings: settings) : nil
            let spec = try QEMUDeviceSpec.parse("vhost-user-blk-pci,num-queues=\(options.cpus)").get()
            let backendConfig = served?.bytes(modern: true) ?? upstream.bytes
            presented = QEMUFrontend.presented(backendConfig, by: spec, device: device, cpus: options.cpus)
            qemuOffers = QEMUFrontend.offered(backend: toFrontend, by: spec, device: device, cpus: options.cpus) ?? toFrontend
            guard let driver = DriverKind.named("linux-6.1", for: device) else {
                throw HostError(.refused, "no Linux 6.1 model drives \(device.name)")
            }
            prediction = driver.predict(device: device, offered: qemuOffers, presented: presented, cpus: options.cpus,
                                        label: "vhost-user-blk-pci")
            predictedAfterResize = options.resizeTo.map { [presented, qemuOffers] capacity in
                driver.predict(device: device, offered: qemuOffers, presented: presented,
                               changed: Self.resized(presented, capacity: capacity, device: device, offered: qemuOffers),
                               cpus: options.cpus, label: "vhost-user-blk-pci")
            }
            interposer = options.throughInterposer
                ? try RunningServer(upstream: daemon.socketPath, settings: settings, offerOnly: options.features) : nil
        } catch {
            daemon.stop()
            throw error
        }
    }

    var qemuArguments: [String] {
        let socket = interposer?.socketPath ?? daemon.socketPath
        return ["-chardev", "socket,id=cfgspace-vhost,path=\(socket)",
                "-device", "vhost-user-blk-pci,chardev=cfgspace-vhost,num-queues=\(options.cpus)"]
    }

    var kernelArguments: [String] {
        (options.resizeTo != nil ? ["cfgspace.blk.resize=1"] : []) + (options.readMiB.map { ["cfgspace.blk.read=\($0)"] } ?? [])
    }

    /// A resize: once the guest has reported, `set capacity=` on the interposer, as on serve's stdin.
    func whileRunning(_ machine: GuestMachine) throws(HostError) {
        guard let capacity = options.resizeTo, try machine.waitFor("vda.waiting") != nil else { return }
        guard let interposer else { throw HostError(.refused, "a resize needs the interposer") }
        try interposer.command("set capacity=\(capacity)")
    }

    func rows(_ report: GuestReport) -> [GuestRow] {
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
        return rows.map { GuestRow(device: label, name: $0.name, predicted: $0.predicted, guest: $0.guest, source: $0.source) }
    }

    func stop() {
        interposer?.stop()
        daemon.stop()
    }

    /// The presented bytes with a new capacity, as the interposer's `set capacity=` makes QEMU present them.
    static func resized(_ presented: [UInt8], capacity: UInt64, device: Device, offered: FeatureSet) -> [UInt8] {
        var bytes = presented
        guard let placed = Layout(device: device, features: offered, interpretation: .fixed).field("capacity"),
              let offset = placed.offset, offset + placed.size <= bytes.count else { return bytes }
        for index in 0..<placed.size { bytes[offset + index] = UInt8(truncatingIfNeeded: capacity >> (8 * UInt64(index))) }
        return bytes
    }

    /// The interposer's settings: the layout, the interpretation, and the values set by hand.
    static func settingsDevice(_ options: GuestBlkRun.Options, offered: FeatureSet) throws(HostError) -> ServedDevice {
        do {
            return try ServedDevice(device: options.layout.device, interpretation: options.interpretation, offered: offered,
                                    values: options.values)
        } catch {
            throw HostError(.refused, error.description)
        }
    }
}
