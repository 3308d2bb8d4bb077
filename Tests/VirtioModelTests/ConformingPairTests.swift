import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// 8. QEMU with linux-current under every feature set built from the features that shape net's
/// config: no violations by either side, and the values the driver ends with are the configured
/// ones wherever the negotiated features make them visible. Expectations come from the spec and
/// the Linux rules, not from the models.
@Suite struct ConformingPairTests {
    static let universe = ["VERSION_1", "MAC", "STATUS", "CTRL_VQ", "MQ", "MTU", "SPEED_DUPLEX", "RSS", "HASH_REPORT"]

    @Test(arguments: [true, false])
    func qemuAndCurrentLinuxAgreeEverywhere(littleEndian: Bool) throws {
        let simulator = try VirtioModelTests.simulator()
        let device = simulator.device
        var random = SeededGenerator(seed: littleEndian ? 1 : 2)
        var checked = 0
        for mask in 0..<(1 << Self.universe.count) {
            let names = Self.universe.enumerated().filter { mask & (1 << $0.offset) != 0 }.map(\.element)
            let offered = device.features(named: names)
            // Only sets a device may offer: every feature with what it requires.
            guard device.unmetRequirements(in: offered).isEmpty else { continue }

            let mtu = UInt64.random(in: 68...65535, using: &random)
            let pairs = UInt64.random(in: 1...0x8000, using: &random)
            let mac = (0..<6).map { _ in UInt8.random(in: 0...255, using: &random) }
            let status = UInt64.random(in: 0...1, using: &random)
            let speed = UInt64.random(in: 0...UInt64(Int32.max), using: &random)
            let duplex = UInt64.random(in: 0...1, using: &random)
            let scenario = Scenario(driver: .linuxCurrent, device: .qemu, features: .exactly(offered), values: [
                ("mtu", "\(mtu)"), ("max_virtqueue_pairs", "\(pairs)"), ("mac", FieldValue.bytes(mac).description),
                ("status", "\(status)"), ("speed", "\(speed)"), ("duplex", "\(duplex)"),
            ], hostIsLittleEndian: littleEndian)
            let outcome = try simulator.run(scenario)
            let context = "offered {\(names.joined(separator: ","))}, \(littleEndian ? "little" : "big")-endian"
            #expect(outcome.violations.isEmpty, "\(context): \(outcome.violations.map(\.detail))")

            // A legacy device shows only feature bits 0 to 31.
            let visible = names.contains("VERSION_1") ? names : names.filter { device.bit(named: $0).map { $0 < 32 } ?? false }
            let has = { (name: String) in visible.contains(name) }
            // virtnet_validate_features: HASH_REPORT without CTRL_VQ fails probe. The spec says a device
            // SHOULD NOT offer that, so it is a refusal, not a violation.
            if has("HASH_REPORT") && !has("CTRL_VQ") {
                #expect(outcome.probeFailure?.contains("CTRL_VQ") == true, "\(context)")
                continue
            }
            #expect(outcome.probeFailure == nil, "\(context): \(outcome.probeFailure ?? "")")
            let view = outcome.view
            #expect(view["mtu"] == .number(has("MTU") ? mtu : UInt64(NetValues.defaultMTU)), "\(context)")
            #expect(view["pairs"] == .number((has("MQ") || has("RSS")) && has("CTRL_VQ") ? pairs : 1), "\(context)")
            #expect(view["mac"] == (has("MAC") ? .mac(mac) : .text("random")), "\(context)")
            let linkUp = has("STATUS") ? status == 1 : true
            #expect(view["link"] == .text(linkUp ? "up" : "down"), "\(context)")
            let reported = has("SPEED_DUPLEX") && linkUp
            #expect(view["speed"] == .text(reported ? "\(speed)/\(duplex == 1 ? "full" : "half")" : "—"), "\(context)")
            checked += 1
        }
        // Enough combinations ran to mean something (the requires rules prune the rest).
        #expect(checked >= 100)
    }
}
