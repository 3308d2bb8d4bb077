import Rendering
import Testing
import VirtioModel

/// The one home of little-endian numbers and of hex text, held against the machine's own byte
/// order (`withUnsafeBytes` of `littleEndian`) and against String's radix formatting.
@Suite struct ByteTextTests {
    @Test func littleEndianMatchesTheMachinesOwnBytes() {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<1_000 {
            let value = UInt64.random(in: .min ... .max, using: &generator)
            let memory = withUnsafeBytes(of: value.littleEndian) { Array($0) }
            for width in 0...8 {
                let bytes = LittleEndian.bytes(value, width: width)
                #expect(bytes == Array(memory.prefix(width)))
                let mask: UInt64 = width == 8 ? .max : (1 << (8 * UInt64(width))) - 1
                #expect(LittleEndian.value(bytes) == value & mask)
                #expect(LittleEndian.value(bytes.reversed(), littleEndian: false) == value & mask)
            }
        }
        #expect(LittleEndian.value([0x28, 0x23][...]) == 0x2328)
    }

    @Test func hexReadsAsTracesShowIt() {
        #expect(hex(UInt64(0x2328)) == "0x2328")
        #expect(hex(UInt8(0)) == "0x0")
        #expect(hexDigits(UInt32(0x28), count: 8) == "00000028")
        #expect(hexDigits(UInt64(0x123456789), count: 4) == "123456789")
        #expect(hexBytes([0x28, 0x03]) == "28 03")
        #expect(hexBytes([0x52, 0x54, 0x00, 0x12, 0x34, 0x56], separator: ":") == "52:54:00:12:34:56")
        for byte in UInt8.min...UInt8.max {
            #expect(hexBytes([byte]) == (byte < 16 ? "0" : "") + String(byte, radix: 16))
        }
    }
}
