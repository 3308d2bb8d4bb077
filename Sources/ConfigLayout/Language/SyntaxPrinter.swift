/// Prints a parse tree as indented text with each node's span (`@line:column-line:column`), for
/// golden files and for debugging the parser.
public enum SyntaxPrinter {
    public static func render(_ syntax: LayoutFileSyntax) -> String {
        var printer = Printer()
        printer.line("file \(syntax.file.path)")
        printer.nested {
            for declaration in syntax.declarations { $0.declaration(declaration) }
        }
        return printer.text
    }

    /// Tokens one per line: `line:column kind text`.
    public static func render(tokens: [Token]) -> String {
        tokens.map { token in
            let kind: String
            switch token.kind {
            case .integer(let value): kind = "integer(\(value))"
            case .version(let version): kind = "version(\(version))"
            case .string(let text): kind = "string(\(quoted(text)))"
            case .docComment(let text): kind = "doc(\(quoted(text)))"
            default: kind = token.kind.description
            }
            let text = token.kind == .newline ? "" : " " + quoted(token.text)
            return "\(token.span.location) \(kind)\(text)\n"
        }.joined()
    }

    private static func quoted(_ text: String) -> String {
        "\"" + text.replacingBackslashesAndQuotes() + "\""
    }

    private struct Printer {
        var text = ""
        var depth = 0

        mutating func line(_ content: String) {
            text += String(repeating: "  ", count: depth) + content + "\n"
        }

        mutating func nested(_ body: (inout Printer) -> Void) {
            depth += 1
            body(&self)
            depth -= 1
        }

        static func at(_ span: SourceSpan) -> String {
            let start = span.file.location(of: span.start)
            let end = span.file.location(of: span.end)
            return "@\(start)-\(end)"
        }

        mutating func declaration(_ declaration: DeclarationSyntax) {
            switch declaration {
            case .importDecl(let syntax):
                line("import \(syntax.name.value) \(Self.at(syntax.span))")
            case .device(let syntax):
                let id = syntax.id.map { " = \($0.value)" } ?? ""
                let title = syntax.title.map { " \(SyntaxPrinter.quoted($0.value))" } ?? ""
                let since = syntax.since.map { " since \($0.value)" } ?? ""
                line("device \(syntax.name.value)\(id)\(title)\(since) \(Self.at(syntax.span))")
                nested { printer in
                    printer.doc(syntax.doc)
                    for item in syntax.body { printer.bodyItem(item) }
                }
            case .transport(let syntax):
                let title = syntax.title.map { " \(SyntaxPrinter.quoted($0.value))" } ?? ""
                line("transport\(title) \(Self.at(syntax.span))")
                nested { printer in
                    printer.doc(syntax.doc)
                    for item in syntax.body { printer.bodyItem(item) }
                }
            }
        }

        mutating func doc(_ doc: DocSyntax?) {
            guard let doc else { return }
            line("doc \(SyntaxPrinter.quoted(doc.value)) \(Self.at(doc.span))")
        }

        mutating func bodyItem(_ item: BodyItemSyntax) {
            switch item {
            case .spec(let text, _):
                line("spec \(SyntaxPrinter.quoted(text.value)) \(Self.at(item.span))")
            case .feature(let feature):
                line("feature \(feature.name.value) = \(feature.bit.value) \(Self.at(feature.span))")
                nested { printer in
                    printer.doc(feature.doc)
                    for clause in feature.clauses {
                        switch clause {
                        case .requires(let expression, _):
                            printer.line("requires")
                            printer.nested { $0.expression(expression) }
                        case .since(let version, _): printer.line("since \(version.value)")
                        case .until(let version, _): printer.line("until \(version.value)")
                        case .legacy: printer.line("legacy")
                        }
                    }
                }
            case .config(let aggregate):
                aggregateNode("config", aggregate)
            case .noConfig:
                line("config none \(Self.at(item.span))")
            case .typeDeclaration(let aggregate):
                aggregateNode(aggregate.kind.value.rawValue, aggregate)
            case .qemuMinimumSize(let anchor, _):
                line("qemu min_size \(Self.anchor(anchor)) \(Self.at(item.span))")
            case .qemuFeatureSize(let condition, let anchor, _):
                line("qemu feature_size \(Self.anchor(anchor)) \(Self.at(item.span))")
                nested { $0.expression(condition) }
            case .qemuPropertySize(let property, let anchor, _):
                line("qemu property_size \"\(property.value)\" \(Self.anchor(anchor)) \(Self.at(item.span))")
            case .deviceBits(let ranges, _):
                line("device_bits " + ranges.map { "\($0.lower.value)...\($0.upper.value)" }.joined(separator: ", ")
                     + " \(Self.at(item.span))")
            case .selector(let selector):
                line("selector \(selector.union.map(\.value).joined(separator: ".")) by \(selector.select.value)"
                     + (selector.subselect.map { ", \($0.value)" } ?? "") + (selector.size.map { " sized by \($0.value)" } ?? "")
                     + " \(Self.at(selector.span))")
                nested { printer in
                    printer.doc(selector.doc)
                    for entry in selector.cases {
                        printer.line("\(entry.name.value) = \(entry.value.value) \(entry.member.value)"
                                     + (entry.perSubselect ? " per subsel" : "") + " \(Self.at(entry.span))")
                    }
                }
            }
        }

