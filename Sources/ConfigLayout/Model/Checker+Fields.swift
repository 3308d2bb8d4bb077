import Spelling

/// Fields, their types and clauses, and the structs and unions that hold them.
extension Checker {
    mutating func resolveAggregate(_ syntax: AggregateSyntax, owner: String) -> Aggregate {
        if syntax.fields.isEmpty, !syntax.hasErrors {
            report(.emptyAggregate, "\(owner) has no fields", at: syntax.kind.span.merged(with: syntax.name?.span ?? syntax.kind.span))
        }
        var fields: [Field] = []
        for fieldSyntax in syntax.fields {
            guard let field = resolveField(fieldSyntax) else { continue }
            if let clash = fields.first(where: { $0.name == field.name && Self.versionsOverlap($0, field) }) {
                let qualifier = field.since != nil || field.until != nil || clash.since != nil || clash.until != nil
                    ? " with overlapping spec versions" : ""
                report(.duplicateField, "duplicate field '\(field.name)' in \(owner)\(qualifier)", at: fieldSyntax.name.span,
                       notes: [.init("'\(field.name)' is first declared here", at: clash.span)])
                continue
            }
            fields.append(field)
        }
        checkFlexibleArrays(fields, in: syntax, kind: syntax.kind.value)
        return Aggregate(kind: syntax.kind.value, name: syntax.name?.value, fields: fields, span: syntax.span)
    }

    /// Two declarations of a name may coexist when they belong to different spec versions.
    private static func versionsOverlap(_ a: Field, _ b: Field) -> Bool {
        SpecVersion.spansOverlap((a.since, a.until), (b.since, b.until))
    }

    private mutating func resolveField(_ syntax: FieldSyntax) -> Field? {
        let name = syntax.name.value
        let type = resolveType(syntax.type, field: name)

        var existence: FieldCondition?
        var validity: FieldCondition?
        var range: RangeSyntax?
        var access = Field.Access.readOnly
        var writableBefore: DeviceStatus?
        var readableAfter: DeviceStatus?
        var isReserved = false
        var since: Located<SpecVersion>?
        var until: Located<SpecVersion>?
        var seen: [String: SourceSpan] = [:]
        for clause in syntax.clauses {
            if let first = seen[clause.name] {
                report(.duplicateClause, "field '\(name)' has more than one '\(clause.name)' clause", at: clause.span,
                       notes: [.init("the first is here", at: first)])
                continue
            }
            seen[clause.name] = clause.span
            switch clause {
            case .existsIf(let condition): existence = resolveFieldCondition(condition)
            case .validIf(let condition): validity = resolveFieldCondition(condition)
            case .range(let rangeSyntax, _): range = rangeSyntax
            case .writable(_, let before):
                access = .driverWritable
                writableBefore = before.flatMap { statusBit($0) }
            case .writableLegacy:
                access = .legacyWritable
            case .readableAfter(let bit, _):
                readableAfter = statusBit(bit)
            case .reserved: isReserved = true
            case .since(let version, _): since = version
            case .until(let version, _): until = version
            }
        }
        checkVersions(since: since, until: until, what: "field '\(name)'")

        guard let type else { return nil }
        var checkedRange: ClosedRange<UInt64>?
        if let range {
            checkedRange = checkRange(range, of: type, field: name)
        }
        return Field(name: name, type: type, existence: existence, validity: validity, access: access,
                     writableBefore: writableBefore, readableAfter: readableAfter, range: checkedRange,
                     isReserved: isReserved, since: since?.value, until: until?.value,
                     doc: syntax.doc?.value, span: syntax.name.span)
    }

    /// A device status bit by its spec name, such as FEATURES_OK.
    private mutating func statusBit(_ name: Identifier) -> DeviceStatus? {
        if let bit = DeviceStatus(name: name.value) { return bit }
        let names = DeviceStatus.named.map(\.name)
        report(.unknownStatusBit, "unknown status bit '\(name.value)'"
               + (Suggestion.closest(to: name.value, in: names).map { "; did you mean '\($0)'?" } ?? ""),
               at: name.span, notes: [.init("the status bits are " + names.joined(separator: ", "))])
        return nil
    }

    private mutating func resolveFieldCondition(_ syntax: ConditionClauseSyntax) -> FieldCondition {
        FieldCondition(resolveCondition(syntax.expression), basis: syntax.negotiated == nil ? .offered : .negotiated,
                       isImplied: syntax.implied != nil, span: syntax.span)
    }

    private mutating func checkRange(_ range: RangeSyntax, of type: FieldType, field: String) -> ClosedRange<UInt64>? {
        guard case .scalar(let scalar) = type else {
            report(.rangeOnNonInteger, "field '\(field)' is \(type.name); only integer fields take a range",
                   at: range.span)
            return nil
        }
        guard range.lower.value <= range.upper.value else {
            report(.invalidRange, "range \(range.lower.value)...\(range.upper.value) is empty; write the lower "
                   + "bound first", at: range.span)
            return nil
        }
        guard range.upper.value <= scalar.maximumValue else {
            report(.rangeDoesNotFit, "\(range.upper.value) does not fit in \(scalar.rawValue) "
                   + "(0...\(scalar.maximumValue))", at: range.upper.span)
            return nil
        }
        return range.lower.value...range.upper.value
    }

