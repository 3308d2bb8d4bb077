import Testing
@testable import Arguments

/// Decoding parsed arguments into typed options: what parsing cannot catch (a choice its enum does
/// not take, a number out of range) is still a usage error that says what to type.
@Suite struct TypedOptionTests {
    enum Form: String, CaseIterable { case text }

    static let command = CommandSpec(
        name: "serve", abstract: "Serve.",
        arguments: [.init(name: "file", help: "A layout.", isOptional: true)],
        options: [
            // The spec offers json; the enum does not take it.
            .init(name: "format", valueName: "format", help: "Form.", choices: ["text", "json"], defaultValue: "text"),
            .init(name: "queues", valueName: "count", help: "Queues.", defaultValue: "8"),
            .init(name: "socket", valueName: "path", help: "A socket."),
        ])

    private func parse(_ words: String...) throws -> ParsedArguments {
        try ArgumentParser.parse(words, for: Self.command).get()
    }

    @Test func aChoiceItsEnumDoesNotTakeIsAUsageErrorNamingTheOnesItDoes() throws {
        #expect(try parse().choice("format", as: Form.self) as Form == .text)
        let json = try parse("--format", "json")
        do throws(UsageError) {
            _ = try json.choice("format", as: Form.self) as Form
            Issue.record("--format json was taken")
        } catch {
            #expect(error.message == "The value 'json' is invalid for '--format <format>'. Please provide one of 'text'.")
            #expect(error.command?.name == "serve")
        }
    }

    @Test func numbersOutOfRangeSayWhatToGive() throws {
        #expect(try parse().integer("queues", in: 1...1024, hint: "give 1 to 1024") == 8)
        #expect(try parse("--queues", "3").integer("queues", in: 1...1024, hint: "give 1 to 1024") == 3)
        for bad in ["0", "2000", "many"] {
            let parsed = try parse("--queues", bad)
            do throws(UsageError) {
                _ = try parsed.integer("queues", in: 1...1024, hint: "give 1 to 1024")
                Issue.record("--queues \(bad) was taken")
            } catch {
                #expect(error.message == "The value '\(bad)' is invalid for '--queues <count>': give 1 to 1024.")
            }
        }
    }

    @Test func requiredValuesAreAskedFor() throws {
        #expect(throws: UsageError.self) { try parse().required("socket") }
        #expect(throws: UsageError.self) { try parse().required(argument: "file") }
        #expect(try parse("blk", "--socket", "/s").required("socket") == "/s")
        #expect(try parse("blk").required(argument: "file") == "blk")
    }

    @Test func aDefaultIsNotGiven() throws {
        #expect(!(try parse().isGiven("queues")))
        #expect(try parse("--queues", "8").isGiven("queues"))
    }
}
