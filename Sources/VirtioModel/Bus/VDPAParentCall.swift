import ConfigLayout
import Rendering

/// One call the vDPA core makes into a parent device (`struct vdpa_config_ops`), in the terms ftrace
/// shows a real one and a model's trace records one: the ops that move a device's state or read its
/// config. Status and generation reads are left out; they change nothing.
public struct VDPAParentCall: Sendable, Equatable {
    public enum Operation: Sendable, Equatable {
        case reset
        case setStatus(UInt8)
        case getDeviceFeatures
        /// set_driver_features with the features' low 64 bits, and its result when known.
        case setDriverFeatures(UInt64, result: Int32?)
        case getConfig(offset: Int, length: Int)
    }

    /// Who made the call on the parent's behalf.
    public enum Caller: String, Sendable, Equatable {
        /// The vDPA core itself: `vdpa_get_config` setting features 0 before a config read.
        case core
        /// The core's netlink handlers (`vdpa dev config show`).
        case netlink
        /// A driver through virtio_vdpa or vhost-vdpa.
        case driver
    }

    public let operation: Operation
    public let caller: Caller
    /// What the caller was doing, in the model's or the kernel's words (`validate: mtu`,
    /// `vdpa_get_config`).
    public let context: String

    public init(_ operation: Operation, caller: Caller, context: String = "") {
        self.operation = operation
        self.caller = caller
        self.context = context
    }

    /// `set_driver_features(0x300820028) = 0`, `get_config(10, 2)`.
    public var text: String {
        switch operation {
        case .reset: "reset"
        case .setStatus(let status): "set_status(0x\(String(status, radix: 16)))"
        case .getDeviceFeatures: "get_device_features"
        case .setDriverFeatures(let features, let result):
            "set_driver_features(\(hex(features)))" + (result.map { " = \($0)" } ?? "")
        case .getConfig(let offset, let length): "get_config(\(offset), \(length))"
        }
    }

    /// Whether two calls are the same call by the same kind of caller, whatever the context says.
    public func matches(_ other: VDPAParentCall) -> Bool { operation == other.operation && caller == other.caller }

    /// The parent calls a model's trace records, in order: a reset, status writes (a write of 0 is a
    /// reset), feature reads and writes, and config reads, each with the party that made it and the
    /// field a config read was for.
    public static func calls(in entries: ArraySlice<TraceEntry>) -> [VDPAParentCall] {
        var calls: [VDPAParentCall] = []
        for entry in entries {
            let caller: Caller = entry.party == .bus ? .core : .driver
            switch entry.event {
            case .reset:
                calls.append(VDPAParentCall(.reset, caller: caller))
            case .statusWrite(let status):
                calls.append(VDPAParentCall(status.isEmpty ? .reset : .setStatus(status.rawValue), caller: caller))
            case .deviceFeatures:
                calls.append(VDPAParentCall(.getDeviceFeatures, caller: caller))
            case .setFeatures(let features, let result):
                calls.append(VDPAParentCall(.setDriverFeatures(features.words.first ?? 0, result: result), caller: caller,
                                            context: caller == .core ? "vdpa_get_config: features 0 before a config read" : ""))
            case .configRead(let offset, let width, _, let field, _):
                calls.append(VDPAParentCall(.getConfig(offset: offset, length: width), caller: caller, context: field ?? ""))
            default:
                continue
            }
        }
        return calls
    }
}
