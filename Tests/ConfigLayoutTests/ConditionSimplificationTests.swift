import Testing
@testable import ConfigLayout

/// Formulas as reports print them: no repeated conjuncts, no absorbed operands, and contradictions
/// and tautologies folded; each checked against every assignment of its features.
@Suite struct ConditionSimplificationTests {
    private let r = Condition.feature("R"), s = Condition.feature("S"), t = Condition.feature("T")

    @Test func repeatsAreDropped() {
        #expect(Condition.and([r, r]) == r)
        #expect(Condition.and([Condition.and([r, s]), r]) == .all([r, s]))
        #expect(Condition.or([s, r, s]) == .any([s, r]))
    }

    @Test func absorptionSimplifies() {
        #expect(Condition.and([Condition.or([r, s]), s]) == s)
        #expect(Condition.or([Condition.and([r, s]), s]) == s)
        #expect(Condition.and([Condition.or([r, t]), s]) == .all([.any([r, t]), s]))
    }

    @Test func contradictionsAndTautologiesFold() {
        #expect(Condition.and([r, r.negated]) == .never)
        #expect(Condition.or([r, r.negated]) == .always)
    }

    /// Every simplification keeps the truth table of what it was built from.
    @Test(arguments: 0..<200)
    func simplifyingKeepsTheMeaning(seed: Int) {
        var random = SplitMix(seed: UInt64(seed))
        let atoms = [r, s, t]
        func build(_ depth: Int) -> (Condition, ([String: Bool]) -> Bool) {
            if depth == 0 || random.next() % 3 == 0 {
                let atom = atoms[Int(random.next() % 3)]
                let negate = random.next() % 2 == 0
                guard case .feature(let name) = atom else { return (.always, { _ in true }) }
                return negate ? (atom.negated, { !($0[name] ?? false) }) : (atom, { $0[name] ?? false })
            }
            let parts = (0..<2 + Int(random.next() % 2)).map { _ in build(depth - 1) }
            if random.next() % 2 == 0 {
                return (Condition.and(parts.map(\.0)), { values in parts.allSatisfy { $0.1(values) } })
            }
            return (Condition.or(parts.map(\.0)), { values in parts.contains { $0.1(values) } })
        }
        let (condition, truth) = build(3)
        for mask in 0..<8 {
            let values = ["R": mask & 1 != 0, "S": mask & 2 != 0, "T": mask & 4 != 0]
            #expect(condition.evaluate { values[$0] ?? false } == truth(values), "\(condition) at \(values)")
        }
    }
}

private struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9E37_79B9_7F4A_7C15 }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
