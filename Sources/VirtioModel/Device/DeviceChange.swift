import ConfigLayout

/// A change the device makes to its own configuration, and the generation it moves by its policy.
extension DeviceModel {
    /// The device changes a field on its own (a link going down, a new balloon target) and tells
    /// the driver, as QEMU's devices call `virtio_notify_config`: the generation moves as the
    /// policy says, by one for the notification or with the change of value. `notifies` false is a
    /// change the device makes without a notification.
    public func deviceChange(_ path: String, to value: FieldValue, notifies: Bool = true) throws(FieldValueError) {
        trace.note(.device, "\(name) changes \(path) to \(value.description)" + (notifies ? " and notifies" : ""))
        try image.set(path, value)
        // virtio_notify_config: "if (!(vdev->status & VIRTIO_CONFIG_S_DRIVER_OK)) return;".
        if generationPolicy == .notifiedAfterDriverOK, notifies, status.contains(.driverOK) {
            notifiedGeneration &+= 1
            readStateDidChange()
        }
    }
}
