import VirtioModel

/// The vDPA guest's ftrace record of the calls Linux made into vdpa_sim, as its init reports it: one
/// `TASK-PID: EVENT` line per event, where the function tracer gives each call's caller
/// (`vdpasim_get_config <-vdpa_get_config`) and a kprobe event follows with its arguments
/// (`get_config: (vdpasim_get_config+0x0/0x60 [vdpa_sim]) offset=10 len=2`), and a return probe gives
/// set_driver_features' result (`set_features_ret: (... <- vdpasim_set_driver_features) ret=-22`).
enum VDPATraceLog {
    /// One call, with the kernel function that made it and the task it ran in.
    struct Call: Sendable, Equatable {
        let call: VDPAParentCall
        let task: String
    }

    /// vdpa_sim's functions and the kprobe events that carry their arguments.
    private static let functions = ["vdpasim_reset": "reset", "vdpasim_set_status": "set_status",
                                    "vdpasim_get_device_features": "get_features",
                                    "vdpasim_set_driver_features": "set_features", "vdpasim_get_config": "get_config"]

    static func calls(_ lines: [String]) -> [Call] {
        var callers: [String: String] = [:]
        var calls: [Call] = []
        for line in lines {
            guard let colon = line.range(of: ": ") else { continue }
            let task = taskName(String(line[..<colon.lowerBound]))
            let event = String(line[colon.upperBound...])
            let words = event.split(separator: " ").map(String.init)
            // The function tracer: "vdpasim_get_config <-vdpa_get_config".
            if words.count == 2, let probe = functions[words[0]], words[1].hasPrefix("<-") {
                // The compiler's clones keep their function's name: vdpa_dev_config_fill.constprop.0.
                callers[probe] = String(words[1].dropFirst(2).prefix { $0 != "." })
                continue
            }
            guard let name = words.first.map({ String($0.dropLast()) }), event.hasPrefix(name + ":") else { continue }
            let arguments = Dictionary(words.compactMap { word -> (String, String)? in
                let parts = word.split(separator: "=", maxSplits: 1)
                return parts.count == 2 ? (String(parts[0]), String(parts[1])) : nil
            }, uniquingKeysWith: { $1 })
            if name == "set_features_ret" {
                guard let last = calls.last, case .setDriverFeatures(let features, nil) = last.call.operation,
                      let result = arguments["ret"].flatMap({ Int32($0) }) else { continue }
                calls[calls.count - 1] = Call(call: VDPAParentCall(.setDriverFeatures(features, result: result),
                                                                   caller: last.call.caller, context: last.call.context),
                                              task: last.task)
                continue
            }
            let caller = callers.removeValue(forKey: name) ?? ""
            let operation: VDPAParentCall.Operation
            switch name {
            case "reset": operation = .reset
            case "set_status":
                guard let status = arguments["status"].flatMap({ UInt8(hexadecimal: $0) }) else { continue }
                operation = .setStatus(status)
            case "get_features": operation = .getDeviceFeatures
            case "set_features":
                guard let features = arguments["features"].flatMap({ UInt64(hexadecimal: $0) }) else { continue }
                operation = .setDriverFeatures(features, result: nil)
            case "get_config":
                guard let offset = arguments["offset"].flatMap({ Int($0) }), let length = arguments["len"].flatMap({ Int($0) }) else { continue }
                operation = .getConfig(offset: offset, length: length)
            default: continue
            }
            calls.append(Call(call: VDPAParentCall(operation, caller: kind(of: caller, for: operation), context: caller), task: task))
        }
        return calls
    }

    /// Who the kernel function is: the netlink fill, the core's own set_features(0), or a driver.
    static func kind(of caller: String, for operation: VDPAParentCall.Operation) -> VDPAParentCall.Caller {
        if caller.hasPrefix("vdpa_dev_config_fill") || caller.hasPrefix("vdpa_dev_net_config_fill") { return .netlink }
        if case .setDriverFeatures = operation, caller.hasPrefix("vdpa_get_config") { return .core }
        return .driver
    }

    /// `dpdk-testpmd-269` without its pid.
    private static func taskName(_ task: String) -> String {
        guard let dash = task.lastIndex(of: "-"), task[task.index(after: dash)...].allSatisfy(\.isNumber) else { return task }
        return String(task[..<dash])
    }
}

extension FixedWidthInteger {
    /// `0x300820028` or `300820028`.
    init?(hexadecimal text: String) {
        let digits = text.hasPrefix("0x") ? text.dropFirst(2) : Substring(text)
        self.init(digits, radix: 16)
    }
}
