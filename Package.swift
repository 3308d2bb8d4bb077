// swift-tools-version: 6.0
import PackageDescription

let package = Package(
    name: "cfgspace",
    products: [
        .executable(name: "cfgspace", targets: ["cfgspace"]),
        .library(name: "ConfigLayout", targets: ["ConfigLayout"]),
        .library(name: "ConfigEmit", targets: ["ConfigEmit"]),
    ],
    targets: [
        // Layouts/*.layout → checked model → layouts, symbolic offsets, diffs.
        .target(name: "ConfigLayout"),
        // Checked model and engine results → text for people and programs.
        .target(name: "ConfigEmit", dependencies: ["ConfigLayout"]),
        // Argument parsing and printing only.
        .executableTarget(name: "cfgspace", dependencies: ["ConfigLayout", "ConfigEmit"]),

        // Golden files and helpers the test targets share.
        .target(name: "TestSupport", path: "Tests/TestSupport"),
        .testTarget(name: "ConfigLayoutTests", dependencies: ["ConfigLayout", "TestSupport"],
                    exclude: ["Golden", "Fixtures"]),
        .testTarget(name: "ConfigEmitTests", dependencies: ["ConfigEmit", "ConfigLayout", "TestSupport"],
                    exclude: ["Golden"]),
        .testTarget(name: "CLITests", dependencies: ["cfgspace", "ConfigLayout", "TestSupport"], exclude: ["Golden"]),
    ]
)
