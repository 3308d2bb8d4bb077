import ConfigLayout

/// Linux 6.1's virtio-rng (drivers/char/hw_random/virtio-rng.c `probe_common`, `virtrng_scan`): no
/// feature table, no validate, no config_changed, and no config access at any stage, as the spec's
/// "None currently defined" asks. It negotiates only the transport bits the core keeps, sets
/// DRIVER_OK in its probe and registers with the hw_random core from `scan`.
struct LinuxEntropyDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "entropy",
        summary: "Linux 6.1's virtio-rng: no feature table and no config access; transport bits only",
        follows: "drivers/char/hw_random/virtio-rng.c `probe_common` (the driver has no `.feature_table`)",
        isReference: true, make: { LinuxEntropyDriver() })

    func probe(_ session: DriverSession) -> DriverResult {
        let core = LinuxVirtioCore.negotiate(session, table: [])
        if let refusal = core.refusal {
            return LinuxVirtioCore.failed(session, driver: "virtio_rng", refusal, unsupported: core.unsupported)
        }
        session.stage = "probe_common"
        // virtio_find_single_vq(vdev, random_recv_done, "input"), virtio_device_ready, then the first
        // request for entropy: the one notification comes after DRIVER_OK.
        session.transport.addStatus(.driverOK)
        return DriverResult(view: DriverView(), failure: nil, unsupported: core.unsupported)
    }
}
