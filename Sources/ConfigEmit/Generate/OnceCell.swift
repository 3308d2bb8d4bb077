import Foundation

/// A value worked out once, by the first of any number of threads to ask; the others wait for it.
final class OnceCell<Value: Sendable>: @unchecked Sendable {
    // The lock guards `stored`, and is held while the value is worked out.
    private let lock = NSLock()
    private var stored: Value?

    func value(_ compute: () -> Value) -> Value {
        lock.lock()
        defer { lock.unlock() }
        if let stored { return stored }
        let value = compute()
        stored = value
        return value
    }
}
