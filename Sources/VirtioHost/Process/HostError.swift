import Foundation

/// Why something in the real world did not go as asked: a program that is missing or would not
/// start, a peer that broke its protocol, a wait that ran out of time. Every message says what was
/// being done, in the user's terms.
public struct HostError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// A program is not installed, or not where it was said to be.
        case missingProgram
        /// The operating system refused (spawn, socket, file).
        case system
        /// A wait ran out of time.
        case timeout
        /// A peer said something outside its protocol, or stopped talking.
        case protocolViolation
        /// A peer (QEMU, a daemon) refused what it was asked, in its own words.
        case refused
    }

    public let kind: Kind
    public let description: String

    public init(_ kind: Kind, _ description: String) {
        self.kind = kind
        self.description = description
    }

    /// An errno as a sentence: `open '/x': No such file or directory`.
    static func system(_ what: String, errno code: Int32) -> HostError {
        HostError(.system, "\(what): \(String(cString: strerror(code)))")
    }
}
