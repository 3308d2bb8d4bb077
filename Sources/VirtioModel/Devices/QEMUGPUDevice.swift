import ConfigLayout

/// QEMU's virtio-gpu (hw/display/virtio-gpu.c) on QEMU's virtio core (`QEMUDevice`): a write reaching
/// events_clear goes through `virtio_gpu_set_config`, which clears those bits of events_read
/// ("if (vgconfig->events_clear) g->virtio_config.events_read &= ~vgconfig->events_clear") and keeps
/// nothing else, so events_clear reads back 0 (`virtio_gpu_get_config` copies QEMU's own struct, in
/// which it stays 0). No notification follows, so the generation does not move.
final class QEMUGPUDevice: QEMUDevice {
    init(device: Device, parameters: DeviceParameters, trace: Trace) throws(ScenarioError) {
        let image = try parameters.image(of: device, interpretation: .fixed)
        super.init(name: "qemu", device: device, offered: parameters.offered, image: image,
                   configSize: Self.size(image, parameters.qemuProperties), pastEnd: parameters.pastEnd ?? .allOnes,
                   guestIsLittleEndian: parameters.guestIsLittleEndian, trace: trace)
    }

    override func writeConfig(offset: Int, bytes: [UInt8], field: String?, by party: Party = .driver) {
        super.writeConfig(offset: offset, bytes: bytes, field: field, by: party)
        guard let placed = image.field("events_clear"), let start = placed.offset, offset >= 0,
              offset <= configSize - bytes.count, offset < start + placed.size, offset + bytes.count > start else { return }
        // `virtio_config_modern_write*` stores the bytes over the last get_config copy, whose
        // events_clear is 0; set_config then reads the whole word.
        var word = [UInt8](repeating: 0, count: placed.size)
        for (index, byte) in bytes.enumerated() where (start..<start + placed.size).contains(offset + index) {
            word[offset + index - start] = byte
        }
        let clear = DriverSession.number(word, littleEndian: true)
        do {
            try image.setKeepingGeneration("events_clear", .integer(0))
            if clear != 0, case .integer(let events)? = image.value("events_read") {
                try image.setKeepingGeneration("events_read", .integer(events & ~clear))
            }
        } catch {
            trace.violation(.valueOutOfRange, "\(name) could not clear its events: \(error.description)")
        }
        // The driver's own write is no change the generation must announce.
        if let last = lastRead { lastRead = LastRead(values: image.values, generation: last.generation, revision: imageRevision) }
    }
}
