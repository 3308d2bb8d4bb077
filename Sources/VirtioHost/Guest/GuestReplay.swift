import ConfigLayout
import VirtioModel

/// The replay's scenarios (Tests/VirtioModelTests/ReplayTests.swift) on the real stack, as far as a
/// Linux 6.1 guest with vdpa_sim reaches them. The linux-current ones are what this kernel is; the
/// rest need an older kernel, mlx5 hardware or a big-endian host, and the report says which.
enum GuestReplay {
    /// Replay 3's values (mlx5-5.12's MAC, mtu=9000), given to vdpa_sim, which stands in for mlx5.
    static let standInValues: [(field: String, text: String)] = [("mac", "0c:42:a1:12:34:56"), ("mtu", "9000")]

    /// What the real stack cannot reach, scenario by scenario.
    static let unreachable: [String] = [
        "1 linux-5.12 on mlx5-5.12: needs Linux 5.12 (validate before any feature write, 404123c2db79; 6.1 writes "
            + "them first, 4fa59ede9519) and mlx5 hardware",
        "2 linux-5.12 on mlx5-5.12-patched: needs Linux 5.12 and mlx5 hardware with the 2021 patch (never merged)",
        "4 linux-current on packed: needs a device that lays net config out packed, and none does (vdpa_sim serves "
            + "struct virtio_net_config); `guest --device blk --interpretation packed` shows such misreads for blk",
        "5 dpdk on mlx5-5.12: needs mlx5 hardware; `guest --driver dpdk` runs DPDK 22.11 on vdpa_sim instead",
        "6 linux-5.12 and linux-5.16-be on QEMU: needs a big-endian guest (s390x) and both older kernels",
        "7 linux-current on mlx5-current, MQ without CTRL_VQ: needs mlx5 hardware (vdpa_sim_net in 6.1 offers no MQ)",
        "8 mlx5-current without VERSION_1 or ACCESS_PLATFORM: needs mlx5 hardware; vdpa_sim would take any subset "
            + "(vdpasim_create), but iproute2 6.1's vdpa has no device_features option",
        "9 linux-5.12 on mlx5-5.12 without the legacy path: needs Linux 5.12 and mlx5 hardware; 6.1 keeps the path "
            + "(vdpa_get_config_unlocked)",
    ]

    /// Replay 3 (linux-current on mlx5-5.12, mtu=9000) beside the real stack, with vdpa_sim standing
    /// in for mlx5: both refuse features without ACCESS_PLATFORM (mlx5's -EOPNOTSUPP is vdpa_sim's
    /// -EINVAL), and 6.1 writes features before validate, so neither meets a set_features(0).
    static func section(standIn step: GuestVDPARun.Step, report: GuestReport, layout: Device) -> GuestSection {
        let name = step.device.name
        var lines = ["3 linux-current on mlx5-5.12, mtu=9000: vdpa_sim stands in for mlx5, which needs hardware"]
        lines += unreachable.map { "  not run: \($0)" }
        let real = VDPAGuest.calls(report, "\(name).trace_bind").map(\.call)
        var rows: [GuestRow] = []
        do throws(ScenarioError) {
            guard let mlx5 = DeviceKind.named("mlx5-5.12", for: layout) else {
                throw ScenarioError("\(layout.name) has no mlx5-5.12 model")
            }
            let outcome = try Simulator(device: layout).run(Scenario(driver: DriverKind.reference(for: layout), device: mlx5,
                                                                     values: [("mtu", "9000")]))
            let model = VDPAParentCall.calls(in: outcome.trace[...])
            rows.append(GuestRow(name: "3: first feature write", predicted: firstWrite(model), guest: firstWrite(real),
                                 source: "replay model on mlx5-5.12; ftrace on vdpa_sim"))
            rows.append(GuestRow(name: "3: reads before features", predicted: String(readsBeforeFeatures(model)),
                                 guest: String(readsBeforeFeatures(real)), source: "get_config calls before set_driver_features"))
            let mtuOffered = layout.bit(named: "MTU").map { bit in outcome.negotiated.contains(bit) } ?? false
            let guestFeatures = report.value("\(name).features") ?? ""
            let guestMTU = layout.bit(named: "MTU").map { bit in
                guestFeatures.count > bit && guestFeatures[guestFeatures.index(guestFeatures.startIndex, offsetBy: bit)] == "1"
            } ?? false
            rows.append(GuestRow(name: "3: MTU negotiated", predicted: mtuOffered ? "yes" : "no", guest: guestMTU ? "yes" : "no",
                                 source: "the replay's mlx5-5.12 model; the guest's negotiated features"))
            rows.append(GuestRow(name: "3: interface MTU", predicted: outcome.value("mtu")?.description ?? "—",
                                 guest: report.value("\(name).eth.mtu") ?? "—", source: "mtu=9000 configured on both"))
        } catch {
            lines.append("the replay model did not run: \(error.description)")
        }
        return GuestSection("the replay's linux-current scenarios on the real stack", lines: lines, rows: rows)
    }

    /// Who wrote features first, relative to the first config read.
    static func firstWrite(_ calls: [VDPAParentCall]) -> String {
        guard let write = calls.firstIndex(where: { if case .setDriverFeatures = $0.operation { true } else { false } }) else {
            return "none"
        }
        let read = calls.firstIndex { if case .getConfig = $0.operation { true } else { false } } ?? calls.count
        let who = calls[write].caller == .core ? "the core's features 0" : "the driver's features"
        return who + (write < read ? ", before any config read" : ", after a config read")
    }

    static func readsBeforeFeatures(_ calls: [VDPAParentCall]) -> Int {
        let write = calls.firstIndex { if case .setDriverFeatures = $0.operation { true } else { false } } ?? calls.count
        return calls[..<write].filter { if case .getConfig = $0.operation { true } else { false } }.count
    }
}
