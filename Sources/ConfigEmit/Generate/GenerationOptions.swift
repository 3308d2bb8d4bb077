import ConfigLayout

/// What a user may choose about the generated files beyond the layouts and the version.
public struct GenerationOptions: Sendable {
    /// Put before every C struct and union name a layout declares: `cfgspace_` makes
    /// `virtio_net_config` `cfgspace_virtio_net_config`, for a program that also includes Linux's
    /// UAPI header that declares the same name. Empty keeps the layout's names.
    public var cPrefix: String
    /// The features a device's byte map shows packed, by device name; a device not named here gets
    /// the set under which the most fields move.
    public var pictured: [String: FeatureSet]

    public init(cPrefix: String = "", pictured: [String: FeatureSet] = [:]) {
        self.cPrefix = cPrefix
        self.pictured = pictured
    }

    /// Whether a C prefix can start an identifier and goes on as one: `cfgspace_`, `My`.
    public static func isValidCPrefix(_ prefix: String) -> Bool {
        guard let first = prefix.unicodeScalars.first else { return true }
        let letters = { (scalar: Unicode.Scalar) in scalar.isASCII && (scalar == "_" || scalar.properties.isAlphabetic) }
        return letters(first) && prefix.unicodeScalars.allSatisfy { letters($0) || ("0"..."9").contains($0) }
    }
}
