import ConfigLayout

/// A driver model: a real driver's own sequence of status writes, feature accesses and config reads
/// and writes for one device type, and what it then shows its user. It reaches the device only
/// through the session's transport, and names fields, never offsets: the session finds them in the
/// driver's reading of the layout, as `offsetof` does.
protocol DriverModel: Sendable {
    /// How it reaches a vDPA device: the guest kernel, or user space through vhost-vdpa.
    var vdpaFront: VDPABus.Front { get }
    /// From reset to DRIVER_OK, or to the failure that stops it.
    func probe(_ session: DriverSession) -> DriverResult
    /// A config-change interrupt after a successful probe: what the driver reads again, and the
    /// view that follows.
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView
}

extension DriverModel {
    var vdpaFront: VDPABus.Front { .virtioVDPA }

    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView { view }
}

/// What a driver model's probe came to.
struct DriverResult {
    /// What the user sees; a failed probe may still show something (the features it negotiated).
    var view: DriverView
    var failure: String?
    /// Offered features the driver does not know, so never accepted.
    var unsupported: FeatureSet

    static func failed(_ session: DriverSession, _ reason: String, unsupported: FeatureSet,
                       view: DriverView = DriverView()) -> DriverResult {
        DriverResult(view: view, failure: session.fail(reason), unsupported: unsupported)
    }
}
