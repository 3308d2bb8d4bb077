import Fuzzing
import Testing
@testable import ConfigLayout

/// The symbolic layout must agree with the concrete one on every feature set.
@Suite struct SymbolicLayoutTests {
    static func agree(_ device: Device, bits: [Int]) {
        agree(device, sets: allSubsets(of: bits))
    }

    static func agree(_ device: Device, sets: [FeatureSet]) {
        for interpretation in Interpretation.allCases {
            let symbolic = SymbolicLayout(device: device, interpretation: interpretation)
            for features in sets {
                let isSet = { device.isSet($0, in: features) }
                for sizing in Sizing.allCases {
                    let concrete = Layout(device: device, features: features, interpretation: interpretation, sizing: sizing)
                    #expect(symbolic.size(sizing).evaluate(isSet) == concrete.size,
                            "\(interpretation) \(sizing) size under \(device.names(of: features))")
                }
                let concrete = Layout(device: device, features: features, interpretation: interpretation)
                // QEMU's table, entry by entry: each anchor where the concrete layout measures it.
                let table = QemuSizeTable(device: device)
                let ends = symbolic.qemuTable
                #expect(ends.minimum.evaluate(isSet) == concrete.measure(table.minimum))
                #expect(ends.entries.count == table.entries.count)
                for (entry, end) in zip(table.entries, ends.entries) {
                    #expect(end.condition == entry.condition)
                    #expect(end.end.evaluate(isSet) == concrete.measure(entry.anchor),
                            "\(interpretation) QEMU entry \(entry.condition) under \(device.names(of: features))")
                }
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

    /// Every standard layout at every spec version it exists in, over the features its fields and
    /// QEMU's table mention: every subset of up to eight, else 256 seeded subsets.
    @Test func standardLayoutsAgreeAtEveryVersion() throws {
        var random = SplitMix64(seed: 20)
        for name in BuiltinLayouts.names {
            for declared in try LayoutLoader().load(argument: name).devices {
                for version in SpecVersion.known where declared.exists(in: version) {
                    let device = declared.asOf(version == SpecVersion.newest ? nil : version)
                    let symbolic = SymbolicLayout(device: device, interpretation: .packed)
                    let names = Condition.or(symbolic.fields.map { .and([$0.placed, $0.valid]) }
                                             + symbolic.qemuTable.entries.map(\.condition)).featureNames
                    let bits = Set(names.compactMap { device.bit(named: $0) }).sorted()
                    if bits.count <= 8 {
                        Self.agree(device, bits: bits)
                    } else {
                        let sets = (0..<256).map { _ in bits.filter { _ in random.next() % 2 == 0 } }
                        Self.agree(device, sets: sets.map { FeatureSet(bits: $0) })
                    }
                }
            }
        }
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

    /// Under packed, QEMU's anchors move with the fields before them.
    @Test func packedQemuEndsMoveWithTheFields() throws {
        let net = try netDevice()
        let table = SymbolicLayout(device: net, interpretation: .packed).qemuTable
        #expect(table.minimum == .constant(6))
        #expect(table.entries.map { "\($0.condition): \($0.end)" } == [
            "MAC: 6", "STATUS: 6 + 2·[STATUS]", "MQ: 6 + 2·[STATUS] + 2·[MQ || RSS]",
            "MTU: 6 + 2·[STATUS] + 2·[MQ || RSS] + 2·[MTU]",
            "SPEED_DUPLEX: 6 + 2·[STATUS] + 2·[MQ || RSS] + 2·[MTU] + 5·[SPEED_DUPLEX]",
            "RSS || HASH_REPORT: 6 + 2·[STATUS] + 2·[MQ || RSS] + 2·[MTU] + 5·[SPEED_DUPLEX] + 5·[RSS || HASH_REPORT] "
                + "+ 2·[RSS]",
        ])
        let fixed = SymbolicLayout(device: net, interpretation: .fixed).qemuTable
        #expect(fixed.entries.map(\.end) == QemuSizeTable(device: net).fixedEnds(of: net).entries.map { .constant($0.end) })
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
