import Foundation
import Testing
import TestSupport

/// `cfgspace simulate`, end to end: the replayed outcomes as a user sees them, and bad input.
@Suite struct SimulateCLITests {
    private let goldenDirectory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")

    private func run(_ arguments: String...) throws -> [String: Any] {
        let result = try Subprocess.run(Subprocess.cfgspace, ["simulate"] + arguments + ["--format", "json"],
                                        in: PackagePaths.root)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8))
        return try #require(object as? [String: Any], "not a JSON object: \(result.stdout)")
    }

    private func values(_ document: [String: Any]) throws -> [String: Any] {
        try #require(document["values"] as? [String: Any])
    }

    private func reads(_ document: [String: Any], stage: String, field: String) throws -> [[String: Any]] {
        try #require(document["reads"] as? [[String: Any]]).filter {
            $0["stage"] as? String == stage && $0["field"] as? String == field
        }
    }

    private func trace(_ document: [String: Any]) throws -> [[String: Any]] {
        try #require(document["trace"] as? [[String: Any]])
    }

    // 1
    @Test func linux512OnMlx5() throws {
        let document = try run("--driver", "linux-5.12", "--device", "mlx5-5.12", "--bus", "vdpa", "--set", "mtu=9000",
                               "--trace")
        #expect(try reads(document, stage: "validate", field: "mtu").first?["value"] as? Int == 0)
        #expect((document["dropped"] as? [[String: Any]])?.first?["feature"] as? String == "MTU")
        #expect(try values(document)["mtu"] as? Int == 1500)
        let setFeatures = try trace(document).filter { $0["event"] as? String == "set_driver_features" }
        #expect(setFeatures.first?["party"] as? String == "bus")
        #expect(setFeatures.first?["features"] as? [String] == [])
        #expect(setFeatures.first?["result"] as? Int == -95)
    }

    // 2 and 3
    @Test(arguments: [("linux-5.12", "mlx5-5.12-patched"), ("linux-current", "mlx5-5.12")])
    func theMTUArrives(driver: String, device: String) throws {
        let document = try run("--driver", driver, "--device", device, "--set", "mtu=9000")
        #expect(try values(document)["mtu"] as? Int == 9000)
        #expect((document["negotiated"] as? [String])?.contains("MTU") == true)
        #expect((document["violations"] as? [Any])?.isEmpty == true)
    }

    // 4: the text report shows the bytes Linux read at offset 10.
    @Test func packedDeviceTrace() throws {
        let result = try Subprocess.cfgspace("simulate", "--driver", "linux-current", "--device", "packed",
                                             "--features", "MAC,STATUS,MTU,VERSION_1", "--set", "mtu=9000", "--trace")
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("read mtu @10 ×2 → ff ff (past the end: all ones)"))
        #expect(result.stdout.contains("validate     mtu         10  ff ff              65535 (0xffff)"))
        let document = try run("--driver", "linux-current", "--device", "packed", "--features", "MAC,STATUS,MTU,VERSION_1")
        #expect(try values(document)["mtu"] as? Int == 65535)
        let mtuReads = try trace(run("--driver", "linux-current", "--device", "packed", "--trace"))
            .filter { $0["event"] as? String == "config_read" && $0["field"] as? String == "mtu" }
        #expect(!mtuReads.isEmpty && mtuReads.allSatisfy { $0["offset"] as? Int == 10 && $0["bytes"] as? String == "ff ff" })
    }

    // 5: DPDK 22.11's virtio-user never offers MTU to the PMD, so nothing is dropped, and the MTU is
    // still not negotiated; its MAC read before features meets the refused set_features(0).
    @Test func dpdkOnMlx5() throws {
        let document = try run("--driver", "dpdk", "--device", "mlx5-5.12", "--bus", "vdpa", "--trace")
        #expect((document["dropped"] as? [[String: Any]])?.isEmpty == true)
        #expect((document["negotiated"] as? [String])?.contains("MTU") == false)
        let call = try #require(trace(document).first { $0["event"] as? String == "set_driver_features" })
        #expect(call["result"] as? Int == -95)
    }

    // 6
    @Test func bigEndianHost() throws {
        let old = try run("--driver", "linux-5.12", "--device", "qemu", "--host-endian", "big", "--set", "mtu=9000")
        let swapped = try reads(old, stage: "validate", field: "mtu").first
        #expect(swapped?["bytes"] as? String == "23 28" && swapped?["value"] as? Int == 0x2823)
        let fixed = try run("--driver", "linux-5.16-be", "--device", "qemu", "--host-endian", "big", "--set", "mtu=9000")
        #expect(try reads(fixed, stage: "validate", field: "mtu").first?["value"] as? Int == 9000)
    }

    // 7
    @Test func mlx5CurrentRefusesMQWithoutCtrlVQ() throws {
        let document = try run("--driver", "linux-current", "--device", "mlx5-current",
                               "--features", "-CTRL_VQ,-CTRL_VLAN,-CTRL_MAC_ADDR", "--trace")
        #expect(document["probe_failed"] as? Bool == true)
        let call = try #require(trace(document).first { $0["event"] as? String == "set_driver_features" })
        #expect(call["result"] as? Int == -22)
        #expect((call["features"] as? [String])?.contains("MQ") == true)
        #expect(document["values"] is NSNull)
    }

    // 8, a sample through the CLI (the API test covers every feature set).
    @Test(arguments: ["defaults", "+MTU,-MQ", "MAC,VERSION_1", "MAC,STATUS,SPEED_DUPLEX,VERSION_1"])
    func qemuAndCurrentLinux(features: String) throws {
        let document = try run("--driver", "linux-current", "--device", "qemu", "--features", features,
                               "--set", "mtu=4000", "--set", "status=1")
        #expect((document["violations"] as? [Any])?.isEmpty == true)
        let offered = try #require(document["offered"] as? [String])
        #expect(try values(document)["mtu"] as? Int == (offered.contains("MTU") ? 4000 : 1500))
    }

    @Test(arguments: ["text", "json", "markdown"])
    func matrixInEveryFormat(format: String) throws {
        let result = try Subprocess.cfgspace("simulate", "--matrix", "--format", format)
        #expect(result.status == 0, "\(result.stderr)")
        switch format {
        case "json":
            let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
            let rows = try #require(object?["rows"] as? [[String: Any]])
            #expect(rows.count == 70)
            let thread = rows.first { $0["driver"] as? String == "linux-5.12" && $0["device"] as? String == "mlx5-5.12" }
            #expect(thread?["differs"] as? [String] == ["mtu"])
        case "markdown":
            // The same mark as on a terminal, in bold; and the same count under the tables.
            #expect(result.stdout.contains("| linux-5.12 | mlx5-5.12 | ok | **1500\\*** |"))
            #expect(result.stdout.contains("70 scenarios;"))
        default:
            #expect(result.stdout.contains("1500*"))
            #expect(result.stdout.contains("70 scenarios;"))
        }
    }

    /// With nothing but a layout, the device type's reference driver meets the qemu model: Linux 6.1's
    /// virtio_blk for blk, and the spec read literally for a device no Linux model drives.
    @Test(arguments: [
        ("blk", "linux-6.1 probing qemu over direct", "logical_block_size"),
        ("net", "linux-current probing qemu over direct", "mtu"),
        ("can", "spec-literal probing qemu over direct", "probe       succeeded"),
    ])
    func aLayoutAloneRunsItsReferenceDriver(layout: String, title: String, value: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["simulate", "--layout", layout], in: PackagePaths.root)
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.hasPrefix(title), "\(result.stdout)")
        #expect(result.stdout.contains(value), "\(result.stdout)")
    }

    /// blk's queues follow the guest's CPUs, as init_vq caps them.
    @Test func theGuestsCPUsReachTheDriver() throws {
        let result = try Subprocess.run(Subprocess.cfgspace, ["simulate", "--layout", "blk", "--set", "num_queues=4",
                                                              "--features", "+MQ", "--cpus", "2", "--format", "json"],
                                        in: PackagePaths.root)
        #expect(result.status == 0, "\(result.stderr)")
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let values = try #require(object?["values"] as? [String: Any])
        #expect(values["queues"] as? Int == 2)
        #expect(values["disk"] as? String == "vda")
    }

    @Test func matrixIsDeterministic() throws {
        let first = try Subprocess.cfgspace("simulate", "--matrix", "--format", "json")
        let second = try Subprocess.cfgspace("simulate", "--matrix", "--format", "json")
        #expect(first.stdout == second.stdout)
    }

    @Test(arguments: [
        (["simulate", "--driver", "dpdk", "--driver", "linux-current"], 64, "give at most one --driver and one --device"),
        (["simulate", "--driver", "linux", "--device", "qemu"], 64, "Please provide one of 'linux-5.12'"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--set", "mtu"], 64, "give a field and a value"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--features", "MTU,MTX"], 64, "did you mean 'MTU'?"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--features", "+MTU,MQ"], 64, "mixes edits"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--features", "MTU", "--features", "MQ"], 64, "one --features"),
        (["simulate", "--matrix", "--bus", "vdpa"], 64, "--bus applies to one scenario"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--set", "mtux=1"], 64, "Did you mean 'mtu'?"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--set", "mtu=70000"], 64, "does not fit in virtio16"),
        (["simulate", "--driver", "dpdk", "--device", "mlx5-current", "--features", "MTU"], 1, "needs VERSION_1 and ACCESS_PLATFORM"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--layout", "Layouts/blk.layout"], 64,
         "dpdk does not drive blk; give --driver linux-6.1, --driver spec-literal."),
        (["simulate", "--device", "mlx5-5.12", "--layout", "blk"], 64, "mlx5-5.12 does not model blk; give --device qemu"),
        (["simulate", "--layout", "blk", "--cpus", "0"], 64, "give a number of CPUs from 1 to 1024"),
        (["simulate", "--driver", "dpdk", "--device", "qemu", "--layout", "nope.layout"], 1, "cannot read 'nope.layout'"),
    ] as [([String], Int32, String)])
    func badInput(arguments: [String], status: Int32, message: String) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        #expect(result.status == status, "\(result.stderr)")
        #expect(result.unwrappedStderr.contains(message), "\(result.stderr)")
        #expect(result.stdout.isEmpty)
    }
}

