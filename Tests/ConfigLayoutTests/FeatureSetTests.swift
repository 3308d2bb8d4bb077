import ConfigLayout
import Testing
import TestSupport

/// `FeatureSet` against a plain `Set<Int>` of bits: random sets over bits 0 to 299, so the inline
/// words and the words past them are both exercised, through every operation.
@Suite struct FeatureSetTests {
    private static func words(_ bits: Set<Int>) -> [UInt64] {
        var words = [UInt64](repeating: 0, count: (bits.max() ?? -1) / 64 + 1)
        for bit in bits { words[bit / 64] |= 1 << UInt64(bit % 64) }
        while words.last == 0 { words.removeLast() }
        return words
    }

    @Test(arguments: [0, 1, 2, 3])
    func agreesWithASetOfBits(_ seed: Int) {
        var random = SeededGenerator(seed: UInt64(seed) &+ 5)
        func draw() -> Set<Int> {
            let limit = [10, 64, 128, 130, 300][Int.random(in: 0..<5, using: &random)]
            return Set((0..<Int.random(in: 0...12, using: &random)).map { _ in Int.random(in: 0..<limit, using: &random) })
        }
        for _ in 0..<300 {
            let (a, b) = (draw(), draw())
            let (x, y) = (FeatureSet(bits: a), FeatureSet(bits: b))
            #expect(x.bits == a.sorted())
            #expect(x.words == Self.words(a))
            #expect(FeatureSet(words: Self.words(a) + [0, 0]) == x)
            #expect(x.isEmpty == a.isEmpty)
            #expect(x.union(y) == FeatureSet(bits: a.union(b)))
            #expect(x.intersection(y) == FeatureSet(bits: a.intersection(b)))
            #expect(x.subtracting(y) == FeatureSet(bits: a.subtracting(b)))
            #expect((x == y) == (a == b))
            if a == b { #expect(x.hashValue == y.hashValue) }
            for bit in [-1, 0, 63, 64, 127, 128, 200, 299, 5000] { #expect(x.contains(bit) == a.contains(bit)) }
            for select in -1..<10 {
                let word = select >= 0 && select / 2 < Self.words(a).count ? Self.words(a)[select / 2] : 0
                #expect(x.window(select) == UInt32(truncatingIfNeeded: select % 2 == 0 ? word : word >> 32))
            }
            var removed = x
            for bit in b { removed.remove(bit) }
            #expect(removed == FeatureSet(bits: a.subtracting(b)))
            #expect(removed.words == Self.words(a.subtracting(b)))
        }
    }
}
