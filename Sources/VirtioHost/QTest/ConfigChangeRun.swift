import ConfigLayout
import VirtioModel

/// The probe's own driver (`--driver basic`) watching config_generation while the configuration
/// changes: from outside, through QMP (`set_link`, `balloon`), and by the driver's own write
/// (balloon's `actual`), before and after DRIVER_OK. Each case runs against the real device and,
/// step for step, against the `qemu` model set up as the device is, and against a device that
/// follows the spec's every-change rule; the first two traces must be equal.
struct ConfigChangeRun {
    /// One change and when it comes.
    struct Case {
        enum Change {
            /// A QMP command; the device changes `field` and notifies (`virtio_notify_config`).
            case qmp(String, [String: Any], field: String)
            /// The driver writes `value` to `field`.
            case driverWrite(field: String, value: UInt64)
        }

        let name: String
        /// The field read before and after the change.
        let field: String
        let change: Change
        /// DRIVER_OK is set before the change; otherwise after it.
        let afterDriverOK: Bool
        /// Whether QEMU moves the generation for it: a notification after DRIVER_OK.
        var generationMoves: Bool {
            if case .qmp = change { afterDriverOK } else { false }
        }
    }

    /// The cases for a device: net's link change before and after DRIVER_OK; balloon's driver
    /// write of actual, and a new target after DRIVER_OK. Others have none.
    static func cases(for device: Device, id: String, ramSize: UInt64) -> [Case] {
        switch device.name {
        case "net" where device.bit(named: "STATUS") != nil:
            // virtio_net_set_link_status (hw/net/virtio-net.c): LINK_UP follows the link; a change notifies.
            return [Case(name: "link down before DRIVER_OK", field: "status",
                         change: .qmp("set_link", ["name": id, "up": false], field: "status"), afterDriverOK: false),
                    Case(name: "link up after DRIVER_OK", field: "status",
                         change: .qmp("set_link", ["name": id, "up": true], field: "status"), afterDriverOK: true)]
        case "balloon":
            // virtio_balloon_set_config takes actual without a notification; virtio_balloon_to_target
            // sets num_pages = (ram - target) >> 12 and notifies (hw/virtio/virtio-balloon.c).
            return [Case(name: "driver writes actual", field: "actual", change: .driverWrite(field: "actual", value: 256),
                         afterDriverOK: true),
                    Case(name: "new balloon target after DRIVER_OK", field: "num_pages",
                         change: .qmp("balloon", ["value": Int(ramSize / 2)], field: "num_pages"), afterDriverOK: true)]
        default:
            return []
        }
    }

    let machine: QEMUMachine
    let registers: any VirtioRegisters
    let label: String
    let device: Device
    let offered: FeatureSet
    let configSize: Int
    let properties: QemuProperties

