import Foundation
import Testing

/// One example in the README: a fenced block whose first line is `$ cfgspace …`, the command's
/// output under it. A line holding only `...` stands for any number of lines the reader is spared.
/// A comment on the line before the fence says what the example needs beyond the tool itself:
///
///     <!-- example needs qemu -->                          QEMU over qtest
///     <!-- example needs guest -->                         the guest image (QEMU, qemu-storage-daemon, cpio)
///     <!-- example needs vdpa-guest -->                    the vDPA guest image (QEMU, make, gcc-12, testpmd)
///     <!-- example needs qemu-storage-daemon at PATH -->   a daemon exporting a 1 GiB disk; PATH in the
///                                                          block stands for its real socket
///
/// The command must exit 0, or the status `exits N` in the same comment gives.
struct ReadmeExample: Sendable, CustomTestStringConvertible {
    enum Need: String, Sendable, CaseIterable {
        case nothing, qemu, guest, vdpaGuest = "vdpa-guest", storageDaemon = "qemu-storage-daemon"
    }

    /// Which example of the README this is, counting from 0: it finds the block again after an
    /// earlier block was rewritten.
    let ordinal: Int
    /// The fence's line, counting from 1.
    let line: Int
    /// The command as written, continuation lines joined.
    let command: String
    /// The command's lines as written, `\` continuations kept: they stay as they are when the
    /// output is rewritten.
    let commandLines: [String]
    let expected: [String]
    let need: Need
    /// The socket path the block names, for `qemu-storage-daemon at PATH`.
    let placeholder: String?
    /// The exit status the command must end with.
    let status: Int32

    var testDescription: String { "README.md:\(line): \(command)" }

    /// The command's words, as a shell would split them: quotes and backslashes.
    var words: [String] {
        var words: [String] = []
        var word = ""
        var inWord = false
        var quote: Character?
        var escaped = false
        for character in command {
            if escaped { word.append(character); escaped = false; continue }
            if let open = quote {
                if character == open { quote = nil } else { word.append(character) }
                continue
            }
            switch character {
            case "\\": escaped = true; inWord = true
            case "'", "\"": quote = character; inWord = true
            case " ", "\t":
                if inWord { words.append(word); word = ""; inWord = false }
            default: word.append(character); inWord = true
            }
        }
        if inWord { words.append(word) }
        return words
    }
}

/// The README's examples, and the README with one example's output replaced.
enum ReadmeExamples {
    static let fence = "```"

    static func parse(_ text: String) -> [ReadmeExample] {
        let lines = text.components(separatedBy: "\n")
        var examples: [ReadmeExample] = []
        var index = 0
        while index < lines.count {
            guard lines[index].hasPrefix(fence) else { index += 1; continue }
            let open = index
            var close = open + 1
            while close < lines.count, !lines[close].hasPrefix(fence) { close += 1 }
            defer { index = close + 1 }
            let body = Array(lines[(open + 1)..<min(close, lines.count)])
            guard let first = body.first, first.hasPrefix("$ cfgspace ") else { continue }
            var commandLines = [first]
            while let last = commandLines.last, last.hasSuffix("\\"), commandLines.count < body.count {
                commandLines.append(body[commandLines.count])
            }
            let command = commandLines.enumerated().map { offset, line in
                var part = offset == 0 ? String(line.dropFirst(2)) : line.trimmingCharacters(in: .whitespaces)
                if part.hasSuffix("\\") { part.removeLast() }
                return part.trimmingCharacters(in: .whitespaces)
            }.joined(separator: " ")
            let said = directive(open > 0 ? lines[open - 1] : "") ?? (.nothing, nil, 0)
            examples.append(ReadmeExample(ordinal: examples.count, line: open + 1, command: command,
                                          commandLines: commandLines, expected: Array(body.dropFirst(commandLines.count)),
                                          need: said.need, placeholder: said.placeholder, status: said.status))
        }
        return examples
    }

    /// `<!-- example [needs WHAT [at PATH]] [exits N] -->`; no comment needs nothing and exits 0.
    /// Nil for a comment that starts like one but says something else.
    static func directive(_ line: String) -> (need: ReadmeExample.Need, placeholder: String?, status: Int32)? {
        let trimmed = line.trimmingCharacters(in: .whitespaces)
        guard trimmed.hasPrefix("<!-- example"), trimmed.hasSuffix("-->") else { return (.nothing, nil, 0) }
        var words = trimmed.dropFirst("<!-- example".count).dropLast(3).split(separator: " ").map(String.init)[...]
        var result: (need: ReadmeExample.Need, placeholder: String?, status: Int32) = (.nothing, nil, 0)
        while let word = words.popFirst() {
            switch (word, words.popFirst()) {
            case ("needs", let what?):
                guard let need = ReadmeExample.Need(rawValue: what) else { return nil }
                result.need = need
                if words.first == "at" { words.removeFirst(); result.placeholder = words.popFirst() }
            case ("exits", let status?):
                guard let status = Int32(status) else { return nil }
                result.status = status
            default: return nil
            }
        }
        return result
    }

    /// `text` with the output lines of the example numbered `ordinal` replaced.
    static func replacing(output: [String], ofExample ordinal: Int, in text: String) -> String? {
        var lines = text.components(separatedBy: "\n")
        guard let example = parse(text).first(where: { $0.ordinal == ordinal }) else { return nil }
        let start = example.line + example.commandLines.count
        lines.replaceSubrange(start..<(start + example.expected.count), with: output)
        return lines.joined(separator: "\n")
    }
}
