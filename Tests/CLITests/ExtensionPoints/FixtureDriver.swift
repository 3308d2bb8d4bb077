@testable import VirtioModel

/// A fixture: a new driver model, in one file, that reads the spec literally under its own name.
struct FixtureDriver: DriverModel {
    static let kind = DriverKind(name: "fixture-driver", layout: "net", summary: "a fixture that reads net literally",
                                 follows: "nothing real: it shows a driver model is one file and one list entry",
                                 make: { FixtureDriver() })

    func probe(_ session: DriverSession) -> DriverResult { SpecLiteralDriver().probe(session) }
}
