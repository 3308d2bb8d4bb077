import Foundation
import Testing
import TestSupport
@testable import ConfigEmit
@testable import ConfigLayout

/// The generated C keeps the names the layouts declare; the header's opening comment says when
/// Linux's UAPI header declares the same name, and `--c-prefix` makes every header live beside
/// every one of Linux's. gcc, with Linux's own headers, is the judge of both.
@Suite struct CNamingTests {
    /// Every one of Linux's virtio UAPI headers installed here, as includes.
    static func linuxIncludes() throws -> String? {
        let linux = "/usr/include/linux"
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: linux) else { return nil }
        let headers = names.filter { $0.hasPrefix("virtio_") && $0.hasSuffix(".h") }.sorted()
        return headers.isEmpty ? nil : headers.map { "#include <linux/\($0)>\n" }.joined()
    }

    static func tools() throws -> (gcc: URL, includes: String)? {
        guard let gcc = GeneratedCodeTests.tool("gcc", for: "compiling the C headers beside Linux's") else { return nil }
        guard let includes = try linuxIncludes() else {
            if Tools.areRequired { Issue.record("linux-libc-dev is required but /usr/include/linux has no virtio headers") }
            else { print("skipped: no /usr/include/linux/virtio_*.h (linux-libc-dev) to compile beside") }
            return nil
        }
        return (gcc, includes)
    }

    /// A device's header beside all of Linux's: it fails to compile exactly when its opening
    /// comment says a name clashes, and gcc names the header the comment names.
    @Test func theOpeningCommentSaysExactlyWhenLinuxDeclaresTheSameName() throws {
        guard let (gcc, includes) = try Self.tools() else { return }
        let folder = try GeneratedCodeTests.write(["c"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let c = folder.appendingPathComponent("c")
        var clashes = 0
        for header in try FileManager.default.contentsOfDirectory(atPath: c.path).sorted() where header != "transport.h" {
            let text = try String(contentsOf: c.appendingPathComponent(header), encoding: .utf8)
            let opening = text.components(separatedBy: "#ifndef").first ?? ""
            let named = opening.firstMatch(of: /Linux's <(linux\/virtio_\w+\.h)>/).map { String($0.1) }
            let source = folder.appendingPathComponent(header + ".c")
            try (includes + "#include \"\(header)\"\nint main(void) { return 0; }\n").write(to: source, atomically: true, encoding: .utf8)
            let result = try Subprocess.run(gcc, ["-std=gnu11", "-I", c.path, "-c", source.path, "-o", source.path + ".o"])
            if let named {
                clashes += 1
                #expect(result.status != 0, "\(header) says it clashes with \(named), but compiles beside it")
                #expect(result.stderr.contains("redefinition of 'struct virtio_") || result.stderr.contains("redefinition of ‘struct virtio_"),
                        "\(header): \(result.stderr)")
                #expect(result.stderr.contains(named), "\(header) names \(named); gcc says: \(result.stderr)")
            } else {
                #expect(result.status == 0, "\(header) says nothing of a clash, but:\n\(result.stderr)")
            }
        }
        #expect(clashes >= 15, "only \(clashes) headers name a clash")
    }

    /// With `--c-prefix cfgspace_`, every header at once beside every one of Linux's, warning-free.
    @Test func thePrefixLetsEveryHeaderLiveBesideLinux() throws {
        guard let (gcc, includes) = try Self.tools() else { return }
        let folder = try GeneratedCodeTests.write(["c"], options: GenerationOptions(cPrefix: "cfgspace_"))
        defer { try? FileManager.default.removeItem(at: folder) }
        let c = folder.appendingPathComponent("c")
        let headers = try FileManager.default.contentsOfDirectory(atPath: c.path).sorted()
        var program = includes + headers.map { "#include \"\($0)\"\n" }.joined()
        program += "int main(void) { struct cfgspace_virtio_net_config ours = {0}; struct virtio_net_config theirs = {0};\n"
        program += "\t(void)ours;\n\t(void)theirs;\n\treturn 0;\n}\n"
        let source = folder.appendingPathComponent("together.c")
        try program.write(to: source, atomically: true, encoding: .utf8)
        let result = try Subprocess.run(gcc, ["-std=gnu11", "-Wall", "-Wextra", "-Werror", "-I", c.path, "-c", source.path,
                                              "-o", source.path + ".o"])
        #expect(result.status == 0, "\(result.stderr)")
        let net = try String(contentsOf: c.appendingPathComponent("net.h"), encoding: .utf8)
        #expect(net.contains("struct cfgspace_virtio_net_config {"))
        #expect(net.contains("carries the prefix cfgspace_ (generate --c-prefix)"))
    }

    /// The names Linux 6.1's headers installed here declare, each in the header the table gives.
    @Test func theTableOfLinuxNamesMatchesTheInstalledHeaders() throws {
        let linux = URL(fileURLWithPath: "/usr/include/linux")
        guard FileManager.default.fileExists(atPath: linux.appendingPathComponent("virtio_net.h").path) else {
            if Tools.areRequired { Issue.record("linux-libc-dev is required but /usr/include/linux/virtio_net.h is missing") }
            return
        }
        var found = 0
        for (name, header) in LinuxUAPINames.headers.sorted(by: { $0.key < $1.key }) {
            let text = try String(contentsOf: linux.deletingLastPathComponent().appendingPathComponent(header), encoding: .utf8)
            // Linux 6.3 added the zoned characteristics; Linux 6.1's header lacks them.
            if name == "virtio_blk_zoned_characteristics" && !text.contains("VIRTIO_BLK_F_ZONED") { continue }
            #expect(text.contains("struct \(name) {"), "\(header) declares no struct \(name)")
            found += 1
        }
        #expect(found >= 21)
    }
}
