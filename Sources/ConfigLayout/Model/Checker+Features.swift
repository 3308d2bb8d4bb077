import Spelling

/// Feature declarations: names, bits, clauses, `requires` expressions and their cycles.
extension Checker {
    mutating func checkFeatures(_ syntax: [FeatureSyntax], scope: Feature.Scope,
                                deviceBits: [ClosedRange<Int>]) -> [Feature] {
        // Pass 1: declare every name and bit, so that `requires` may name a later feature.
        var declared: [(syntax: FeatureSyntax, feature: Feature)] = []
        for featureSyntax in syntax {
            guard let feature = declareFeature(featureSyntax, scope: scope, deviceBits: deviceBits,
                                               earlier: declared.map(\.feature)) else { continue }
            declared.append((featureSyntax, feature))
            knownFeatures[feature.name] = feature
        }

        // Pass 2: resolve `requires`.
        var features: [Feature] = []
        for (featureSyntax, feature) in declared {
            var requires: Condition?
            for case .requires(let expression, _) in featureSyntax.clauses {
                requires = resolveCondition(expression)
            }
            let resolved = Feature(name: feature.name, bit: feature.bit, scope: scope, requires: requires,
                                   since: feature.since, until: feature.until, isLegacyOnly: feature.isLegacyOnly,
                                   doc: feature.doc, span: feature.span)
            features.append(resolved)
            knownFeatures[resolved.name] = resolved
        }
        checkRequiresCycles(declared.map(\.syntax))
        return features
    }

