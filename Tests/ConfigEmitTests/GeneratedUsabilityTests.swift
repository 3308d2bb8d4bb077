import Foundation
import Testing
import TestSupport
@testable import ConfigEmit
@testable import ConfigLayout

/// The generated code as its users use it: the C headers from C++, and the Rust modules as private
/// modules of a binary that reads a config, changes a field and prints it, with no unsafe code of
/// its own, no warnings, and clippy's blessing where clippy is installed.
@Suite struct GeneratedUsabilityTests {
    @Test func cHeadersCompileAsCPlusPlus() throws {
        guard let compiler = GeneratedCodeTests.tool("g++", for: "compiling the C headers as C++") else { return }
        let folder = try GeneratedCodeTests.write(["c"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let headers = try FileManager.default.contentsOfDirectory(atPath: folder.appendingPathComponent("c").path).sorted()
        var program = headers.map { "#include \"\($0)\"\n" }.joined()
        program += """
            #include <cstdio>
            int main() {
                virtio_net_config config = {};
                config.mtu = 9000;
                static_assert(offsetof(virtio_net_config, mtu) == 10, "mtu sits at 10");
                std::printf("%u\\n", (unsigned)config.mtu);
                return 0;
            }

            """
        let source = folder.appendingPathComponent("all.cpp")
        try program.write(to: source, atomically: true, encoding: .utf8)
        let result = try Subprocess.run(compiler, ["-std=c++17", "-Wall", "-Wextra", "-Werror", "-I", folder.appendingPathComponent("c").path,
                                                   "-o", folder.appendingPathComponent("all").path, source.path])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(headers.count == PackagePaths.deviceLayouts.count + 1)
    }

    /// What a rust-vmm user writes: private modules, from_bytes, accessors, feature masks, printing;
    /// and one device's field handed to another's, which compiles only if both use one `Le16`.
    static let rustProgram = """
        mod le;
        mod net;
        mod blk;

        fn main() {
            let bytes = [0x52, 0x54, 0, 0x12, 0x34, 0x56, 1, 0, 1, 0, 0x28, 0x23];
            let mut config = net::VirtioNetConfig::from_bytes(&bytes);
            println!("{} {:?}", config.mtu, config.status);
            config.mtu.set(1500);
            assert_eq!(&config.as_bytes()[10..12], &[0xdc, 0x05]);
            let features = net::F_MTU | net::F_MAC;
            assert!(net::mtu_present(features) && !net::max_virtqueue_pairs_present(features));
            assert_eq!(net::qemu_config_size(features), 12);
            let mut disk = blk::VirtioBlkConfig::zeroed();
            println!("{:?} {}", disk.topology, blk::CONFIG_SIZE);
            disk.num_queues = config.max_virtqueue_pairs;
            let shared: le::Le16 = disk.num_queues;
            assert_eq!(shared, net::Le16::new(1));
        }

        """

    @Test func rustModulesServeABinaryWithoutWarnings() throws {
        guard let rustc = GeneratedCodeTests.tool("rustc", for: "compiling the Rust modules into a binary") else { return }
        let folder = try GeneratedCodeTests.write(["rust"])
        defer { try? FileManager.default.removeItem(at: folder) }
        let rust = folder.appendingPathComponent("rust")
        let source = rust.appendingPathComponent("main.rs")
        try Self.rustProgram.write(to: source, atomically: true, encoding: .utf8)
        let binary = folder.appendingPathComponent("reader")
        let compile = try Subprocess.run(rustc, ["--edition", "2021", "-D", "warnings", "-o", binary.path, source.path])
        #expect(compile.status == 0, "\(compile.stderr)")
        guard compile.status == 0 else { return }
        let run = try Subprocess.run(binary, [])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.hasPrefix("9000 1\n"), "\(run.stdout)")
        #expect(!(try String(contentsOf: source, encoding: .utf8)).contains("unsafe"))

        // clippy, where it is installed (rustup's clippy-driver), over the binary and the modules as one crate.
        guard let clippy = Tools.find("clippy-driver") else {
            print("skipped: clippy-driver is not installed; the modules were checked with rustc -D warnings only")
            return
        }
        let linted = try Subprocess.run(clippy, ["--edition", "2021", "-D", "warnings", "-o", binary.path + "-clippy", source.path])
        #expect(linted.status == 0, "clippy: \(linted.stderr)")
        let crate = try Subprocess.run(clippy, ["--edition", "2021", "--crate-type", "lib", "--crate-name", "virtio_config",
                                                "-D", "warnings", "--out-dir", folder.path, rust.appendingPathComponent("mod.rs").path])
        #expect(crate.status == 0, "clippy on the modules as one crate: \(crate.stderr)")
    }
}
