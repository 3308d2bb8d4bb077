import ConfigLayout
import Foundation
import VirtioModel

/// What a QEMU device needs beside its `-device` value in a guest: QEMU arguments (`-netdev ...`)
/// and properties for the device itself (`netdev=...`), a back-end process running beside QEMU
/// (virtiofsd), and whether QEMU's guest memory must be shareable. The qtest probe of the device
/// gets the same; a property the `-device` value gives itself wins over the backend's.
public struct QEMUBackend: Sendable {
    public var arguments: [String]
    public var properties: [String]
    /// Starts the back-end process; called once for the probe and once for the guest, each started
    /// process stopped after its QEMU.
    var daemon: (@Sendable () throws(HostError) -> any BackendDaemon)?
    /// A vhost-user back-end maps guest memory: QEMU's RAM must be a shareable memfd.
    var sharedMemory: Bool

    public init(arguments: [String] = [], properties: [String] = []) {
        self.arguments = arguments
        self.properties = properties
        daemon = nil
        sharedMemory = false
    }

    init(arguments: [String], properties: [String], sharedMemory: Bool,
         daemon: (@Sendable () throws(HostError) -> any BackendDaemon)?) {
        self.arguments = arguments
        self.properties = properties
        self.sharedMemory = sharedMemory
        self.daemon = daemon
    }
}

/// A process a device's back-end runs beside QEMU.
protocol BackendDaemon: AnyObject {
    /// Its process, for a check that it has gone.
    var pid: Int32 { get }
    /// Stops it; safe to call again.
    func stop()
}

extension VirtioFSDaemon: BackendDaemon {
    var pid: Int32 { process.pid }
}

/// A change to a QEMU device's config while the guest runs, made with a QMP command once the guest's
/// reporter says `NAME.waiting` (it is told to wait by `cfgspace.NAME.change=1`); it then reports
/// the driver's view again under `NAME.changed.ENTRY`, which the driver model's `configChanged`
/// predicts from the probed config with `fields` set.
public struct RuntimeChange: Sendable {
    /// The QMP command and its arguments, for a guest of this much memory, the device's QOM id and
    /// what the model predicted the driver made of the device before the change.
    let command: @Sendable (_ memoryMiB: Int, _ id: String, _ before: DriverView) -> (name: String, arguments: [String: any Sendable])
    /// The config fields the command sets, and their new values (little-endian, as a modern device
    /// serves them), given what the model predicted the driver made of the device before the change.
    let fields: @Sendable (_ memoryMiB: Int, _ before: DriverView) -> [(field: String, value: UInt64)]
}

/// What a fed device is started with in a guest matrix.
public struct FedOptions: Sendable {
    /// The layout cfgspace feeds, as the caller loaded it (the user's, or the built-in one).
    public var layout: (path: String, device: Device)
    public var interpretation: Interpretation
    /// The image the guest boots (a fed run of its own boots it itself).
    public var image: GuestImage
    public var cpus: Int
    public var qemu: String?
    /// Values set by hand over the device's own (`--set`), and the features it offers (nil: its own).
    public var values: [(path: String, value: FieldValue)]
    public var features: FeatureSet?

    public init(layout: (path: String, device: Device), interpretation: Interpretation, image: GuestImage, cpus: Int,
                qemu: String?, values: [(path: String, value: FieldValue)] = [], features: FeatureSet? = nil) {
        self.layout = layout
        self.interpretation = interpretation
        self.image = image
        self.cpus = cpus
        self.qemu = qemu
        self.values = values
        self.features = features
    }
}

/// A device type a real Linux guest's own driver reads, as `cfgspace guest --device NAME` and the
/// guest matrix use it: which kernel has its driver, how QEMU presents it, and how the guest's
/// reporter (`Guest/devices/NAME.sh`) names what the driver shows. Each type declares itself in a file
/// of its own; `all` lists them.
public struct GuestDevice: Sendable {
    /// How QEMU presents the device to the guest.
    enum Presentation: Sendable {
        /// QEMU's own device, made from a `-device` value; the driver model runs against the same
        /// device over qtest first. `backend` gives what the device needs in the guest (a netdev, a
        /// memory backend, a shared folder), given a scratch folder for its files and the device's id.
        case qemu(defaultDevice: String, backend: @Sendable (_ scratch: String, _ id: String) -> QEMUBackend)
        /// Fed by cfgspace over vhost-user (blk behind the interposer, vsock behind serve): `make`
        /// starts what feeds it under an interpretation.
        case fed(make: @Sendable (FedOptions) throws(HostError) -> any GuestParticipant)
    }

