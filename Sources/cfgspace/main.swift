import Foundation

exit(CFGSpace.main(Array(CommandLine.arguments.dropFirst()), console: .standard).rawValue)
