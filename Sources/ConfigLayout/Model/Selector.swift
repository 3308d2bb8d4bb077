/// What a driver's writes to a selector field make the device put in a union: input's `select` and
/// `subsel` choose among its name, serial, IDs, property and event bitmaps and axis information
/// (virtio 1.4, 5.8.4), and `size` says how many of the union's bytes are meaningful.
public struct Selector: Sendable {
    /// One selector value: its name, the union member it fills, and whether the subselector picks
    /// among several such contents (an event type, an axis).
    public struct Case: Sendable, Equatable {
        public let name: String
        public let value: UInt64
        public let member: String
        public let usesSubselect: Bool

        public init(name: String, value: UInt64, member: String, usesSubselect: Bool) {
            self.name = name
            self.value = value
            self.member = member
            self.usesSubselect = usesSubselect
        }
    }

    /// The union, by path.
    public let union: [String]
    public let select: String
    public let subselect: String?
    /// The field that holds how many bytes of the union are meaningful.
    public let size: String?
    public let cases: [Case]

    public init(union: [String], select: String, subselect: String?, size: String?, cases: [Case]) {
        self.union = union
        self.select = select
        self.subselect = subselect
        self.size = size
        self.cases = cases
    }

    /// The case a selector value chooses.
    public func selection(_ value: UInt64) -> Case? {
        cases.first { $0.value == value }
    }
}
