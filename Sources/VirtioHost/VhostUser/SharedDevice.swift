import Foundation
import VirtioModel

/// The device every connection of one `serve` shares, behind one lock: a front-end's read sees the
/// bytes of one moment, and a write (a driver's, or `set` on standard input) lands whole between
/// reads. A `ServedDevice` keeps its encoded bytes, so even a read changes it: every access goes
/// through here.
final class SharedDevice: @unchecked Sendable {
    private let lock = NSLock()
    private let device: ServedDevice

    init(_ device: ServedDevice) { self.device = device }

    /// Runs `body` with the device, no other connection touching it meanwhile.
    func access<T, E: Error>(_ body: (ServedDevice) throws(E) -> T) throws(E) -> T {
        lock.lock()
        defer { lock.unlock() }
        return try body(device)
    }
}
