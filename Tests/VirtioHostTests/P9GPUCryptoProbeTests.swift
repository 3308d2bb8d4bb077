import Testing
import TestSupport
import VirtioModel
@testable import VirtioHost

/// The Linux 6.1 models of 9p, gpu and crypto probe QEMU's real devices over qtest, each run held
/// step for step against the same run on the qemu model set up as the probe found the device:
/// default and non-default properties, and 9p's legacy interface.
@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct P9GPUCryptoProbeTests {
    @Test(arguments: [
        "virtio-9p-pci", "virtio-9p-pci,mount_tag=hosttag", "virtio-9p-pci,disable-modern=on",
        "virtio-gpu-pci", "virtio-gpu-pci,max_outputs=3,edid=off", "virtio-crypto-pci",
    ])
    func eachModelTracesAsOnTheQEMUModel(device: String) throws {
        let result = try QEMUProbeTests.probe(device, drivers: ["linux-6.1"])
        let run = try #require(result.driverRuns.first)
        #expect(run.real.realDeviceFailure == nil)
        #expect(run.real.probeFailure == nil, "\(run.real.probeFailure ?? "")")
        #expect(run.differences.isEmpty, "\(run.differences.map { "\($0.side) #\($0.step) \($0.line)" })")
        #expect(run.real.trace.count > 10)
    }

    /// What the models read from QEMU's own devices, by value.
    @Test func theModelsReadQEMUsValues() throws {
        func view(_ device: String) throws -> [String: String] {
            try #require(try QEMUProbeTests.probe(device, drivers: ["linux-6.1"]).driverRuns.first?.real.view.texts)
        }
        #expect(try view("virtio-9p-pci,mount_tag=hosttag")["mount_tag"] == "hosttag")
        #expect(try view("virtio-9p-pci,disable-modern=on")["mount_tag"] == "cfgspace")
        let gpu = try view("virtio-gpu-pci,max_outputs=3,edid=off")
        #expect(gpu["connectors"] == "3" && gpu["edid"] == "no" && gpu["cap_sets"] == "0")
        let crypto = try view("virtio-crypto-pci")
        #expect(crypto["algorithms"] == "virtio-crypto-rsa,virtio-pkcs1-rsa,virtio_crypto_aes_cbc")
        #expect(crypto["max_size"] == "0x7fffffffffffffe7" && crypto["max_cipher_key_len"] == "64")
    }
}
