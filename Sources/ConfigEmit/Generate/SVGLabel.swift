/// A box's label laid out to fit the box: on one line at the largest size that fits, else broken
/// after a `_` or `.` or at a space onto as many lines as the box's height takes, at the largest
/// size where every line fits. Widths are estimated from DejaVu Sans's advances, rounded up, so
/// a label that is said to fit does.
struct SVGLabel: Equatable {
    let lines: [String]
    let size: Int

    /// Font sizes from the largest to the smallest still readable.
    static let sizes = [10, 9, 8, 7]

    /// The distance between two lines' baselines at a font size.
    static func lineHeight(_ size: Int) -> Int { size + 1 }

    /// The label in a box of `width` by `height` pixels (padding already taken off); nil when it
    /// does not fit at the smallest size even broken onto lines.
    static func fit(_ label: String, width: Int, height: Int) -> SVGLabel? {
        let pieces = Self.pieces(label)
        for size in sizes {
            let lineCount = max(1, height / lineHeight(size))
            guard let lines = Self.lines(pieces, size: size, width: width), lines.count <= lineCount else { continue }
            return SVGLabel(lines: lines, size: size)
        }
        return nil
    }

    /// Pieces that may end a line: `rss_` `max_` `key_` `size` ` @56`. A line never starts with a
    /// space: the space before `@` is dropped where the line breaks.
    static func pieces(_ label: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        for character in label {
            if character == " ", !current.isEmpty {
                pieces.append(current)
                current = " "
                continue
            }
            current.append(character)
            if character == "_" || character == "." {
                pieces.append(current)
                current = ""
            }
        }
        if !current.isEmpty { pieces.append(current) }
        return pieces
    }

    /// Prose in lines of at most `width` pixels at a font size, broken only at spaces (a word
    /// wider than a line keeps a line of its own).
    static func prose(_ text: String, size: Int, width: Int) -> [String] {
        let words = text.split(separator: " ").enumerated().map { $0.offset == 0 ? String($0.element) : " " + $0.element }
        var lines: [String] = []
        for word in words {
            if let last = lines.last, Self.width(last + word, size: size) <= width {
                lines[lines.count - 1] = last + word
            } else {
                lines.append(word.hasPrefix(" ") ? String(word.dropFirst()) : word)
            }
        }
        return lines
    }

    /// Greedy lines of at most `width` pixels; nil when a single piece is wider.
    private static func lines(_ pieces: [String], size: Int, width: Int) -> [String]? {
        var lines: [String] = []
        var current = ""
        for piece in pieces {
            if current.isEmpty || Self.width(current + piece, size: size) > width {
                if !current.isEmpty { lines.append(current) }
                current = piece.hasPrefix(" ") ? String(piece.dropFirst()) : piece
            } else {
                current += piece
            }
            if Self.width(current, size: size) > width { return nil }
        }
        if !current.isEmpty { lines.append(current) }
        return lines
    }

    /// The text's width in pixels at a font size: each character's advance in DejaVu Sans, in
    /// hundredths of an em, rounded up.
    static func width(_ text: String, size: Int) -> Int {
        let hundredths = text.reduce(0) { total, character in total + advance(character) }
        return (hundredths * size + 99) / 100
    }

    private static func advance(_ character: Character) -> Int {
        switch character {
        case "@": 100
        case "m", "w", "M", "W": 98
        case "i", "j", "l", ".", ",", ":", "'", " ", "|", "!": 32
        case "f", "t", "r": 42
        case "_": 50
        case "(", ")", "[", "]", "{", "}": 40
        default: character.isUppercase ? 78 : 64
        }
    }
}
