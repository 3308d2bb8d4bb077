/// A device's declared fields flattened in declaration order (each aggregate before its members),
/// with the conditions in force down to each: its own, and those of every struct or union that
/// encloses it. A member of a conditional struct exists only when the struct does, and every
/// report and generated file says so.
///
/// The tree is built once, when the device is, so that laying the device out under one feature
/// set is a walk over an array: no paths are spelled and no names looked up per layout.
public struct FieldTree: Sendable {
    public struct Node: Sendable {
        /// `geometry.cylinders`.
        public let path: String
        public let field: Field
        /// Every `if` from the config down to the field.
        public let exists: Condition
        /// It exists and every `valid if` on the way holds.
        public let valid: Condition
        /// The nearest enclosing field whose conditions it inherits, when it has none of its own.
        public let inheritedFrom: String?
        /// Whether the aggregate holding the field is a struct or a union.
        public let container: AggregateKind
        /// One past the last of the field's members: the next sibling's index (its own index plus
        /// one for a leaf).
        public let subtreeEnd: Int
        /// Whether any `if` or `valid if` on the way governs it, its own or an enclosing field's.
        public let isGoverned: Bool
        /// The field's own `if` and `valid if`, resolved to bits.
        public let ownExistence: CompiledCondition?
        public let ownValidity: CompiledCondition?

        /// Whether a condition still stands after simplification.
        public var isConditional: Bool { exists != .always || valid != .always }
        public var isLeaf: Bool {
            if case .aggregate = field.type { return false }
            return true
        }
    }

    /// What laying out needs of each node, in the same order: plain numbers, so a walk over
    /// thousands of feature sets copies no references.
    public struct Step: Sendable {
        /// Indexes into `tests`, or -1 for none.
        public let existence: Int
        public let validity: Int
        public let subtreeEnd: Int
        /// The leaf's size; unused for an aggregate.
        public let size: Int
        /// The aggregate's kind when the node is one; nil for a leaf.
        public let aggregate: AggregateKind?
        public let isGoverned: Bool
    }

    /// Every declared field, aggregates and their members included, in declaration order.
    public let nodes: [Node]
    public let steps: [Step]
    /// The compiled conditions the steps name.
    public let tests: [CompiledCondition]
    /// The kind of the config aggregate itself: the container of the top-level nodes.
    public let rootKind: AggregateKind
    public let leafCount: Int
    private let indexByPath: NameTable
    /// Each node's place among the leaves alone (where a layout lists it), or -1 for an aggregate.
    private let leafOrdinals: [Int]

    public init(config: Aggregate?, bitOf: (String) -> Int?) {
        var nodes: [Node] = []
        func visit(_ aggregate: Aggregate, prefix: String, exists: Condition, valid: Condition, owner: String?,
                   governed: Bool) {
            for field in aggregate.fields {
                let path = prefix + field.name
                let fieldExists = Condition.and([exists, field.existence?.condition ?? .always])
                let fieldValid = Condition.and([fieldExists, valid, field.validity?.condition ?? .always])
                let hasOwn = field.existence != nil || field.validity != nil
                let index = nodes.count
                nodes.append(Node(path: path, field: field, exists: fieldExists, valid: fieldValid,
                                  inheritedFrom: hasOwn ? nil : owner, container: aggregate.kind, subtreeEnd: index + 1,
                                  isGoverned: governed || hasOwn,
                                  ownExistence: field.existence.map { CompiledCondition($0.condition, bitOf: bitOf) },
                                  ownValidity: field.validity.map { CompiledCondition($0.condition, bitOf: bitOf) }))
                if case .aggregate(let inner) = field.type {
                    visit(inner, prefix: path + ".", exists: fieldExists, valid: fieldValid,
                          owner: hasOwn ? path : owner, governed: governed || hasOwn)
                    let node = nodes[index]
                    nodes[index] = Node(path: node.path, field: node.field, exists: node.exists, valid: node.valid,
                                        inheritedFrom: node.inheritedFrom, container: node.container,
                                        subtreeEnd: nodes.count, isGoverned: node.isGoverned,
                                        ownExistence: node.ownExistence, ownValidity: node.ownValidity)
                }
            }
        }
        if let config { visit(config, prefix: "", exists: .always, valid: .always, owner: nil, governed: false) }
        self.nodes = nodes
        var tests: [CompiledCondition] = []
        func test(_ condition: CompiledCondition?) -> Int {
            guard let condition else { return -1 }
            tests.append(condition)
            return tests.count - 1
        }
        steps = nodes.map { node in
            var aggregate: AggregateKind?
            if case .aggregate(let inner) = node.field.type { aggregate = inner.kind }
            return Step(existence: test(node.ownExistence), validity: test(node.ownValidity), subtreeEnd: node.subtreeEnd,
                        size: node.field.type.size, aggregate: aggregate, isGoverned: node.isGoverned)
        }
        self.tests = tests
        rootKind = config?.kind ?? .struct
        leafCount = nodes.count(where: \.isLeaf)
        var ordinal = 0
        leafOrdinals = nodes.map { node in
            guard node.isLeaf else { return -1 }
            defer { ordinal += 1 }
            return ordinal
        }
        indexByPath = NameTable(nodes.enumerated().map { ($1.path, $0) })
    }

    /// The index of the field at a dotted path.
    public func index(of path: String) -> Int? {
        indexByPath[path]
    }

    /// The place of the leaf at a dotted path among the leaves, in declaration order.
    public func leafOrdinal(of path: String) -> Int? {
        index(of: path).flatMap { leafOrdinals[$0] < 0 ? nil : leafOrdinals[$0] }
    }

    public func node(_ path: String) -> Node? {
        index(of: path).map { nodes[$0] }
    }
}
