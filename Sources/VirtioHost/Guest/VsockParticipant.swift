import ConfigLayout
import Foundation
import VirtioModel

/// virtio-vsock fed by cfgspace in a guest's boot: serve holds the config under an interpretation,
/// QEMU's vhost-user-vsock-pci fetches it at realize and presents it, and the guest's
/// vmw_vsock_virtio_transport reads guest_cid. Beside that, cfgspace's model of Linux 6.1's driver
/// predicts what the guest's ioctl answers from the bytes cfgspace predicts QEMU presents. serve
/// answers the vhost-user start-up and leaves the queues alone; the probe needs nothing more.
final class VsockParticipant: GuestParticipant {
    let label: String
    let served: ServedDevice
    /// What QEMU's front-end offers the guest and the config it presents.
    let qemuOffers: FeatureSet
    let presented: [UInt8]
    let prediction: DriverPrediction
    private let server: RunningServer
    private let spec = "vhost-user-vsock-pci"

    var reporter: String { "vsock" }
    var needsSharedMemory: Bool { true }

    /// What serve offers unless told otherwise: SEQPACKET and the ring features Linux takes.
    static let offered = "SEQPACKET,INDIRECT_DESC,EVENT_IDX,VERSION_1"

    init(device: Device, options: FedOptions) throws(HostError) {
        label = "vsock (\(options.interpretation.rawValue))"
        guard let offered = options.features ?? (try? device.parseFeatures(Self.offered).get()) else {
            throw HostError(.refused, "vsock's layout lacks \(Self.offered)")
        }
        let values = options.values.isEmpty ? [(path: "guest_cid", value: FieldValue.integer(VsockGuestDevice.defaultCID))]
            : options.values
        do {
            served = try ServedDevice(device: device, interpretation: options.interpretation, offered: offered, values: values)
        } catch {
            throw HostError(.refused, error.description)
        }
        guard let frontend = try? QEMUDeviceSpec.parse(spec).get() else { throw HostError(.refused, "'\(spec)' did not parse") }
        presented = QEMUFrontend.presented(served.bytes(modern: true), by: frontend, device: device)
        qemuOffers = QEMUFrontend.offered(backend: offered, by: frontend, device: device) ?? offered
        guard let driver = DriverKind.named("linux-6.1", for: device) else {
            throw HostError(.refused, "no Linux 6.1 model drives \(device.name)")
        }
        prediction = driver.predict(device: device, offered: qemuOffers, presented: presented, cpus: options.cpus,
                                    label: spec)
        server = try RunningServer(served: served, queues: 3)
    }

    var qemuArguments: [String] {
        ["-chardev", "socket,id=cfgspace-vsock,path=\(server.socketPath)", "-device", "\(spec),chardev=cfgspace-vsock"]
    }

    func rows(_ report: GuestReport) -> [GuestRow] {
        var rows = [GuestRow(device: label, name: "features", predicted: prediction.featureBits,
                             guest: report.value("vsock.features") ?? "—",
                             source: "offered by serve, masked by QEMU's front-end, kept by the driver's table")]
        rows.append(GuestRow(device: label, name: "probe", predicted: prediction.failure.map { "failed: \($0)" } ?? "ok",
                             guest: report.value("vsock.probe") ?? "—", source: "virtio_vsock_probe"))
        for entry in prediction.view.entries {
            rows.append(GuestRow(device: label, name: entry.name, predicted: entry.value.description,
                                 guest: report.value("vsock.\(entry.name)") ?? "—", source: source(of: entry)))
        }
        return rows
    }

    /// The driver's read of a field and what serve served for it.
    private func source(of entry: DriverView.Entry) -> String {
        entry.fields.map { field in
            var parts = [prediction.reads.last { $0.field == field }.map { "\(field) read at \($0.offset): " + hexBytes($0.bytes) }
                ?? "\(field) not read"]
            if let placed = served.image.layout.field(field), let offset = placed.offset, let value = served.image.value(field) {
                parts.append("served \(value.description) at \(offset) (\(served.interpretation.rawValue))")
            }
            return parts.joined(separator: "; ")
        }.joined(separator: "; ")
    }

    func stop() {
        server.stop()
    }
}
