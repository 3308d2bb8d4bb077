import ConfigLayout
import Foundation
import VirtioModel

/// A benchmark that could not run, and why.
struct BenchFailure: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

extension Optional {
    func unwrapped(_ what: String) throws -> Wrapped {
        guard let self else { throw BenchFailure("\(what) is missing") }
        return self
    }
}

/// Cases 1, 3 and 4: the front end and engine, config reads, and negotiations, all in process.
enum EngineCases {
    /// Every condition that can tell feature sets apart in a device's layout or QEMU's size table.
    static func conditions(of device: Device) -> [Condition] {
        SymbolicLayout(device: device, interpretation: .fixed).fields.flatMap { [$0.exists, $0.valid] }
            + device.qemuFeatureSizes.map(\.condition)
    }

    /// Case 1: parse and check every built-in layout, then lay each out under both interpretations
    /// and both sizings for every feature set its conditions can tell apart.
    static func frontEnd(repeats: Int) -> CaseResult {
        var result = CaseResult(number: 1, title: "front end and engine: every layout parsed, checked and laid out over its feature sets",
                                target: "20 ms in total")
        var total: [Double] = Array(repeating: 0, count: repeats)
        var perDevice: [(String, Measurement, Int)] = []
        for name in BuiltinLayouts.names where name != "transport" {
            guard let file = BuiltinLayouts.file(name) else { continue }
            var sets = 0
            let measurement = Bench.measure(name, repeats: repeats) {
                let loaded = LayoutLoader().load(SourceFile(path: file.path, bytes: file.bytes))
                guard let device = loaded.devices.first?.asOf(nil) else { return }
                let features = FeatureSpace(device: device, conditions: conditions(of: device), honorsRequires: false).features
                let bits = features.compactMap { device.feature(named: $0)?.bit }
                sets = 1 << bits.count
                for mask in 0..<sets {
                    let set = FeatureSet(bits: bits.indices.filter { mask >> $0 & 1 == 1 }.map { bits[$0] })
                    for interpretation in Interpretation.allCases {
                        for sizing in Sizing.allCases {
                            _ = Layout(device: device, features: set, interpretation: interpretation, sizing: sizing)
                        }
                    }
                }
            }
            perDevice.append((name, measurement, sets))
            for index in total.indices { total[index] += measurement.samples[index] }
        }
        let sum = Measurement(name: "all \(perDevice.count) devices", samples: total, iterations: 1)
        result.measurements = [sum] + perDevice.sorted { $0.1.median > $1.1.median }.prefix(5).map(\.1)
        result.figures.append(("feature sets laid out", "\(perDevice.map(\.2).reduce(0, +)) (×4: two interpretations, two sizings)"))
        result.notes.append("the five slowest devices are listed; every device is in the total")
        result.met = sum.median <= 0.020
        return result
    }

    /// One pass of case 3's plain loop. The buffer is a parameter, not a variable the timed closure
    /// captures, so neither loop pays a dynamic exclusivity check per read for the harness's sake.
    @inline(never)
    private static func copyEach(_ offsets: [Int], from bytes: [UInt8], into buffer: inout [UInt8]) -> Int {
        var sink = 0
        for offset in offsets {
            for index in buffer.indices { buffer[index] = bytes[offset + index] }
            sink &+= Int(buffer[0])
        }
        return sink
    }

    /// One pass of case 3's reads through a model, each as a driver makes it.
    @inline(never)
    private static func readEach(_ offsets: [Int], from model: DeviceModel, into buffer: inout [UInt8]) -> Int {
        var sink = 0
        for offset in offsets {
            model.readConfig(offset: offset, into: &buffer, field: nil)
            sink &+= Int(buffer[0])
        }
        return sink
    }

