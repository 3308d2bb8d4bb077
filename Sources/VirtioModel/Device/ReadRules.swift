import ConfigLayout

/// The rules a config read is held to (the spec's "Device Configuration Space" and "Device
/// Initialization", virtio-spec-config.md): reads past the end, of fields not offered or not
/// negotiated, before FEATURES_OK, of values out of range, and of a config that changed while
/// config_generation stood still.
extension DeviceModel {
    /// The rules a config read can break, judged on the device's own layout.
    func audit(offset: Int, count: Int, outcome: ReadOutcome, field: String?) {
        // A read inside the space, of fields no rule can object to now, with the image as the
        // last read saw it: only the generation moves on.
        if outcome == .served, lastRead?.revision == imageRevision,
           readCache.isQuiet(offset: offset, count: count, mask: {
               let image = self.image
               return ReadCache.mask(image) { readMayBreakARule($0, in: image) }
           }) {
            let generation = configGeneration()
            lastRead?.generation = generation
            if !trace.recordsAccesses && generationFollowsImage && servesImage {
                readCache.settle(size: configSize, bytes: readCache.bytes(encoding()) { image.bytes($0) })
            }
            return
        }
        if outcome != .served && offset >= 0 {
            let what = field.map { "read of \($0)" } ?? "\(count)-byte read at offset \(offset)"
            trace.violation(.readsPastTheEnd, "a \(what) reaches past the end of \(name)'s \(configSize)-byte "
                            + "configuration space")
        }
        let current = image
        let touched = current.fields(overlapping: offset, count: count).filter { !$0.field.isReserved }
        for placed in touched {
            let path = placed.path
            if let existence = placed.field.existence, existence.basis == .negotiated {
                if !status.contains(.featuresOK) || !device.holds(existence.condition, in: driverFeatures) {
                    trace.violation(.readsUnnegotiatedField, "read \(path), which exists once \(existence.condition) is negotiated")
                }
            } else if !placed.exists {
                trace.violation(.readsUnofferedField, "read \(path) (offset \(placed.offset ?? 0)), but \(name) does not "
                                + "offer \(placed.field.existence.map { "\($0.condition)" } ?? "its feature")")
            }
            if let after = placed.field.readableAfter, !status.contains(after) {
                trace.violation(.readsBeforeFeaturesOK, "read \(path) before \(after)")
            }
            if outcome == .served, placed.exists, placed.isValid, let problem = current.rangeProblem(placed) {
                trace.violation(.valueOutOfRange, "while offering " + (placed.field.existence.map { "\($0.condition)" } ?? path)
                                + ", \(name) served a value out of range: \(problem)")
            }
        }
        guard outcome == .served else { return }
        let generation = configGeneration()
        if let last = lastRead, last.generation == generation, last.revision != imageRevision {
            for change in current.changes(since: last.values, among: touched) {
                trace.violation(.configChangedWithoutGeneration,
                                "\(change.path) changed from \(change.from?.description ?? "0") to "
                                + "\(change.to?.description ?? "0") since the driver last read the config, "
                                + "but config_generation stayed \(generation)")
            }
        }
        lastRead = LastRead(values: current.values, generation: generation, revision: imageRevision)
    }
}
