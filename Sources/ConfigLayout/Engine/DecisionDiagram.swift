/// Reduced, ordered decision diagrams with integer leaves (MTBDDs). A condition is a diagram with
/// leaves 0 and 1; an offset or size is a diagram whose leaves are byte counts. Comparing two
/// offsets is one `apply`, so the diff never enumerates feature sets.
///
/// Variable `i` is tested at level `i`; smaller levels are nearer the root. A manager is private
/// to one computation: its tables only grow while the computation runs.
final class DecisionDiagram {
    typealias Node = Int32

    enum Operation: UInt8 {
        case and, or, add, subtract, multiply, maximum, equal, notEqual
        /// 1 where the left value is not a multiple of the right: misalignment.
        case notMultipleOf

        func evaluate(_ a: Int, _ b: Int) -> Int {
            switch self {
            case .and: a != 0 && b != 0 ? 1 : 0
            case .or: a != 0 || b != 0 ? 1 : 0
            case .add: a &+ b
            case .subtract: a &- b
            case .multiply: a &* b
            case .maximum: Swift.max(a, b)
            case .equal: a == b ? 1 : 0
            case .notEqual: a != b ? 1 : 0
            case .notMultipleOf: b == 0 || a % b == 0 ? 0 : 1
            }
        }
    }

    private static let terminalLevel = Int32.max

    // Node storage. For a terminal, `low` indexes `values`.
    private var levels: [Int32] = []
    private var lows: [Node] = []
    private var highs: [Node] = []
    private var values: [Int] = []

    private struct Triple: Hashable { let a: Int32, b: Int32, c: Int32 }
    private var unique: [Triple: Node] = [:]
    private var terminals: [Int: Node] = [:]
    private var applyCache: [Triple: Node] = [:]
    private var cofactorCache: [Triple: Node] = [:]

    let variableCount: Int
    private(set) var zero: Node = 0
    private(set) var one: Node = 0

    init(variableCount: Int) {
        self.variableCount = variableCount
        zero = constant(0)
        one = constant(1)
    }

    // MARK: - Building

    func constant(_ value: Int) -> Node {
        if let node = terminals[value] { return node }
        let node = Node(levels.count)
        levels.append(Self.terminalLevel)
        lows.append(Node(values.count))
        highs.append(0)
        values.append(value)
        terminals[value] = node
        return node
    }

    func variable(_ index: Int) -> Node {
        make(level: Int32(index), low: zero, high: one)
    }

    private func make(level: Int32, low: Node, high: Node) -> Node {
        if low == high { return low }
        let key = Triple(a: level, b: low, c: high)
        if let node = unique[key] { return node }
        let node = Node(levels.count)
        levels.append(level)
        lows.append(low)
        highs.append(high)
        unique[key] = node
        return node
    }

    // MARK: - Inspecting

    func isTerminal(_ node: Node) -> Bool { levels[Int(node)] == Self.terminalLevel }

    /// The leaf value of a terminal node.
    func value(_ node: Node) -> Int? { isTerminal(node) ? values[Int(lows[Int(node)])] : nil }

    func level(_ node: Node) -> Int32 { levels[Int(node)] }

    // MARK: - Operations

    func apply(_ operation: Operation, _ a: Node, _ b: Node) -> Node {
        if let result = shortcut(operation, a, b) { return result }
        if isTerminal(a), isTerminal(b), let x = value(a), let y = value(b) {
            return constant(operation.evaluate(x, y))
        }
        let key = Triple(a: a, b: b, c: Int32(operation.rawValue))
        if let cached = applyCache[key] { return cached }
        let top = min(level(a), level(b))
        let (a0, a1) = cofactors(a, at: top)
        let (b0, b1) = cofactors(b, at: top)
        let result = make(level: top, low: apply(operation, a0, b0), high: apply(operation, a1, b1))
        applyCache[key] = result
        return result
    }

    private func shortcut(_ operation: Operation, _ a: Node, _ b: Node) -> Node? {
        switch operation {
        case .and:
            if a == zero || b == zero { return zero }
            if a == one { return b }
            if b == one || a == b { return a }
        case .or:
            if a == one || b == one { return one }
            if a == zero { return b }
            if b == zero || a == b { return a }
        case .add:
            if a == zero { return b }
            if b == zero { return a }
        case .multiply:
            if a == zero || b == zero { return zero }
            if a == one { return b }
            if b == one { return a }
        case .equal where a == b:
            return one
        case .notEqual where a == b:
            return zero
        default:
            break
        }
        return nil
    }

    func not(_ a: Node) -> Node { apply(.equal, a, zero) }

