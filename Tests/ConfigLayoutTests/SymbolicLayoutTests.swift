import Fuzzing
import Testing
@testable import ConfigLayout

/// The symbolic layout must agree with the concrete one on every feature set.
@Suite struct SymbolicLayoutTests {
    static func agree(_ device: Device, bits: [Int]) {
        for interpretation in Interpretation.allCases {
            let symbolic = SymbolicLayout(device: device, interpretation: interpretation)
            for features in allSubsets(of: bits) {
                let isSet = { device.isSet($0, in: features) }
                for sizing in Sizing.allCases {
                    let concrete = Layout(device: device, features: features, interpretation: interpretation, sizing: sizing)
                    #expect(symbolic.size(sizing).evaluate(isSet) == concrete.size,
                            "\(interpretation) \(sizing) size under \(device.names(of: features))")
                }
                let concrete = Layout(device: device, features: features, interpretation: interpretation)
                for (field, placed) in zip(symbolic.fields, concrete.fields) {
                    #expect(field.path == placed.path)
                    #expect(field.placed.evaluate(isSet) == (placed.offset != nil))
                    #expect(field.exists.evaluate(isSet) == placed.exists)
                    #expect(field.valid.evaluate(isSet) == placed.isValid)
                    if let offset = placed.offset {
                        #expect(field.offset.evaluate(isSet) == offset,
                                "\(interpretation) \(field.path) under \(device.names(of: features))")
                    }
                }
            }
        }
    }

    @Test func netAgreesEverywhere() throws {
        let net = try netDevice()
        let space = ["MAC", "STATUS", "MQ", "RSS", "MTU", "SPEED_DUPLEX", "HASH_REPORT", "HASH_TUNNEL"]
        Self.agree(net, bits: space.compactMap { net.feature(named: $0)?.bit })
    }

    @Test(arguments: 0..<60)
    func randomLayoutsAgreeEverywhere(seed: UInt64) throws {
        var generator = RandomLayout(seed: seed, featureCount: 5)
        let device = try device(generator.text())
        Self.agree(device, bits: Array(0..<5))
    }

    @Test func packedOffsetOfMTUReadsAsASum() throws {
        let net = try netDevice()
        let mtu = try #require(SymbolicLayout(device: net, interpretation: .packed).field("mtu"))
        #expect(mtu.offset.description == "6 + 2·[STATUS] + 2·[MQ || RSS]")
        #expect(SymbolicLayout(device: net, interpretation: .fixed).field("mtu")?.offset == .constant(10))
    }
}

@Suite struct SymbolicValueTests {
    /// QEMU's transcribed table reads back as the table; the rule derived from the layout's own
    /// conditions reads almost the same, which is why the two agree wherever the table reaches.
    @Test func qemuSizeOfNetReadsLikeQEMUsTable() throws {
        let net = try netDevice()
        #expect(SymbolicLayout(device: net, interpretation: .fixed).size(.qemu).description
            == "max(6, 8·[STATUS], 10·[MQ], 12·[MTU], 17·[SPEED_DUPLEX], 24·[RSS || HASH_REPORT])")
        #expect(SymbolicLayout(device: withoutQemuTable(net), interpretation: .fixed).size(.qemu).description
            == "max(6, 8·[STATUS], 10·[MQ || RSS], 12·[MTU], 17·[SPEED_DUPLEX], 24·[RSS || HASH_REPORT], 20·[RSS], "
            + "28·[HASH_TUNNEL])")
    }

    @Test func productsKeepTheirConditionOutside() {
        let sum = SymbolicValue.sum([.constant(6), .term(2, .feature("A"))])
        #expect(sum.scaled(by: .feature("B")).description == "[B]·(6 + 2·[A])")
        #expect(SymbolicValue.constant(4).scaled(by: .feature("B")) == .term(4, .feature("B")))
        #expect(sum.scaled(by: .always) == sum)
        #expect(sum.scaled(by: .never) == .zero)
        let value = SymbolicValue.maximum([.constant(6), .term(5, .feature("A")), .term(9, .feature("A")), sum])
        #expect(value.normalized().description == "max(6, 9·[A], 6 + 2·[A])")
        #expect(value.evaluate { $0 == "A" } == 9)
    }
}
