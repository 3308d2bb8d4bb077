import ConfigLayout
import Foundation
import VirtioModel
import Rendering

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
    /// guest_cid as serve changes it while the guest runs, and the driver's view after that change.
    let changedCID: UInt64
    let predictedAfterChange: DriverPrediction
    /// What serve held for each field at the start (`served` follows its later `set`s).
    private let servedAtStart: [String: String]
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
        let image = served.image
        servedAtStart = Dictionary(uniqueKeysWithValues: image.layout.fields.compactMap { placed in
            image.value(placed.path).map { (placed.path, $0.description) }
        })
        guard let frontend = try? QEMUDeviceSpec.parse(spec).get() else { throw HostError(.refused, "'\(spec)' did not parse") }
        presented = QEMUFrontend.presented(served.bytes(modern: true), by: frontend, device: device)
        qemuOffers = QEMUFrontend.offered(backend: offered, by: frontend, device: device) ?? offered
        guard let driver = DriverKind.named("linux-6.1", for: device) else {
            throw HostError(.refused, "no Linux 6.1 model drives \(device.name)")
        }
        prediction = driver.predict(device: device, offered: qemuOffers, presented: presented, cpus: options.cpus,
                                    label: spec)
        // A CID the guest could tell from the first: QEMU fetches it again and notifies
        // (`vuv_handle_config_change`, hw/virtio/vhost-user-vsock.c); Linux has no config_changed.
        changedCID = prediction.view["local_cid"] == .number(7) ? 8 : 7
        let changed: ServedDevice
        do {
            changed = try ServedDevice(device: device, interpretation: options.interpretation, offered: offered,
                                       values: values.filter { $0.path != "guest_cid" } + [("guest_cid", .integer(changedCID))])
        } catch {
            throw HostError(.refused, error.description)
        }
        predictedAfterChange = driver.predict(device: device, offered: qemuOffers, presented: presented,
                                              changed: QEMUFrontend.presented(changed.bytes(modern: true), by: frontend, device: device),
                                              cpus: options.cpus, label: spec)
        server = try RunningServer(served: served, queues: 3)
    }

    var qemuArguments: [String] {
        ["-chardev", "socket,id=cfgspace-vsock,path=\(server.socketPath)", "-device", "\(spec),chardev=cfgspace-vsock"]
    }

    var kernelArguments: [String] { ["cfgspace.vsock.change=1"] }

    /// Once the guest has asked for its CID, `set guest_cid=` on serve, as on serve's stdin.
    func whileRunning(_ machine: GuestMachine) throws(HostError) {
        guard try machine.waitFor("vsock.waiting") != nil else { return }
        try server.command("set guest_cid=\(changedCID)")
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
        let change = "set guest_cid=\(changedCID) on serve while the guest runs"
        rows.append(GuestRow(device: label, name: "config interrupt", predicted: "seen",
                             guest: report.value("vsock.changed.interrupt") ?? "—",
                             source: change + ": QEMU fetches the config again and notifies"))
        rows.append(GuestRow(device: label, name: "local_cid after the change",
                             predicted: predictedAfterChange.view["local_cid"]?.description ?? "—",
                             guest: report.value("vsock.changed.local_cid") ?? "—",
                             source: change + ": no config_changed, so the driver keeps the CID it read"))
        return rows
    }

    /// The driver's read of a field and what serve served for it.
    private func source(of entry: DriverView.Entry) -> String {
        entry.fields.map { field in
            var parts = [prediction.reads.last { $0.field == field }.map { "\(field) read at \($0.offset): " + hexBytes($0.bytes) }
                ?? "\(field) not read"]
            if let placed = served.image.layout.field(field), let offset = placed.offset, let value = servedAtStart[field] {
                parts.append("served \(value) at \(offset) (\(served.interpretation.rawValue))")
            }
            return parts.joined(separator: "; ")
        }.joined(separator: "; ")
    }

    func stop() {
        server.stop()
    }
}
