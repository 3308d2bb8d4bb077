import Spelling

extension Checker {
    /// A selector whose union, fields and cases all exist; problems are reported and the selector
    /// dropped.
    mutating func resolveSelector(_ syntax: SelectorSyntax, in config: Aggregate) -> Selector? {
        let unionPath = syntax.union.map(\.value)
        let unionSpan = syntax.union.dropFirst().reduce(syntax.union[0].span) { $0.merged(with: $1.span) }
        guard let unionField = config.member(at: unionPath), case .aggregate(let union) = unionField.type,
              union.kind == .union else {
            report(.unknownFieldPath, "no union '\(unionPath.joined(separator: "."))' in the config", at: unionSpan)
            return nil
        }
        var fieldsFound = true
        for field in [syntax.select, syntax.subselect, syntax.size].compactMap({ $0 }) {
            guard let member = config.member(at: [field.value]), member.type.scalar != nil else {
                let suggestion = Suggestion.closest(to: field.value, in: config.fields.map(\.name))
                report(.unknownFieldPath, "no scalar field '\(field.value)' in the config"
                       + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), at: field.span)
                fieldsFound = false
                continue
            }
        }
        guard fieldsFound else { return nil }
        let selectWidth = config.member(at: [syntax.select.value])?.type.scalar?.maximumValue ?? UInt64.max
        var cases: [Selector.Case] = []
        var names: [String: SourceSpan] = [:]
        var values: [UInt64: SourceSpan] = [:]
        for entry in syntax.cases {
            if let first = names[entry.name.value] {
                report(.duplicateDeclaration, "duplicate selector case '\(entry.name.value)'", at: entry.name.span,
                       notes: [.init("first declared here", at: first)])
                continue
            }
            if let first = values[entry.value.value] {
                report(.duplicateDeclaration, "selector value \(entry.value.value) is given twice", at: entry.value.span,
                       notes: [.init("first given here", at: first)])
                continue
            }
            guard entry.value.value <= selectWidth else {
                report(.rangeDoesNotFit, "selector value \(entry.value.value) does not fit '\(syntax.select.value)'",
                       at: entry.value.span)
                continue
            }
            guard union.fields.contains(where: { $0.name == entry.member.value }) else {
                let suggestion = Suggestion.closest(to: entry.member.value, in: union.fields.map(\.name))
                report(.unknownFieldPath, "no member '\(entry.member.value)' in the union '\(unionPath.joined(separator: "."))'"
                       + (suggestion.map { "; did you mean '\($0)'?" } ?? ""), at: entry.member.span)
                continue
            }
            if entry.perSubselect && syntax.subselect == nil {
                report(.syntax, "'per subsel' needs a subselector: 'selector \(unionPath.joined(separator: ".")) by "
                       + "\(syntax.select.value), FIELD'", at: entry.span)
            }
            names[entry.name.value] = entry.name.span
            values[entry.value.value] = entry.value.span
            cases.append(.init(name: entry.name.value, value: entry.value.value, member: entry.member.value,
                               usesSubselect: entry.perSubselect))
        }
        return Selector(union: unionPath, select: syntax.select.value, subselect: syntax.subselect?.value,
                        size: syntax.size?.value, cases: cases)
    }
}
