/// The forms a report comes in.
public enum ReportFormat: String, CaseIterable, Sendable {
    case text
    case json
    case markdown
}

/// A result rendered for people (text, Markdown) and programs (JSON).
public protocol Report: Sendable {
    func text(style: TextStyle) -> String
    func json() -> JSON
    func markdown() -> String
}

extension Report {
    public func render(_ format: ReportFormat, style: TextStyle = .plain) -> String {
        switch format {
        case .text: text(style: style)
        case .json: json().rendered()
        case .markdown: markdown()
        }
    }
}
