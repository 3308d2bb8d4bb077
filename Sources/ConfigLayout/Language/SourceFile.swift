/// The text of one layout file, kept as raw bytes so that any input — including bytes that are not
/// UTF-8 — can be lexed and quoted back in a diagnostic without loss.
public final class SourceFile: Sendable {
    /// The path as the user gave it; diagnostics print it verbatim.
    public let path: String
    public let bytes: [UInt8]
    /// Byte offset of the first byte of each line.
    private let lineStarts: [Int]

    /// A leading UTF-8 byte-order mark is dropped, as editors that write one expect; lines end in
    /// LF, CRLF or a lone CR.
    public init(path: String, bytes: [UInt8]) {
        self.path = path
        let bytes = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? Array(bytes.dropFirst(3)) : bytes
        self.bytes = bytes
        var starts = [0]
        for (index, byte) in bytes.enumerated() {
            let endsLine = byte == UInt8(ascii: "\n")
                || (byte == UInt8(ascii: "\r") && (index + 1 == bytes.count || bytes[index + 1] != UInt8(ascii: "\n")))
            if endsLine { starts.append(index + 1) }
        }
        self.lineStarts = starts
    }

    public convenience init(path: String, text: String) {
        self.init(path: path, bytes: Array(text.utf8))
    }

    /// The 1-based line and column of a byte offset. Columns count characters, so a caret lines up
    /// under non-ASCII text; each byte of an invalid UTF-8 sequence counts as one column.
    public func location(of offset: Int) -> SourceLocation {
        let offset = min(max(offset, 0), bytes.count)
        let lineIndex = lineIndex(containing: offset)
        let start = lineStarts[lineIndex]
        let column = DisplayLine.decode(bytes[start..<offset]).count + 1
        return SourceLocation(line: lineIndex + 1, column: column)
    }

    /// The text of a 1-based line without its line terminator, one character per display column.
    public func displayLine(_ line: Int) -> DisplayLine {
        guard line >= 1, line <= lineStarts.count else { return DisplayLine(characters: []) }
        let start = lineStarts[line - 1]
        var end = line < lineStarts.count ? lineStarts[line] : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\n") { end -= 1 }
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return DisplayLine(characters: DisplayLine.decode(bytes[start..<max(start, end)]))
    }

    public var lineCount: Int { lineStarts.count }

    private func lineIndex(containing offset: Int) -> Int {
        var low = 0
        var high = lineStarts.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if lineStarts[mid] <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }
}

/// A line of source as the characters a terminal shows, with each invalid byte replaced by U+FFFD.
public struct DisplayLine: Sendable {
    public let characters: [Unicode.Scalar]

    public var text: String {
        var result = ""
        result.unicodeScalars.append(contentsOf: characters)
        return result
    }

    /// Decodes UTF-8, replacing every byte of an invalid sequence with U+FFFD so that
    /// one byte of garbage is one column.
    static func decode(_ bytes: ArraySlice<UInt8>) -> [Unicode.Scalar] {
        var scalars: [Unicode.Scalar] = []
        var index = bytes.startIndex
        while index < bytes.endIndex {
            if let (scalar, length) = UTF8Scalar.decode(bytes, at: index) {
                scalars.append(scalar)
                index += length
            } else {
                scalars.append("\u{FFFD}")
                index += 1
            }
        }
        return scalars
    }
}

/// A strict decoder for one UTF-8 scalar.
enum UTF8Scalar {
    static func decode(_ bytes: ArraySlice<UInt8>, at index: Int) -> (Unicode.Scalar, Int)? {
        let lead = bytes[index]
        let length: Int
        var value: UInt32
        switch lead {
        case 0x00...0x7F: return (Unicode.Scalar(lead), 1)
        case 0xC2...0xDF: length = 2; value = UInt32(lead & 0x1F)
        case 0xE0...0xEF: length = 3; value = UInt32(lead & 0x0F)
        case 0xF0...0xF4: length = 4; value = UInt32(lead & 0x07)
        default: return nil
        }
        guard index + length <= bytes.endIndex else { return nil }
        for offset in 1..<length {
            let byte = bytes[index + offset]
            guard byte & 0xC0 == 0x80 else { return nil }
            value = value << 6 | UInt32(byte & 0x3F)
        }
        let minimum: UInt32 = length == 2 ? 0x80 : length == 3 ? 0x800 : 0x10000
        guard value >= minimum, let scalar = Unicode.Scalar(value) else { return nil }
        return (scalar, length)
    }
}

public struct SourceLocation: Equatable, Sendable, CustomStringConvertible {
    public let line: Int
    public let column: Int

    public var description: String { "\(line):\(column)" }
}

/// A half-open byte range `start..<end` in one source file.
public struct SourceSpan: Sendable, Hashable {
    public let file: SourceFile
    public let start: Int
    public let end: Int

    public init(file: SourceFile, start: Int, end: Int) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both.
    public func merged(with other: SourceSpan) -> SourceSpan {
        SourceSpan(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public var location: SourceLocation { file.location(of: start) }

    public var text: String { String(decoding: file.bytes[start..<end], as: UTF8.self) }

    public static func == (lhs: SourceSpan, rhs: SourceSpan) -> Bool {
        lhs.file === rhs.file && lhs.start == rhs.start && lhs.end == rhs.end
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(ObjectIdentifier(file))
        hasher.combine(start)
        hasher.combine(end)
    }
}
