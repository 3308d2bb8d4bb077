import Spelling

/// A set of feature bits of any number (net uses bits above 63), read as 64-bit words the way
/// transports expose them. Bits 0 to 127, every bit the spec defines so far, are held inline, so
/// the sets drivers and devices make on every negotiation allocate nothing.
public struct FeatureSet: Hashable, Sendable {
    private var low: UInt64 = 0
    private var high: UInt64 = 0
    /// Words 2 and on (bits 128 and up), with no trailing zero word, so equal sets are equal values.
    private var rest: [UInt64] = []

    public init() {}

    public init(bits: some Sequence<Int>) {
        for bit in bits { insert(bit) }
    }

    public init(words: [UInt64]) {
        low = words.first ?? 0
        high = words.count > 1 ? words[1] : 0
        rest = words.count > 2 ? Array(words[2...]) : []
        trim()
    }

    /// The words, bit n in word n / 64, without trailing zero words.
    public var words: [UInt64] {
        if !rest.isEmpty { return [low, high] + rest }
        if high != 0 { return [low, high] }
        return low != 0 ? [low] : []
    }

    private func word(_ index: Int) -> UInt64 {
        switch index {
        case 0: low
        case 1: high
        default: index - 2 < rest.count ? rest[index - 2] : 0
        }
    }

    private mutating func setWord(_ index: Int, _ value: UInt64) {
        switch index {
        case 0: low = value
        case 1: high = value
        default:
            if index - 2 >= rest.count {
                guard value != 0 else { return }
                rest += [UInt64](repeating: 0, count: index - 2 - rest.count + 1)
            }
            rest[index - 2] = value
            trim()
        }
    }

    public func contains(_ bit: Int) -> Bool {
        guard bit >= 0 else { return false }
        return word(bit / 64) & (1 << UInt64(bit % 64)) != 0
    }

    public mutating func insert(_ bit: Int) {
        guard bit >= 0 else { return }
        setWord(bit / 64, word(bit / 64) | 1 << UInt64(bit % 64))
    }

    public mutating func remove(_ bit: Int) {
        guard bit >= 0 else { return }
        setWord(bit / 64, word(bit / 64) & ~(1 << UInt64(bit % 64)))
    }

    /// The set bits in ascending order.
    public var bits: [Int] {
        var result: [Int] = []
        for (index, word) in words.enumerated() {
            var remaining = word
            while remaining != 0 {
                result.append(index * 64 + remaining.trailingZeroBitCount)
                remaining &= remaining - 1
            }
        }
        return result
    }

    public var isEmpty: Bool { low == 0 && high == 0 && rest.isEmpty }

    /// The 32-bit feature window `select` (bits 32·select ..< 32·select + 32), as transports read it.
    public func window(_ select: Int) -> UInt32 {
        guard select >= 0 else { return 0 }
        let word = word(select / 2)
        return UInt32(truncatingIfNeeded: select % 2 == 0 ? word : word >> 32)
    }

    public func union(_ other: FeatureSet) -> FeatureSet {
        combined(with: other) { $0 | $1 }
    }

    public func intersection(_ other: FeatureSet) -> FeatureSet {
        combined(with: other) { $0 & $1 }
    }

    /// The features in this set and not in `other`.
    public func subtracting(_ other: FeatureSet) -> FeatureSet {
        combined(with: other) { $0 & ~$1 }
    }

    private func combined(with other: FeatureSet, _ operation: (UInt64, UInt64) -> UInt64) -> FeatureSet {
        var result = FeatureSet()
        result.low = operation(low, other.low)
        result.high = operation(high, other.high)
        if !rest.isEmpty || !other.rest.isEmpty {
            result.rest = (0..<max(rest.count, other.rest.count)).map { index in
                operation(index < rest.count ? rest[index] : 0, index < other.rest.count ? other.rest[index] : 0)
            }
            result.trim()
        }
        return result
    }

    private mutating func trim() {
        while let last = rest.last, last == 0 { rest.removeLast() }
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
