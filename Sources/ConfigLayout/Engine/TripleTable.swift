/// An open-addressing hash map from three 32-bit integers to a 32-bit integer: the unique table and
/// the operation caches of `DecisionDiagram`. Swift's Dictionary seeds and runs SipHash on every
/// key, which was most of a diff's time; this hashes with two multiplies and probes linearly.
struct TripleTable {
    struct Key: Equatable {
        let a: Int32
        let b: Int32
        let c: Int32
    }

    static let vacant = Key(a: .min, b: .min, c: .min)

    private var keys: [Key]
    private var values: [Int32]
    private var mask: Int
    private(set) var count = 0

    init(capacity: Int = 1 << 6) {
        var size = 16
        while size < capacity * 2 { size <<= 1 }
        keys = [Key](repeating: Self.vacant, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    /// Every input bit reaches the low bits the table indexes with.
    static func hash(_ key: Key) -> Int {
        var h = UInt64(UInt32(bitPattern: key.a)) &* 0x9E37_79B9_7F4A_7C15
        h ^= UInt64(UInt32(bitPattern: key.b)) &* 0xC2B2_AE3D_27D4_EB4F
        h ^= UInt64(UInt32(bitPattern: key.c)) &* 0x1656_67B1_9E37_79F9
        h ^= h >> 32
        h &*= 0xD6E8_FEB8_6659_FD93
        h ^= h >> 32
        return Int(truncatingIfNeeded: h)
    }

    subscript(a: Int32, b: Int32, c: Int32) -> Int32? {
        let key = Key(a: a, b: b, c: c)
        var index = Self.hash(key) & mask
        while true {
            let found = keys[index]
            if found == key { return values[index] }
            if found == Self.vacant { return nil }
            index = (index + 1) & mask
        }
    }

    /// Adds or replaces a value. The key must not be (.min, .min, .min), which marks empty slots.
    mutating func set(_ a: Int32, _ b: Int32, _ c: Int32, to value: Int32) {
        if (count + 1) * 2 > keys.count { grow() }
        let key = Key(a: a, b: b, c: c)
        var index = Self.hash(key) & mask
        while true {
            let found = keys[index]
            if found == key { values[index] = value; return }
            if found == Self.vacant {
                keys[index] = key
                values[index] = value
                count += 1
                return
            }
            index = (index + 1) & mask
        }
    }

    private mutating func grow() {
        let oldKeys = keys
        let oldValues = values
        keys = [Key](repeating: Self.vacant, count: oldKeys.count * 2)
        values = [Int32](repeating: 0, count: oldKeys.count * 2)
        mask = keys.count - 1
        count = 0
        for (key, value) in zip(oldKeys, oldValues) where key != Self.vacant {
            set(key.a, key.b, key.c, to: value)
        }
    }
}

/// A direct-mapped cache from three 32-bit integers to a 32-bit integer: each key has one slot and
/// a newer entry evicts an older one. Operation results need only be remembered, not kept, so a
/// lost entry costs a recomputation while the cache stays small enough to stay in CPU caches (the
/// design of CUDD's computed table). It grows with the diagram it serves.
struct LossyCache {
    private var keys: [TripleTable.Key]
    private var values: [Int32]
    private var mask: Int

    init(size: Int = 1 << 8) {
        keys = [TripleTable.Key](repeating: TripleTable.vacant, count: size)
        values = [Int32](repeating: 0, count: size)
        mask = size - 1
    }

    var size: Int { keys.count }

    subscript(a: Int32, b: Int32, c: Int32) -> Int32? {
        let key = TripleTable.Key(a: a, b: b, c: c)
        let index = TripleTable.hash(key) & mask
        return keys[index] == key ? values[index] : nil
    }

    mutating func set(_ a: Int32, _ b: Int32, _ c: Int32, to value: Int32) {
        let key = TripleTable.Key(a: a, b: b, c: c)
        let index = TripleTable.hash(key) & mask
        keys[index] = key
        values[index] = value
    }

    /// Starts over at `size` slots (a power of two).
    mutating func resize(to size: Int) {
        self = LossyCache(size: size)
    }
}