    // MARK: - Types

    private mutating func resolveType(_ syntax: TypeSyntax, field: String) -> FieldType? {
        switch syntax {
        case .named(let name):
            if let scalar = ScalarType(rawValue: name.value) { return .scalar(scalar) }
            if name.value == "char" { return .chars(count: 1) }
            if typeDeclarations[name.value] != nil {
                return resolveNamedType(name.value, at: name.span).map { .aggregate($0) }
            }
            let candidates = ScalarType.allCases.map(\.rawValue) + ["char"] + typeDeclarations.keys.sorted()
            report(.unknownType, "unknown type '\(name.value)'"
                   + (Suggestion.closest(to: name.value, in: candidates).map { "; did you mean '\($0)'?" } ?? ""),
                   at: name.span)
            return nil

        case .array(let elementSyntax, let count, let span):
            guard let element = resolveType(elementSyntax, field: field) else { return nil }
            guard count.value > 0 else {
                report(.invalidArrayLength, "an array needs at least one element", at: count.span)
                return nil
            }
            guard count.value <= UInt64(Self.maximumArrayBytes) else {
                report(.invalidArrayLength, "\(count.value) elements cannot fit in a configuration space "
                       + "(at most \(Self.maximumArrayBytes) bytes)", at: count.span)
                return nil
            }
            switch element {
            case .scalar(let scalar): return .array(scalar, count: Int(count.value))
            case .chars(count: 1): return .chars(count: Int(count.value))
            case .array, .chars, .flexible, .aggregate:
                report(.unsupportedArrayElement, "arrays of \(element.name) are not supported; "
                       + "arrays hold integers or characters", at: span)
                return nil
            }

        case .flexibleArray(let elementSyntax, let count, let span):
            guard let element = resolveType(elementSyntax, field: field) else { return nil }
            switch element {
            case .scalar(.u8): return .flexible(.u8, count: count.value)
            case .chars(count: 1): return .flexible(nil, count: count.value)
            default:
                report(.unsupportedArrayElement, "an array sized by a field holds u8 or char, not \(element.name)", at: span)
                return nil
            }

        case .aggregate(let aggregateSyntax):
            return resolveInlineAggregate(aggregateSyntax, field: field)
        }
    }

    /// A field-sized array must end its struct and name an earlier integer field of the same struct.
    mutating func checkFlexibleArrays(_ fields: [Field], in syntax: AggregateSyntax, kind: AggregateKind) {
        for (index, field) in fields.enumerated() {
            guard case .flexible(_, let count) = field.type else { continue }
            if kind == .union || index != fields.count - 1 {
                report(.syntax, "'\(field.name)' is sized by a field, so it must be the last member of a struct",
                       at: field.span)
            }
            let earlier = fields[..<index]
            guard let counter = earlier.last(where: { $0.name == count }), counter.type.scalar != nil,
                  case .scalar = counter.type else {
                report(.unknownFieldPath, "no integer field '\(count)' before '\(field.name)' to hold its length"
                       + (Suggestion.closest(to: count, in: earlier.map(\.name)).map { "; did you mean '\($0)'?" } ?? ""),
                       at: field.span)
                continue
            }
        }
    }

    private mutating func resolveInlineAggregate(_ syntax: AggregateSyntax, field: String) -> FieldType {
        if let name = syntax.name {
            if let existing = typeDeclarations[name.value], existing.span != syntax.span {
                report(.duplicateDeclaration, "duplicate type '\(name.value)'", at: name.span,
                       notes: [.init("'\(name.value)' is first declared here", at: existing.name?.span)])
            }
        }
        let owner = syntax.name.map { "'\($0.value)'" } ?? "the \(syntax.kind.value.rawValue) of '\(field)'"
        return .aggregate(resolveAggregate(syntax, owner: owner))
    }

    /// Resolves a declared struct or union once, reporting a type that contains itself.
    mutating func resolveNamedType(_ name: String, at use: SourceSpan) -> Aggregate? {
        if let resolved = resolvedTypes[name] { return resolved }
        guard let syntax = typeDeclarations[name] else { return nil }
        if typesBeingResolved.contains(name) {
            let path = (typesBeingResolved.drop { $0 != name } + [name]).joined(separator: " → ")
            report(.recursiveType, "type '\(name)' contains itself: \(path)", at: use,
                   notes: [.init("'\(name)' is declared here", at: syntax.name?.span)])
            return nil
        }
        typesBeingResolved.append(name)
        let aggregate = resolveAggregate(syntax, owner: "'\(name)'")
        typesBeingResolved.removeLast()
        resolvedTypes[name] = aggregate
        return aggregate
    }
}
