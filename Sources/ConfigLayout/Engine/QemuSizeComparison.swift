/// Where QEMU's config sizes under the fixed and packed readings part, as a plain 0/1 diagram, with
/// no size added up. QEMU's size is the largest anchor among the minimum and the table's entries
/// whose features are offered (virtio_get_config_size, hw/virtio/virtio.c); as a diagram of numbers
/// that maximum grows with every distinct total of its sums, which is what made a 48-field layout
/// over 64 features take 14 s and 490 MB.
///
/// Under the fixed reading every anchor is a constant. The packed reading measures an anchor at most
/// as far, and exactly as far when no slot before it (and, for an end, no slot in it) shrinks: the
/// argument of `ShrinkConditions`. So the packed size never exceeds the fixed one, and the two are
/// equal exactly when some entry that counts reaches the fixed size and keeps its measure. The
/// fixed size is the largest constant that counts, so the test is a chain over the distinct
/// constants, largest first: where an entry of this size counts, the sizes agree if one of them
/// keeps its measure; elsewhere ask the next size down. The minimum always counts and ends it.
struct QemuSizeComparison {
    typealias Node = DecisionDiagram.Node

    /// The entries of one fixed size, as 0/1 diagrams in the encoding given at creation.
    private struct Level {
        let bytes: Int
        /// Some entry of this size counts.
        let counts: Node
        /// Some entry of this size counts and the packed reading measures it as far.
        let keeps: Node
    }

    /// From the largest fixed size down to the minimum's.
    private let levels: [Level]

    /// Nil if an anchor of `fixed` is not a constant, which only the fixed reading guarantees.
    init?(fixed: SymbolicLayout, shrinks: ShrinkConditions, logic: inout FeatureSpaceEncoding) {
        let anchors = fixed.qemuAnchors
        guard fixed.interpretation == .fixed, let minimum = anchors.first?.value.constantValue else { return nil }
        var byBytes: [Int: [(condition: Condition, anchor: SizeAnchor)]] = [:]
        for entry in anchors {
            guard let bytes = entry.value.constantValue else { return nil }
            // An entry below the minimum never sets the size.
            if bytes >= minimum { byBytes[bytes, default: []].append((entry.condition, entry.anchor)) }
        }
        let diagram = logic.diagram
        var levels: [Level] = []
        for bytes in byBytes.keys.sorted(by: >) {
            var counts = diagram.zero
            var keeps = diagram.zero
            for entry in byBytes[bytes] ?? [] {
                let holds = logic.node(for: entry.condition)
                let shrunk = shrinks.shrinks(entry.anchor).reduce(diagram.zero) { diagram.or($0, logic.node(for: $1)) }
                counts = diagram.or(counts, holds)
                keeps = diagram.or(keeps, diagram.and(holds, diagram.not(shrunk)))
            }
            levels.append(Level(bytes: bytes, counts: counts, keeps: keeps))
        }
        self.levels = levels
    }

    /// Where the two sizes are equal (over every assignment; the caller restricts it to the domain).
    func equal(in diagram: DecisionDiagram) -> Node {
        // Built from the bottom of the chain up: the minimum's level counts everywhere.
        levels.reversed().reduce(diagram.zero) { below, level in
            diagram.or(level.keeps, diagram.and(diagram.not(level.counts), below))
        }
    }

    /// The fixed size's least and greatest values over the valid sets, exactly.
    func fixedRange(in diagram: DecisionDiagram, domain: Node) -> ClosedRange<Int>? {
        guard let last = levels.last, domain != diagram.zero else { return nil }
        var high: Int?
        // The valid sets in which no level so far counts: those whose size is below it.
        var below = domain
        for level in levels {
            if high == nil, diagram.and(level.counts, domain) != diagram.zero { high = level.bytes }
            below = diagram.and(below, diagram.not(level.counts))
            // Every valid set reaches this level, and those below the one before stop here.
            if below == diagram.zero { return level.bytes...(high ?? level.bytes) }
        }
        return last.bytes...(high ?? last.bytes)
    }
}
