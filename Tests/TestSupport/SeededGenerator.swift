import ConfigLayout

/// The tests' deterministic random numbers: SplitMix64, so random tests repeat exactly.
public typealias SeededGenerator = SplitMix64
