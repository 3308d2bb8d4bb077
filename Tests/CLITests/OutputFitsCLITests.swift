import Foundation
import Testing
import TestSupport

/// Every command's text output over every built-in layout fits 100 columns and breaks no word or
/// value across lines: tables, diffs of interpretations and of versions, simulations, coverage,
/// summaries, help and usage errors.
@Suite struct OutputFitsCLITests {
    /// Runs one command and returns what does not fit, both streams, labelled with the command.
    private func problems(_ arguments: [String]) throws -> [String] {
        let result = try Subprocess.run(Subprocess.cfgspace, arguments, in: PackagePaths.root)
        let command = "cfgspace " + arguments.joined(separator: " ")
        #expect(!result.endedBySignal, "\(command) crashed: \(result.stderr)")
        return (TextFit.problems(in: result.stdout) + TextFit.problems(in: result.stderr)).map { "\(command): \($0)" }
    }

    private func check(_ commands: [[String]]) throws {
        var found: [String] = []
        for command in commands { found += try problems(command) }
        let shown = found.prefix(40).joined(separator: "\n")
        #expect(found.isEmpty, "\(found.count) lines do not fit:\n\(shown)")
    }

    /// The devices and the version each appeared in.
    static let devices: [(name: String, since: String)] = PackagePaths.deviceLayouts.map { file in
        let name = String(file.dropLast(".layout".count))
        let text = (try? String(contentsOf: PackagePaths.layout(file), encoding: .utf8)) ?? ""
        let since = text.range(of: #"since (1\.[0-9])"#, options: .regularExpression).map { String(text[$0].dropFirst(6)) }
        return (name, since ?? "1.0")
    }

    @Test(arguments: devices.map(\.name))
    func everyCommandOverEveryLayout(_ device: String) throws {
        let since = Self.devices.first { $0.name == device }?.since ?? "1.0"
        var commands: [[String]] = [
            ["table", device], ["table", device, "--interpretation", "packed", "--features", "none"],
            ["diff", device], ["diff", device, "--features", "all"],
            ["coverage", Self.path(device)], ["summary", device],
            ["simulate", "--layout", device], ["simulate", "--layout", device, "--driver", "spec-literal", "--device", "packed", "--trace"],
        ]
        if since != "1.4" { commands.append(["diff", device, "--spec", since, "--to-spec", "1.4"]) }
        try check(commands)
    }

    @Test func everyDriverAgainstEveryDeviceModel() throws {
        var commands: [[String]] = []
        for driver in ["linux-5.12", "linux-5.16-be", "linux-current", "dpdk", "spec-literal"] {
            for device in ["qemu", "packed", "mlx5-5.12", "mlx5-5.12-patched", "mlx5-current", "firecracker", "vdpasim-net"] {
                commands.append(["simulate", "--driver", driver, "--device", device])
            }
        }
        commands += [
            ["simulate", "--trace"], ["simulate", "--layout", "blk", "--driver", "linux-6.1", "--trace"],
            ["simulate", "--layout", "blk", "--driver", "linux-6.1", "--device", "packed"],
            ["simulate", "--matrix"], ["simulate", "--layout", "blk", "--matrix"],
            ["simulate", "--set", "mac=52:54:00:12:34:56", "--features", "+MTU,-MQ", "--set", "mtu=9000"],
        ]
        try check(commands)
    }

    @Test func wholeCatalogHelpAndErrors() throws {
        let layouts = PackagePaths.deviceLayouts.map { Self.path(String($0.dropLast(".layout".count))) }
        var commands: [[String]] = [["list"], ["summary"], ["coverage"] + layouts, ["check"] + layouts, ["--help"]]
        for command in ["check", "table", "diff", "coverage", "summary", "generate", "simulate", "probe", "serve", "guest",
                        "conform", "list"] {
            commands.append(["help", command])
        }
        // Usage errors and rejected input, on standard error.
        commands += [
            ["diff", "net", "--to-spec", "1.0"], ["table", "net", "--features", "NOPE"], ["simulate", "--driver", "linux-6.1"],
            ["table"], ["probe", "qemu"], ["diff", "blk", "--spec", "1.0", "--to-spec", "next"],
        ]
        try check(commands)
    }

    private static func path(_ device: String) -> String { "Layouts/\(device).layout" }
}

/// The checker itself finds what issue 23 measured before it was fixed.
@Suite struct TextFitTests {
    @Test func findsWhatDoesNotFit() {
        #expect(TextFit.problems(in: String(repeating: "x", count: 101)).count == 1)
        #expect(TextFit.problems(in: String(repeating: "x", count: 100)).isEmpty)
        // probe's PACKED READING column before: names cut mid-word, a MAC split at a colon.
        #expect(!TextFit.problems(in: "    @16 → 1, geometry.c\n    ylinders and geometry.h\n").isEmpty)
        #expect(!TextFit.problems(in: "  mac   52:54:00:12\n          :34:56\n").isEmpty)
        #expect(!TextFit.problems(in: "  new at 12..\n    15\n").isEmpty)
        // diff's hazard text before: a lone number on its own line.
        let hazard = "  speed (le32) in packed: off its 4-byte alignment in 56 of 224 sets, e.g. {SPEED_DUPLEX} puts it at\n    6\n"
        #expect(!TextFit.problems(in: hazard).isEmpty)
        #expect(TextFit.problems(in: "  seg_max   12   8..12   {SEG_MAX}: 12 → 8\n  mac  52:54:00:12:34:56  00:01:00\n").isEmpty)
    }
}
