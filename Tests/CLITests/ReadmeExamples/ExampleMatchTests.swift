import Testing

/// How an example's shown lines are held against real output, on made-up outputs whose answer is
/// known: the README test is only as good as this.
@Suite struct ExampleMatchTests {
    private let output = "net (ID 1)\n  size  10\n\n  mac   0\n  mtu   8\n  speed 10\n"

    @Test func everyLineShownMatches() {
        #expect(ExampleMatch(shown: ["net (ID 1)", "  size  10", "", "  mac   0", "  mtu   8", "  speed 10"],
                             output: output).mismatch == nil)
    }

    @Test func anElisionSkipsLinesAndARunMustStillBeThere() {
        #expect(ExampleMatch(shown: ["net (ID 1)", "...", "  mtu   8", "..."], output: output).mismatch == nil)
        #expect(ExampleMatch(shown: ["...", "  mtu   8", "  speed 10"], output: output).mismatch == nil)
        let moved = ExampleMatch(shown: ["net (ID 1)", "...", "  mtu   10", "..."], output: output).mismatch
        #expect(moved?.contains("-   mtu   10") == true && moved?.contains("+   mtu   8") == true, "\(moved ?? "nil")")
    }

    @Test func aBlockWithoutATrailingElisionMustEndWithTheOutput() {
        let short = ExampleMatch(shown: ["net (ID 1)", "  size  10"], output: output).mismatch
        #expect(short?.contains("no `...`") == true)
        #expect(ExampleMatch(shown: ["net (ID 1)", "  size  10", "..."], output: output).mismatch == nil)
    }

    @Test func theFirstRunStartsTheOutput() {
        #expect(ExampleMatch(shown: ["  size  10", "..."], output: output).mismatch != nil)
    }

    @Test func runsComeInOrder() {
        #expect(ExampleMatch(shown: ["...", "  mtu   8", "...", "  mac   0", "..."], output: output).mismatch != nil)
    }

    @Test func whatDiffersByMachineStandsForItself() {
        let line = "Linux virtio_blk (6.1.0-57-cloud-amd64) in /tmp/cfgspace-guest-1234ABCD, 15.4 s"
        let other = "Linux virtio_blk (6.1.0-41-cloud-amd64) in /tmp/cfgspace-guest-99FF, 9.0 s"
        #expect(ExampleMatch(shown: [line], output: other).mismatch == nil)
        #expect(ExampleMatch(shown: ["Linux virtio_blk (6.2)"], output: other).mismatch != nil)
    }

    @Test func rewritingKeepsTheElisionsAndTakesTheRealLines() {
        let match = ExampleMatch(shown: ["net (ID 2)", "  ...", "  mtu   10", "..."], output: output)
        #expect(match.rewritten == ["net (ID 1)", "  ...", "  mtu   8", "..."])
        let tail = ExampleMatch(shown: ["net (ID 1)", "...", "  mtu   8"], output: output)
        #expect(tail.rewritten == ["net (ID 1)", "...", "  mtu   8", "  speed 10"])
    }

    @Test func theReadmeIsSplitIntoCommandsAndOutputs() {
        let text = """
            Intro.

            <!-- example needs qemu-storage-daemon at /tmp/qsd.sock exits 1 -->
            ```
            $ cfgspace probe vhost-user --socket /tmp/qsd.sock \\
                --device 'blk x'
            line one
            ...
            ```

            ```sh
            swift test
            ```
            """
        let examples = ReadmeExamples.parse(text)
        #expect(examples.count == 1)
        let example = examples[0]
        #expect(example.line == 4 && example.need == .storageDaemon && example.placeholder == "/tmp/qsd.sock")
        #expect(example.status == 1)
        #expect(ReadmeExamples.directive("<!-- example needs nosuch -->") == nil)
        #expect(ReadmeExamples.directive("<!-- example exits one -->") == nil)
        #expect(ReadmeExamples.directive("<!-- example exits 64 -->")?.status == 64)
        #expect(example.words == ["cfgspace", "probe", "vhost-user", "--socket", "/tmp/qsd.sock", "--device", "blk x"])
        #expect(example.expected == ["line one", "..."])
        let rewritten = ReadmeExamples.replacing(output: ["line 1", "line 2"], ofExample: 0, in: text)
        #expect(rewritten?.contains("    --device 'blk x'\nline 1\nline 2\n```") == true)
    }
}