    /// The layout's name, which is also the reporter's: `console`.
    public let name: String
    /// The kernel flavour that builds its driver.
    public let kernel: GuestKernel
    let presentation: Presentation
    /// The driver model that predicts what the guest shows.
    public let driver: String
    /// The key the guest reports a view entry under, when it is not `NAME.ENTRY`.
    let keys: [String: String]
    /// The view entries to hold against the guest; nil for every one.
    let compared: [String]?
    /// What the guest machine needs beyond the default (more memory for virtio-mem, say).
    public let memoryMiB: Int?
    /// How far above the device-memory base (4 GiB on a pc with less than 3.5 GiB of RAM) the
    /// device's memory reaches: the machine's `maxmem` beyond its RAM (virtio-mem, virtio-pmem).
    public let deviceMemoryMiB: Int?
    /// Whether the driver's kernel log lines (the reporter's NAME.dmesg, without a "driver virtioN: "
    /// prefix) are held against the model's too.
    let comparesLog: Bool
    /// `cfgspace.NAME.OPTION=VALUE` words the reporter needs from the prediction (the tag virtiofs
    /// must mount), given the key prefix the reporter reports under (`fs`, `fs2`).
    let reporterArguments: (@Sendable (_ prefix: String, _ predicted: Outcome) -> [String])?
    /// A config change to make while the guest runs, for a QEMU device whose driver reacts to one.
    let change: RuntimeChange?
    /// What the guest cannot show of the driver's behaviour, and why; the output says so.
    public let unshown: String?
    /// What the guest's kernel is booted with for the driver model to hold (`init_on_free=1`).
    let kernelArguments: [String]

    init(name: String, kernel: GuestKernel = .cloud, presentation: Presentation, driver: String = "linux-6.1",
         keys: [String: String] = [:], compared: [String]? = nil, memoryMiB: Int? = nil, deviceMemoryMiB: Int? = nil,
         comparesLog: Bool = false, reporterArguments: (@Sendable (_ prefix: String, _ predicted: Outcome) -> [String])? = nil,
         change: RuntimeChange? = nil, unshown: String? = nil, kernelArguments: [String] = []) {
        self.name = name
        self.kernel = kernel
        self.presentation = presentation
        self.driver = driver
        self.keys = keys
        self.compared = compared
        self.memoryMiB = memoryMiB
        self.deviceMemoryMiB = deviceMemoryMiB
        self.comparesLog = comparesLog
        self.reporterArguments = reporterArguments
        self.change = change
        self.unshown = unshown
        self.kernelArguments = kernelArguments
    }

    /// The key the guest reports a value under.
    func key(_ entry: String) -> String { keys[entry] ?? "\(name).\(entry)" }

    /// Every device type a guest can read, in the order the matrix shows them.
    public static let all: [GuestDevice] = [BlkGuestDevice.device, NetGuestDevice.device]
        + [ConsoleGuestDevice.device, EntropyGuestDevice.device, BalloonGuestDevice.device, SCSIGuestDevice.device]
        + [InputGuestDevice.device, MemGuestDevice.device, PmemGuestDevice.device, FSGuestDevice.device]
        + [P9GuestDevice.device, GPUGuestDevice.device, CryptoGuestDevice.device, VsockGuestDevice.device]

    public static func named(_ name: String) -> GuestDevice? { all.first { $0.name == name } }

    /// Whether cfgspace feeds it over vhost-user (else QEMU makes it).
    public var isFed: Bool {
        if case .fed = presentation { return true }
        return false
    }

    /// The `-device` value QEMU's own device is made from by default; nil for a fed device.
    public var defaultQEMUDevice: String? {
        if case .qemu(let device, _) = presentation { return device }
        return nil
    }
}
