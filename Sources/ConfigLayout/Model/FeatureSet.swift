/// A set of feature bits of any number (net uses bits above 63), stored as 64-bit words the way
/// transports expose them.
public struct FeatureSet: Hashable, Sendable {
    public private(set) var words: [UInt64]

    public init() {
        words = []
    }

    public init(bits: some Sequence<Int>) {
        self.init()
        for bit in bits { insert(bit) }
    }

    public init(words: [UInt64]) {
        self.words = words
        trim()
    }

    public func contains(_ bit: Int) -> Bool {
        guard bit >= 0 else { return false }
        let word = bit / 64
        return word < words.count && words[word] & (1 << UInt64(bit % 64)) != 0
    }

    public mutating func insert(_ bit: Int) {
        guard bit >= 0 else { return }
        let word = bit / 64
        if word >= words.count { words += [UInt64](repeating: 0, count: word - words.count + 1) }
        words[word] |= 1 << UInt64(bit % 64)
    }

    public mutating func remove(_ bit: Int) {
        guard bit >= 0, bit / 64 < words.count else { return }
        words[bit / 64] &= ~(1 << UInt64(bit % 64))
        trim()
    }

    /// The set bits in ascending order.
    public var bits: [Int] {
        words.enumerated().flatMap { index, word in
            (0..<64).filter { word & (1 << UInt64($0)) != 0 }.map { index * 64 + $0 }
        }
    }

    public var isEmpty: Bool { words.isEmpty }

    /// The 32-bit feature window `select` (bits 32·select ..< 32·select + 32), as transports read it.
    public func window(_ select: Int) -> UInt32 {
        guard select >= 0, select / 2 < words.count else { return 0 }
        let word = words[select / 2]
        return UInt32(truncatingIfNeeded: select % 2 == 0 ? word : word >> 32)
    }

    public func union(_ other: FeatureSet) -> FeatureSet {
        FeatureSet(words: (0..<max(words.count, other.words.count)).map { index in
            (index < words.count ? words[index] : 0) | (index < other.words.count ? other.words[index] : 0)
        })
    }

    public func intersection(_ other: FeatureSet) -> FeatureSet {
        FeatureSet(words: (0..<min(words.count, other.words.count)).map { words[$0] & other.words[$0] })
    }

    private mutating func trim() {
        while let last = words.last, last == 0 { words.removeLast() }
    }
}

extension Device {
    /// Whether the named feature is in the set; an unknown name is never set.
    public func isSet(_ name: String, in features: FeatureSet) -> Bool {
        bit(named: name).map { features.contains($0) } ?? false
    }

    /// Evaluates a condition against a feature set.
    public func holds(_ condition: Condition, in features: FeatureSet) -> Bool {
        condition.evaluate { isSet($0, in: features) }
    }

    /// The set's bits by name, in bit order; bits no feature declares are named by number.
    public func names(of features: FeatureSet) -> [String] {
        features.bits.map { bit in
            let candidates = self.features(withBit: bit)
            return (candidates.first { !$0.isLegacyOnly } ?? candidates.first)?.name ?? String(bit)
        }
    }

    /// Parses `MTU,STATUS`, bit numbers, `none` or `all` (every device and transport feature).
    public func parseFeatures(_ text: String) -> Result<FeatureSet, FeatureListError> {
        let items = text.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingSpaces() }
        // An empty list, an empty item, and 'none' or 'all' beside anything else, say nothing clear.
        if items.allSatisfy(\.isEmpty) {
            return .failure(FeatureListError(item: text, message: "the list is empty; to offer no features, say 'none'",
                                             suggestion: nil))
        }
        if items.contains(where: \.isEmpty) {
            return .failure(FeatureListError(item: text, message: "'\(text)' has an empty item between commas", suggestion: nil))
        }
        for word in ["none", "all"] where items.contains(word) && items.count > 1 {
            return .failure(FeatureListError(item: text, message: "'\(word)' stands alone; give it by itself, or list the features",
                                             suggestion: nil))
        }
        var set = FeatureSet()
        for item in items where !item.isEmpty {
            switch item {
            case "none":
                continue
            case "all":
                for feature in allFeatures where !feature.isLegacyOnly { set.insert(feature.bit) }
            default:
                if let bit = Int(item) {
                    guard !self.features(withBit: bit).isEmpty else {
                        return .failure(FeatureListError(item: item, message: "bit \(bit) is not a feature of "
                            + "\(name) or the transport", suggestion: nil))
                    }
                    set.insert(bit)
                } else if let feature = feature(named: item) {
                    set.insert(feature.bit)
                } else {
                    let suggestion = Suggestion.closest(to: item, in: allFeatures.map(\.name))
                    return .failure(FeatureListError(item: item, message: "'\(item)' is not a feature of \(name) "
                        + "or the transport", suggestion: suggestion))
                }
            }
        }
        return .success(set)
    }
}

public struct FeatureListError: Error, Sendable, Equatable {
    public let item: String
    public let message: String
    public let suggestion: String?
}

extension StringProtocol {
    /// The text without leading and trailing spaces and tabs.
    func trimmingSpaces() -> String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