        static func anchor(_ anchor: SizeAnchorSyntax) -> String {
            switch anchor {
            case .end(let path, _): "end(\(path.map(\.value).joined(separator: ".")))"
            case .offset(let path, _): "offset(\(path.map(\.value).joined(separator: ".")))"
            case .selected(let path, _): "selected(\(path.map(\.value).joined(separator: ".")))"
            case .bytes(let count): "\(count.value)"
            }
        }

        mutating func aggregateNode(_ keyword: String, _ aggregate: AggregateSyntax) {
            line("\(keyword) \(aggregate.name?.value ?? "(anonymous)") \(Self.at(aggregate.span))")
            nested { printer in
                printer.doc(aggregate.doc)
                for field in aggregate.fields { printer.field(field) }
            }
        }

        mutating func field(_ field: FieldSyntax) {
            line("field \(field.name.value) \(Self.at(field.span))")
            nested { printer in
                printer.doc(field.doc)
                printer.type(field.type)
                for clause in field.clauses { printer.clause(clause) }
            }
        }

        mutating func type(_ type: TypeSyntax) {
            switch type {
            case .named(let name):
                line("type \(name.value)")
            case .array(let element, let count, _):
                line("array [\(count.value)]")
                nested { $0.type(element) }
            case .flexibleArray(let element, let count, _):
                line("array [\(count.value)]")
                nested { $0.type(element) }
            case .aggregate(let aggregate):
                aggregateNode("type " + aggregate.kind.value.rawValue, aggregate)
            }
        }

        mutating func clause(_ clause: FieldClauseSyntax) {
            switch clause {
            case .existsIf(let condition), .validIf(let condition):
                var words = [clause.name]
                if condition.negotiated != nil { words.append("negotiated") }
                if condition.implied != nil { words.append("implied") }
                line(words.joined(separator: " ") + " \(Self.at(condition.span))")
                nested { $0.expression(condition.expression) }
            case .range(let range, _):
                line("range \(range.lower.value)...\(range.upper.value)")
            case .since(let version, _), .until(let version, _):
                line("\(clause.name) \(version.value)")
            case .writable(_, let before):
                line(clause.name + (before.map { " before \($0.value)" } ?? ""))
            case .writableLegacy:
                line("writable legacy")
            case .readableAfter(let bit, _):
                line("readable after \(bit.value)")
            case .reserved:
                line(clause.name)
            }
        }

        mutating func expression(_ expression: ExpressionSyntax) {
            switch expression {
            case .feature(let name):
                line("feature \(name.value) \(Self.at(name.span))")
            case .not(let inner, let span):
                line("not \(Self.at(span))")
                nested { $0.expression(inner) }
            case .and(let operands, let span), .or(let operands, let span):
                if case .and = expression { line("and \(Self.at(span))") } else { line("or \(Self.at(span))") }
                nested { printer in operands.forEach { printer.expression($0) } }
            case .group(let inner, let span):
                line("group \(Self.at(span))")
                nested { $0.expression(inner) }
            }
        }
    }
}

extension String {
    fileprivate func replacingBackslashesAndQuotes() -> String {
        var out = ""
        for character in self {
            switch character {
            case "\\": out += "\\\\"
            case "\"": out += "\\\""
            case "\n": out += "\\n"
            default: out.append(character)
            }
        }
        return out
    }
}
