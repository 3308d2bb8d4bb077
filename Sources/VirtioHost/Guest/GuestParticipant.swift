import ConfigLayout
import VirtioModel

/// One device in a guest's boot: what QEMU needs to present it, which of the init's reporters
/// reports it, and how its report is held against cfgspace's prediction. Several share one boot.
protocol GuestParticipant: AnyObject {
    /// The device's name in the rows: `console`, `blk (packed)`.
    var label: String { get }
    /// The init's reporter (`Guest/devices/NAME.sh`).
    var reporter: String { get }
    /// QEMU arguments that present it: `-device`, and the `-chardev`, `-object` or `-fsdev` it needs.
    var qemuArguments: [String] { get }
    /// `cfgspace.NAME.OPTION=VALUE` words for the init.
    var kernelArguments: [String] { get }
    /// Whether QEMU's guest memory must be shareable (a vhost-user back-end maps it).
    var needsSharedMemory: Bool { get }
    /// Whether it sends QEMU monitor commands while the guest runs.
    var needsQMP: Bool { get }
    /// What to do while the guest runs, such as a config change once it has reported.
    func whileRunning(_ machine: GuestMachine) throws(HostError)
    /// Each value the guest reported beside the prediction.
    func rows(_ report: GuestReport) -> [GuestRow]
    /// Stops whatever it started (servers, daemons); called on every path, more than once safely.
    func stop()
}

extension GuestParticipant {
    var kernelArguments: [String] { [] }
    var needsSharedMemory: Bool { false }
    var needsQMP: Bool { false }
    func whileRunning(_ machine: GuestMachine) throws(HostError) {}
    func stop() {}
}

/// One boot of a guest holding several devices: QEMU with every participant's arguments, the init
/// told to report each, the participants' run-time work, and the report.
enum GuestSession {
    struct Options: Sendable {
        var image: GuestImage
        var cpus: Int
        var memoryMiB: Int
        var deviceMemoryMiB = 0
        var qemu: String?
        var timeout: Duration
    }

    /// Boots once with every participant and returns the guest's report and QEMU's process ID
    /// (ended and reaped by now). The participants are stopped on every path.
    static func run(_ participants: [any GuestParticipant], _ options: Options) throws(HostError) -> (GuestReport, Int32) {
        defer { participants.forEach { $0.stop() } }
        let reporters = participants.map(\.reporter).reduce(into: [String]()) { if !$0.contains($1) { $0.append($1) } }
        let machine = try GuestMachine(.init(
            image: options.image, cpus: options.cpus, memoryMiB: options.memoryMiB, deviceMemoryMiB: options.deviceMemoryMiB,
            kernelArguments: ["cfgspace.expect=" + reporters.joined(separator: ",")] + participants.flatMap(\.kernelArguments),
            arguments: participants.flatMap(\.qemuArguments), sharedMemory: participants.contains(where: \.needsSharedMemory),
            qmp: participants.contains(where: \.needsQMP),
            executable: options.qemu, timeout: options.timeout))
        for participant in participants { try participant.whileRunning(machine) }
        let report = try machine.finish()
        guard report.value("begin") != nil else {
            throw HostError(.refused, "the guest never reported; QEMU said: "
                            + machine.process.finalErrorText().trimmingCharacters(in: .whitespacesAndNewlines))
        }
        return (report, machine.process.pid)
    }
}
