/// Reduced, ordered decision diagrams with integer leaves (MTBDDs). A condition is a diagram with
/// leaves 0 and 1; an offset or size is a diagram whose leaves are byte counts. Comparing two
/// offsets is one `apply`, so the diff never enumerates feature sets.
///
/// Variable `i` is tested at level `i`; smaller levels are nearer the root. A manager is private
/// to one computation: its tables only grow while the computation runs.
final class DecisionDiagram {
    typealias Node = Int32

    enum Operation: UInt8 {
        case and, or, add, subtract, multiply, maximum, equal, notEqual, greater
        /// 1 where the left value is not a multiple of the right: misalignment.
        case notMultipleOf
        /// The sum modulo 8: enough to tell alignment, with at most eight leaves.
        case addModulo8

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
            case .greater: a > b ? 1 : 0
            case .notMultipleOf: b == 0 || a % b == 0 ? 0 : 1
            case .addModulo8: (a &+ b) & 7
            }
        }
    }

    private static let terminalLevel = Int32.max

    // Node storage and tables. A manager belongs to one computation on one thread, and no method
    // holds an access to them across a call, so the runtime's exclusivity checks (a third of a
    // diff's time) are switched off for them.
    // For a terminal, `low` indexes `values`.
    @exclusivity(unchecked) private var levels: [Int32] = []
    @exclusivity(unchecked) private var lows: [Node] = []
    @exclusivity(unchecked) private var highs: [Node] = []
    @exclusivity(unchecked) private var values: [Int] = []

    struct Triple: Hashable { let a: Int32, b: Int32, c: Int32 }
    @exclusivity(unchecked) private var unique = TripleTable()
    @exclusivity(unchecked) private var terminals: [Int: Node] = [:]
    // Operation results: remembered while they fit, recomputed when evicted.
    @exclusivity(unchecked) private var applyCache = LossyCache()
    @exclusivity(unchecked) private var cofactorCache = LossyCache()
    /// 1 for true, 0 for false.
    @exclusivity(unchecked) private var impliesCache = LossyCache()

    let variableCount: Int
    private(set) var zero: Node = 0
    private(set) var one: Node = 0
    /// The most nodes this manager will make. Past it every new node is `zero`, so results are
    /// garbage and `overflowed` says so: a caller that sets a limit checks it after each result.
    var nodeLimit = Int.max
    private(set) var overflowed = false
    var nodeCount: Int { levels.count }

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

    /// The node for `level ? high : low`, shared with every equal one (the covers build with it too).
    func make(level: Int32, low: Node, high: Node) -> Node {
        if low == high { return low }
        if let node = unique[level, low, high] { return node }
        if levels.count >= nodeLimit {
            overflowed = true
            return zero
        }
        let node = Node(levels.count)
        levels.append(level)
        lows.append(low)
        highs.append(high)
        unique.set(level, low, high, to: node)
        // Keep the caches about as large as the diagram, up to 4M slots each.
        if levels.count > applyCache.size, applyCache.size < 1 << 22 {
            applyCache.resize(to: applyCache.size * 4)
            cofactorCache.resize(to: cofactorCache.size * 4)
            impliesCache.resize(to: impliesCache.size * 4)
        }
        return node
    }

    /// A node of another manager over the same variables, rebuilt here.
    func copy(_ node: Node, from other: DecisionDiagram) -> Node {
        var memo: [Node: Node] = [:]
        func rebuild(_ node: Node) -> Node {
            if let value = other.value(node) { return constant(value) }
            if let known = memo[node] { return known }
            let result = make(level: other.level(node), low: rebuild(other.lows[Int(node)]),
                              high: rebuild(other.highs[Int(node)]))
            memo[node] = result
            return result
        }
        return rebuild(node)
    }

    // MARK: - Inspecting

    func isTerminal(_ node: Node) -> Bool { levels[Int(node)] == Self.terminalLevel }

    /// The leaf value of a terminal node.
    func value(_ node: Node) -> Int? { isTerminal(node) ? values[Int(lows[Int(node)])] : nil }

    func level(_ node: Node) -> Int32 { levels[Int(node)] }

    // MARK: - Operations

    func apply(_ operation: Operation, _ a: Node, _ b: Node) -> Node {
        if let result = shortcut(operation, a, b) { return result }
        // Past the limit every result is garbage: stop walking the operands.
        if overflowed { return zero }
        if isTerminal(a), isTerminal(b), let x = value(a), let y = value(b) {
            return constant(operation.evaluate(x, y))
        }
        if let cached = applyCache[a, b, Int32(operation.rawValue)] { return cached }
        let top = min(level(a), level(b))
        let (a0, a1) = cofactors(a, at: top)
        let (b0, b1) = cofactors(b, at: top)
        let result = make(level: top, low: apply(operation, a0, b0), high: apply(operation, a1, b1))
        applyCache.set(a, b, Int32(operation.rawValue), to: result)
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
        case .add, .addModulo8:
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

    /// Whether every assignment that satisfies the 0/1 diagram `a` satisfies `b`. It walks both
    /// diagrams without building any node and stops at the first counterexample.
    func implies(_ a: Node, _ b: Node) -> Bool {
        if a == zero || b == one || a == b { return true }
        if a == one || b == zero { return false }
        if isTerminal(a), isTerminal(b) { return value(a) == 0 || value(b) != 0 }
        if let known = impliesCache[a, b, 0] { return known != 0 }
        let top = min(level(a), level(b))
        let (a0, a1) = cofactors(a, at: top)
        let (b0, b1) = cofactors(b, at: top)
        let result = implies(a0, b0) && implies(a1, b1)
        impliesCache.set(a, b, 0, to: result ? 1 : 0)
        return result
    }

    func cofactors(_ node: Node, at top: Int32) -> (Node, Node) {
        level(node) == top ? (lows[Int(node)], highs[Int(node)]) : (node, node)
    }

    /// The diagram with variable `index` fixed to `value`.
    func restrict(_ node: Node, variable index: Int, to value: Bool) -> Node {
        let target = Int32(index)
        if level(node) > target { return node }
        if level(node) == target { return value ? highs[Int(node)] : lows[Int(node)] }
        if let cached = cofactorCache[node, target, value ? 1 : 0] { return cached }
        let result = make(level: level(node), low: restrict(lows[Int(node)], variable: index, to: value),
                          high: restrict(highs[Int(node)], variable: index, to: value))
        cofactorCache.set(node, target, value ? 1 : 0, to: result)
        return result
    }

    /// Whether some function without `variable` lies between `lower` and `upper` (∃v.lower ≤
    /// ∀v.upper): each cofactor of lower must lie under the other cofactor of upper. One walk over
    /// both diagrams, crossing the branches at the variable, answers it without building a node.
    func canDrop(variable index: Int, lower: Node, upper: Node) -> Bool {
        let target = Int32(index)
        var memo = TripleTable(capacity: 64)
        func check(_ a: Node, _ b: Node) -> Bool {
            if a == zero || b == one { return true }
            let top = min(level(a), level(b))
            if top > target { return implies(a, b) }  // neither tests the variable below here
            if let known = memo[a, b, 0] { return known != 0 }
            let (a0, a1) = cofactors(a, at: top)
            let (b0, b1) = cofactors(b, at: top)
            let result = top == target ? implies(a0, b1) && implies(a1, b0) : check(a0, b0) && check(a1, b1)
            memo.set(a, b, 0, to: result ? 1 : 0)
            return result
        }
        return check(lower, upper)
    }

    func exists(_ node: Node, variable index: Int) -> Node {
        or(restrict(node, variable: index, to: false), restrict(node, variable: index, to: true))
    }

    /// ∃ of several variables in one pass.
    func exists(_ node: Node, variables: Set<Int>) -> Node {
        guard !variables.isEmpty else { return node }
        var memo: [Node: Node] = [:]
        func quantify(_ node: Node) -> Node {
            if isTerminal(node) { return node }
            if let known = memo[node] { return known }
            let low = quantify(lows[Int(node)])
            let high = quantify(highs[Int(node)])
            let result = variables.contains(Int(level(node))) ? or(low, high) : make(level: level(node), low: low, high: high)
            memo[node] = result
            return result
        }
        return quantify(node)
    }

    func forAll(_ node: Node, variable index: Int) -> Node {
        and(restrict(node, variable: index, to: false), restrict(node, variable: index, to: true))
    }

    /// The literals every satisfying assignment of a 0/1 diagram has: variable → value. A variable a
    /// path can skip is free on that path, so only variables tested on every path can be forced.
    func forcedLiterals(_ node: Node) -> [Int: Bool] {
        var memo: [Node: [Int: Bool]] = [:]
        func forced(_ node: Node) -> [Int: Bool] {
            if isTerminal(node) { return [:] }
            if let known = memo[node] { return known }
            let variable = Int(level(node))
            let low = lows[Int(node)]
            let high = highs[Int(node)]
            var result: [Int: Bool]
            if low == zero {
                result = forced(high)
                result[variable] = true
            } else if high == zero {
                result = forced(low)
                result[variable] = false
            } else {
                let fromHigh = forced(high)
                result = forced(low).filter { fromHigh[$0.key] == $0.value }
            }
            memo[node] = result
            return result
        }
        return node == zero ? [:] : forced(node)
    }

    /// Marks for one traversal at a time: a node is visited when its mark equals the current stamp,
    /// so starting a traversal costs nothing.
    @exclusivity(unchecked) private var marks: [UInt32] = []
    @exclusivity(unchecked) private var stamp: UInt32 = 0

    /// Calls `visit` once for every node reachable from `root`, terminals included.
    private func forEachReachable(from root: Node, _ visit: (Node) -> Void) {
        if marks.count < levels.count { marks += [UInt32](repeating: 0, count: levels.count - marks.count) }
        stamp &+= 1
        if stamp == 0 {
            marks = [UInt32](repeating: 0, count: levels.count)
            stamp = 1
        }
        var stack = [root]
        while let node = stack.popLast() {
            guard marks[Int(node)] != stamp else { continue }
            marks[Int(node)] = stamp
            visit(node)
            if !isTerminal(node) {
                stack.append(lows[Int(node)])
                stack.append(highs[Int(node)])
            }
        }
    }

    /// The variables the diagram tests, in level order.
    func support(_ node: Node) -> [Int] {
        var found = Set<Int>()
        forEachReachable(from: node) { if !isTerminal($0) { found.insert(Int(level($0))) } }
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
        var seen = TripleTable(capacity: 256)
        var result = Set<Int>()
        func visit(_ f: Node, _ g: Node) {
            if g == zero || seen[f, g, 0] != nil { return }
            seen.set(f, g, 0, to: 1)
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

    /// A satisfying assignment of a 0/1 diagram drawn at random: at each node a branch that can
    /// still reach 1, either when both can, and every variable off the path at random. Nil if none.
    func randomSatisfying(_ node: Node, using random: inout some RandomNumberGenerator) -> Set<Int>? {
        guard node != zero else { return nil }
        var assignment = Set((0..<variableCount).filter { _ in Bool.random(using: &random) })
        var current = node
        while !isTerminal(current) {
            let variable = Int(level(current))
            let low = lows[Int(current)], high = highs[Int(current)]
            let takeHigh = low == zero ? true : high == zero ? false : Bool.random(using: &random)
            if takeHigh { assignment.insert(variable) } else { assignment.remove(variable) }
            current = takeHigh ? high : low
        }
        return assignment
    }
}
