import ConfigLayout

/// QEMU's virtio-input (`hw/input/virtio-input.c`) on QEMU's virtio core (`QEMUDevice`): select and
/// subsel choose one entry of the device's fixed tables, and every read serves that entry
/// (`QEMUSelectorState`). The config length is 8 bytes of header and the largest entry.
final class QEMUSelectorDevice: QEMUDevice {
    /// input's select and subsel, answered as QEMU's virtio-input answers them.
    private var selection: QEMUSelectorState

    /// A model only for a device with a selector and something to serve through it; nil otherwise.
    init?(selecting device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        guard let state = QEMUSelectorState(device: device, layout: image.layout, contents: parameters.selections) else {
            return nil
        }
        selection = state
        super.init(name: "qemu", device: device, offered: parameters.offered, image: image,
                   configSize: state.configSize(image.layout), pastEnd: parameters.pastEnd ?? .allOnes,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }

    /// A read refreshes the config from the chosen entry (`virtio_input_get_config`), zeros when there
    /// is none; the reads themselves are every device's.
    override func serveConfig(offset: Int, into buffer: inout [UInt8]) -> ReadOutcome {
        let found = selection.isFound
        selection.didRead()
        let outcome = super.serveConfig(offset: offset, into: &buffer)
        if outcome == .served && !found { buffer = [UInt8](repeating: 0, count: buffer.count) }
        return outcome
    }

    /// A selection's bytes depend on the last read as well as the image, so no read is served from a
    /// steady copy.
    override var servesImage: Bool { false }

    /// `virtio_input_set_config` takes select and subsel from the config copy; QEMU drops every other
    /// write (the driver-writable fields are only these two).
    override func storeConfig(offset: Int, bytes: [UInt8]) {
        guard selection.take(offset: offset, bytes: bytes) else { return super.storeConfig(offset: offset, bytes: bytes) }
        do {
            try selection.apply(to: &image)
        } catch {
            trace.violation(.valueOutOfRange, "\(name) could not hold the selection: \(error.description)")
        }
    }
}
