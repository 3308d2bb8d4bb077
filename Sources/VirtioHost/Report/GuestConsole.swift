import Rendering

/// The end of a guest's console under a report that did not agree (or a boot that did not finish):
/// the lines as the guest wrote them, after a sentence that says whose they are.
enum GuestConsole {
    static func append(_ lines: [String], to document: inout ReportDocument,
                       saying intro: String = "The guest's console ended with:") {
        document.gap()
        document.paragraph(.init(intro), indent: "")
        document.verbatim(lines, indent: "  ")
    }
}
