import Foundation

/// A point in time a wait must not pass. Every wait in VirtioHost takes one, so none can hang.
public struct Deadline: Sendable {
    public let instant: ContinuousClock.Instant

    public init(in duration: Duration) {
        instant = ContinuousClock.now.advanced(by: duration)
    }

    public var hasPassed: Bool { ContinuousClock.now >= instant }

    /// What is left, in whole milliseconds for poll(2): at least 0, at most Int32.max.
    var remainingMilliseconds: Int32 {
        let left = ContinuousClock.now.duration(to: instant)
        guard left > .zero else { return 0 }
        let (seconds, attoseconds) = left.components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000 + 1
        return Int32(clamping: milliseconds)
    }
}

extension Duration {
    /// `2.5 s`, `40 ms`: for messages.
    var spoken: String {
        let (seconds, attoseconds) = components
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return milliseconds >= 1000 && milliseconds % 100 == 0
            ? "\(Double(milliseconds) / 1000) s" : milliseconds >= 1000 ? "\(milliseconds / 1000) s" : "\(milliseconds) ms"
    }
}
