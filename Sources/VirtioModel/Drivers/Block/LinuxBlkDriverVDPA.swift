import ConfigLayout

extension LinuxBlkDriver {
    /// Predicts what Linux 6.1's virtio_blk makes of a vDPA device it reaches through virtio_vdpa
    /// (drivers/virtio/virtio_vdpa.c): the same probe as on virtio-pci, where each config read is one
    /// `vdpa_get_config` of the field's whole width and features reach the parent in one
    /// set_driver_features. virtio_vdpa keeps `vring_transport_features` only; RING_RESET, which
    /// virtio-pci adds, no vDPA simulator offers.
    static func probe(vdpa model: DeviceModel, cpus: Int) -> DriverPrediction {
        let bus = VDPABus(device: model, trace: model.trace, front: .virtioVDPA, legacyPath: true)
        let session = DriverSession(transport: bus, device: model.device,
                                    layout: Layout(device: model.device, features: model.offered, interpretation: .fixed),
                                    guestIsLittleEndian: model.guestIsLittleEndian, cpus: cpus)
        let result = LinuxBlkDriver().probe(session)
        return DriverPrediction(view: result.view, failure: result.failure, reads: session.reads, negotiated: session.features,
                                trace: model.trace.entries)
    }
}
