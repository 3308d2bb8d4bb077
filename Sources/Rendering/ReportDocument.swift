/// A report's content written once: a title, facts, sections, tables, paragraphs and list items.
/// `text(style:)` and `markdown(level:)` render the same document, so the two forms carry the same
/// facts by construction; JSON stays a report's own, explicit shape.
public struct ReportDocument: Sendable {
    /// How a piece of text is meant: painted on a terminal, emphasised in Markdown where it matters.
    public enum Tone: Sendable, Equatable {
        case plain, strong, quiet, good, notice, bad
    }

    /// A run of text with one tone; `isCode` marks a name or a formula (backticks in Markdown).
    public struct Span: Sendable, Equatable {
        public var text: String
        public var tone: Tone
        public var isCode: Bool

        public init(_ text: String, tone: Tone = .plain, isCode: Bool = false) {
            self.text = text
            self.tone = tone
            self.isCode = isCode
        }
    }

    /// Text made of spans: a table cell, a fact's value, a paragraph.
    public struct Inline: Sendable, Equatable, ExpressibleByStringInterpolation {
        public var spans: [Span]

        public init(_ spans: [Span]) {
            self.spans = spans.filter { !$0.text.isEmpty }
        }

        public init(_ text: String, tone: Tone = .plain) {
            self.init([Span(text, tone: tone)])
        }

        public init(stringLiteral text: String) {
            self.init(text)
        }

        /// A name or formula: backticks in Markdown, plain on a terminal.
        public static func code(_ text: String, tone: Tone = .plain) -> Inline {
            Inline([Span(text, tone: tone, isCode: true)])
        }

        /// The same text in another tone.
        public func toned(_ tone: Tone) -> Inline {
            Inline(spans.map { Span($0.text, tone: tone, isCode: $0.isCode) })
        }

        public var plainText: String { spans.map(\.text).joined() }
        public var isEmpty: Bool { spans.isEmpty }

        public static func + (lhs: Inline, rhs: Inline) -> Inline { Inline(lhs.spans + rhs.spans) }
    }

    public struct Column: Sendable {
        /// As Markdown shows it; a terminal shows it in capitals.
        public let title: String
        public let alignment: TextTable.Alignment
        public let wraps: Bool
        public let movesBelow: Bool

        public init(_ title: String, _ alignment: TextTable.Alignment = .left, wraps: Bool = false,
                    movesBelow: Bool = false) {
            self.title = title
            self.alignment = alignment
            self.wraps = wraps
            self.movesBelow = movesBelow
        }
    }

    public struct Table: Sendable {
        public let columns: [Column]
        public private(set) var rows: [[Inline]] = []
        /// Between columns on a terminal: a narrower gap lets a wide table keep its grid.
        public var gap = "  "

        public init(_ columns: [Column]) {
            self.columns = columns
        }

        public mutating func add(_ cells: [Inline]) {
            rows.append(cells)
        }

        /// The titles the table shows: a column that may move below its rows says nothing there when
        /// its every cell is empty, so its title is not among them.
        var titles: [String] {
            columns.indices.filter { index in
                !columns[index].movesBelow || rows.contains { index < $0.count && !$0[index].isEmpty }
            }.map { columns[$0].title }
        }
    }

    /// Where an item's lines go on a terminal, and how Markdown holds its details.
    public struct ItemLayout: Sendable {
        /// Before the item's first line, and before its further lines when it wraps.
        public var indent: String
        public var continuation: String
        /// The same for each detail.
        public var detailIndent: String
        public var detailContinuation: String
        /// Markdown: the details as a list nested in the item, not as lines under it.
        public var nestsDetails: Bool

        public init(indent: String = "  ", continuation: String = "    ", detailIndent: String = "    ",
                    detailContinuation: String = "      ", nestsDetails: Bool = false) {
            self.indent = indent
            self.continuation = continuation
            self.detailIndent = detailIndent
            self.detailContinuation = detailContinuation
            self.nestsDetails = nestsDetails
        }

