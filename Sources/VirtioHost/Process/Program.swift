import Foundation

/// Finds the programs VirtioHost runs: an explicit path wins, then PATH, then the usual folders.
public enum Program {
    /// The path of `name`, or `explicit` when given; a missing-program error names every place tried.
    public static func locate(_ name: String, explicit: String? = nil,
                              environment: [String: String] = ProcessInfo.processInfo.environment) throws(HostError) -> String {
        if let explicit {
            guard FileManager.default.isExecutableFile(atPath: explicit) else {
                throw HostError(.missingProgram, "'\(explicit)' is not an executable program")
            }
            return explicit
        }
        var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        for folder in ["/usr/local/bin", "/usr/bin", "/bin", "/usr/sbin", "/sbin"] where !folders.contains(folder) {
            folders.append(folder)
        }
        for folder in folders {
            let path = folder + "/" + name
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw HostError(.missingProgram, "'\(name)' is not installed (looked in \(folders.joined(separator: ":")))")
    }
}
