/// Readable sums of products from diagrams, for conditions written back as text.
extension DecisionDiagram {
    /// A product of literals: variable index → required value.
    typealias Cube = [(variable: Int, value: Bool)]

    /// Minato–Morreale: an irredundant sum of products covering every assignment in `lower` and
    /// none outside `upper` (the care set is where they differ). Nil when it needs more than `limit`
    /// products, as parity-like functions do: such a sum would be unreadable anyway.
    func irredundantCover(lower: Node, upper: Node, limit: Int) -> [Cube]? {
        var memo: [Triple: ([Cube], Node)] = [:]
        struct TooLarge: Error {}
        func isop(_ lower: Node, _ upper: Node) throws(TooLarge) -> ([Cube], Node) {
            if lower == zero { return ([], zero) }
            if upper == one { return ([[]], one) }
            let key = Triple(a: lower, b: upper, c: 0)
            if let known = memo[key] { return known }
            let top = min(level(lower), level(upper))
            let variable = Int(top)
            let (l0, l1) = cofactors(lower, at: top)
            let (u0, u1) = cofactors(upper, at: top)
            let (cubes0, cover0) = try isop(and(l0, not(u1)), u0)
            let (cubes1, cover1) = try isop(and(l1, not(u0)), u1)
            let restLower = or(and(l0, not(cover0)), and(l1, not(cover1)))
            let (cubesRest, coverRest) = try isop(restLower, and(u0, u1))
            guard cubes0.count + cubes1.count + cubesRest.count <= limit else { throw TooLarge() }
            let cubes = cubes0.map { [(variable, false)] + $0 } + cubes1.map { [(variable, true)] + $0 } + cubesRest
            let cover = make(level: top, low: or(cover0, coverRest), high: or(cover1, coverRest))
            memo[key] = (cubes, cover)
            return (cubes, cover)
        }
        return try? isop(lower, upper).0
    }
}
