/// What a guest run that reports in sections found: the vDPA runs and the DPDK run, each a title,
/// facts, sections of model beside guest, and the guest's own report.
public struct GuestSectionsResult: Sendable {
    public let title: String
    public let facts: [(String, String)]
    public let sections: [GuestSection]
    public let report: GuestReport
    public let bootSeconds: Double
    /// Every QEMU the run started (the guest's, and a probe's), each ended and reaped by now.
    public let processes: [Int32]

    public var agrees: Bool { report.isComplete && sections.allSatisfy(\.agrees) }
}
