import Foundation

/// xoshiro256** seeded through SplitMix64: a small, fast generator whose streams are fully
/// determined by a 64-bit seed, so the same `--seed` gives the same weights and batches.
///
/// Normal variates come from the Box-Muller transform in Double (both values of a pair are used).
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64
    private var spareNormal: Double?

    /// A generator whose whole stream is a function of `seed`.
    public init(seed: UInt64) {
        var sm = seed
        s0 = SeededGenerator.splitMix(&sm)
        s1 = SeededGenerator.splitMix(&sm)
        s2 = SeededGenerator.splitMix(&sm)
        s3 = SeededGenerator.splitMix(&sm)
        if s0 | s1 | s2 | s3 == 0 { s0 = 0x9E37_79B9_7F4A_7C15 }  // the all-zero state is a fixed point
    }

    /// A generator for one purpose ("weights", "batches", ...) derived from a run seed, so that
    /// streams for different purposes never overlap in practice and do not shift each other.
    public init(seed: UInt64, stream: String) {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325  // FNV-1a over the stream name
        for byte in stream.utf8 { hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01b3 }
        var mixed = seed ^ hash
        self.init(seed: SeededGenerator.splitMix(&mixed))
    }

    /// The generator's whole state (xoshiro's four words and the unused half of a normal pair),
    /// so a checkpoint can continue the stream exactly where it was.
    package var state: (words: [UInt64], spareNormal: Double?) { ([s0, s1, s2, s3], spareNormal) }

    /// A generator that continues from a saved `state`; nil unless there are four words, not all
    /// zero (the all-zero state is a fixed point no seeded generator reaches).
    package init?(words: [UInt64], spareNormal: Double?) {
        guard words.count == 4, words.contains(where: { $0 != 0 }) else { return nil }
        (s0, s1, s2, s3) = (words[0], words[1], words[2], words[3])
        self.spareNormal = spareNormal
    }

    static func splitMix(_ state: inout UInt64) -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// The next 64 random bits (xoshiro256**).
    public mutating func next() -> UInt64 {
        let result = ((s1 &* 5) << 7 | (s1 &* 5) >> 57) &* 9
        let t = s1 << 17
        s2 ^= s0
        s3 ^= s1
        s1 ^= s2
        s0 ^= s3
        s2 ^= t
        s3 = s3 << 45 | s3 >> 19
        return result
    }

    /// A uniform Double in [0, 1) with 53 random bits.
    public mutating func nextUnit() -> Double {
        Double(next() >> 11) * 0x1.0p-53
    }

    /// A uniform Double in [low, high).
    public mutating func nextUniform(_ low: Double, _ high: Double) -> Double {
        low + (high - low) * nextUnit()
    }

    /// A standard normal variate N(0, 1) (Box-Muller, polar-free form).
    public mutating func nextNormal() -> Double {
        if let spare = spareNormal {
            spareNormal = nil
            return spare
        }
        let u1 = Double((next() >> 11) + 1) * 0x1.0p-53  // (0, 1]: log is finite
        let u2 = nextUnit()
        let radius = (-2 * log(u1)).squareRoot()
        let angle = 2 * Double.pi * u2
        spareNormal = radius * sin(angle)
        return radius * cos(angle)
    }

    /// A uniformly random index in 0..<upperBound (unbiased, Lemire's method via the standard library).
    public mutating func nextIndex(below upperBound: Int) -> Int {
        Int.random(in: 0..<upperBound, using: &self)
    }
}
