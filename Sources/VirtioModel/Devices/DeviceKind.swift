import ConfigLayout

/// A device model by name, with its realistic defaults. Each model declares its own kinds beside its
/// code; `all` lists them, and nothing else needs to change to add one. A kind with no layout serves
/// any layout (the QEMU-like device, the literal packed one); the others model one device type's
/// implementation where it departs (mlx5's vDPA parent, firecracker).
public struct DeviceKind: Sendable, Hashable, CustomStringConvertible {
    public typealias Factory = @Sendable (Device, DeviceParameters, Trace) throws(ScenarioError) -> DeviceModel

    /// `qemu`, `mlx5-5.12`.
    public let name: String
    /// The device type it models, as its layout names it; nil for any layout.
    public let layout: String?
    public let summary: String
    /// The real code it follows, for the README's table of models.
    public let follows: String
    /// The bus it sits on unless a scenario says otherwise.
    public let defaultBus: BusKind
    /// The fields a scenario may set: the ones the model keeps values for. Nil for every field.
    public let settableFields: [String]?
    /// The features it offers and the values it holds by default, for a device of a layout.
    let defaults: @Sendable (Device) -> DeviceDefaults
    let make: Factory

    init(name: String, layout: String?, summary: String, follows: String, defaultBus: BusKind = .direct,
         settableFields: [String]? = nil, defaults: @escaping @Sendable (Device) -> DeviceDefaults, make: @escaping Factory) {
        self.name = name
        self.layout = layout
        self.summary = summary
        self.follows = follows
        self.defaultBus = defaultBus
        self.settableFields = settableFields
        self.defaults = defaults
        self.make = make
    }

    public var description: String { name }

    public static func == (lhs: DeviceKind, rhs: DeviceKind) -> Bool { lhs.name == rhs.name && lhs.layout == rhs.layout }
    public func hash(into hasher: inout Hasher) {
        hasher.combine(name)
        hasher.combine(layout)
    }

    /// Every device model: the ones for any layout, then each device type's own.
    public static let all: [DeviceKind] = [QEMUDevice.kind, PackedDevice.kind] + Mlx5NetDevice.kinds
        + [FirecrackerNetDevice.kind, VDPASimNetDevice.kind]

    /// The models that can serve a device of this layout: the generic ones, then its own.
    public static func available(for device: Device, in kinds: [DeviceKind] = all) -> [DeviceKind] {
        kinds.filter { $0.layout == nil || $0.layout == device.name }
    }

    /// A model of this name that serves the device.
    public static func named(_ name: String, for device: Device) -> DeviceKind? {
        available(for: device).first { $0.name == name }
    }

    /// The QEMU-like device: what a driver meets by default.
    public static let qemu = QEMUDevice.kind
}

/// What a device model offers and holds unless a scenario says otherwise.
public struct DeviceDefaults: Sendable {
    public var features: [String]
    /// Field values as text (`mtu=9000` is `("mtu", "9000")`).
    public var values: [(field: String, text: String)]
    /// What each selection serves, for a device with a selector (input).
    public var selections: SelectionContents

    public init(features: [String], values: [(field: String, text: String)] = [], selections: SelectionContents = [:]) {
        self.features = features
        self.values = values
        self.selections = selections
    }
}

/// What a device model is built from: offered features, field values, the out-of-range policy and
/// the guest's byte order.
public struct DeviceParameters: Sendable {
    var offered: FeatureSet
    var values: [(path: String, value: FieldValue)]
    var pastEnd: PastEndPolicy?
    var guestIsLittleEndian: Bool
    /// What each selection serves (input); empty for a device without a selector.
    var selections: SelectionContents = [:]
    /// The QEMU properties a `qemu` model sizes its config with.
    var qemuProperties: QemuProperties = .defaults

    /// An image of all the values under an interpretation keyed by the offered features.
    func image(of device: Device, interpretation: Interpretation) throws(ScenarioError) -> ConfigImage {
        do {
            return try ConfigImage(device: device, interpretation: interpretation, features: offered, values: values)
        } catch {
            throw ScenarioError(error.description)
        }
    }
}

/// A scenario that cannot run, with the reason in the user's terms.
public struct ScenarioError: Error, Sendable, Equatable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
