import Foundation

/// Outside tools the tests use as oracles or compilers.
public enum Tools {
    /// CI sets CFGSPACE_REQUIRE_ORACLES=1 so that a missing tool fails a test instead of skipping it.
    public static var areRequired: Bool {
        ProcessInfo.processInfo.environment["CFGSPACE_REQUIRE_ORACLES"] == "1"
    }

    /// The executable named `name` on PATH, in ~/.cargo/bin (rustup's rustc) or the Swift toolchain.
    public static func find(_ name: String) -> URL? {
        let environment = ProcessInfo.processInfo.environment
        var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        folders += ["/usr/bin", "/usr/local/bin", "/opt/swift/usr/bin"]
        if let home = environment["HOME"] { folders.append(home + "/.cargo/bin") }
        return folders.map { URL(fileURLWithPath: $0).appendingPathComponent(name) }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }

    /// A fresh folder under the system's temporary directory.
    public static func temporaryFolder(_ label: String) throws -> URL {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("cfgspace-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }
}

/// A test's own failure, thrown with what went wrong.
public struct TestFailure: Error, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}
