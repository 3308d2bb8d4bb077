import ConfigLayout
@testable import VirtioModel

/// A fixture: a new device model, in one file, that serves any layout at its fixed offsets.
final class FixtureDevice: DeviceModel {
    static let kind = DeviceKind(
        name: "fixture-device", layout: nil, summary: "a fixture that serves fixed offsets",
        follows: "nothing real: it shows a device model is one file and one list entry",
        defaults: { QEMUDeviceDefaults.defaults(for: $0) },
        make: { device, parameters, trace throws(ScenarioError) in
            try FixtureDevice(device: device, parameters: parameters, trace: trace)
        })

    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        super.init(name: "fixture-device", device: device, offered: parameters.offered, image: image,
                   configSize: image.layout.size, pastEnd: parameters.pastEnd ?? .allOnes,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }
}
