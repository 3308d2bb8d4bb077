/// Rust source as tokens, every one kept so an item can be written out again: identifiers (raw
/// ones too), literals (numbers with their suffix, strings of every kind, chars), lifetimes and
/// single punctuation characters. Comments are dropped; each token knows its line and whether
/// whitespace came before it, so `a::b` and `1 << 2` come out as they went in.
struct RustToken: Equatable, Sendable {
    enum Kind: Equatable, Sendable {
        case identifier, literal, lifetime, punctuation
    }

    let kind: Kind
    let text: String
    let line: Int
    let spaceBefore: Bool

    func `is`(_ punctuation: String) -> Bool { kind == .punctuation && text == punctuation }

    /// The identifier without `r#`: `r#type` is `type`.
    var name: String { text.hasPrefix("r#") ? String(text.dropFirst(2)) : text }
}

enum RustTokenizer {
    static func tokens(_ text: String) -> [RustToken] {
        var tokens: [RustToken] = []
        let scalars = Array(text.unicodeScalars)
        var index = 0
        var line = 1
        var space = true

        func at(_ offset: Int) -> Unicode.Scalar? {
            index + offset < scalars.count ? scalars[index + offset] : nil
        }
        func isStart(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isXIDStart || scalar == "_" }
        func isContinue(_ scalar: Unicode.Scalar) -> Bool { scalar.properties.isXIDContinue }
        func take(_ start: Int, _ kind: RustToken.Kind, startLine: Int) {
            var view = String.UnicodeScalarView()
            view.append(contentsOf: scalars[start..<index])
            tokens.append(RustToken(kind: kind, text: String(view), line: startLine, spaceBefore: space))
            space = false
        }
        /// A quoted body from after its opening quote through the closing one.
        func skipQuoted(_ quote: Unicode.Scalar, escapes: Bool) {
            while index < scalars.count, scalars[index] != quote {
                if scalars[index] == "\n" { line += 1 }
                if escapes, scalars[index] == "\\" { index += 1 }
                if index < scalars.count, scalars[index] == "\n" { line += 1 }
                index += 1
            }
            index += 1
        }
        /// `r#"..."#` from the `r`'s first `#` or quote.
        func skipRaw() {
            var hashes = 0
            while at(0) == "#" { hashes += 1; index += 1 }
            guard at(0) == "\"" else { return }
            index += 1
            while index < scalars.count {
                if scalars[index] == "\n" { line += 1 }
                if scalars[index] == "\"" {
                    var count = 0
                    while count < hashes, at(1 + count) == "#" { count += 1 }
                    if count == hashes { index += 1 + hashes; return }
                }
                index += 1
            }
        }

        while index < scalars.count {
            let scalar = scalars[index]
            let start = index, startLine = line
            if scalar == "\n" { line += 1; index += 1; space = true; continue }
            if scalar == " " || scalar == "\t" || scalar == "\r" { index += 1; space = true; continue }
            if scalar == "/", at(1) == "/" {
                while index < scalars.count, scalars[index] != "\n" { index += 1 }
                space = true
                continue
            }
            if scalar == "/", at(1) == "*" {
                var depth = 0
                repeat {
                    if scalars[index] == "\n" { line += 1 }
                    if scalars[index] == "/", at(1) == "*" { depth += 1; index += 1 }
                    else if scalars[index] == "*", at(1) == "/" { depth -= 1; index += 1 }
                    index += 1
                } while index < scalars.count && depth > 0
                space = true
                continue
            }
            // Raw strings and identifiers, byte and C strings: r"..", r#".."#, br"..", b"..", c"..", b'x'.
            if scalar == "r" || scalar == "b" || scalar == "c" {
                var prefix = 1
                if scalar != "r", at(1) == "r" { prefix = 2 }
                let afterPrefix = at(prefix)
                if prefix == 2 || scalar == "r", afterPrefix == "\"" || (afterPrefix == "#" && (at(prefix + 1) == "\"" || at(prefix + 1) == "#")) {
                    index += prefix
                    skipRaw()
                    take(start, .literal, startLine: startLine)
                    continue
                }
                if scalar == "r", afterPrefix == "#", let next = at(2), isStart(next) {
                    index += 2
                    while let next = at(0), isContinue(next) { index += 1 }
                    take(start, .identifier, startLine: startLine)
                    continue
                }
                if scalar != "r", afterPrefix == "\"" {
                    index += 2
                    skipQuoted("\"", escapes: true)
                    take(start, .literal, startLine: startLine)
                    continue
                }
                if scalar == "b", afterPrefix == "'" {
                    index += 2
                    skipQuoted("'", escapes: true)
                    take(start, .literal, startLine: startLine)
                    continue
                }
            }
            if isStart(scalar) {
                while let next = at(0), isContinue(next) { index += 1 }
                take(start, .identifier, startLine: startLine)
                continue
            }
            if ("0"..."9").contains(scalar) {
                // Digits, letters for a radix or suffix, and `_`; a `.` only when a digit follows
                // and it is not a range or a field access on a tuple index.
                while let next = at(0), isContinue(next) || (next == "." && at(1).map { ("0"..."9").contains($0) } == true
                                                             && !(tokens.last?.is(".") ?? false)) {
                    if next == "e" || next == "E", at(1) == "-" || at(1) == "+" { index += 1 }
                    index += 1
                }
                take(start, .literal, startLine: startLine)
                continue
            }
            if scalar == "\"" {
                index += 1
                skipQuoted("\"", escapes: true)
                take(start, .literal, startLine: startLine)
                continue
            }
            if scalar == "'" {
                // 'a' or '\n' is a char; 'a followed by anything but a quote is a lifetime.
                if at(1) == "\\" || (at(2) == "'" && at(1) != "'") {
                    index += 1
                    skipQuoted("'", escapes: true)
                    take(start, .literal, startLine: startLine)
                    continue
                }
                if let next = at(1), isStart(next) {
                    index += 1
                    while let next = at(0), isContinue(next) { index += 1 }
                    take(start, .lifetime, startLine: startLine)
                    continue
                }
            }
            index += 1
            take(start, .punctuation, startLine: startLine)
        }
        return tokens
    }

    /// Tokens as source text again: a space where the source had one.
    static func text(_ tokens: some Sequence<RustToken>) -> String {
        var out = ""
        for token in tokens {
            if token.spaceBefore, !out.isEmpty { out += " " }
            out += token.text
        }
        return out
    }
}
