import VirtioModel

/// A real device's registers as the runtime's models reach them: every call goes to QEMU; the first
/// error is kept, and from then on reads answer all-ones and writes go nowhere, as for a device that
/// has gone away.
final class QEMURegisterPort: RegisterPort {
    let registers: any VirtioRegisters
    let label: String
    private(set) var failure: String?

    init(_ registers: any VirtioRegisters, label: String) {
        self.registers = registers
        self.label = label
    }

    private func attempt<T>(_ fallback: T, _ body: () throws(HostError) -> T) -> T {
        guard failure == nil else { return fallback }
        do {
            return try body()
        } catch {
            failure = error.description
            return fallback
        }
    }

    func readStatus() -> UInt8 { attempt(0xff) { () throws(HostError) in try registers.readStatus() } }
    func queueSize(_ index: Int) -> Int? { attempt(nil) { () throws(HostError) in try registers.queueSize(index) } }
    func writeStatus(_ value: UInt8) { attempt(()) { () throws(HostError) in try registers.writeStatus(value) } }

    func readDeviceFeatures(window: Int) -> UInt32 {
        attempt(0xffff_ffff) { () throws(HostError) in try registers.readDeviceFeatures(window: window) }
    }

    func writeDriverFeatures(window: Int, _ value: UInt32) {
        attempt(()) { () throws(HostError) in try registers.writeDriverFeatures(window: window, value) }
    }

    func readGeneration() -> UInt32 { attempt(0xff) { () throws(HostError) in try registers.readGeneration() ?? 0 } }

    /// One access, or byte accesses when the width is one the transport lacks.
    func readConfig(offset: Int, count: Int) -> [UInt8] {
        attempt([UInt8](repeating: 0xff, count: count)) { () throws(HostError) in
            guard offset >= 0, offset + count <= registers.configWindow else { return [UInt8](repeating: 0xff, count: count) }
            if [1, 2, 4].contains(count) { return try registers.readConfig(offset: offset, width: count) }
            var bytes: [UInt8] = []
            for index in 0..<count { bytes += try registers.readConfig(offset: offset + index, width: 1) }
            return bytes
        }
    }

    func writeConfig(offset: Int, bytes: [UInt8]) {
        attempt(()) { () throws(HostError) in
            guard offset >= 0, offset + bytes.count <= registers.configWindow, [1, 2, 4].contains(bytes.count) else { return }
            try registers.writeConfig(offset: offset, bytes: bytes)
        }
    }
}
