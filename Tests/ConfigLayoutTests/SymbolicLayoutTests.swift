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
