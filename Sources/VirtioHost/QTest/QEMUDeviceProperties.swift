import ConfigLayout

/// The properties in force for a probed device and where each comes from: the machine type's compat
/// properties (`QEMUMachineTypes`), then `-global`s, then the `-device` value's own, the later
/// winning as in QEMU (`object_apply_compat_props` registers compat properties before the user's
/// `-global`s, and both are applied before the `-device` properties, hw/core/qdev.c and
/// qom/object.c). A global applies to a device when it names one of the QOM types the device or its
/// transport proxy is; the proxy's device properties are aliases of the device's
/// (`virtio_instance_init_common`), so one name space serves both.
public struct QEMUDeviceProperties: Sendable {
    public enum Source: Sendable, Equatable, CustomStringConvertible {
        /// The `-device` value.
        case device
        /// A `-global TYPE.PROPERTY=VALUE` argument.
        case global
        /// A machine type's compat array, such as `hw_compat_4_0` of `pc-i440fx-4.0`.
        case machine(String, array: String)

        public var description: String {
            switch self {
            case .device: "-device"
            case .global: "-global"
            case .machine(let machine, let array): "machine type \(machine) (\(array), hw/core/machine.c)"
            }
        }
    }

    public struct Setting: Sendable {
        public let type: String
        public let name: String
        public let value: String
        public let source: Source
    }

    /// The machine type, as given (`pc-i440fx-4.0`).
    public let machine: String
    /// Whether cfgspace knows the machine type's compat properties; false for a type its table
    /// lacks, whose properties are then not applied.
    public let machineIsKnown: Bool
    /// Every setting that applies to the device, in the order QEMU applies them.
    public let settings: [Setting]

    /// The settings for a driver on a machine, from the `-device` spec and QEMU's other arguments.
    public init(machine: String, spec: QEMUDeviceSpec, qemuArguments: [String]) {
        self.machine = machine
        let types = Set(QEMUDeviceType.qomTypes(ofDriver: spec.driver))
        let compat = QEMUMachineTypes.compatProperties(of: machine)
        machineIsKnown = compat != nil
        var settings = (compat ?? []).filter { types.contains($0.type) }.map {
            Setting(type: $0.type, name: $0.property, value: $0.value, source: .machine(machine, array: $0.source))
        }
        settings += Self.globals(in: qemuArguments).filter { types.contains($0.type) }
        settings += spec.properties.map { Setting(type: spec.driver, name: $0.name, value: $0.value, source: .device) }
        self.settings = settings
    }

    /// `-global TYPE.PROPERTY=VALUE` and `-global driver=TYPE,property=P,value=V` arguments.
    static func globals(in arguments: [String]) -> [Setting] {
        zip(arguments, arguments.dropFirst()).compactMap { flag, text -> Setting? in
            guard flag == "-global" else { return nil }
            if text.hasPrefix("driver=") {
                let pairs = Dictionary(text.split(separator: ",").compactMap { item -> (String, String)? in
                    guard let equals = item.firstIndex(of: "=") else { return nil }
                    return (String(item[..<equals]), String(item[item.index(after: equals)...]))
                }, uniquingKeysWith: { _, last in last })
                guard let type = pairs["driver"], let name = pairs["property"], let value = pairs["value"] else { return nil }
                return Setting(type: type, name: name, value: value, source: .global)
            }
            guard let dot = text.firstIndex(of: "."), let equals = text[dot...].firstIndex(of: "=") else { return nil }
            return Setting(type: String(text[..<dot]), name: String(text[text.index(after: dot)..<equals]),
                           value: String(text[text.index(after: equals)...]), source: .global)
        }
    }

    /// The setting in force for a property: the last one applied.
    public func setting(_ name: String) -> Setting? {
        settings.last { $0.name == name }
    }

    /// The `-device` value with every property in force written out, the given ones last: what the
    /// catalog's property bindings read.
    public func effective(_ spec: QEMUDeviceSpec) -> QEMUDeviceSpec {
        var properties: [(name: String, value: String)] = []
        for setting in settings where setting.source != .device { properties.append((setting.name, setting.value)) }
        return QEMUDeviceSpec(driver: spec.driver, properties: properties + spec.properties)
    }

    /// The properties a layout's QEMU sizing reads, as the model takes them.
    public var qemu: QemuProperties {
        QemuProperties(Dictionary(settings.map { ($0.name, $0.value) }, uniquingKeysWith: { _, last in last }))
    }

    /// The settings that did not come from the `-device` value and that the device's QEMU sizing
    /// reads: the causes a length can owe to the machine type or a `-global`.
    public func inherited(readBy device: Device) -> [Setting] {
        let read = Set(device.qemuPropertySizes.map(\.property))
        return read.sorted().compactMap { name in setting(name).flatMap { $0.source == .device ? nil : $0 } }
    }
}
