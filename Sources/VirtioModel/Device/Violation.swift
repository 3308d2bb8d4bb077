/// A broken rule of the virtio specification, by driver or device, with the rule's words.
public struct Violation: Sendable, Equatable {
    public enum Strength: String, Sendable {
        case must = "MUST"
        case should = "SHOULD"
    }

    public let party: Party
    public let rule: Rule
    /// What happened, in this scenario's terms.
    public let detail: String

    public var strength: Strength { rule.strength }
}

/// The rules the models check, each with the spec's wording (virtio 1.4).
public enum Rule: String, Sendable, CaseIterable {
    // Driver
    case acceptsUnofferedFeature
    case acceptsFeatureWithoutRequirement
    case readsUnofferedField
    case readsBeforeFeaturesOK
    case readsUnnegotiatedField
    case writesReadOnlyField
    case writesConfigDuringNegotiation
    case clearsStatusBit
    case statusOutOfOrder
    case featuresAfterFeaturesOK
    case accessWidth
    case readsPastTheEnd
    // Device
    case offersFeatureWithoutRequirement
    case valueOutOfRange
    case configChangedWithoutGeneration
    case refusesValidFeatureSubset

    public var party: Party {
        switch self {
        case .offersFeatureWithoutRequirement, .valueOutOfRange, .configChangedWithoutGeneration,
             .refusesValidFeatureSubset: .device
        default: .driver
        }
    }

    public var strength: Violation.Strength {
        switch self {
        case .refusesValidFeatureSubset, .readsPastTheEnd: .should
        default: .must
        }
    }

    /// The spec's words, with where they are.
    public var text: String {
        switch self {
        case .acceptsUnofferedFeature:
            "\"The driver MUST NOT accept a feature which the device did not offer\" (2.2.1)"
        case .acceptsFeatureWithoutRequirement:
            "\"... and MUST NOT accept a feature which requires another feature which was not accepted\" (2.2.1)"
        case .readsUnofferedField:
            "\"For optional configuration space fields, the driver MUST check that the corresponding feature is "
                + "offered before accessing that part of the configuration space\" (2.5.1)"
        case .readsBeforeFeaturesOK:
            "the field may be read only once a status bit is set (blk: \"The driver MUST NOT read writeback before "
                + "setting the FEATURES_OK device status bit\", 5.2.5.1)"
        case .readsUnnegotiatedField:
            "the field exists once its feature is negotiated (the layout marks its condition `negotiated`); "
                + "before that it is not there to read"
        case .writesReadOnlyField:
            "the driver MUST NOT write to a configuration field the device section does not make driver-writable"
        case .writesConfigDuringNegotiation:
            "\"During this step the driver MAY read (but MUST NOT write) the device-specific configuration fields\" (3.1.1)"
        case .clearsStatusBit:
            "\"The driver MUST NOT clear a device status bit\" (2.1.1)"
        case .statusOutOfOrder:
            "\"The driver MUST follow this sequence to initialize a device\" (3.1.1)"
        case .featuresAfterFeaturesOK:
            "\"The driver MUST NOT accept new feature bits after this step\" (3.1.1, step 5)"
        case .accessWidth:
            "\"the driver MUST use 8-bit wide accesses for 8-bit wide fields, 16-bit wide and aligned accesses for "
                + "16-bit wide fields and 32-bit wide and aligned accesses for 32-bit and 64-bit wide fields\" (4.1.3.1)"
        case .readsPastTheEnd:
            "\"drivers SHOULD only check that device configuration space is large enough to contain the fields "
                + "necessary for device operation\" (2.5.1)"
        case .offersFeatureWithoutRequirement:
            "\"The device MUST NOT offer a feature which requires another feature which was not offered\" (2.2.2)"
        case .valueOutOfRange:
            "a device section bounds what an offered field may hold (net: \"The device MUST set mtu to between 68 "
                + "and 65535 inclusive, if it offers VIRTIO_NET_F_MTU\", 5.1.4.1)"
        case .configChangedWithoutGeneration:
            "\"The device MUST present a changed config_generation after the driver has read a device-specific "
                + "configuration value which has changed since any part of the device-specific configuration was "
                + "last read\" (4.1.4.3.1)"
        case .refusesValidFeatureSubset:
            "\"The device SHOULD accept any valid subset of features the driver accepts\" (2.2.2)"
        }
    }
}
