import ConfigLayout
import VirtioModel

/// The third stage of a QEMU probe: features negotiated as a driver that knows every feature the
/// layout declares would negotiate them.
public struct ProbeNegotiation: Sendable {
    /// Everything the device offers.
    public let offered: FeatureSet
    /// The offered bits the layout declares: what a driver accepts. (QEMU's legacy interface offers
    /// VIRTIO_F_BAD_FEATURE, bit 30, to catch drivers that accept everything.)
    public let wanted: FeatureSet
    /// Offered bits that neither the device's layout nor the transport declares.
    public let unknownBits: [Int]
    /// FEATURES_OK accepted for the whole wanted set; nil on a legacy-only interface.
    public let featuresAccepted: Bool?

    /// Resets the device, acknowledges it, reads what it offers and accepts what the layout knows.
    static func negotiate(_ registers: any VirtioRegisters, device: Device) throws(HostError) -> ProbeNegotiation {
        try registers.reset()
        try registers.writeStatus(DeviceStatus.acknowledge.rawValue)
        try registers.writeStatus(DeviceStatus([.acknowledge, .driver]).rawValue)
        let offered = FeatureSet(words: pairs(try registers.deviceFeatures(windows: 4)))
        let declared = device.allFeatures.filter { !$0.isLegacyOnly || !registers.isModern }.map(\.bit)
        let wanted = offered.intersection(FeatureSet(bits: declared))
        let accepted = try accept(wanted, on: registers)
        let known = Set(device.allFeatures.map(\.bit))
        return ProbeNegotiation(offered: offered, wanted: wanted, unknownBits: offered.bits.filter { !known.contains($0) },
                                featuresAccepted: accepted)
    }

    /// Resets the device and negotiates the wanted features again, for a known state to measure;
    /// the status it is left in.
    func settle(_ registers: any VirtioRegisters) throws(HostError) -> UInt8 {
        try registers.reset()
        try registers.writeStatus(DeviceStatus([.acknowledge, .driver]).rawValue)
        _ = try Self.accept(wanted, on: registers)
        return try registers.readStatus()
    }

    /// 32-bit windows as 64-bit words.
    static func pairs(_ windows: [UInt32]) -> [UInt64] {
        stride(from: 0, to: windows.count, by: 2).map { index in
            UInt64(windows[index]) | (index + 1 < windows.count ? UInt64(windows[index + 1]) << 32 : 0)
        }
    }

    /// Writes the features and sets FEATURES_OK (modern interfaces): whether the device kept it, or
    /// nil on a legacy interface.
    private static func accept(_ features: FeatureSet, on registers: any VirtioRegisters) throws(HostError) -> Bool? {
        let windows = registers.isModern ? max(2, (features.bits.last ?? 0) / 32 + 1) : 1
        for window in 0..<windows { try registers.writeDriverFeatures(window: window, features.window(window)) }
        guard registers.isModern else { return nil }
        let status = DeviceStatus([.acknowledge, .driver, .featuresOK])
        try registers.writeStatus(status.rawValue)
        return DeviceStatus(rawValue: try registers.readStatus()).contains(.featuresOK)
    }
}
