/// The QEMU properties in force for one device, as far as cfgspace's QEMU sizing and `qemu` device
/// models read them: what `-device`, `-global` and the machine type's compat properties set
/// (hw/core/machine.c, `hw_compat_*`), by name, with the last setting winning as in QEMU. Values are
/// QEMU's text; booleans read as QEMU's `qapi_bool_parse` does (on/off, yes/no, true/false).
///
/// A property no layout names changes nothing here: the ones that change a config's size through
/// the features it offers (balloon's `page-poison`, blk's `discard`) reach the sizing as those
/// features, and the values QEMU fills in come to a model as values. What is left is the few that
/// change a size by themselves, which a layout names with `qemu property_size`.
public struct QemuProperties: Sendable, Equatable {
    /// Property name to value, such as `qemu-4-0-config-size` → `true`.
    public private(set) var values: [String: String]

    public init(_ values: [String: String] = [:]) {
        self.values = values
    }

    /// QEMU's defaults: no property set.
    public static let defaults = QemuProperties()

    /// Whether a boolean property is on; a property not set is off (every property a layout
    /// names defaults to off in QEMU 7.2).
    public func isOn(_ name: String) -> Bool {
        switch values[name] {
        case "on", "true", "yes": true
        default: false
        }
    }

    /// The same set with a property set to `value`.
    public func setting(_ name: String, _ value: String) -> QemuProperties {
        var copy = self
        copy.values[name] = value
        return copy
    }
}
