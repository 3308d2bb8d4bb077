import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// Field values and the bytes an image makes of them.
@Suite struct ConfigImageTests {
    let device: Device
    init() throws { device = try netDevice() }

    private func field(_ name: String) throws -> Field {
        try #require(Layout(device: device, features: FeatureSet(), interpretation: .fixed).field(name)).field
    }

    @Test func parsesTheFormsPeopleWrite() throws {
        #expect(try FieldValue.parse("9000", for: field("mtu")).get() == .integer(9000))
        #expect(try FieldValue.parse("0x2328", for: field("mtu")).get() == .integer(9000))
        #expect(try FieldValue.parse("9_000", for: field("mtu")).get() == .integer(9000))
        #expect(try FieldValue.parse("52:54:00:12:34:56", for: field("mac")).get() == .bytes([0x52, 0x54, 0, 0x12, 0x34, 0x56]))
        #expect(try FieldValue.parse("1,2,3,4,5,255", for: field("mac")).get() == .bytes([1, 2, 3, 4, 5, 255]))
    }

    @Test(arguments: [
        ("mtu", "65536", "does not fit in virtio16"),
        ("mtu", "nine thousand", "is not a number"),
        ("mtu", "-1", "is not a number"),
        ("mac", "52:54:00:12:34", "takes 6 bytes, not 5"),
        ("mac", "52:54:00:12:34:zz", "is not a byte"),
        ("mac", "1,2,3,4,5,256", "is not a byte"),
        ("speed", "0x1_0000_0000", "does not fit in le32"),
    ])
    func refusesValuesThatDoNotFit(name: String, text: String, message: String) throws {
        guard case .failure(let error) = FieldValue.parse(text, for: try field(name)) else {
            Issue.record("\(name)=\(text) was accepted")
            return
        }
        #expect(error.description.contains(message), "\(error.description)")
    }

    @Test func charArraysTakeStringsZeroPadded() throws {
        let span = SourceSpan(file: SourceFile(path: "inline", text: ""), start: 0, end: 0)
        let field = Field(name: "tag", type: .chars(count: 8), span: span)
        #expect(try FieldValue.parse("\"fs0\"", for: field).get() == .bytes([0x66, 0x73, 0x30, 0, 0, 0, 0, 0]))
        #expect((try? FieldValue.parse("too long a tag", for: field).get()) == nil)
    }

    @Test func unknownFieldsAreNamedWithASuggestion() {
        var image = ConfigImage(device: device, interpretation: .fixed, features: FeatureSet())
        #expect(throws: FieldValueError.self) { try image.set("mtux", .integer(1)) }
        do {
            try image.set("mtux", .integer(1))
        } catch {
            #expect(error.description.contains("did you mean 'mtu'"))
        }
    }

    @Test func virtioFieldsFollowTheEncodingAndLeFieldsDoNot() throws {
        let offered = try features("MTU,SPEED_DUPLEX,VERSION_1", of: device)
        let image = try ConfigImage(device: device, interpretation: .fixed, features: offered,
                                    values: [("mtu", .integer(0x2328)), ("speed", .integer(0x0102_0304))])
        let legacyBig = image.bytes(.init(isModern: false, guestIsLittleEndian: false))
        let modern = image.bytes(.init(isModern: true, guestIsLittleEndian: false))
        #expect(Array(legacyBig[10..<12]) == [0x23, 0x28])
        #expect(Array(modern[10..<12]) == [0x28, 0x23])
        // speed is le32: little-endian under every encoding.
        #expect(Array(legacyBig[12..<16]) == [4, 3, 2, 1])
        #expect(Array(modern[12..<16]) == [4, 3, 2, 1])
    }

    @Test func packedImagesLeaveAbsentFieldsOut() throws {
        let offered = try features("STATUS,MTU", of: device)
        let image = try ConfigImage(device: device, interpretation: .packed, features: offered,
                                    values: [("mtu", .integer(9000)), ("max_virtqueue_pairs", .integer(4))])
        let bytes = image.bytes(.init(isModern: true, guestIsLittleEndian: true))
        #expect(bytes.count == 10)
        #expect(Array(bytes[8..<10]) == [0x28, 0x23])
    }

    @Test func generationCountsChangesOfValue() throws {
        var image = try ConfigImage(device: device, interpretation: .fixed, features: FeatureSet(),
                                    values: [("mtu", .integer(1500))])
        #expect(image.generation == 0)
        try image.set("mtu", .integer(1500))
        #expect(image.generation == 0)
        try image.set("mtu", .integer(9000))
        #expect(image.generation == 1)
        #expect(image.changes(since: ["mtu": .integer(1500)]).map(\.path) == ["mtu"])
    }

    @Test func rangesAreChecked() throws {
        var image = ConfigImage(device: device, interpretation: .fixed, features: FeatureSet())
        try image.set("mtu", .integer(67))
        #expect(image.rangeProblem("mtu") == "mtu is 67, outside 68...65535")
        try image.set("mtu", .integer(68))
        #expect(image.rangeProblem("mtu") == nil)
    }
}
