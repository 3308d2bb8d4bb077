/// When a device moves config_generation: the spec's rule, or QEMU's.
public enum GenerationPolicy: String, CaseIterable, Sendable {
    /// The spec read literally: every change of a configuration value moves it, a driver's own
    /// write and a change before DRIVER_OK included ("The device MUST present a changed
    /// config_generation after the driver has read a device-specific configuration value which has
    /// changed since any part of the device-specific configuration was last read", 2.5.1).
    case everyChange = "every-change"
    /// QEMU 7.2: only `virtio_notify_config` moves it, by one, and only while DRIVER_OK is set
    /// (hw/virtio/virtio.c). A device calls it for its own changes (`virtio_net_set_link_status`,
    /// `virtio_balloon_to_target`), never for a driver's write (`virtio_config_modern_write*` →
    /// set_config), and the counter survives a reset (`virtio_reset` leaves `vdev->generation`).
    case notifiedAfterDriverOK = "qemu"
}
