/// Numbers and bytes in hex, as every trace, report and log line shows them: one home, so that a
/// MAC address, a register and a CRC read the same wherever they appear.

/// `0x2328`.
public func hex(_ value: some BinaryInteger) -> String { "0x" + String(value, radix: 16) }

/// `00002328`: at least `count` lowercase digits, zero-padded, with no prefix.
public func hexDigits(_ value: some BinaryInteger, count: Int) -> String {
    let digits = String(value, radix: 16)
    return String(repeating: "0", count: max(0, count - digits.count)) + digits
}

/// Bytes two digits each, as a trace shows them: `28 23`.
public func hexBytes(_ bytes: some Sequence<UInt8>) -> String { hexBytes(bytes, separator: " ") }

/// Bytes two digits each between separators: `52:54:00:12:34:56` with ":".
public func hexBytes(_ bytes: some Sequence<UInt8>, separator: String) -> String {
    bytes.map { hexDigits($0, count: 2) }.joined(separator: separator)
}
