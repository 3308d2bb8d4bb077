import Testing
import TestSupport
@testable import ConfigLayout
@testable import VirtioModel

/// The model of Linux 6.1's virtio_pmem with libnvdimm and nd_pmem on configurations built by hand,
/// each expectation worked out from drivers/nvdimm/virtio_pmem.c, region_devs.c, pmem.c and
/// mm/memory_hotplug.c; the guest tests hold the model against the real driver.
@Suite struct LinuxPmemDriverTests {
    /// 16 MiB at 5 GiB: the region and disk as sysfs shows them, 32768 sectors, and /proc/iomem's
    /// range 140000000-140ffffff; the 16 MiB region's align is MEMREMAP_COMPAT_ALIGN_MAX.
    @Test func anAlignedRangeBecomesADisk() throws {
        let outcome = try linuxRun("pmem", [("start", "0x140000000"), ("size", "16777216")])
        #expect(outcome.probeFailure == nil)
        #expect(outcome.text("provider") == "virtio-pmem")
        #expect(outcome.text("region.size") == "16777216")
        #expect(outcome.text("region.resource") == "0x140000000")
        #expect(outcome.text("region.align") == "0x1000000")
        #expect(outcome.text("disk") == "pmem0")
        #expect(outcome.text("disk.size") == "32768")
        #expect(outcome.text("iomem") == "140000000-140ffffff : namespace0.0")
        #expect(outcome.view.log == ["nd_pmem namespace0.0: unable to guarantee persistence of writes"])
        // Each le64 as two 32-bit reads, low half first, inside a generation loop.
        #expect(outcome.accesses(of: "start").map { "\($0.offset)/\($0.width)" } == ["0/4", "4/4"])
        #expect(outcome.accesses(of: "size").map { "\($0.offset)/\($0.width)" } == ["8/4", "12/4"])
        #expect(outcome.finalStatus.contains(.driverOK))
    }

    /// Under 16 MiB the region's align is a page; /proc/iomem pads to eight digits.
    @Test func aSmallRegionAlignsToAPage() throws {
        let outcome = try linuxRun("pmem", [("start", "0x8000000"), ("size", "0x200000")])
        #expect(outcome.text("region.align") == "0x1000")
        #expect(outcome.text("disk.size") == "4096")
        #expect(outcome.text("iomem") == "08000000-081fffff : namespace0.0")
    }

    /// A start 4 KiB past 2 MiB alignment: nvdimm_namespace_common_probe refuses to map it (%pr,
    /// IORESOURCE_MEM is flags 0x200) with -EOPNOTSUPP, before pmem_attach_disk: no disk, no iomem. So
    /// does an end off 2 MiB, and the short address pads to eight digits.
    @Test(arguments: [("0x140001000", "16777216", "[mem 0x140001000-0x141000fff flags 0x200]"),
                      ("0x8000000", "0x300000", "[mem 0x08000000-0x082fffff flags 0x200]")])
    func aMisalignedRangeLeavesNoDisk(start: String, size: String, resource: String) throws {
        let outcome = try linuxRun("pmem", [("start", start), ("size", size)])
        #expect(outcome.probeFailure == nil, "virtio_pmem itself checks nothing")
        #expect(outcome.text("region.resource") == start)
        #expect(outcome.text("disk") == "none")
        #expect(outcome.view["iomem"] == nil && outcome.view["disk.size"] == nil)
        #expect(outcome.view.log == ["nd_pmem namespace0.0: \(resource) misaligned, unable to map",
                                     "nd_pmem: probe of namespace0.0 failed with error -95"])
    }

    /// A size of 0 leaves an empty region, and nvdimm_namespace_common_probe's -ENODEV is silent;
    /// a start of 0 prints as "0" ("%#llx").
    @Test func anEmptyRegionIsSilent() throws {
        let outcome = try linuxRun("pmem", [("start", "0"), ("size", "0")])
        #expect(outcome.text("region.size") == "0")
        #expect(outcome.text("region.resource") == "0")
        #expect(outcome.text("region.align") == "0x1000")
        #expect(outcome.text("disk") == "none")
        #expect(outcome.view.log.isEmpty)
    }

    /// 6.1 has no SHMEM_REGION: offered, it is left, and start and size are read as ever.
    @Test func shmemRegionIsNeverTaken() throws {
        let outcome = try linuxRun("pmem", [("start", "0x100000000"), ("size", "0x1000000")], features: "+SHMEM_REGION")
        let device = try builtinDevice("pmem")
        #expect(outcome.unsupported.contains(try #require(device.bit(named: "SHMEM_REGION"))))
        #expect(outcome.text("disk") == "pmem0")
    }

    /// start and size are only valid without SHMEM_REGION, never an existence condition: packed
    /// puts them where fixed does.
    @Test func packedMovesNothingTheDriverReads() throws {
        let device = try builtinDevice("pmem")
        let offered = try device.parseFeatures("SHMEM_REGION,VERSION_1").get()
        let fixed = Layout(device: device, features: offered, interpretation: .fixed)
        let packed = Layout(device: device, features: offered, interpretation: .packed)
        for field in LinuxPmemDriver.kind.fields { #expect(fixed.field(field)?.offset == packed.field(field)?.offset) }
    }
}
