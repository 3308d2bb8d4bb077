import CVirtioHost
import Foundation

/// Where a thread runs. Two threads talking over a socket cost several times more per round trip
/// when the scheduler puts them on different CPUs of a virtual machine than on one; a benchmark
/// that compares two such pairs pins both alike.
public enum ThreadPlacement {
    /// CPUs this process may use.
    public static var processorCount: Int { ProcessInfo.processInfo.activeProcessorCount }

    /// Binds the calling thread to one CPU; false when the system refused.
    @discardableResult
    public static func pinCurrentThread(to cpu: Int) -> Bool { cvh_pin_thread(Int32(cpu)) == 0 }
}
