import ConfigLayout

/// Linux 6.1's virtio core from the driver's match to its own probe, over virtio-pci modern: what
/// every 6.1 driver model that has no ordering of its own shares. `virtio_dev_probe`
/// (drivers/virtio/virtio.c) adds DRIVER, keeps the offered bits of the driver's table and every
/// offered transport bit, and finalizes; `vp_finalize_features` (virtio_pci_modern.c) keeps the
/// transport bits it knows and fails without VERSION_1 (a legacy device goes through
/// virtio_pci_legacy, which has neither the check nor FEATURES_OK); the driver's `validate` may clear bits,
/// which are then written again; `virtio_features_ok` sets FEATURES_OK and reads it back.
enum LinuxVirtioCore {
    /// `vring_transport_features` keeps these; `vp_transport_features` puts back RING_RESET (and SR_IOV,
    /// with an SR-IOV capability QEMU's functions lack).
    static let transportFeatures = ["INDIRECT_DESC", "EVENT_IDX", "VERSION_1", "ACCESS_PLATFORM", "RING_PACKED",
                                    "ORDER_PLATFORM", "RING_RESET"]

    /// Where the core stopped a probe: its own log line (nil when it says nothing) and the errno.
    struct Refusal {
        let line: String?
        let errno: Int
    }

    /// Negotiates for a driver with feature table `table` and an optional `validate`, leaving the
    /// features in the session. Returns the offered bits the driver never accepts, and the refusal
    /// if the core stops here.
    static func negotiate(_ session: DriverSession, table: [String],
                          validate: ((DriverSession) -> Void)? = nil) -> (unsupported: FeatureSet, refusal: Refusal?) {
        let transport = session.transport
        // register_virtio_device resets and acknowledges; virtio_dev_probe adds DRIVER.
        transport.reset()
        transport.addStatus(.acknowledge)
        transport.addStatus(.driver)
        let offered = transport.getFeatures(windows: 2)
        session.features = offered.intersection(session.device.features(named: table + transportFeatures))
        let unsupported = offered.subtracting(session.features)
        // A device without VERSION_1 is driven through virtio_pci_legacy, whose finalize takes any bits.
        if transport.finalizeFeatures(session.features, windows: 2) != 0 {
            return (unsupported, Refusal(line: "virtio: device uses modern interface but does not have VIRTIO_F_VERSION_1",
                                         errno: -22))
        }
        if let validate {
            let written = session.features
            session.stage = "validate"
            validate(session)
            // "Did validation change any features? Then write them again."
            if session.features != written {
                session.note("validate changed the features: finalize_features writes them again")
                _ = transport.finalizeFeatures(session.features, windows: 2)
            }
        }
        // virtio_features_ok: a legacy device has no FEATURES_OK.
        guard session.has("VERSION_1") else { return (unsupported, nil) }
        transport.addStatus(.featuresOK)
        if !transport.getStatus().contains(.featuresOK) {
            let status = transport.getStatus().rawValue
            return (unsupported, Refusal(line: "virtio: device refuses features: \(String(status, radix: 16))", errno: -19))
        }
        return (unsupported, nil)
    }

    /// `negotiate` for a driver without `validate`, with the failed probe a refusal ends in.
    static func negotiate(_ session: DriverSession, table: [String], driver: String) -> (unsupported: FeatureSet, failure: DriverResult?) {
        let (unsupported, refusal) = negotiate(session, table: table)
        return (unsupported, refusal.map { failed(session, driver: driver, $0, unsupported: unsupported) })
    }

    /// A probe that failed with `errno`: the device is marked FAILED and the driver core says so,
    /// except for -ENODEV and -ENXIO, which it keeps to a debug line (drivers/base/dd.c
    /// `call_driver_probe`). The guest's index of the device is its probe order, written `virtioN`.
    static func failed(_ session: DriverSession, driver: String, reason: String, line: String?, errno: Int,
                       unsupported: FeatureSet, view: DriverView = DriverView()) -> DriverResult {
        var view = view
        if let line { view.log.append(line) }
        if let failure = probeFailedLine(driver: driver, device: "virtioN", errno: errno) { view.log.append(failure) }
        return .failed(session, reason, unsupported: unsupported, view: view)
    }

    /// The driver core's line for a failed probe, or nil for -ENODEV and -ENXIO, which it keeps to a
    /// debug line (drivers/base/dd.c `call_driver_probe`).
    static func probeFailedLine(driver: String, device: String, errno: Int) -> String? {
        errno == -19 || errno == -6 ? nil : "\(driver): probe of \(device) failed with error \(errno)"
    }

    /// A refusal of the core's, as a failed probe.
    static func failed(_ session: DriverSession, driver: String, _ refusal: Refusal, unsupported: FeatureSet) -> DriverResult {
        failed(session, driver: driver, reason: refusal.line ?? "the core refused the device", line: refusal.line,
               errno: refusal.errno, unsupported: unsupported)
    }
}