    /// Case 3: config reads through a device model (the qemu net model, with every rule it checks on
    /// a read) beside a loop that copies the same bytes out of a plain array, at widths 1, 2 and 4.
    /// The model is measured twice: keeping only violations, as a server or a long fuzzing run keeps
    /// them, and recording every access, as a scenario's trace does.
    static func reads(repeats: Int) -> CaseResult {
        var result = CaseResult(number: 3, title: "config reads through the device model, beside a plain byte-array loop",
                                target: "within 3× of the plain loop")
        do {
            let loaded = try LayoutLoader().load(argument: "net")
            guard let device = loaded.devices.first?.asOf(nil) else { throw BenchFailure("the built-in net layout did not load") }
            let offered = try device.parseFeatures("MAC,STATUS,MTU,VERSION_1").get()
            func model(_ detail: Trace.Detail) throws -> DeviceModel {
                let model = try DeviceModel(serving: device, offered: offered, values: [("mtu", .integer(9000))],
                                            trace: Trace(detail: detail))
                model.writeStatus([.acknowledge, .driver])
                _ = model.acceptDriverFeatures(offered)
                model.writeStatus([.acknowledge, .driver, .featuresOK])
                return model
            }
            let served = try model(.violations), traced = try model(.everything)
            let bytes = served.image.bytes(ConfigImage.Encoding(isModern: true, guestIsLittleEndian: true))
            var ratios: [String] = []
            for width in [1, 2, 4] {
                // Every aligned read inside a field the device offers, as a driver reads them.
                let offsets = served.image.layout.fields.filter(\.exists).flatMap { placed -> [Int] in
                    guard let start = placed.offset, placed.size >= width else { return [] }
                    return Array(stride(from: start, through: start + placed.size - width, by: width))
                }
                let passes = max(1, 20_000 / offsets.count)
                var buffer = [UInt8](repeating: 0, count: width)
                var sink = 0
                let (plain, model) = try Bench.interleave(
                    ("plain \(width)-byte reads", { sink &+= copyEach(offsets, from: bytes, into: &buffer) }),
                    ("model \(width)-byte reads", { sink &+= readEach(offsets, from: served, into: &buffer) }),
                    repeats: repeats, iterations: passes)
                let recorded = Bench.measure("model \(width)-byte reads, traced", repeats: repeats, iterations: passes / 10 + 1) {
                    sink &+= readEach(offsets, from: traced, into: &buffer)
                }
                result.measurements += [plain, model, recorded].map { $0.perOperation(offsets.count) }
                let ratio = model.median / plain.median
                ratios.append(String(format: "%d-byte %.1f× (traced %.0f×)", width, ratio, recorded.median / plain.median))
                if sink == 42 { result.notes.append("") }  // the loops' results are used
                if ratio > 3 { result.met = false }
            }
            result.figures.append(("model vs plain (median)", ratios.joined(separator: ", ")))
            result.figures.append(("violations seen", "\(served.trace.violations.count)"))
            result.notes.append("times are per read; the model checks each read against the rules, serving from bytes "
                                + "encoded once per change of state")
            if result.met == nil { result.met = true }
        } catch {
            result.notes.append("not measured: \(error)")
        }
        return result
    }

    /// Case 4: complete negotiations: linux-current probing the qemu net model, reset to DRIVER_OK.
    static func negotiations(cfgspace: String, repeats: Int) -> CaseResult {
        var result = CaseResult(number: 4, title: "complete driver-and-device negotiations (linux-current on the qemu model)",
                                target: "over 100,000 per second")
        do {
            let loaded = try LayoutLoader().load(argument: "net")
            guard let device = loaded.devices.first?.asOf(nil) else { throw BenchFailure("the built-in net layout did not load") }
            let simulator = Simulator(device: device)
            let scenario = Scenario(driver: DriverKind.reference(for: device), device: .qemu)
            // The scenario's values are parsed once, as a loop over scenarios would; each negotiation
            // builds the device model, runs the driver's probe to DRIVER_OK and collects the outcome.
            let prepared = try simulator.prepare(scenario)
            let measurement = try Bench.measure("negotiation", repeats: repeats, iterations: 2000) {
                _ = try simulator.run(scenario, offered: prepared.offered, parsed: prepared.values)
            }
            result.measurements = [measurement]
            let rate = 1 / measurement.median
            result.figures.append(("negotiations per second (median)", String(format: "%.0f", rate)))
            result.met = rate > 100_000
            // As users run them: the default matrix (every driver against every device, each set
            // against its reference), a whole process.
            let (matrix, _) = try ProcessCases.measure("simulate --matrix (whole process)", repeats: repeats, cfgspace,
                                                       ["simulate", "--matrix"])
            result.measurements.append(matrix)
        } catch {
            result.notes.append("not measured: \(error)")
        }
        return result
    }
}