    /// Runs one case on the real device, the `qemu` model and a spec-rule device, in that order.
    func run(_ change: Case) throws(HostError) -> QEMUProbeResult.ChangeRun {
        try registers.writeStatus(0)
        let layout = Layout(device: device, features: offered, interpretation: .fixed)
        let encoding = ConfigImage.Encoding(isModern: device.isSet("VERSION_1", in: offered), guestIsLittleEndian: true)
        let bytes = try ConfigReader(registers: registers).read(count: configSize, layout: layout)
        let values = ConfigDecoder.decode(bytes, layout: layout, encoding: encoding).compactMap { decoded in
            decoded.value.map { (path: decoded.field.path, value: $0) }
        }
        let generation = try registers.readGeneration() ?? 0

        let realTrace = Trace(), modelTrace = Trace(), specTrace = Trace()
        let port = QEMURegisterPort(registers, label: label)
        let real = RemoteDevice(port: port, name: "qemu", device: device, offered: offered, configSize: configSize,
                                configBytes: bytes, trace: realTrace)
        let model: DeviceModel, spec: DeviceModel
        do {
            model = try QEMUDevice(device: device, offered: offered, values: values, properties: properties,
                                   generation: generation, trace: modelTrace)
            spec = try DeviceModel(serving: device, offered: offered, values: values, sizing: .qemu,
                                   generationPolicy: .everyChange, trace: specTrace)
        } catch {
            throw HostError(.refused, "the models could not take what the device served: \(error.description)")
        }
        var before: UInt32 = 0, after: UInt32 = 0
        var changed: (from: FieldValue?, to: FieldValue?) = (nil, nil)
        // What the device holds once QEMU has made the change: the models are told the same.
        var served: FieldValue?
        for side in [real, model, spec] {
            let outcome = try drive(side, change, layout: layout, encoding: encoding) { () throws(HostError) -> FieldValue in
                if side === real, case .qmp(let command, let arguments, let field) = change.change {
                    try machine.qmp.execute(command, arguments)
                    let now = try ConfigReader(registers: registers).read(count: configSize, layout: layout)
                    served = ConfigDecoder.decode(now, layout: layout, encoding: encoding).first { $0.field.path == field }?.value
                }
                return served ?? .integer(0)
            }
            if side === real { (before, after, changed) = (outcome.before, outcome.after, outcome.changed) }
        }
        if let failure = port.failure { throw HostError(.protocolViolation, "the device stopped answering: \(failure)") }
        return .init(name: change.name, field: change.field, change: Self.describe(change.change),
                     afterDriverOK: change.afterDriverOK, expectsMove: change.generationMoves,
                     generationBefore: before, generationAfter: after, valueBefore: changed.from, valueAfter: changed.to,
                     real: realTrace.entries, model: modelTrace.entries, spec: specTrace.entries,
                     differences: TraceDiff.compare(real: realTrace.entries, model: modelTrace.entries, device: device),
                     specDifferences: TraceDiff.compare(real: realTrace.entries, model: specTrace.entries, device: device))
    }

    /// The case on one side: the spec's initialization to FEATURES_OK (and DRIVER_OK when the change
    /// comes after it), the generation and the field read, the change, and both read again.
    private func drive(_ side: DeviceModel, _ change: Case, layout: Layout, encoding: ConfigImage.Encoding,
                       served: () throws(HostError) -> FieldValue) throws(HostError)
        -> (before: UInt32, after: UInt32, changed: (from: FieldValue?, to: FieldValue?)) {
        guard let placed = layout.field(change.field), let offset = placed.offset else {
            throw HostError(.refused, "\(device.name) has no field \(change.field)")
        }
        let ready: DeviceStatus = [.acknowledge, .driver, .featuresOK]
        side.writeStatus([])
        side.writeStatus(.acknowledge)
        side.writeStatus([.acknowledge, .driver])
        for window in 0..<2 { _ = side.readDeviceFeatureWindow(window) }
        for window in 0..<2 { side.writeDriverFeatureWindow(window, offered.window(window)) }
        side.writeStatus(ready)
        _ = side.readStatus()
        if change.afterDriverOK { side.writeStatus(ready.union(.driverOK)) }
        func observe() -> (generation: UInt32, value: FieldValue?) {
            let generation = side.readGeneration()
            var buffer = [UInt8](repeating: 0, count: placed.size)
            side.readConfig(offset: offset, into: &buffer, field: change.field)
            return (generation, ConfigDecoder.value(of: buffer, as: placed.field.type, encoding))
        }
        let first = observe()
        switch change.change {
        case .qmp(_, _, let field):
            let value = try served()
            do {
                try side.deviceChange(field, to: value)
            } catch {
                throw HostError(.refused, "\(field) cannot take what the device served: \(error.description)")
            }
        case .driverWrite(let field, let value):
            guard let target = layout.field(field), let at = target.offset else {
                throw HostError(.refused, "\(device.name) has no field \(field)")
            }
            side.writeConfig(offset: at, bytes: ConfigImage.integerBytes(value, width: target.size), field: field)
        }
        var second = observe()
        if !change.afterDriverOK {
            side.writeStatus(ready.union(.driverOK))
            second = observe()
        }
        return (first.generation, second.generation, (first.value, second.value))
    }

    private static func describe(_ change: Case.Change) -> String {
        switch change {
        case .qmp(let command, let arguments, _):
            "QMP \(command) " + arguments.keys.sorted().map { "\($0)=\(arguments[$0].map { "\($0)" } ?? "")" }.joined(separator: ",")
        case .driverWrite(let field, let value):
            "the driver writes \(field) = \(value)"
        }
    }
}
