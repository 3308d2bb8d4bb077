import ConfigLayout
import VirtioModel

/// What a device serves in its configuration, whichever transport read it (qtest's registers, a
/// vhost-user back-end's GET_CONFIG): the bytes from offset 0, how long the configuration is, its
/// generation where the transport has one, and every leaf field as the layout places it.
public struct ConfigObservation: Sendable {
    /// How long the configuration is, and how that is known.
    public enum Length: Sendable, Equatable {
        /// Known exactly: from QEMU's migration stream (`virtio_save` writes `config_len`), or the
        /// largest GET_CONFIG a vhost-user back-end answers.
        case exact(Int)
        /// Only a lower bound: the end of the last byte that is not 0xff, with why nothing better.
        case atLeast(Int, reason: String)

        public var value: Int {
            switch self {
            case .exact(let length), .atLeast(let length, _): length
            }
        }
    }

    /// The bytes read from offset 0 (past the end of the configuration, where the transport lets a
    /// driver read that far).
    public let bytes: [UInt8]
    public let length: Length
    /// config_generation as the device reported it; nil where the transport has none.
    public let generation: UInt32?
    public let fields: [ObservedField]

    /// The observation of `bytes`, its fields read by `device`'s layout over the offered features.
    init(bytes: [UInt8], length: Length, generation: UInt32?, device: Device, offered: FeatureSet,
         encoding: ConfigImage.Encoding) {
        self.bytes = bytes
        self.length = length
        self.generation = generation
        fields = ObservedField.read(bytes, device: device, offered: offered, length: length.value, encoding: encoding)
    }
}
