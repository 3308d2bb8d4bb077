import ConfigLayout

/// Linux 6.1's virtio_console (drivers/char/virtio_console.c `virtcons_probe`, `init_vqs`,
/// `config_intr`, `config_work_handler`, `resize_console`), as in Debian's 6.1.192: at probe it reads
/// max_nr_ports only under MULTIPORT and refuses 0 or more than 0x8000; cols and rows are never read
/// at probe, only by the config work after a config interrupt, and only without MULTIPORT. EMERG_WRITE
/// is not in its table, so emerg_wr is never touched.
struct LinuxConsoleDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "console",
        summary: "Linux 6.1's virtio_console: max_nr_ports under MULTIPORT, cols/rows only on a config change",
        follows: "drivers/char/virtio_console.c `virtcons_probe`, `init_vqs`, `config_intr`, `config_work_handler`",
        fields: ["max_nr_ports", "cols", "rows"], isReference: true, make: { LinuxConsoleDriver() })

    /// virtio_console's `features[]` (l.2153 in 6.1.192); there is no legacy table and no validate.
    static let featureTable = ["SIZE", "MULTIPORT"]
    /// VIRTCONS_MAX_PORTS.
    static let maximumPorts: UInt32 = 0x8000

    func probe(_ session: DriverSession) -> DriverResult {
        let core = LinuxVirtioCore.negotiate(session, table: Self.featureTable)
        if let refusal = core.refusal {
            return LinuxVirtioCore.failed(session, driver: "virtio_console", refusal, unsupported: core.unsupported)
        }
        session.stage = "virtcons_probe"
        var ports: UInt32 = 1
        let multiport = session.has("MULTIPORT")
        if multiport {
            // virtio_cread_feature(vdev, VIRTIO_CONSOLE_F_MULTIPORT, ..., max_nr_ports, &portdev->max_nr_ports)
            ports = UInt32(truncatingIfNeeded: session.readVirtio("max_nr_ports"))
            if ports == 0 || ports > Self.maximumPorts {
                // dev_err(&vdev->dev, "Invalidate max_nr_ports %d", ...): no newline, a u32 printed with %d.
                let line = "Invalidate max_nr_ports \(Int32(bitPattern: ports))"
                return LinuxVirtioCore.failed(session, driver: "virtio_console", reason: line, line: line, errno: -22,
                                              unsupported: core.unsupported)
            }
        }
        // init_vqs: "nr_queues = use_multiport(portdev) ? (nr_ports + 1) * 2 : 2", the device's own
        // queue count unchecked against it (virtio_find_vqs fails instead).
        session.note("init_vqs asks for \(multiport ? (UInt64(ports) + 1) * 2 : 2) queues")
        session.transport.addStatus(.driverOK)
        var view = DriverView()
        // One "input" queue per port, each with its own interrupt when the device has the vectors.
        view.set("max_nr_ports", UInt64(ports), from: multiport ? ["max_nr_ports"] : [])
        // Without MULTIPORT the driver adds port 0 itself, a console (`add_port(portdev, 0)`); with it,
        // ports come only in the device's PORT_ADD messages, and the devices cfgspace boots add none.
        view.set("ports", multiport ? 0 : 1)
        view.set("hvc", .text(multiport ? "none" : "hvc0"))
        return DriverResult(view: view, failure: nil, unsupported: core.unsupported)
    }

    /// `config_intr` schedules `config_work_handler` only without MULTIPORT; the handler reads cols,
    /// then rows, whether or not SIZE was negotiated, and `resize_console` applies them to hvc0 only
    /// with SIZE. A user then sees them through TIOCGWINSZ (`stty size`: rows first).
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView {
        guard view["max_nr_ports"] != nil else { return view }
        session.stage = "config changed"
        guard !session.has("MULTIPORT") else {
            // The spec's 5.3.6: a change with SIZE "indicates that the updated size can be read", for port 0
            // whatever MULTIPORT is; l.1809 ignores it in multiport mode.
            session.note("config_intr ignores a config change in multiport mode (virtio_console.c config_intr)")
            return view
        }
        let cols = session.readVirtio("cols")
        let rows = session.readVirtio("rows")
        guard session.has("SIZE") else {
            // Spec 2.5.1: "the driver MUST check that the corresponding feature is offered before
            // accessing that part of the configuration space"; config_work_handler does not.
            session.note("read cols and rows without SIZE (config_work_handler l.1825-1826); not applied")
            return view
        }
        var view = view
        view.set("size", .text("\(rows) \(cols)"), from: ["rows", "cols"])
        return view
    }
}
