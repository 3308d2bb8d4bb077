import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// The generic-kernel guest image (9p, DRM and virtio-crypto are not in the cloud kernel), built once
/// per run beside the cloud one in GuestFixture's cache.
enum GenericGuestFixture {
    static let image: Result<GuestImage, HostError> = Result { () throws(HostError) in
        try GuestImage.ensure(kernel: .generic, cache: GuestFixture.cache)
    }

    static var isAvailable: Bool {
        guard QEMUAvailability.isInstalled, case .success = image else { return false }
        return true
    }
}

/// A real Linux 6.1 guest's own 9pnet_virtio, virtio_gpu and virtio_crypto read QEMU's devices made
/// with properties that change their config, in one boot of Debian's generic kernel, beside
/// cfgspace's models run against the same devices over qtest.
@Suite(.enabled(if: GenericGuestFixture.isAvailable || Tools.areRequired,
                "needs qemu-system-x86_64 and the generic guest image (Guest/build-image CACHE generic: apt-get download, dpkg-deb, cpio, gcc); .ci/run installs and builds them"))
struct P9GPUCryptoGuestTests {
    @Test func nonDefaultPropertiesAgreeInOneBoot() throws {
        let devices = try [("p9", "virtio-9p-pci,mount_tag=hosttag"), ("gpu", "virtio-gpu-pci,max_outputs=3,edid=off"),
                           ("crypto", "virtio-crypto-pci")].map { name, spec in (try #require(GuestDevice.named(name)), Optional(spec)) }
        let result = try GuestDeviceRun.run(.init(devices: devices, image: try GenericGuestFixture.image.get(), cpus: 2))
        for pid in [result.qemuProcess] + result.probes.map(\.qemuProcess) {
            #expect(ProcessTable.isGone(pid), "process \(pid) outlived the guest run")
        }
        let differing = result.rows.filter { !$0.agrees }.map { "\($0.device) \($0.name): \($0.predicted) / \($0.guest)" }
        #expect(result.agrees, "\(differing); console: \(result.report.console.suffix(5))")
        let report = result.report
        #expect(report.value("kernel")?.hasSuffix("-amd64") == true && report.value("kernel")?.contains("cloud") == false)
        // The tag the driver read, with its NUL, and a mount of it that reads the shared file.
        #expect(report.value("p9.mount_tag") == "hosttag" && report.value("p9.mount_tag_bytes") == "8")
        #expect(report.value("p9.mounted") == P9GuestDevice.sharedFile.line)
        #expect(report.value("gpu.connectors") == "3" && report.value("gpu.edid") == "no")
        #expect(report.value("crypto.algorithms") == "virtio-crypto-rsa, virtio-pkcs1-rsa, virtio_crypto_aes_cbc")
        #expect(report.value("crypto.max_size") == "0x7fffffffffffffe7")
    }
}

/// vsock fed by serve through QEMU's vhost-user-vsock-pci: the guest's ioctl answers the low 32 bits
/// of the guest_cid serve holds, under both interpretations (vsock has no conditional field, so
/// packed moves nothing); a CID changed on serve while the guest runs raises a config interrupt,
/// which the driver ignores.
@Suite(.enabled(if: GuestFixture.isAvailable || Tools.areRequired,
                "needs qemu-system-x86_64 and the guest image (Guest/build-image: apt-get download, dpkg-deb, cpio, gcc); .ci/run installs and builds them"))
struct VsockGuestTests {
    @Test(arguments: [(Interpretation.fixed, nil, UInt64(42)), (.packed, UInt64(7), 7), (.fixed, 0xffff_fff0, 0xffff_fff0)])
    func theGuestsCIDIsWhatTheModelPredicts(interpretation: Interpretation, cid: UInt64?, local: UInt64) throws {
        let device = try #require(GuestDevice.named("vsock"))
        let vsock = try ProbeTarget.builtinLayout(forID: 19, likely: "vsock")
        let options = FedOptions(layout: (vsock.path, vsock.device.asOf(nil)), interpretation: interpretation,
                                 image: try GuestFixture.get(), cpus: 2, qemu: nil,
                                 values: cid.map { [(path: "guest_cid", value: FieldValue.integer($0))] } ?? [])
        let result = try GuestFedRun.run(device, options)
        #expect(ProcessTable.isGone(result.qemuProcess), "QEMU outlived the guest run")
        let differing = result.rows.filter { !$0.agrees }.map { "\($0.name): \($0.predicted) / \($0.guest)" }
        #expect(result.agrees, "\(differing); console: \(result.report.console.suffix(5))")
        #expect(result.report.value("vsock.local_cid") == String(local))
        #expect(result.report.value("vsock.probe") == "ok")
        // serve changed guest_cid while the guest ran: the config interrupt came, the CID stayed.
        #expect(result.report.value("vsock.changed.interrupt") == "seen")
        #expect(result.report.value("vsock.changed.local_cid") == String(local))
    }
}
