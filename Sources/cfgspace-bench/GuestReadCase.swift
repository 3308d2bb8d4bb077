import ConfigLayout
import Foundation
import VirtioHost

/// Case 8: a real guest reads 256 MiB of its disk (O_DIRECT, 1 MiB at a time, timed by the guest
/// kernel's own clock) through cfgspace's interposer, and straight from qemu-storage-daemon, in
/// alternation. The interposer relays vhost-user messages only; the rings, kicks and calls pass
/// between QEMU and the daemon, so the two should read alike.
enum GuestReadCase {
    static func run(repeats: Int) -> CaseResult {
        var result = CaseResult(number: 8, title: "a Linux guest reads 256 MiB through the interposer, beside qemu-storage-daemon directly",
                                target: "at least 0.95× the direct read's throughput")
        do {
            let image = try GuestImage.ensure()
            let blk = try LayoutLoader().load(argument: "blk")
            guard let device = blk.devices.first?.asOf(nil) else { throw HostError(.refused, "no built-in blk layout") }
            let boots = max(3, repeats / 4)
            func read(_ throughInterposer: Bool) throws -> Double {
                let options = GuestBlkRun.Options(layout: (blk.file.path, device), image: image, readMiB: 256,
                                                  throughInterposer: throughInterposer)
                let run = try GuestBlkRun.run(options)
                guard let seconds = run.readSeconds else { throw HostError(.refused, "the guest did not time its read") }
                return seconds
            }
            var direct: [Double] = [], interposed: [Double] = []
            _ = try read(true)  // warm the host's page cache and QEMU's binaries
            for _ in 0..<boots {
                direct.append(try read(false))
                interposed.append(try read(true))
            }
            let plain = Measurement(name: "straight from the daemon", samples: direct, iterations: 1)
            let through = Measurement(name: "through the interposer", samples: interposed, iterations: 1)
            result.measurements = [plain, through]
            let ratio = plain.median / through.median
            result.figures.append(("throughput (median)", String(format: "direct %.0f MiB/s, interposer %.0f MiB/s",
                                                                 256 / plain.median, 256 / through.median)))
            result.figures.append(("ratio (median)", String(format: "%.3f× the direct read", ratio)))
            result.notes.append("\(boots) boots each, alternating; a guest under TCG, 2 CPUs, the daemon's sparse 1 GiB file")
            result.met = ratio >= 0.95
        } catch {
            result.notes.append("not measured: \(error)")
        }
        return result
    }
}
