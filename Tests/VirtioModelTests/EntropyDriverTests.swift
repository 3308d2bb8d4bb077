import Testing
@testable import ConfigLayout
@testable import VirtioModel

/// Linux 6.1's virtio-rng has no feature table and touches no config: only the transport bits the
/// virtio core keeps are negotiated (drivers/virtio/virtio.c `virtio_dev_probe`,
/// drivers/virtio/virtio_ring.c `vring_transport_features`).
@Suite struct EntropyDriverTests {
    @Test func onlyTransportBitsAndNoConfigAccess() throws {
        let prediction = try LinuxDriverHarness.predict(
            "entropy", offering: "NOTIFY_ON_EMPTY,ANY_LAYOUT,INDIRECT_DESC,EVENT_IDX,VERSION_1,RING_RESET,IN_ORDER")
        #expect(prediction.failure == nil)
        let device = try LinuxDriverHarness.device("entropy")
        // NOTIFY_ON_EMPTY, ANY_LAYOUT and IN_ORDER are neither the driver's nor kept by the transport.
        #expect(prediction.negotiated == (try device.parseFeatures("INDIRECT_DESC,EVENT_IDX,VERSION_1,RING_RESET").get()))
        #expect(prediction.featureBits == "0000000000000000000000000000110010000000100000000000000000000000")
        #expect(prediction.reads.isEmpty)
        #expect(!prediction.trace.contains { entry in
            switch entry.event {
            case .configRead, .configWrite, .generationRead: true
            default: false
            }
        })
        #expect(LinuxDriverHarness.driverOKIndex(prediction.trace) != nil)
        // What /sys/class/misc/hw_random shows: the first virtio rng, at the driver's quality of 1000.
        #expect(prediction.view.texts == ["rng_current": "virtio_rng.0", "rng_quality": "1000"])
    }

    @Test func aLegacyDeviceNeedsNoFeaturesOK() throws {
        // Without VERSION_1 the device is driven through virtio_pci_legacy: no FEATURES_OK
        // (virtio_features_ok returns at once), and the probe goes on.
        let prediction = try LinuxDriverHarness.predict("entropy", offering: "INDIRECT_DESC")
        #expect(prediction.failure == nil)
        #expect(!prediction.trace.contains { entry in
            if case .statusWrite(let status) = entry.event { return status.contains(.featuresOK) }
            return false
        })
    }
}