    func and(_ a: Node, _ b: Node) -> Node { apply(.and, a, b) }

    func or(_ a: Node, _ b: Node) -> Node { apply(.or, a, b) }

    /// `condition ? then : otherwise`, for a 0/1 condition and any leaves.
    func select(_ condition: Node, _ then: Node, _ otherwise: Node) -> Node {
        apply(.add, apply(.multiply, condition, then), apply(.multiply, not(condition), otherwise))
    }

    /// Whether every assignment that satisfies `a` satisfies `b`.
    func implies(_ a: Node, _ b: Node) -> Bool { and(a, not(b)) == zero }

    private func cofactors(_ node: Node, at top: Int32) -> (Node, Node) {
        level(node) == top ? (lows[Int(node)], highs[Int(node)]) : (node, node)
    }

    /// The diagram with variable `index` fixed to `value`.
    func restrict(_ node: Node, variable index: Int, to value: Bool) -> Node {
        let target = Int32(index)
        if level(node) > target { return node }
        if level(node) == target { return value ? highs[Int(node)] : lows[Int(node)] }
        let key = Triple(a: node, b: target, c: value ? 1 : 0)
        if let cached = cofactorCache[key] { return cached }
        let result = make(level: level(node), low: restrict(lows[Int(node)], variable: index, to: value),
                          high: restrict(highs[Int(node)], variable: index, to: value))
        cofactorCache[key] = result
        return result
    }

    func exists(_ node: Node, variable index: Int) -> Node {
        or(restrict(node, variable: index, to: false), restrict(node, variable: index, to: true))
    }

    func forAll(_ node: Node, variable index: Int) -> Node {
        and(restrict(node, variable: index, to: false), restrict(node, variable: index, to: true))
    }

    /// The variables the diagram tests, in level order.
    func support(_ node: Node) -> [Int] {
        var seen = Set<Node>()
        var found = Set<Int>()
        var stack = [node]
        while let current = stack.popLast() {
            guard !isTerminal(current), seen.insert(current).inserted else { continue }
            found.insert(Int(level(current)))
            stack.append(lows[Int(current)])
            stack.append(highs[Int(current)])
        }
        return found.sorted()
    }

    /// How many assignments of all `variableCount` variables make a 0/1 diagram 1.
    func satisfyingCount(_ node: Node) -> Double {
        var memo: [Node: Double] = [:]
        func fraction(_ node: Node) -> Double {
            if let terminal = value(node) { return terminal != 0 ? 1 : 0 }
            if let known = memo[node] { return known }
            let result = (fraction(lows[Int(node)]) + fraction(highs[Int(node)])) / 2
            memo[node] = result
            return result
        }
        var count = fraction(node)
        for _ in 0..<variableCount { count *= 2 }
        return count.rounded()
    }

    /// The leaf values `node` takes where the 0/1 diagram `condition` is 1.
    func values(of node: Node, where condition: Node) -> Set<Int> {
        var seen = Set<Triple>()
        var result = Set<Int>()
        func visit(_ f: Node, _ g: Node) {
            if g == zero || !seen.insert(Triple(a: f, b: g, c: 0)).inserted { return }
            // A reduced 0/1 diagram other than zero is satisfiable, so a leaf of f is reached.
            if let leaf = value(f) {
                result.insert(leaf)
                return
            }
            let top = min(level(f), level(g))
            let (f0, f1) = cofactors(f, at: top)
            let (g0, g1) = cofactors(g, at: top)
            visit(f0, g0)
            visit(f1, g1)
        }
        visit(node, condition)
        return result
    }

    /// A satisfying assignment of a 0/1 diagram with as few variables true as possible (variables
    /// off the path are false), preferring earlier variables among equals; nil if there is none.
    func sparsestSatisfying(_ node: Node) -> Set<Int>? {
        var memo: [Node: Int] = [:]
        let unreachable = Int.max / 2
        func cost(_ node: Node) -> Int {
            if let terminal = value(node) { return terminal != 0 ? 0 : unreachable }
            if let known = memo[node] { return known }
            let result = min(cost(lows[Int(node)]), cost(highs[Int(node)]) + 1)
            memo[node] = result
            return result
        }
        guard cost(node) < unreachable else { return nil }
        var assignment = Set<Int>()
        var current = node
        while !isTerminal(current) {
            let low = lows[Int(current)]
            let high = highs[Int(current)]
            // On a tie take the variable: earlier-declared features make the more familiar example.
            if cost(high) + 1 <= cost(low) {
                assignment.insert(Int(level(current)))
                current = high
            } else {
                current = low
            }
        }
        return assignment
    }

    // MARK: - Irredundant sums of products

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
