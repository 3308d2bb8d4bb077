import ConfigLayout

/// Linux 6.1's virtio-gpu DRM driver (drivers/gpu/drm/virtio/virtgpu_drv.c `virtio_gpu_probe`,
/// virtgpu_kms.c `virtio_gpu_init` and `virtio_gpu_config_changed_work_func`; no config access changed
/// up to Debian's 6.1.192): at probe num_scanouts, clamped to 16 and refused at 0, then num_capsets
/// with no feature guard; events_read only on a config change, after which events_clear is always
/// written, 0 when no DISPLAY event was pending. blob_alignment is never read.
struct LinuxGPUDriver: DriverModel {
    static let kind = DriverKind(
        name: "linux-6.1", layout: "gpu",
        summary: "Linux 6.1's virtio_gpu: num_scanouts clamped to 16 and refused at 0; events_read on a change, "
            + "events_clear always written",
        follows: "drivers/gpu/drm/virtio/virtgpu_kms.c `virtio_gpu_init`, `virtio_gpu_config_changed_work_func`",
        fields: ["events_read", "events_clear", "num_scanouts", "num_capsets"], isReference: true, make: { LinuxGPUDriver() })

    /// virtgpu_drv.c's `features[]`: VIRGL only on a little-endian guest ("#ifdef __LITTLE_ENDIAN").
    static func featureTable(littleEndian: Bool) -> [String] {
        (littleEndian ? ["VIRGL"] : []) + ["EDID", "RESOURCE_UUID", "RESOURCE_BLOB", "CONTEXT_INIT"]
    }
    /// VIRTIO_GPU_MAX_SCANOUTS.
    static let maximumScanouts: UInt32 = 16

    func probe(_ session: DriverSession) -> DriverResult {
        let core = LinuxVirtioCore.negotiate(session, table: Self.featureTable(littleEndian: session.guestIsLittleEndian))
        if let refusal = core.refusal {
            return LinuxVirtioCore.failed(session, driver: "virtio_gpu", refusal, unsupported: core.unsupported)
        }
        session.stage = "virtio_gpu_init"
        // kms.c l.128-129: "if (!virtio_has_feature(vdev, VIRTIO_F_VERSION_1)) return -ENODEV;", which
        // the driver core keeps to a debug line.
        guard session.has("VERSION_1") else {
            return LinuxVirtioCore.failed(session, driver: "virtio_gpu", reason: "virtio_gpu_init: no VERSION_1 (-ENODEV)",
                                          line: nil, errno: -19, unsupported: core.unsupported)
        }
        let flag = { (feature: String) in session.has(feature) ? "+" : "-" }
        // The shared-memory region for host-visible blobs is a PCI capability QEMU's virtio-gpu-pci
        // lacks; the model has none.
        var log = ["[drm] features: \(flag("VIRGL"))virgl \(flag("EDID"))edid \(flag("RESOURCE_BLOB"))resource_blob -host_visible",
                   "[drm] features: \(flag("CONTEXT_INIT"))context_init"]
        session.note("virtio_find_vqs: \"control\", \"cursor\"")
        // l.222-231: num_scanouts, min'd with 16, refused at 0; the log line prints the raw value with %d.
        let scanouts = UInt32(truncatingIfNeeded: session.readLittleEndian("num_scanouts"))
        let clamped = min(scanouts, Self.maximumScanouts)
        guard clamped != 0 else {
            let line = "[drm:virtio_gpu_init [virtio_gpu]] *ERROR* num_scanouts is zero"
            var view = DriverView()
            view.log = log
            return LinuxVirtioCore.failed(session, driver: "virtio_gpu", reason: "num_scanouts is zero", line: line, errno: -22,
                                          unsupported: core.unsupported, view: view)
        }
        if scanouts > Self.maximumScanouts {
            // Spec 5.7.4: "maximum value is 16"; the driver clamps instead of refusing.
            session.note("num_scanouts \(scanouts) is past 16: clamped to 16 without a word (virtgpu_kms.c l.224)")
        }
        log.append("[drm] number of scanouts: \(Int32(bitPattern: scanouts))")
        // l.233-235: num_capsets, read whatever VIRGL says.
        let capsets = UInt32(truncatingIfNeeded: session.readLittleEndian("num_capsets"))
        log.append("[drm] number of cap sets: \(Int32(bitPattern: capsets))")
        if capsets != 0 && !session.has("VIRGL") {
            session.note("num_capsets \(capsets) without VIRGL: GET_CAPSET_INFO is sent for each all the same")
        }
        // l.237-243: connectors for every scanout, then DRIVER_OK inside probe.
        session.transport.addStatus(.driverOK)
        if capsets != 0 {
            session.note("virtio_gpu_get_capsets: one GET_CAPSET_INFO each, 5 s apiece; debugfs counts them only if all answer")
        }
        var view = DriverView()
        view.set("connectors", UInt64(clamped), from: ["num_scanouts"])
        view.set("scanouts", UInt64(clamped), from: ["num_scanouts"])
        view.set("cap_sets", UInt64(capsets), from: ["num_capsets"])
        view.set("virgl", .text(session.has("VIRGL") ? "yes" : "no"))
        view.set("edid", .text(session.has("EDID") ? "yes" : "no"))
        view.set("logged_scanouts", .text(String(Int32(bitPattern: scanouts))), from: ["num_scanouts"])
        view.set("logged_cap_sets", .text(String(Int32(bitPattern: capsets))), from: ["num_capsets"])
        view.log = log
        return DriverResult(view: view, failure: nil, unsupported: core.unsupported)
    }

    /// `virtio_gpu_config_changed` (virtgpu_drv.c l.124-130) schedules the work, which reads events_read
    /// and, for a DISPLAY event, asks for EDIDs and display info and re-detects the connectors; it then
    /// writes events_clear, 1 for DISPLAY and 0 otherwise. Other event bits are never cleared.
    func configChanged(_ session: DriverSession, view: DriverView) -> DriverView {
        guard view["scanouts"] != nil else { return view }
        session.stage = "config changed"
        let events = session.readLittleEndian("events_read")
        let display = events & 1 != 0
        if display {
            session.note("DISPLAY event: GET_EDID per scanout (with EDID), GET_DISPLAY_INFO, drm_helper_hpd_irq_event")
        }
        if events & ~1 != 0 {
            session.note("event bits 0x\(String(events & ~1, radix: 16)) are not DISPLAY: ignored and never cleared")
        }
        // The spec defines only writing 1s to events_clear; the driver writes 0 too.
        if !display { session.note("events_clear written with 0 (virtgpu_kms.c l.53-54)") }
        session.write("events_clear", display ? 1 : 0)
        // What a user sees changes only through the connectors' new status and modes, which come from
        // the device's answers to GET_DISPLAY_INFO, not from the config.
        return view
    }
}
