import Foundation

/// The processes /proc lists, for tests that check nothing was left behind.
enum ProcessTable {
    struct Entry {
        let pid: Int32
        let parent: Int32
        let group: Int32
        let name: String
        /// Zombies are dead and only wait to be reaped.
        let isZombie: Bool
    }

    static func all() -> [Entry] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: "/proc")) ?? []
        return names.compactMap { Int32($0) }.compactMap(entry)
    }

    /// `/proc/PID/stat`: "pid (comm) state ppid pgrp ...", where comm may hold spaces and parentheses.
    static func entry(_ pid: Int32) -> Entry? {
        guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8),
              let open = stat.firstIndex(of: "("), let close = stat.lastIndex(of: ")") else { return nil }
        let rest = stat[stat.index(after: close)...].split(separator: " ")
        guard rest.count > 3, let parent = Int32(rest[1]), let group = Int32(rest[2]) else { return nil }
        return Entry(pid: pid, parent: parent, group: group, name: String(stat[stat.index(after: open)..<close]),
                     isZombie: rest[0] == "Z")
    }

    /// Live processes in a process group.
    static func members(ofGroup group: Int32) -> [Entry] {
        all().filter { $0.group == group && !$0.isZombie }
    }

    /// Live children of a process.
    static func children(of parent: Int32) -> [Entry] {
        all().filter { $0.parent == parent && !$0.isZombie }
    }

    /// Whether a process is gone (or dead and reaped by someone).
    static func isGone(_ pid: Int32) -> Bool {
        entry(pid).map { $0.isZombie } ?? true
    }

    /// Waits, bounded, for a condition.
    static func eventually(within seconds: Double = 5, _ condition: () -> Bool) -> Bool {
        let end = Date().addingTimeInterval(seconds)
        while Date() < end {
            if condition() { return true }
            usleep(10_000)
        }
        return condition()
    }
}
