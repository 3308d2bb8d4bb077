// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "cfgspace",
    products: [
        .executable(name: "cfgspace", targets: ["cfgspace"]),
        .library(name: "ConfigLayout", targets: ["ConfigLayout"]),
        .library(name: "ConfigEmit", targets: ["ConfigEmit"]),
        .library(name: "VirtioModel", targets: ["VirtioModel"]),
        .library(name: "VirtioHost", targets: ["VirtioHost"]),
    ],
    targets: [
        // "Did you mean ...?": the edit distance behind every suggestion, for the layout checker and
        // the argument parser alike. A leaf of the standard library only, so that Arguments need not
        // import ConfigLayout to spell-check an option, nor ConfigLayout import the command line's parser.
        .target(name: "Spelling"),
        // Layouts/*.layout → checked model → layouts, symbolic offsets, diffs.
        // Library/Layouts links to the repository's Layouts folder: the standard layouts, built in,
        // their bytes embedded by SwiftPM and their list written by the BuiltinLayoutIndex plugin
        // from the folder, so that a new layout file is built in with nothing else to change.
        .target(name: "ConfigLayout", dependencies: ["Spelling"], resources: [.embedInCode("Library/Layouts")],
                plugins: ["BuiltinLayoutIndex"]),
        // Writes the built-in layouts' list from Library/Layouts at build time (a shell's printf,
        // nothing to build first).
        .plugin(name: "BuiltinLayoutIndex", capability: .buildTool()),
        // Text tables, styles, JSON, the Report protocol and the report document written as text or
        // Markdown: how every layer renders its own results.
        .target(name: "Rendering"),
        // Checked model and engine results → text for people and programs, and the generated code.
        .target(name: "ConfigEmit", dependencies: ["ConfigLayout", "Rendering"]),
        // Devices serving config to negotiating drivers: images, status machines, buses, the device
        // models (QEMU, mlx5, vdpa_sim, ...) and the driver models (Linux's drivers of 14 device types,
        // DPDK, the spec read literally), each kind declared beside its code and listed once.
        .target(name: "VirtioModel", dependencies: ["ConfigLayout", "Spelling", "Rendering"]),
        // cmsg (SCM_RIGHTS), posix_spawn into a process group, and the signal handlers that kill
        // every child group: what Glibc's Swift import does not reach.
        .target(name: "CVirtioHost"),
        // The real world: supervised processes, QEMU over qtest, vhost-user, a Linux guest, compilers.
        // The only target that spawns processes or opens sockets. Probe/ holds what the qtest and
        // vhost-user probes share: the config they observe and the checks on it.
        // Guest/Image links to the repository's Guest folder: the guest's init and the script that
        // builds its image, built in so that `cfgspace guest` works from any directory.
        .target(name: "VirtioHost", dependencies: ["ConfigLayout", "Spelling", "Rendering", "VirtioModel", "CVirtioHost"],
                resources: [.embedInCode("Guest/Image")]),
        // Subcommands, options and --help from one description of each command.
        .target(name: "Arguments", dependencies: ["Spelling", "Rendering"]),
        // Argument handling, printing and writing files only.
        .executableTarget(name: "cfgspace", dependencies: ["Arguments", "Spelling", "ConfigLayout", "ConfigEmit", "Rendering", "VirtioModel",
                                                          "VirtioHost"]),
        // Hostile input from a seed: mutated and generated layouts, argument vectors, driver
        // operations. The tests run thousands of cases; the bench runs long.
        .target(name: "Fuzzing", dependencies: ["ConfigLayout", "Arguments", "VirtioModel"]),
        // Release-build benchmarks: in process, and cfgspace as a whole process (which it builds first).
        .executableTarget(name: "cfgspace-bench", dependencies: ["cfgspace", "ConfigLayout", "ConfigEmit", "VirtioModel",
                                                                "VirtioHost", "Fuzzing"]),

        // Golden files and helpers the test targets share.
        .target(name: "TestSupport", dependencies: ["ConfigLayout", "Rendering"], path: "Tests/TestSupport"),
        .testTarget(name: "ConfigLayoutTests", dependencies: ["ConfigLayout", "Spelling", "Fuzzing", "TestSupport"],
                    exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "ConfigEmitTests", dependencies: ["ConfigEmit", "ConfigLayout", "Rendering", "VirtioHost", "TestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "VirtioModelTests", dependencies: ["VirtioModel", "ConfigLayout", "Rendering", "Fuzzing", "TestSupport"]),
        .testTarget(name: "VirtioHostTests", dependencies: ["VirtioHost", "VirtioModel", "ConfigLayout", "Rendering", "TestSupport"],
                    exclude: ["Fixtures"]),
        .testTarget(name: "CLITests", dependencies: ["cfgspace", "Arguments", "ConfigLayout", "ConfigEmit", "Rendering", "VirtioModel",
                                                   "VirtioHost", "Fuzzing", "TestSupport"], exclude: ["Golden"]),
        .testTarget(name: "ArgumentsTests", dependencies: ["Arguments"]),
    ]
)
