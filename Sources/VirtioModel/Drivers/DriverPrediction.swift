import ConfigLayout

/// What a driver model predicts a guest's driver makes of a device that presents given bytes: the
/// view its user sees, every config read at the offset the driver's `offsetof` gives, the features
/// it negotiated and the whole trace. A real guest running the same driver is the check on it.
public struct DriverPrediction: Sendable {
    public var view: DriverView
    public var failure: String?
    public var reads: [DriverRead]
    public var negotiated: FeatureSet
    public var trace: [TraceEntry]

    /// The negotiated bits as `features_show` prints them: 64 characters, '1' for each bit from bit 0
    /// (drivers/virtio/virtio.c).
    public var featureBits: String { Self.featureBits(negotiated) }

    public static func featureBits(_ features: FeatureSet) -> String {
        String((0..<64).map { features.contains($0) ? "1" : "0" })
    }
}

extension DriverKind {
    /// Predicts what a guest with `cpus` CPUs makes of a device that offers `offered` and presents
    /// `presented` as its configuration (all ones past it), over virtio-pci; with `changed`, the
    /// bytes it presents after a config change, which the driver's handler then reads.
    public func predict(device: Device, offered: FeatureSet, presented: [UInt8], changed: [UInt8]? = nil, cpus: Int = 1,
                        label: String = "presented device") -> DriverPrediction {
        let trace = Trace()
        let port = PresentedRegisters(label: label, offered: offered, bytes: presented)
        let remote = RemoteDevice(port: port, name: label, device: device, offered: offered, configSize: presented.count,
                                  configBytes: presented, trace: trace)
        let transport = PCITransport(device: remote, trace: trace)
        let session = DriverSession(transport: transport, device: device,
                                    layout: Layout(device: device, features: offered, interpretation: .fixed),
                                    guestIsLittleEndian: true, cpus: cpus)
        let driver = model
        let result = driver.probe(session)
        var view = result.view
        if let changed, result.failure == nil {
            port.present(changed)
            view = driver.configChanged(session, view: view)
        }
        return DriverPrediction(view: view, failure: result.failure, reads: session.reads, negotiated: session.features,
                                trace: trace.entries)
    }
}
