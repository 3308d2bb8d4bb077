import Testing
@testable import VirtioHost

/// The guest's console, parsed without a guest: reports among kernel noise, repeated keys, and
/// lines that only look like reports.
@Suite struct GuestReportTests {
    @Test func reportsAreTakenFromAmongTheConsolesOtherLines() {
        var report = GuestReport()
        for line in ["[    0.000000] Linux version 6.1.0", "CFGSPACE begin", "CFGSPACE vda.size=2097152",
                     "CFGSPACE vda.dmesg=virtio_blk virtio0: 2/0/0 default/read/poll queues",
                     "CFGSPACE vda.dmesg=virtio_blk virtio0: [vda] 2097152 512-byte logical blocks (1.07 GB/1.00 GiB)",
                     "CFGSPACE vda.write_cache=write through", "CFGSPACE end", "[    2.1] reboot: Power down"] {
            report.take(line)
        }
        #expect(report.isComplete)
        #expect(report.value("vda.size") == "2097152")
        #expect(report.value("vda.write_cache") == "write through")
        #expect(report.values("vda.dmesg").count == 2)
        #expect(report.console == ["[    0.000000] Linux version 6.1.0", "[    2.1] reboot: Power down"])
    }

    @Test(arguments: ["CFGSPACE", "CFGSPACE =x", "CFGSPACE bad key=1", "CFGSPACE a;b=1", "cfgspace x=1"])
    func malformedReportsStayConsoleLines(line: String) {
        var report = GuestReport()
        #expect(report.take(line) == nil)
        #expect(report.entries.isEmpty)
    }

    @Test func anUnfinishedReportIsNotComplete() {
        var report = GuestReport()
        report.take("CFGSPACE begin")
        #expect(!report.isComplete)
    }

    /// zlib's CRC-32 check value, and busybox's answer for "hello".
    @Test func crc32IsZlibs() {
        #expect(CRC32.hex(CRC32.of(Array("123456789".utf8))) == "cbf43926")
        #expect(CRC32.hex(CRC32.of(Array("hello".utf8))) == "3610a686")
        #expect(CRC32.hex(CRC32.of([])) == "00000000")
    }
}
