import ConfigLayout

/// A device that reads the spec's "only exists if" literally: absent fields take no bytes, so later
/// fields move up. Non-conforming by the spec's own intent (MST, 2021-03-01: "This text was never
/// intended to imply that field offsets change based on feature bits"); no implementation found
/// does this. It shows what a literal reading would serve. Its config_generation follows the spec's
/// reading too: every change of value moves it (`GenerationPolicy.everyChange`).
final class PackedDevice: DeviceModel {
    static let kind = DeviceKind(
        name: "packed", layout: nil,
        summary: "a literal reading of \"only exists if\": absent fields take no bytes (non-conforming)",
        follows: "the spec's \"only exists if\" read literally: absent fields take no bytes (no implementation does this)",
        defaults: { device in
            // net: the case from the thread, MTU without MQ, where packed and fixed part ways.
            device.name == "net" ? DeviceDefaults(features: ["MAC", "STATUS", "MTU", "VERSION_1"],
                                                  values: QEMUDeviceDefaults.defaults(for: device).values)
                : QEMUDeviceDefaults.defaults(for: device)
        },
        make: { device, parameters, trace throws(ScenarioError) in try PackedDevice(device: device, parameters: parameters, trace: trace) })

    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .packed)
        super.init(name: "packed", device: device, offered: parameters.offered, image: image,
                   configSize: image.layout.size, pastEnd: parameters.pastEnd ?? .allOnes,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }
}
