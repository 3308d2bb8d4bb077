/// A problem found in a layout file: a kind, a message, the span it is about, and notes that point
/// at related places (such as the first definition of a duplicate).
public struct Diagnostic: Sendable, Equatable {
    public enum Severity: String, Sendable, Comparable {
        case warning
        case error

        public static func < (lhs: Severity, rhs: Severity) -> Bool {
            lhs == .warning && rhs == .error
        }
    }

    public struct Note: Sendable, Equatable {
        public let message: String
        public let span: SourceSpan?

        public init(_ message: String, at span: SourceSpan? = nil) {
            self.message = message
            self.span = span
        }
    }

    /// Every kind of problem the front end reports. Tests keep one fixture per kind.
    public enum Kind: String, Sendable, CaseIterable {
        // Lexer
        case unexpectedCharacter
        case unterminatedString
        case invalidEscape
        case malformedNumber
        case numberTooLarge
        // Parser
        case syntax
        case nestingTooDeep
        // Files
        case importNotFound
        case importCycle
        // Declarations
        case duplicateDeclaration
        case duplicateDevice
        case duplicateFeatureName
        case duplicateFeatureBit
        case transportBitClash
        case featureBitOutOfRange
        case featureBitOutsideDeviceRange
        case unknownFeature
        case requiresCycle
        case invalidVersionRange
        case unknownVersion
        case deviceIDOutOfRange
        // Fields and types
        case duplicateField
        case duplicateClause
        case unknownType
        case unsupportedArrayElement
        case invalidArrayLength
        case emptyAggregate
        case recursiveType
        case configTooLarge
        case misalignedField
        case invalidRange
        case rangeDoesNotFit
        case rangeOnNonInteger
        case unknownFieldPath
        case unknownStatusBit
        case missingConfig
        case noDevice

        /// Warnings do not fail `check`; everything else is an error.
        public var severity: Severity {
            switch self {
            case .misalignedField, .featureBitOutsideDeviceRange: .warning
            default: .error
            }
        }
    }

    public let kind: Kind
    public let message: String
    public let span: SourceSpan
    public var notes: [Note]

    public var severity: Severity { kind.severity }

    public init(_ kind: Kind, _ message: String, at span: SourceSpan, notes: [Note] = []) {
        self.kind = kind
        self.message = message
        self.span = span
        self.notes = notes
    }
}

extension Array where Element == Diagnostic {
    public var hasErrors: Bool { contains { $0.severity == .error } }
    public var errorCount: Int { filter { $0.severity == .error }.count }
    public var warningCount: Int { filter { $0.severity == .warning }.count }

    /// Diagnostics in source order (file, then position), stable for equal positions.
    public func sortedBySource() -> [Diagnostic] {
        enumerated().sorted { lhs, rhs in
            let (a, b) = (lhs.element.span, rhs.element.span)
            if a.file.path != b.file.path { return a.file.path < b.file.path }
            if a.start != b.start { return a.start < b.start }
            return lhs.offset < rhs.offset
        }.map(\.element)
    }
}
