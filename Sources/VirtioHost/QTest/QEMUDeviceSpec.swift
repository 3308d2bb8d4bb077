/// A `-device` value as QEMU's option parser reads it: the driver, then `name=value` properties
/// separated by commas, where `,,` stands for a comma inside a value.
public struct QEMUDeviceSpec: Sendable, Equatable, CustomStringConvertible {
    public let driver: String
    public private(set) var properties: [(name: String, value: String)]

    public static func == (lhs: QEMUDeviceSpec, rhs: QEMUDeviceSpec) -> Bool {
        lhs.description == rhs.description
    }

    /// Parses `virtio-net-pci,mq=off,host_mtu=9000`; nil (with the reason) when it is no device spec.
    public static func parse(_ text: String) -> Result<QEMUDeviceSpec, HostError> {
        var items: [String] = []
        var current = ""
        var characters = Array(text)[...]
        while let character = characters.popFirst() {
            if character == "," {
                if characters.first == "," {
                    characters.removeFirst()
                    current.append(",")
                } else {
                    items.append(current)
                    current = ""
                }
            } else {
                current.append(character)
            }
        }
        items.append(current)
        guard let driver = items.first, !driver.isEmpty, !driver.contains("=") else {
            return .failure(HostError(.refused, "'\(text)' does not start with a device driver, such as virtio-net-pci"))
        }
        var properties: [(String, String)] = []
        for item in items.dropFirst() {
            guard let equals = item.firstIndex(of: "="), equals != item.startIndex else {
                return .failure(HostError(.refused, "'\(item)' in '\(text)' is not a property=value pair"))
            }
            properties.append((String(item[..<equals]), String(item[item.index(after: equals)...])))
        }
        return .success(QEMUDeviceSpec(driver: aliases[driver] ?? driver, properties: properties))
    }

    /// QEMU's short names for its virtio PCI drivers, which `-device` takes as the full ones:
    /// qdev_alias_table in QEMU 7.2's softmmu/qdev-monitor.c, the entries for QEMU_ARCH_VIRTIO_PCI
    /// (x86 among them), as `qemu-system-x86_64 -device help` lists them.
    public static let aliases: [String: String] = [
        "virtio-9p": "virtio-9p-pci", "virtio-balloon": "virtio-balloon-pci", "virtio-blk": "virtio-blk-pci",
        "virtio-gpu": "virtio-gpu-pci", "virtio-gpu-gl": "virtio-gpu-gl-pci", "virtio-input-host": "virtio-input-host-pci",
        "virtio-iommu": "virtio-iommu-pci", "virtio-keyboard": "virtio-keyboard-pci", "virtio-mouse": "virtio-mouse-pci",
        "virtio-net": "virtio-net-pci", "virtio-rng": "virtio-rng-pci", "virtio-scsi": "virtio-scsi-pci",
        "virtio-serial": "virtio-serial-pci", "virtio-tablet": "virtio-tablet-pci",
    ]

    public init(driver: String, properties: [(name: String, value: String)] = []) {
        self.driver = driver
        self.properties = properties
    }

    /// The last value given for a property (QEMU takes the last).
    public func value(_ name: String) -> String? {
        properties.last { $0.name == name }?.value
    }

    /// A property's value as a number: decimal, 0x hex, or with QEMU's size suffixes (K, M, G, T).
    public func number(_ name: String) -> UInt64? {
        value(name).flatMap(Self.number)
    }

    static func number(_ text: String) -> UInt64? {
        let units: [Character: UInt64] = ["k": 1 << 10, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30, "T": 1 << 40]
        if text.hasPrefix("0x") { return UInt64(text.dropFirst(2), radix: 16) }
        if let last = text.last, let unit = units[last] {
            return UInt64(text.dropLast()).flatMap { $0.multipliedReportingOverflow(by: unit).overflow ? nil : $0 * unit }
        }
        return UInt64(text)
    }

    /// QEMU's booleans: on/off, true/false, yes/no.
    public func flag(_ name: String) -> Bool? {
        switch value(name) {
        case "on", "true", "yes": true
        case "off", "false", "no": false
        default: nil
        }
    }

    /// The same device with a property added unless already given.
    func adding(_ name: String, _ value: String) -> QEMUDeviceSpec {
        guard self.value(name) == nil else { return self }
        var copy = self
        copy.properties.append((name, value))
        return copy
    }

    /// As QEMU's command line takes it.
    public var description: String {
        ([driver] + properties.map { "\($0.name)=\($0.value.replacingOccurrences(of: ",", with: ",,"))" })
            .joined(separator: ",")
    }
}
