import ConfigLayout

/// The virtio core's half of a Linux 6.1 probe for a driver without `.validate`
/// (drivers/virtio/virtio.c `virtio_dev_probe`, virtio-pci's `vp_finalize_features`): reset,
/// ACKNOWLEDGE, DRIVER, the driver's table and the transport's bits, FEATURES_OK read back; and the
/// driver core's line for a probe that fails (drivers/base/dd.c `call_driver_probe`).
enum LinuxVirtioCore {
    /// Transport bits 6.1 keeps: `vring_transport_features` (drivers/virtio/virtio_ring.c), and
    /// `vp_transport_features` (RING_RESET; SR_IOV only with an SR-IOV capability, which QEMU lacks).
    static let transportFeatures = ["INDIRECT_DESC", "EVENT_IDX", "VERSION_1", "ACCESS_PLATFORM", "RING_PACKED",
                                    "ORDER_PLATFORM", "RING_RESET"]

    /// Why the core stopped before the driver's probe ran, with the errno it returns.
    struct Refusal {
        let reason: String
        let errno: Int
    }

    /// Negotiates as the core does; the offered features the table does not know, and a refusal if
    /// the core stopped. The driver's probe runs next, with the features in `session.features`.
    static func negotiate(_ session: DriverSession, table: [String]) -> (unsupported: FeatureSet, refusal: Refusal?) {
        let transport = session.transport
        transport.reset()
        transport.addStatus(.acknowledge)
        transport.addStatus(.driver)
        let offered = transport.getFeatures(windows: 2)
        session.features = offered.intersection(session.device.features(named: table + transportFeatures))
        let unsupported = offered.subtracting(session.features)
        if transport.finalizeFeatures(session.features, windows: 2) != 0 {
            return (unsupported, Refusal(reason: "virtio: device uses modern interface but does not have VIRTIO_F_VERSION_1",
                                         errno: -22))
        }
        // virtio_features_ok: on a device without VERSION_1 (legacy) there is no FEATURES_OK.
        guard session.has("VERSION_1") else { return (unsupported, nil) }
        transport.addStatus(.featuresOK)
        let status = transport.getStatus()
        if !status.contains(.featuresOK) {
            // The status it read back, in hex (virtio_features_ok).
            return (unsupported, Refusal(reason: "virtio: device refuses features: \(String(status.rawValue, radix: 16))",
                                         errno: -19))
        }
        return (unsupported, nil)
    }

    /// `negotiate` for `driver`, with the failed probe a refusal ends in: the core's own line, then
    /// the driver core's warning.
    static func negotiate(_ session: DriverSession, table: [String], driver: String) -> (unsupported: FeatureSet, failure: DriverResult?) {
        let (unsupported, refusal) = negotiate(session, table: table)
        guard let refusal else { return (unsupported, nil) }
        return (unsupported, failed(session, driver: driver, reason: refusal.reason, errno: refusal.errno, log: [refusal.reason],
                                    unsupported: unsupported))
    }

    /// The driver core's warning for a failed probe of `virtio0`; -ENODEV and -ENXIO go to
    /// pr_debug ("rejects match"), which a user does not see.
    static func probeFailedLine(driver: String, errno: Int) -> String? {
        errno == -19 || errno == -6 ? nil : "\(driver): probe of virtio0 failed with error \(errno)"
    }

    /// A failed probe: the device marked FAILED, the driver's own lines and the core's, and the
    /// view the user is left with.
    static func failed(_ session: DriverSession, driver: String, reason: String, errno: Int, log: [String] = [],
                       unsupported: FeatureSet, view: DriverView = DriverView()) -> DriverResult {
        var view = view
        view.log = log + (probeFailedLine(driver: driver, errno: errno).map { [$0] } ?? [])
        return .failed(session, reason, unsupported: unsupported, view: view)
    }
}
