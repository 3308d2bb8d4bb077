/// A fixed map from names (feature names, field paths) to small integers, for the lookups drivers
/// and devices make by name on every access. Swift's Dictionary runs seeded SipHash over every key
/// it is asked for; these names are short and fixed once a layout is checked, so an FNV-1a hash
/// and linear probing do, at about two thirds of the cost per lookup.
public struct NameTable: Sendable {
    private let names: [String?]
    private let values: [Int]
    private let mask: Int

    /// The first value given for each name wins.
    public init(_ entries: some Sequence<(String, Int)>) {
        let entries = Array(entries)
        var size = 8
        while size < entries.count * 2 { size <<= 1 }
        var names = [String?](repeating: nil, count: size)
        var values = [Int](repeating: 0, count: size)
        for (name, value) in entries {
            var slot = Self.hash(name) & (size - 1)
            while let occupant = names[slot], occupant != name { slot = (slot + 1) & (size - 1) }
            if names[slot] == nil {
                names[slot] = name
                values[slot] = value
            }
        }
        self.names = names
        self.values = values
        mask = size - 1
    }

    public subscript(name: String) -> Int? {
        var slot = Self.hash(name) & mask
        while let occupant = names[slot] {
            if occupant == name { return values[slot] }
            slot = (slot + 1) & mask
        }
        return nil
    }

    private static func hash(_ name: String) -> Int {
        // withUTF8 gives a native string's bytes in place (a short one's from the stack).
        var name = name
        return name.withUTF8 { bytes in
            var hash: UInt64 = 0xcbf2_9ce4_8422_2325
            for byte in bytes {
                hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3
            }
            return Int(truncatingIfNeeded: hash ^ (hash >> 29))
        }
    }
}
