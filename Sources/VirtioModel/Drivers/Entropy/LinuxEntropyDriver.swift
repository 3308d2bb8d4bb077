import ConfigLayout

/// Linux 6.1's virtio-rng (drivers/char/hw_random/virtio-rng.c `probe_common`, `virtrng_scan`): no
/// feature table, no validate, no config_changed, and no config access at any stage, as the spec's
/// "None currently defined" asks. It negotiates only the transport bits the core keeps, sets
/// DRIVER_OK in its probe and registers with the hw_random core from `scan`, which is what a user
/// sees: /sys/class/misc/hw_random's rng_current and rng_quality.
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
        var view = DriverView()
        // virtrng_scan -> hwrng_register: the first rng becomes current (core.c `hwrng_register`); its
        // name is "virtio_rng.%d" with the index ida_simple_get gives, 0 for the first device, and its
        // quality the driver's constant 1000, which the core keeps (only 0 and above 1024 are changed).
        view.set("rng_current", .text("virtio_rng.0"))
        view.set("rng_quality", 1000)
        return DriverResult(view: view, failure: nil, unsupported: core.unsupported)
    }
}
