/// What the guest's init printed: `CFGSPACE key=value` lines from the serial console, in order
/// (a key may repeat: one `vda.dmesg` line each), and the rest of the console for diagnostics.
public struct GuestReport: Sendable {
    public private(set) var entries: [(key: String, value: String)] = []
    /// The console's last lines that were not reports (kernel messages, errors), for a failure's story.
    public private(set) var console: [String] = []
    /// Whether the init reached its end before powering off.
    public var isComplete: Bool { value("end") != nil }

    static let prefix = "CFGSPACE "
    static let consoleLines = 40

    public init() {}

    /// Takes one console line; returns the entry it held, if it was a report.
    @discardableResult
    mutating func take(_ line: String) -> (key: String, value: String)? {
        guard let start = line.range(of: Self.prefix) else {
            console.append(line)
            if console.count > Self.consoleLines { console.removeFirst() }
            return nil
        }
        let text = line[start.upperBound...]
        let key = String(text.prefix { $0 != "=" })
        let value = text.count > key.count ? String(text.dropFirst(key.count + 1)) : ""
        guard !key.isEmpty, key.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "." || $0 == "_" }) else {
            console.append(line)
            return nil
        }
        entries.append((key, value))
        return (key, value)
    }

    /// The last value of a key.
    public func value(_ key: String) -> String? { entries.last { $0.key == key }?.value }

    /// Every value of a key, in order.
    public func values(_ key: String) -> [String] { entries.filter { $0.key == key }.map(\.value) }
}
