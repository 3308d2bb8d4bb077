/// 0 on success, 1 when a check finds errors, 2 when what was to be checked cannot be measured
/// (`conform` on a struct its compiler refuses), 64 (EX_USAGE) when the command was mistyped.
enum ExitCode: Int32 {
    case success = 0
    case failure = 1
    case unmeasurable = 2
    case usage = 64
}
