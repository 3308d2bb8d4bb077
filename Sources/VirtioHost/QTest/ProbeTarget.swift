import ConfigLayout

/// The second stage of a QEMU probe: the device it found on the machine, where it sits, what it
/// calls itself and the interfaces that reach it; and the layout that describes it.
struct ProbeTarget {
    let location: String
    let virtioID: Int
    let isTransitional: Bool
    /// The interface reads go through: modern PCI when the function has it, else legacy, or mmio.
    let primary: any VirtioRegisters
    /// The function, for the legacy views and MSI-X; nil on virtio-mmio.
    let function: PCIFunction?
    /// The start of the device's section idstr in the migration stream.
    let migrationID: String?

    /// Finds the device QEMU created for `id` (a qdev id the probe gave it).
    static func locate(on machine: QEMUMachine, id: String) throws(HostError) -> ProbeTarget {
        if machine.options.machine == "microvm" {
            let transports = try VirtioDiscovery.mmioDevices(machine.qtest)
            guard let transport = transports.first else {
                throw HostError(.refused, "no virtio-mmio transport on the microvm machine holds a device")
            }
            return ProbeTarget(location: "virtio-mmio v\(transport.version) at 0x\(String(transport.base, radix: 16))",
                               virtioID: transport.deviceID, isTransitional: transport.version == 1, primary: transport,
                               function: nil, migrationID: nil)
        }
        // QMP says where QEMU put the device; without that, scan the bus as a guest would.
        let address = try machine.pciAddress(ofDevice: id)
        let candidates: [VirtioDiscovery.PCIDevice]
        if let address {
            candidates = try VirtioDiscovery.pciDevice(machine.qtest, at: address).map { [$0] } ?? []
        } else {
            candidates = try VirtioDiscovery.pciDevices(machine.qtest)
        }
        guard let found = candidates.first else {
            throw HostError(.refused, "QEMU created the device, but no virtio function answers on PCI bus 0"
                            + (address.map { " at \($0)" } ?? ""))
        }
        let function = found.function
        let subsystem = try function.subsystemID
        let location = "\(function.address) (1af4:\(hex4(found.pciDeviceID)), subsystem \(hex4(subsystem)))"
        let registers: any VirtioRegisters
        if let modern = try VirtioPCIModern(function: function, deviceID: found.virtioID) {
            registers = modern
        } else if let legacy = VirtioPCILegacy(function: function, deviceID: found.virtioID, msixEnabled: false) {
            registers = legacy
        } else {
            throw HostError(.protocolViolation, "\(function.address) has neither the modern nor the legacy virtio interface")
        }
        return ProbeTarget(location: location, virtioID: found.virtioID, isTransitional: found.isTransitional,
                           primary: registers, function: function,
                           migrationID: String(format: "0000:%02x:%02x.%x/", function.address.bus, function.address.slot,
                                               function.address.function))
    }

    /// The second stage's other half: the layout to hold the device against, the one given, else
    /// the first in the include folders or among the built-in ones that describes its virtio ID, as
    /// its newest spec version describes it.
    func layout(given: (path: String, device: Device)?, likely: String?,
                includeFolders: [String]) throws(HostError) -> (path: String, device: Device) {
        if let given { return given }
        let found = try Self.layout(forID: virtioID, likely: likely, includeFolders: includeFolders)
        return (found.path, found.device.asOf(nil))
    }

    /// What the probe tells of the device it found and the layout it held it against.
    func facts(layout: (path: String, device: Device)) -> QEMUProbeResult.Target {
        QEMUProbeResult.Target(location: location, isTransitional: isTransitional, transport: primary.transportName,
                               isModern: primary.isModern, layoutPath: layout.path, device: layout.device)
    }

    /// The layout of the device with virtio ID `id`: the include folders' first, then the
    /// built-in ones, trying `likely` (the catalogue's guess from the driver name) before the rest.
    static func layout(forID id: Int, likely: String? = nil, includeFolders: [String]) throws(HostError)
        -> (path: String, device: Device) {
        guard let found = LayoutLoader(includeFolders: includeFolders).layout(forVirtioID: id, likely: likely) else {
            throw HostError(.refused, "no layout in the include folders or among the built-in ones describes virtio "
                            + "device ID \(id); give one with --layout")
        }
        return found
    }

    /// The built-in layout of the device with virtio ID `id`.
    static func builtinLayout(forID id: Int, likely: String? = nil) throws(HostError) -> (path: String, device: Device) {
        try layout(forID: id, likely: likely, includeFolders: [])
    }
}

/// `1af4`.
func hex4(_ value: UInt16) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, 4 - digits.count)) + digits
}
