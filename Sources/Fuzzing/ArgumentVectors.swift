import Arguments
import ConfigLayout

/// Random command lines for every subcommand, drawn from the commands' own descriptions: real
/// option names with values that fit and values that do not, unknown and misspelt options, stray
/// positionals, empty and enormous strings. Whatever comes in, cfgspace must answer 0, 1 or 64.
public struct ArgumentVectors {
    private let commands: [CommandSpec]
    /// Values a path-taking option or argument gets; the caller chooses them (inside a scratch
    /// folder), so that no vector can touch anything that matters.
    private let paths: [String]
    private var random: SplitMix64

    public init(commands: [CommandSpec], paths: [String], seed: UInt64) {
        self.commands = commands
        self.paths = paths
        random = SplitMix64(seed: seed)
    }

    private static let values = ["", "-", "--", "net", "blk", "nope", "1.4", "1.0", "9.9", "0.5", "all", "none", "MTU",
                                 "MTU,MQ", "MTU,,MQ", "NOT_A_FEATURE", "0", "-1", "99999999999999999999", "0x10", "mtu=9000",
                                 "mtu=", "=", "x=y=z", "json", "text", "markdown", "fixed", "packed", "qemu", "full",
                                 "linux-current", "mlx5-5.12", "é", "\u{1F600}", String(repeating: "A", count: 5000),
                                 "--help", "-h", "help", "virtio-net-pci", "mq=on,host_mtu=9000"]

    /// The next vector: usually a subcommand with some of its options, sometimes nonsense.
    public mutating func next() -> [String] {
        guard let command = commands.isEmpty ? nil : commands[draw(commands.count)] else { return [] }
        var vector: [String]
        switch draw(12) {
        case 0: vector = []
        case 1: vector = [String(command.name.dropLast())]
        case 2: vector = ["help", draw(2) == 0 ? command.name : "nope"]
        default: vector = [command.name]
        }
        for _ in 0..<draw(7) {
            switch draw(9) {
            case 0, 1, 2, 3:
                let options = command.allOptions
                guard !options.isEmpty else { continue }
                let option = options[draw(options.count)]
                if option.isFlag {
                    vector.append(draw(8) == 0 ? "--\(option.name)=yes" : "--\(option.name)")
                } else {
                    let value = option.choices.flatMap { draw(3) == 0 ? nil : $0[draw($0.count)] } ?? value()
                    if draw(6) == 0 { vector.append("--\(option.name)=\(value)") } else {
                        vector.append("--\(option.name)")
                        if draw(10) != 0 { vector.append(value) }
                    }
                }
            case 4, 5: vector.append(value())
            case 6: vector.append(["--nope", "-x", "---", "--\(command.name)", "-vv", "--help"][draw(6)])
            default: vector.append(paths.isEmpty ? value() : paths[draw(paths.count)])
            }
        }
        return vector
    }

    private mutating func value() -> String {
        draw(3) == 0 && !paths.isEmpty ? paths[draw(paths.count)] : Self.values[draw(Self.values.count)]
    }

    private mutating func draw(_ bound: Int) -> Int {
        bound <= 0 ? 0 : Int(random.next() % UInt64(bound))
    }
}
