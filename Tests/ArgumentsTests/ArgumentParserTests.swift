import Testing
@testable import Arguments

/// The parser on a command of every kind of argument and option, each mistake a usage error whose
/// message says what to type.
@Suite struct ArgumentParserTests {
    static let command = CommandSpec(
        name: "table", abstract: "Print a layout.",
        arguments: [.init(name: "file", help: "A layout."), .init(name: "more", help: "More.", isVariadic: true, isOptional: true)],
        options: [
            .init(name: "features", valueName: "features", help: "The features."),
            .init(name: "set", valueName: "field=value", help: "A value.", isRepeatable: true),
            .init(name: "format", valueName: "format", help: "Form.", choices: ["text", "json"], defaultValue: "text"),
            .init(name: "socket", valueName: "path", help: "A socket.", isRequired: true),
            .init(name: "trace", short: "t", help: "Trace."),
        ])

    private func parse(_ words: String...) -> Result<ParsedArguments, UsageError> {
        ArgumentParser.parse(words, for: Self.command)
    }

    @Test func everyKindOfArgumentIsTaken() throws {
        let parsed = try parse("blk", "a", "b", "--features", "MTU", "--set", "x=1", "--set=y=2", "--socket", "/s", "-t").get()
        #expect(parsed.argument("file") == "blk")
        #expect(parsed.arguments("more") == ["a", "b"])
        #expect(parsed.value("features") == "MTU")
        #expect(parsed.values("set") == ["x=1", "y=2"])
        #expect(parsed.value("format") == "text", "the default")
        #expect(parsed.flag("trace"))
        #expect(!parsed.flag("help"))
    }

    /// A compiler's options as its users type them: `-I dir`, `-Idir`, `-include file`.
    @Test func compilerStyleSpellingsAreTaken() throws {
        let command = CommandSpec(name: "conform", abstract: "Check.", options: [
            .init(name: "header-dir", short: "I", valueName: "folder", help: "A folder.", isRepeatable: true),
            .init(name: "force-include", valueName: "header", help: "A header.", isRepeatable: true, aliases: ["-include"]),
            .init(name: "modern", short: "m", help: "A flag."),
        ])
        let parsed = try ArgumentParser.parse(["-I", "a", "-Ib", "--header-dir", "c", "-include", "p.h", "-m"], for: command).get()
        #expect(parsed.values("header-dir") == ["a", "b", "c"])
        #expect(parsed.values("force-include") == ["p.h"])
        #expect(parsed.flag("modern"))
        // A flag's letter takes nothing glued to it.
        #expect(throws: UsageError.self) { try ArgumentParser.parse(["-mx"], for: command).get() }
    }

    @Test(arguments: [
        (["blk", "--socket"], "--socket"),                          // a value is missing
        (["blk"], "--socket"),                                      // a required option is missing
        (["--socket", "/s"], "<file>"),                             // a required argument is missing
        (["blk", "--socket", "/s", "--format", "xml"], "text"),     // not one of the choices
        (["blk", "--socket", "/s", "--featrues", "MTU"], "--features"),  // a misspelling gets a suggestion
        (["blk", "--socket", "/s", "--features", "A", "--features", "B"], "--features"),  // not repeatable
        (["blk", "--socket", "/s", "--trace=yes"], "--trace"),      // a flag takes no value
    ])
    func mistakesAreUsageErrors(words: [String], mentions: String) {
        guard case .failure(let error) = ArgumentParser.parse(words, for: Self.command) else {
            Issue.record("\(words) parsed")
            return
        }
        #expect(error.message.contains(mentions), "\(words): \(error.message)")
        #expect(error.command?.name == "table")
    }

    @Test func helpShowsEveryOptionAndTheUsageLine() {
        let help = HelpFormatter.help(for: Self.command)
        #expect(help.contains("USAGE: cfgspace table <file> [<more> ...]"))
        for label in ["--features <features>", "--set <field=value>", "-t, --trace", "-h, --help"] {
            #expect(help.contains(label), "\(label) missing from help")
        }
    }

    @Test func wrapKeepsEveryWordWithinTheWidth() {
        let text = String(repeating: "word ", count: 60)
        let wrapped = HelpFormatter.wrap(text, indent: 4)
        #expect(wrapped.split(separator: "\n").allSatisfy { $0.count <= 80 })
        #expect(wrapped.split(whereSeparator: { $0 == " " || $0 == "\n" }).count == 60)
    }
}
