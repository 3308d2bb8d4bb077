import Foundation

// cfgspace-bench: times cfgspace on a release build. Usage:
//   swift run -c release cfgspace-bench [--format text|json] [--case N]... [--quick]
//   swift run -c release cfgspace-bench --fuzz COUNT [--messages COUNT] [--seed N]
let arguments = Array(CommandLine.arguments.dropFirst())
var format = "text"
var chosen: [Int] = []
var quick = false
var fuzzCount: Int?
var fuzzMessages: Int?
var fuzzSeed: UInt64 = 2021
var index = 0
func usage(_ message: String) -> Never {
    FileHandle.standardError.write(Data("cfgspace-bench: \(message)\nUsage: cfgspace-bench [--format text|json] [--case N]... [--quick]\n       cfgspace-bench --fuzz COUNT [--messages COUNT] [--seed N]\n".utf8))
    exit(64)
}
while index < arguments.count {
    let argument = arguments[index]
    index += 1
    switch argument {
    case "--format":
        guard index < arguments.count, ["text", "json"].contains(arguments[index]) else { usage("--format takes text or json") }
        format = arguments[index]
        index += 1
    case "--case":
        guard index < arguments.count, let number = Int(arguments[index]), (1...8).contains(number) else {
            usage("--case takes a case number, 1 to 8")
        }
        chosen.append(number)
        index += 1
    case "--quick": quick = true
    case "--fuzz":
        guard index < arguments.count, let count = Int(arguments[index]), count > 0 else { usage("--fuzz takes a count of cases") }
        fuzzCount = count
        index += 1
    case "--messages":
        guard index < arguments.count, let count = Int(arguments[index]), count > 0 else {
            usage("--messages takes a count of malformed vhost-user messages")
        }
        fuzzMessages = count
        index += 1
    case "--seed":
        guard index < arguments.count, let seed = UInt64(arguments[index]) else { usage("--seed takes a number") }
        fuzzSeed = seed
        index += 1
    case "-h", "--help":
        print("cfgspace-bench [--format text|json] [--case N]... [--quick]: times cfgspace (build with -c release)")
        exit(0)
    default: usage("unknown argument '\(argument)'")
    }
}

if let fuzzCount {
    let (report, clean) = FuzzRun.run(count: fuzzCount, messages: fuzzMessages, seed: fuzzSeed)
    print(report, terminator: "")
    exit(clean ? 0 : 1)
}

let binFolder = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath().deletingLastPathComponent()
let cfgspace = binFolder.appendingPathComponent("cfgspace").path
guard FileManager.default.isExecutableFile(atPath: cfgspace) else {
    usage("no cfgspace beside this program (\(cfgspace)); build with 'swift build -c release'")
}
let repeats = quick ? 5 : 20
let machine = Machine.describe()
var results: [CaseResult] = []
for number in chosen.isEmpty ? Array(1...8) : chosen {
    switch number {
    case 1: results.append(EngineCases.frontEnd(repeats: repeats))
    case 2: results.append(DiffScaleCase.run(cfgspace: cfgspace, repeats: repeats))
    case 3: results.append(EngineCases.reads(repeats: repeats))
    case 4: results.append(EngineCases.negotiations(cfgspace: cfgspace, repeats: repeats))
    case 5: results.append(ProcessCases.generate(cfgspace: cfgspace, repeats: repeats))
    case 6: results.append(ProcessCases.check(cfgspace: cfgspace, repeats: repeats))
    case 7:
        results.append(HostCases.probe(cfgspace: cfgspace, repeats: repeats))
        results.append(VhostUserCase.roundTrips(repeats: repeats))
    case 8: results.append(GuestReadCase.run(repeats: repeats))
    default: results.append(CaseResult(number: number, title: "not built yet", target: ""))
    }
}
print(format == "json" ? BenchReport.json(results, machine: machine) : BenchReport.text(results, machine: machine), terminator: "")
