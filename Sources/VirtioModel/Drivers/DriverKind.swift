import ConfigLayout

/// A driver model by name, with what it follows and the device type it drives. Each model declares
/// its own kinds beside its code; `all` lists them, and nothing else needs to change to add one.
public struct DriverKind: Sendable, Hashable, CustomStringConvertible {
    /// `linux-current`, `linux-6.1`, `dpdk`.
    public let name: String
    /// The device type it drives, as its layout names it (`net`); nil for a model of any layout.
    public let layout: String?
    /// One line: what the model does that matters.
    public let summary: String
    /// The real code it follows, for the README's table of models.
    public let follows: String
    /// The fields it reads by name, which a layout it runs against must have.
    public let fields: [String]
    /// The device type's reference driver: what `simulate` runs by default and a matrix holds the
    /// others against (the Linux of today).
    public let isReference: Bool
    let make: @Sendable () -> any DriverModel

    init(name: String, layout: String?, summary: String, follows: String, fields: [String] = [], isReference: Bool = false,
         make: @escaping @Sendable () -> any DriverModel) {
        self.name = name
        self.layout = layout
        self.summary = summary
        self.follows = follows
        self.fields = fields
        self.isReference = isReference
        self.make = make
    }

    public var description: String { name }

    /// The model itself.
    var model: any DriverModel { make() }

    public static func == (lhs: DriverKind, rhs: DriverKind) -> Bool { lhs.name == rhs.name && lhs.layout == rhs.layout }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(layout)
    }

    /// Every driver model, device by device in layout order, the device's own before the generic ones.
    public static let all: [DriverKind] = LinuxNetDriver.kinds + [DPDKNetDriver.kind, SpecLiteralNetDriver.kind,
                                                                  LinuxBlkDriver.kind]
        + [LinuxConsoleDriver.kind, LinuxEntropyDriver.kind] + LinuxBalloonDriver.kinds + [LinuxSCSIDriver.kind]
        + [LinuxInputDriver.kind, LinuxPmemDriver.kind, LinuxMemDriver.kind, LinuxFSDriver.kind]
        + [LinuxP9Driver.kind, LinuxGPUDriver.kind, LinuxCryptoDriver.kind, LinuxVsockDriver.kind]
        + [SpecLiteralDriver.kind]

    /// Every model's name, once each, in catalogue order.
    public static var names: [String] {
        all.map(\.name).reduce(into: [String]()) { names, name in if !names.contains(name) { names.append(name) } }
    }

    /// The models that drive a device of this layout: its own, then the generic ones whose names
    /// it does not already use.
    public static func available(for device: Device, in kinds: [DriverKind] = all) -> [DriverKind] {
        let own = kinds.filter { $0.layout == device.name }
        return own + kinds.filter { $0.layout == nil && !own.map(\.name).contains($0.name) }
    }

    /// The model a device's layout is simulated with by default, and the reference a matrix holds the
    /// others against: its reference model (Linux's), or the generic one.
    public static func reference(for device: Device, in kinds: [DriverKind] = all) -> DriverKind {
        let available = available(for: device, in: kinds)
        return available.first(where: \.isReference) ?? available.first ?? SpecLiteralDriver.kind
    }

    /// A model of this name that drives the device.
    public static func named(_ name: String, for device: Device) -> DriverKind? {
        available(for: device).first { $0.name == name }
    }
}
