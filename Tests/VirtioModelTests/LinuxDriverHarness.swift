import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// Runs the Linux 6.1 models of console, balloon, scsi and entropy on configurations built by hand:
/// a device offering some features and serving some values at their fixed offsets (little-endian, as a
/// modern device serves them), presented as a front-end presents bytes.
enum LinuxDriverHarness {
    /// A built-in layout as of the newest spec.
    static func device(_ name: String) throws -> Device {
        let loaded = try LayoutLoader().load(argument: name)
        return try #require(loaded.devices.first).asOf(nil)
    }

    /// The fixed config of `device` under `offered` with `values`.
    static func bytes(_ device: Device, _ offered: FeatureSet, _ values: [(String, UInt64)]) throws -> [UInt8] {
        let image = try ConfigImage(device: device, interpretation: .fixed, features: offered,
                                    values: values.map { ($0.0, FieldValue.integer($0.1)) })
        return image.bytes(ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
    }

    /// The model `driver` of `layout` probing such a device, then, with `changed`, handling a config
    /// change to those values over the first.
    static func predict(_ layout: String, driver: String = "linux-6.1", offering names: String, values: [(String, UInt64)] = [],
                        changed: [(String, UInt64)]? = nil, cpus: Int = 1) throws -> DriverPrediction {
        let device = try device(layout)
        let offered = try device.parseFeatures(names).get()
        let kind = try #require(DriverKind.named(driver, for: device))
        return kind.predict(device: device, offered: offered, presented: try bytes(device, offered, values),
                            changed: try changed.map { try bytes(device, offered, values + $0) }, cpus: cpus)
    }

    /// Config writes in a trace, in order: offset, the value written (little-endian) and the field.
    static func writes(_ trace: [TraceEntry]) -> [(offset: Int, value: UInt64, field: String?)] {
        trace.compactMap { entry in
            guard case .configWrite(let offset, let bytes, let field) = entry.event else { return nil }
            return (offset, DriverSession.number(bytes, littleEndian: true), field)
        }
    }

    /// The driver's notes in a trace.
    static func notes(_ trace: [TraceEntry]) -> [String] {
        trace.compactMap { entry in
            guard entry.party == .driver, case .note(let text) = entry.event else { return nil }
            return text
        }
    }

    /// Where in the trace DRIVER_OK was written.
    static func driverOKIndex(_ trace: [TraceEntry]) -> Int? {
        trace.firstIndex { entry in
            if case .statusWrite(let status) = entry.event { return status.contains(.driverOK) }
            return false
        }
    }
}