        public static let standard = ItemLayout()
    }

    public enum Block: Sendable {
        /// The report's heading; on a terminal, wrapped to fit with its further lines indented.
        case title(Inline)
        /// A heading within the report.
        case section(String)
        /// `key  value` pairs after `indent` on a terminal; an empty key continues the fact above.
        /// Indented deeper than two, they belong to the list entry above (nested in Markdown).
        case facts([(key: String, value: Inline)], indent: String)
        case table(Table)
        /// Prose; on a terminal after `indent`, its further lines after `continuation`.
        case paragraph(Inline, indent: String, continuation: String)
        /// A list entry with lines that explain it.
        case item(Inline, details: [Inline], layout: ItemLayout)
        /// One line as it is, never wrapped, after `indent` on a terminal; lines in a row form a
        /// list in Markdown, nested where the indent is deeper than two.
        case line(Inline, indent: String)
        /// Lines as a program wrote them (a log, a console), never reflowed: on a terminal each after
        /// `indent`, and when `continuation` is given, broken at spaces to fit with further lines
        /// after it; in Markdown a fenced block, each line whole.
        case verbatim([String], indent: String, continuation: String?)
        /// A blank line between parts on a terminal; Markdown separates its blocks itself.
        case gap
    }

    public private(set) var blocks: [Block] = []

    public init(_ blocks: [Block] = []) {
        self.blocks = blocks
    }

    public mutating func append(_ block: Block) { blocks.append(block) }
    public mutating func append(contentsOf other: ReportDocument) { blocks += other.blocks }

    public mutating func title(_ text: Inline) { blocks.append(.title(text)) }
    public mutating func section(_ title: String) { blocks.append(.section(title)) }
    public mutating func facts(_ pairs: [(String, Inline)], indent: String = "  ") {
        blocks.append(.facts(pairs.map { (key: $0.0, value: $0.1) }, indent: indent))
    }
    public mutating func table(_ table: Table) { blocks.append(.table(table)) }
    public mutating func paragraph(_ text: Inline, indent: String = "  ", continuation: String? = nil) {
        blocks.append(.paragraph(text, indent: indent, continuation: continuation ?? indent))
    }
    public mutating func item(_ text: Inline, details: [Inline] = [], layout: ItemLayout = .standard) {
        blocks.append(.item(text, details: details, layout: layout))
    }
    public mutating func line(_ text: Inline, indent: String = "  ") { blocks.append(.line(text, indent: indent)) }
    public mutating func verbatim(_ lines: [String], indent: String = "  ", continuation: String? = nil) {
        blocks.append(.verbatim(lines, indent: indent, continuation: continuation))
    }
    public mutating func gap() { blocks.append(.gap) }

    /// The document without its title, for a page that gives its own heading.
    public var body: ReportDocument {
        ReportDocument(blocks.filter { if case .title = $0 { false } else { true } })
    }

    /// Every piece of text the document says, in order: what both renderings must show.
    public var spans: [Span] {
        blocks.flatMap { block -> [Span] in
            switch block {
            case .title(let text): text.spans
            case .section(let title): [Span(title)]
            case .facts(let pairs, _): pairs.flatMap { [Span($0.key)] + $0.value.spans }
            case .table(let table): table.titles.map { Span($0) } + table.rows.flatMap { $0.flatMap(\.spans) }
            case .paragraph(let text, _, _): text.spans
            case .item(let text, let details, _): text.spans + details.flatMap(\.spans)
            case .line(let text, _): text.spans
            case .verbatim(let lines, _, _): lines.map { Span($0) }
            case .gap: []
            }
        }.filter { !$0.text.isEmpty }
    }
}

/// A report that builds one document for people, rendered as text or Markdown, beside its JSON.
public protocol DocumentedReport: Report {
    func document() -> ReportDocument
}

extension DocumentedReport {
    public func text(style: TextStyle) -> String { document().text(style: style) }
    public func markdown() -> String { document().markdown() }
}
