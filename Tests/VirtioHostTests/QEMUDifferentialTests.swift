import Foundation
import Testing
import TestSupport
import ConfigLayout
import VirtioModel
@testable import VirtioHost

/// Random driver operations, the same ones against real QEMU and against the runtime's qemu model:
/// status writes in and out of order, every feature window, config reads and writes at any offset
/// and width (unaligned, straddling the end, past it), generation reads and resets. The two traces
/// must be equal, line for line. This is how the model learned QEMU's two feature windows, its
/// windows kept across a reset, its split unaligned reads and its legacy mac writes.
@Suite(.enabled(if: QEMUAvailability.isInstalled || Tools.areRequired,
                "needs qemu-system-x86_64 (Debian's qemu-system-x86; .ci/run installs it)"))
struct QEMUDifferentialTests {
    @Test(arguments: ["virtio-net-pci,mq=off,host_mtu=9000", "virtio-net-pci,speed=100,duplex=full"])
    func randomOperationsTraceAlike(device spec: String) throws {
        guard QEMUAvailability.isInstalled else { throw HostError(.missingProgram, "qemu-system-x86_64 is not installed") }
        let probe = try QEMUProbe.run(.init(device: try QEMUDeviceSpec.parse(spec).get()))
        let machine = try QEMUMachine(.init(devices: [spec + ",id=differential"]))
        defer { machine.quit() }
        let target = try ProbeTarget.locate(on: machine, id: "differential")
        let simulator = Simulator(device: probe.device)
        let size = probe.length.value
        var generator = SeededGenerator(seed: 2021)
        var differing: [String] = []
        for sequence in 0..<40 {
            try target.primary.reset()
            // Start the model from what the device holds now: a mac written earlier stays.
            let current = try ConfigReader(registers: target.primary).read(count: size, layout: nil)
            let (_, values) = simulator.scenarioMatching(driver: DriverKind.reference(for: probe.device), configBytes: current, configSize: size,
                                                         offered: probe.offered)
            let realTrace = Trace(), modelTrace = Trace()
            let real = RemoteDevice(port: QEMURegisterPort(target.primary, label: "QEMU"), name: "qemu", device: probe.device,
                                    offered: probe.offered, configSize: size, configBytes: current, trace: realTrace)
            let model = try simulator.model(.qemu, offered: probe.offered, values: values, trace: modelTrace)
            for _ in 0..<30 {
                let operation = Operation.random(using: &generator)
                operation.apply(to: real)
                operation.apply(to: model)
            }
            let differences = TraceDiff.compare(real: realTrace.entries, model: modelTrace.entries, device: probe.device)
            if let first = differences.first { differing.append("sequence \(sequence): \(first.side) #\(first.step) \(first.line)") }
        }
        #expect(differing.isEmpty, "\(differing.joined(separator: "\n"))")
    }

    /// One driver operation.
    enum Operation {
        case writeStatus(UInt8), readStatus, readFeatures(Int), writeFeatures(Int, UInt32)
        case read(offset: Int, width: Int), write(offset: Int, bytes: [UInt8]), readGeneration

        static func random(using generator: inout SeededGenerator) -> Operation {
            let window = Int.random(in: 0..<5, using: &generator)
            let offset = Int.random(in: 0..<28, using: &generator)
            let width = [1, 2, 4].randomElement(using: &generator) ?? 1
            switch Int.random(in: 0..<10, using: &generator) {
            case 0: return .writeStatus([0, 1, 3, 11, 15, 0x8b, 0x83, 7, 0x80].randomElement(using: &generator) ?? 0)
            case 1: return .readStatus
            case 2: return .readFeatures(window)
            case 3:
                // Window 1 mostly VERSION_1 (bit 32) or not, so both byte orders and mac rules come up.
                let value = window == 1 ? UInt32.random(in: 0...3, using: &generator) : UInt32.random(in: 0...UInt32.max, using: &generator)
                return .writeFeatures(window, value)
            case 4, 5, 6: return .read(offset: offset, width: width)
            case 7: return .readGeneration
            default: return .write(offset: offset, bytes: (0..<width).map { _ in UInt8.random(in: 0...255, using: &generator) })
            }
        }

        func apply(to device: DeviceModel) {
            switch self {
            case .writeStatus(let value): device.writeStatus(DeviceStatus(rawValue: value))
            case .readStatus: _ = device.readStatus()
            case .readFeatures(let window): _ = device.readDeviceFeatureWindow(window)
            case .writeFeatures(let window, let value): device.writeDriverFeatureWindow(window, value)
            case .read(let offset, let width):
                var buffer = [UInt8](repeating: 0, count: width)
                device.readConfig(offset: offset, into: &buffer, field: nil)
            case .write(let offset, let bytes): device.writeConfig(offset: offset, bytes: bytes, field: nil)
            case .readGeneration: _ = device.readGeneration()
            }
        }
    }
}