    private mutating func declareFeature(_ syntax: FeatureSyntax, scope: Feature.Scope, deviceBits: [ClosedRange<Int>],
                                         earlier: [Feature]) -> Feature? {
        let name = syntax.name
        if let existing = knownFeatures[name.value] {
            if existing.scope == .transport, scope == .device {
                report(.duplicateFeatureName, "feature '\(name.value)' is already declared by the transport",
                       at: name.span, notes: [.init("the transport declares '\(name.value)' here", at: existing.span)])
            } else {
                report(.duplicateFeatureName, "duplicate feature name '\(name.value)'", at: name.span,
                       notes: [.init("'\(name.value)' is first declared here", at: existing.span)])
            }
            return nil
        }

        var isLegacy = false
        var since: Located<SpecVersion>?
        var until: Located<SpecVersion>?
        var seen: [String: SourceSpan] = [:]
        for clause in syntax.clauses {
            let word: String
            switch clause {
            case .requires: word = "requires"
            case .since(let version, _): word = "since"; since = version
            case .until(let version, _): word = "until"; until = version
            case .legacy: word = "legacy"; isLegacy = true
            }
            if let first = seen[word] {
                report(.duplicateClause, "feature '\(name.value)' has more than one '\(word)' clause",
                       at: clause.keywordSpan, notes: [.init("the first is here", at: first)])
            }
            seen[word] = seen[word] ?? clause.keywordSpan
        }
        checkVersions(since: since, until: until, what: "feature '\(name.value)'")

        guard syntax.bit.value <= UInt64(Feature.maximumBit) else {
            report(.featureBitOutOfRange, "feature bit \(syntax.bit.value) is out of range; bits go from 0 to "
                   + "\(Feature.maximumBit)", at: syntax.bit.span)
            return nil
        }
        let bit = Int(syntax.bit.value)
        let feature = Feature(name: name.value, bit: bit, scope: scope, since: since?.value, until: until?.value,
                              isLegacyOnly: isLegacy, doc: syntax.doc?.value, span: name.span)

        // A legacy-only bit may be reused by a modern feature (net's GUEST_RSC4 and the
        // transport's ADMIN_VQ are both bit 41), and a bit renamed in a spec version takes one name
        // until it and the other since (1.2's INDIRECT_DESC); two of the same kind in one version
        // may not share it.
        let clashes = { (other: Feature) in
            other.bit == bit && other.isLegacyOnly == isLegacy
                && SpecVersion.spansOverlap((other.since, other.until), (feature.since, feature.until))
        }
        if let other = earlier.first(where: clashes) {
            report(.duplicateFeatureBit, "features '\(other.name)' and '\(name.value)' both use bit \(bit)",
                   at: syntax.bit.span, notes: [.init("'\(other.name)' is declared here", at: other.span)])
        } else if scope == .device, let other = transportInScope?.features.first(where: clashes) {
            report(.transportBitClash, "feature '\(name.value)' uses bit \(bit), which belongs to the transport's "
                   + "'\(other.name)'", at: syntax.bit.span,
                   notes: [.init("the transport declares '\(other.name)' here", at: other.span)])
        } else if scope == .device, !isLegacy, !deviceBits.isEmpty, !deviceBits.contains(where: { $0.contains(bit) }) {
            let ranges = deviceBits.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)...\($0.upperBound)" }
            report(.featureBitOutsideDeviceRange, "bit \(bit) is outside the bits reserved for device types "
                   + "(\(ranges.joined(separator: ", ")))", at: syntax.bit.span)
        }
        return feature
    }

    /// `since` and `until` must name published versions, and retire a thing after introducing it.
    mutating func checkVersions(since: Located<SpecVersion>?, until: Located<SpecVersion>?, what: String) {
        checkKnown(since, "since")
        checkKnown(until, "until")
        if let since, let until, since.value >= until.value {
            report(.invalidVersionRange, "\(what) is retired in \(until.value) before it is introduced in "
                   + "\(since.value)", at: until.span, notes: [.init("introduced here", at: since.span)])
        }
    }

    /// A version no virtio specification has (`since 9.7`) would leave `--spec` unable to name it.
    mutating func checkKnown(_ version: Located<SpecVersion>?, _ keyword: String) {
        guard let version, !SpecVersion.selectable.contains(version.value) else { return }
        report(.unknownVersion, "'\(keyword) \(version.value)' names no virtio specification version; the versions are "
               + SpecVersion.known.map(\.description).joined(separator: ", ") + ", and next for a proposal", at: version.span)
    }

    /// Resolves feature names in a condition, reporting unknown ones with a suggestion.
    mutating func resolveCondition(_ expression: ExpressionSyntax) -> Condition {
        switch expression {
        case .feature(let name):
            if knownFeatures[name.value] == nil {
                var message = "unknown feature '\(name.value)'"
                if let suggestion = Suggestion.closest(to: name.value, in: knownFeatures.keys.sorted()) {
                    message += "; did you mean '\(suggestion)'?"
                }
                var notes: [Diagnostic.Note] = []
                if transportInScope == nil, Self.transportFeatureNames.contains(name.value) {
                    notes.append(.init("no transport is imported; 'import transport' brings in the device-independent "
                                       + "bits such as VERSION_1"))
                }
                report(.unknownFeature, message, at: name.span, notes: notes)
            }
            return .feature(name.value)
        case .not(let inner, _):
            return resolveCondition(inner).negated
        case .and(let operands, _):
            return .and(operands.map { resolveCondition($0) })
        case .or(let operands, _):
            return .or(operands.map { resolveCondition($0) })
        case .group(let inner, _):
            return resolveCondition(inner)
        }
    }

    /// The device-independent bits of virtio 1.4 chapter 6, to suggest `import transport` when a
    /// layout names one without importing it.
    static let transportFeatureNames: Set<String> = [
        "NOTIFY_ON_EMPTY", "ANY_LAYOUT", "INDIRECT_DESC", "EVENT_IDX", "VERSION_1", "ACCESS_PLATFORM",
        "RING_PACKED", "IN_ORDER", "ORDER_PLATFORM", "SR_IOV", "NOTIFICATION_DATA", "NOTIF_CONFIG_DATA",
        "RING_RESET", "ADMIN_VQ", "SUSPEND",
    ]

    /// Reports each cycle in `requires` once, at the first feature on it that was declared.
    private mutating func checkRequiresCycles(_ syntax: [FeatureSyntax]) {
        var edges: [String: [(target: String, span: SourceSpan)]] = [:]
        var order: [String] = []
        for feature in syntax {
            order.append(feature.name.value)
            for case .requires(let expression, _) in feature.clauses {
                edges[feature.name.value] = Self.featureReferences(in: expression)
            }
        }

        enum Mark { case visiting, done }
        var marks: [String: Mark] = [:]
        var stack: [(name: String, via: SourceSpan?)] = []
        var reported = Set<Set<String>>()

        func visit(_ name: String, via: SourceSpan?, checker: inout Checker) {
            marks[name] = .visiting
            stack.append((name, via))
            for edge in edges[name] ?? [] {
                switch marks[edge.target] {
                case .visiting:
                    guard let start = stack.firstIndex(where: { $0.name == edge.target }) else { continue }
                    // The cycle's edges: each member to the next, the last back to the first.
                    let members = stack[start...].map(\.name)
                    guard reported.insert(Set(members)).inserted else { continue }
                    var cycle: [(from: String, to: String, span: SourceSpan)] = []
                    for (index, name) in members.enumerated() {
                        let next = index + 1 < members.count ? stack[start + index + 1] : (edge.target, edge.span)
                        cycle.append((name, next.name, next.via ?? edge.span))
                    }
                    // Start the story at the member declared first.
                    let first = syntax.first { members.contains($0.name.value) }
                    let pivot = cycle.firstIndex { $0.from == first?.name.value } ?? 0
                    cycle = Array(cycle[pivot...] + cycle[..<pivot])
                    let path = (cycle.map(\.from) + [cycle[0].from]).joined(separator: " → ")
                    checker.report(.requiresCycle, "feature '\(cycle[0].from)' requires itself: \(path)",
                                   at: first?.name.span ?? edge.span,
                                   notes: cycle.map { .init("'\($0.from)' requires '\($0.to)' here", at: $0.span) })
                case .done:
                    continue
                case nil:
                    visit(edge.target, via: edge.span, checker: &checker)
                }
            }
            stack.removeLast()
            marks[name] = .done
        }
        for name in order where marks[name] == nil {
            visit(name, via: nil, checker: &self)
        }
    }

    private static func featureReferences(in expression: ExpressionSyntax) -> [(target: String, span: SourceSpan)] {
        switch expression {
        case .feature(let name): [(name.value, name.span)]
        case .not(let inner, _), .group(let inner, _): featureReferences(in: inner)
        case .and(let operands, _), .or(let operands, _): operands.flatMap(featureReferences)
        }
    }
}
