/// The outline of a type as written: a path with generic arguments (`vm_memory::Le32`,
/// `U32<LittleEndian>`), an array (`[u8; MAC_ADDR_LEN as usize]`), or something a config struct
/// does not hold by value (a reference, a pointer, a function), kept as tokens.
enum RustTypeShape {
    case path([String], arguments: [ArraySlice<RustToken>])
    case array(element: ArraySlice<RustToken>, length: ArraySlice<RustToken>)
    case tuple([ArraySlice<RustToken>])
    case other

    init(_ tokens: ArraySlice<RustToken>) {
        guard let first = tokens.first else { self = .other; return }
        if first.is("["), tokens.last?.is("]") == true {
            let inner = tokens.dropFirst().dropLast()
            let parts = RustItemReader.split(inner, on: ";")
            if parts.count == 2 { self = .array(element: parts[0], length: parts[1]) } else { self = .other }
            return
        }
        if first.is("("), tokens.last?.is(")") == true {
            self = .tuple(RustItemReader.split(tokens.dropFirst().dropLast(), on: ","))
            return
        }
        var segments: [String] = []
        var rest = tokens
        if rest.first?.is(":") == true, rest.dropFirst().first?.is(":") == true {
            segments.append("::")
            rest.removeFirst(2)
        }
        while let token = rest.first, token.kind == .identifier {
            segments.append(token.name)
            rest.removeFirst()
            guard rest.first?.is(":") == true, rest.dropFirst().first?.is(":") == true else { break }
            rest.removeFirst(2)
        }
        guard !segments.isEmpty else { self = .other; return }
        if rest.isEmpty { self = .path(segments, arguments: []); return }
        if rest.first?.is("<") == true, rest.last?.is(">") == true {
            self = .path(segments, arguments: RustItemReader.split(rest.dropFirst().dropLast(), on: ","))
            return
        }
        self = .other
    }

    /// `6`, `0x10`, `6usize`, `1_024`: a plain number, or nil for an expression.
    static func number(_ tokens: ArraySlice<RustToken>) -> Int? {
        guard tokens.count == 1, let token = tokens.first, token.kind == .literal else { return nil }
        var digits = token.text.replacingOccurrences(of: "_", with: "")
        for suffix in ["usize", "u8", "u16", "u32", "u64", "isize", "i32", "i64"] where digits.hasSuffix(suffix) {
            digits.removeLast(suffix.count)
            break
        }
        if digits.hasPrefix("0x") { return Int(digits.dropFirst(2), radix: 16) }
        return Int(digits)
    }
}
