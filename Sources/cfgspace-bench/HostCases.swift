import Foundation
import VirtioHost

/// Case 7: the real-system paths. The QEMU probe as a whole process, beside QEMU itself starting
/// under qtest with the same device and quitting.
enum HostCases {
    static func probe(cfgspace: String, repeats: Int) -> CaseResult {
        var result = CaseResult(number: 7, title: "probe qemu for net, whole process, beside QEMU starting and quitting",
                                target: "at most 2× QEMU's own start and quit")
        let device = "virtio-net-pci,mq=off,host_mtu=9000"
        do {
            // QEMU started exactly as the probe starts it.
            let spec = try QEMUDeviceSpec.parse(device).get()
            let (_, options) = QEMUProbe.machineOptions(for: spec, .init(device: spec))
            let qemu = try Bench.measure("QEMU start and quit", repeats: repeats) {
                let machine = try QEMUMachine(options)
                _ = try machine.version()
                machine.quit()
            }
            let probe = try Bench.measure("cfgspace probe qemu", repeats: repeats) {
                try run(cfgspace, ["probe", "qemu", "--device", device])
            }
            result.measurements = [qemu, probe]
            let ratio = probe.median / qemu.median
            result.figures.append(("ratio (median)", String(format: "%.2f×", ratio)))
            result.met = ratio <= 2
        } catch {
            result.notes.append("not measured: \(error)")
        }
        return result
    }

    /// Runs a program to its end; an exit status other than 0 is an error.
    static func run(_ program: String, _ arguments: [String]) throws {
        let child = try ChildProcess(executable: program, arguments: arguments, errors: .null)
        guard let ended = child.wait(until: Deadline(in: .seconds(60))) else {
            throw HostError(.timeout, "\(program) \(arguments.joined(separator: " ")) did not finish in 60 s")
        }
        guard ended == .exited(0) else { throw HostError(.refused, "\(program) \(arguments.joined(separator: " ")): \(ended)") }
    }
}
