/// Finds virtio devices on a QEMU machine the way a guest's bus code would: PCI functions with
/// vendor 0x1af4 and a device ID in 0x1000...0x107f on bus 0, or virtio-mmio transports that answer
/// with the magic value in microvm's window.
public enum VirtioDiscovery {
    /// A virtio PCI function with its BARs assigned, and what it calls itself.
    public struct PCIDevice {
        public let function: PCIFunction
        /// The virtio device ID: from the subsystem ID on a transitional function (0x1000...0x103f),
        /// from the PCI device ID on a modern one (0x1040 + ID).
        public let virtioID: Int
        public let pciDeviceID: UInt16
        /// Whether the function has the legacy interface (a transitional device ID and an I/O BAR 0).
        public let isTransitional: Bool
    }

    /// The virtio function at a known address, with its BARs assigned; nil when none answers there.
    public static func pciDevice(_ qtest: QTestClient, at address: PCIFunction.Address,
                                 allocator: PCIAllocator = PCIAllocator()) throws(HostError) -> PCIDevice? {
        let function = PCIFunction(qtest: qtest, address: address)
        let device = try function.deviceID
        guard try function.vendorID == 0x1af4, (0x1000...0x107f).contains(device) else { return nil }
        try function.assignBARs(allocator)
        let transitional = device < 0x1040
        let id = transitional ? Int(try function.subsystemID) : Int(device) - 0x1040
        return PCIDevice(function: function, virtioID: id, pciDeviceID: device,
                         isTransitional: transitional && function.bars[0]?.kind == .io)
    }

    /// Scans bus 0 and assigns the BARs of every virtio function found.
    public static func pciDevices(_ qtest: QTestClient, allocator: PCIAllocator = PCIAllocator()) throws(HostError) -> [PCIDevice] {
        var found: [PCIDevice] = []
        for slot in 0..<32 {
            for function in 0..<8 {
                let candidate = PCIFunction(qtest: qtest, address: .init(slot: slot, function: function))
                let vendor = try candidate.vendorID
                if vendor == 0xffff {
                    if function == 0 { break }
                    continue
                }
                let device = try candidate.deviceID
                if vendor == 0x1af4, (0x1000...0x107f).contains(device) {
                    try candidate.assignBARs(allocator)
                    let transitional = device < 0x1040
                    let id = transitional ? Int(try candidate.subsystemID) : Int(device) - 0x1040
                    found.append(PCIDevice(function: candidate, virtioID: id, pciDeviceID: device,
                                           isTransitional: transitional && candidate.bars[0]?.kind == .io))
                }
                // A single-function device answers at every function number; bit 7 of the header type says.
                if function == 0, try candidate.configRead(1, 0x0e) & 0x80 == 0 { break }
            }
        }
        return found
    }

    /// microvm's virtio-mmio transports (hw/i386/microvm.c: VIRTIO_MMIO_BASE 0xfeb00000, 512 bytes
    /// each) that hold a device.
    public static func mmioDevices(_ qtest: QTestClient, base: UInt64 = 0xfeb0_0000, count: Int = 24) throws(HostError) -> [VirtioMMIO] {
        var found: [VirtioMMIO] = []
        for index in 0..<count {
            if let transport = try VirtioMMIO(qtest: qtest, base: base + UInt64(index * 512)) { found.append(transport) }
        }
        return found
    }
}