/// Members of a conditional struct carry its condition in every output.
@Suite struct InheritedConditionCLITests {
    @Test func tableShowsTheInheritedCondition() throws {
        let text = try Subprocess.cfgspace("table", "blk", "--features", "GEOMETRY")
        #expect(text.status == 0)
        // The row and its continuation line, where the condition may wrap.
        let lines = text.stdout.split(separator: "\n").map(String.init)
        let start = try #require(lines.firstIndex { $0.contains("geometry.cylinders") })
        let row = lines[start...].prefix(2).joined(separator: " ").split(separator: " ").joined(separator: " ")
        #expect(row.contains("if GEOMETRY (geometry)"), "\(row)")
        let json = try Subprocess.cfgspace("table", "blk", "--features", "GEOMETRY", "--format", "json")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        let fields = try #require(document["fields"] as? [[String: Any]])
        #expect(fields.first { $0["name"] as? String == "geometry.heads" }?["condition"] as? String == "if GEOMETRY (geometry)")
    }

    @Test func generatedJSONHasNoDoubledConjuncts() throws {
        let text = try String(contentsOf: PackagePaths.root.appendingPathComponent("Generated/json/blk.json"), encoding: .utf8)
        #expect(!text.contains("GEOMETRY && GEOMETRY"))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        let fields = try #require(document["fields"] as? [[String: Any]])
        let cylinders = try #require(fields.first { $0["name"] as? String == "geometry.cylinders" })
        #expect(cylinders["kind"] as? String == "exists-if")
        #expect(cylinders["condition_from"] as? String == "geometry")
        #expect(cylinders["valid_when"] as? String == "GEOMETRY")
    }
}

/// Text reports fit a hundred columns, wrapping long formulas and notes onto indented lines.
@Suite struct ReportWidthTests {
    @Test(arguments: [
        ["diff", "blk"], ["diff", "net"], ["diff", "Benchmarks/wide64.layout"], ["table", "net", "--features", "MTU"],
        ["table", "blk"], ["diff", "net", "--spec", "1.0", "--to-spec", "1.4"], ["coverage", "net"], ["simulate", "--matrix"],
        ["summary"], ["check", "Layouts/blk.layout"],
    ])
    func reportsFitAHundredColumns(arguments: [String]) throws {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        let wide: [String] = result.stdout.split(separator: "\n").map(String.init).filter { $0.count > 100 }
        let example: String = wide.first ?? ""
        #expect(wide.isEmpty, "\(arguments): \(wide.count) lines over 100 columns, such as \(example)")
        #expect(!result.stdout.isEmpty)
    }
}
