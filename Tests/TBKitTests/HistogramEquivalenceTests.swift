import Testing

@testable import TBKit

/// The vectorised bucketing against a plain, value-by-value reference of the same definition:
/// every count, the non-finite count, and the bit patterns of min, max, sum and sum of squares.
@Suite struct HistogramEquivalenceTests {
    /// What a histogram must hold, computed the plain way.
    struct Reference: Equatable {
        var counts: [Double]
        var nonFinite: Int
        var count: Int
        var minBits: UInt64
        var maxBits: UInt64
        var sumBits: UInt64
        var sumSquaresBits: UInt64
    }

    /// Sequential min/max (the first of equal values wins, so the first zero decides the sign of
    /// a zero result), and sums as TBKit defines them: for TensorFlow buckets without non-finite
    /// values, two chains over even and odd positions added at the end; otherwise one chain.
    static func statistics<T: BinaryFloatingPoint>(_ values: [T], twoChains: Bool) -> (
        count: Int, nonFinite: Int, min: Double, max: Double, sum: Double, sumSquares: Double
    ) {
        var lo = Double.infinity
        var hi = -Double.infinity
        var finite = 0
        var sums = [0.0, 0.0]
        var squares = [0.0, 0.0]
        for (i, v) in values.enumerated() {
            let x = Double(v)
            guard x.isFinite else { continue }
            finite += 1
            if x < lo { lo = x }
            if x > hi { hi = x }
            let chain = twoChains ? i % 2 : 0
            sums[chain] += x
            squares[chain] += x * x
        }
        return (finite, values.count - finite, lo, hi, sums[0] + sums[1], squares[0] + squares[1])
    }

    /// upper_bound over `edges`, minus one, clamped to [0, buckets - 1].
    static func searchBucket(_ x: Double, _ edges: [Double], buckets: Int) -> Int {
        var l = 0
        while l < edges.count && edges[l] <= x { l += 1 }
        return min(max(l - 1, 0), buckets - 1)
    }

    static func tensorflowReference<T: BinaryFloatingPoint>(_ values: [T]) -> Reference {
        let limits = TensorFlowBuckets.limits
        var counts = [Double](repeating: 0, count: limits.count)
        var nonFinite = 0
        for v in values {
            let x = Double(v)
            guard x.isFinite else {
                nonFinite += 1
                continue
            }
            // upper_bound, clamped to the last bucket (TensorFlow's histogram.cc).
            var l = 0
            var r = limits.count
            while l < r {
                let m = (l + r) / 2
                if limits[m] <= x { l = m + 1 } else { r = m }
            }
            counts[min(l, limits.count - 1)] += 1
        }
        let s = statistics(values, twoChains: nonFinite == 0)
        return Reference(
            counts: counts, nonFinite: nonFinite, count: s.count, minBits: s.min.bitPattern,
            maxBits: s.max.bitPattern, sumBits: s.sum.bitPattern, sumSquaresBits: s.sumSquares.bitPattern)
    }

    static func tallied(_ t: TensorFlowBuckets.Tally) -> Reference {
        Reference(
            counts: t.counts.map(Double.init), nonFinite: t.nonFinite, count: t.stats.count,
            minBits: t.stats.min.bitPattern, maxBits: t.stats.max.bitPattern, sumBits: t.stats.sum.bitPattern,
            sumSquaresBits: t.stats.sumSquares.bitPattern)
    }

    /// Equal-width or given-edge buckets the plain way: floor of the position for equal widths,
    /// a linear search for given edges.
    static func binnedReference<T: BinaryFloatingPoint>(_ values: [T], bins: HistogramBins) -> Reference? {
        let s = statistics(values, twoChains: false)
        guard s.count > 0 else { return nil }
        var counts: [Double]
        switch bins {
        case .count(let k):
            counts = [Double](repeating: 0, count: k)
            let width = (s.max - s.min) / Double(k)
            // A range wider than the largest Double is measured in halves.
            let halfWidth = (s.max / 2 - s.min / 2) / Double(k)
            for v in values {
                let x = Double(v)
                guard x.isFinite else { continue }
                let t = width.isFinite ? (x - s.min) / width : (x / 2 - s.min / 2) / halfWidth
                let b: Int
                if width > 0 {
                    b = Int(min(max(t.rounded(.down), 0), Double(k - 1)))
                } else {
                    b = k - 1
                }
                counts[b] += 1
            }
        case .edges(let edges):
            counts = [Double](repeating: 0, count: edges.count - 1)
            for v in values where Double(v).isFinite {
                counts[searchBucket(Double(v), edges, buckets: edges.count - 1)] += 1
            }
        case .tensorflow:
            return nil
        }
        return Reference(
            counts: counts, nonFinite: s.nonFinite, count: s.count, minBits: s.min.bitPattern,
            maxBits: s.max.bitPattern, sumBits: s.sum.bitPattern, sumSquaresBits: s.sumSquares.bitPattern)
    }

    static func summary(_ h: Histogram) -> Reference {
        Reference(
            counts: h.bucketCounts, nonFinite: h.nonFiniteCount, count: Int(h.count), minBits: h.min.bitPattern,
            maxBits: h.max.bitPattern, sumBits: h.sum.bitPattern, sumSquaresBits: h.sumSquares.bitPattern)
    }

    /// Deterministic values of every kind: normal-ish, uniform, any bit pattern (subnormals,
    /// huge magnitudes, NaN, ±Inf), ±0 and values on the TensorFlow limits.
    struct Values {
        var state: UInt64

        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }

        mutating func unit() -> Double { Double(next() >> 11) / Double(1 << 53) }

        mutating func double(kind: Int) -> Double {
            switch kind {
            case 0: return (unit() + unit() + unit() - 1.5) * 2
            case 1: return Double(bitPattern: next())
            case 2: return [0.0, -0.0][Int(next() & 1)]
            case 3: return TensorFlowBuckets.limits[Int(next() % 1551)]
            case 4: return Double(bitPattern: next() & 0x000F_FFFF_FFFF_FFFF | (next() & 1) << 63)
            case 5:
                return [Double.nan, .infinity, -.infinity, .greatestFiniteMagnitude, -.greatestFiniteMagnitude][
                    Int(next() % 5)]
            default: return unit() * 1e6 - 5e5
            }
        }

        mutating func float(kind: Int) -> Float {
            switch kind {
            case 1: return Float(bitPattern: UInt32(truncatingIfNeeded: next()))
            case 4:
                return Float(
                    bitPattern: UInt32(truncatingIfNeeded: next()) & 0x007F_FFFF | 0x8000_0000 * UInt32(next() & 1))
            case 5:
                return [Float.nan, .infinity, -.infinity, .greatestFiniteMagnitude, -.leastNonzeroMagnitude][
                    Int(next() % 5)]
            default: return Float(double(kind: kind))
            }
        }

        /// `n` values, each of a kind drawn from `kinds`.
        mutating func doubles(_ n: Int, kinds: [Int]) -> [Double] {
            (0..<n).map { _ in double(kind: kinds[Int(next() % UInt64(kinds.count))]) }
        }

        mutating func floats(_ n: Int, kinds: [Int]) -> [Float] {
            (0..<n).map { _ in float(kind: kinds[Int(next() % UInt64(kinds.count))]) }
        }
    }

    /// Mixes of kinds: all finite (the fast path), with zeros, and with non-finite values.
    static let mixes: [[Int]] = [[0], [0, 2], [2], [0, 1], [1], [3, 4], [0, 3, 5], [4, 2], [6, 0], [5, 2]]
    /// Lengths around the four-value step, and longer runs.
    static let lengths = [0, 1, 2, 3, 4, 5, 6, 7, 9, 13, 64, 1001, 4000]

    @Test func tensorflowBucketsOfRandomFloatsMatchThePlainReferenceBitForBit() {
        var g = Values(state: 1)
        for mix in Self.mixes {
            for n in Self.lengths {
                let v = g.floats(n, kinds: mix)
                let tally = v.withUnsafeBufferPointer { TensorFlowBuckets.tally($0) }
                #expect(Self.tallied(tally) == Self.tensorflowReference(v), "mix \(mix), n \(n)")
            }
        }
    }

    @Test func tensorflowBucketsOfRandomDoublesMatchThePlainReferenceBitForBit() {
        var g = Values(state: 2)
        for mix in Self.mixes {
            for n in Self.lengths {
                let v = g.doubles(n, kinds: mix)
                let tally = v.withUnsafeBufferPointer { TensorFlowBuckets.tally($0) }
                #expect(Self.tallied(tally) == Self.tensorflowReference(v), "mix \(mix), n \(n)")
            }
        }
    }

    /// Inputs long enough to be tallied on two threads (counting beside the statistics), with one
    /// to three values past the last group of four.
    @Test func tensorflowBucketsTalliedOnTwoThreadsMatchThePlainReferenceBitForBit() {
        var g = Values(state: 4)
        for (mix, extra) in [([0], 3), ([0, 2], 1), ([0, 3, 5], 2), ([4, 2], 0)] {
            let n = TensorFlowBuckets.parallelThreshold + extra
            let f = g.floats(n, kinds: mix)
            let ft = f.withUnsafeBufferPointer { TensorFlowBuckets.tally($0) }
            #expect(Self.tallied(ft) == Self.tensorflowReference(f), "floats, mix \(mix), n \(n)")
            let d = g.doubles(n, kinds: mix)
            let dt = d.withUnsafeBufferPointer { TensorFlowBuckets.tally($0) }
            #expect(Self.tallied(dt) == Self.tensorflowReference(d), "doubles, mix \(mix), n \(n)")
        }
    }

    @Test func theFirstZeroDecidesTheSignOfAZeroMinimumOrMaximum() throws {
        for v: [Float] in [
            [0, -0.0, 1], [-0.0, 0, 1], [1, 2, -0.0, 0], [-1, 0, -0.0], [-1, -0.0, 0], [0, 0, 0, 0, -0.0],
        ] {
            let tally = v.withUnsafeBufferPointer { TensorFlowBuckets.tally($0) }
            #expect(Self.tallied(tally) == Self.tensorflowReference(v), "\(v)")
            let d = v.map(Double.init)
            let dt = d.withUnsafeBufferPointer { TensorFlowBuckets.tally($0) }
            #expect(Self.tallied(dt) == Self.tensorflowReference(d), "\(d)")
        }
    }

    @Test func equalWidthBinsOfRandomValuesMatchThePlainReferenceBitForBit() throws {
        var g = Values(state: 3)
        for mix in Self.mixes {
            for n in Self.lengths {
                for k in [1, 7, 30] {
                    let d = g.doubles(n, kinds: mix)
                    let f = g.floats(n, kinds: mix)
                    if let expected = Self.binnedReference(d, bins: .count(k)) {
                        #expect(
                            Self.summary(try Histogram(d, bins: .count(k))) == expected, "mix \(mix), n \(n), k \(k)")
                    }
                    if let expected = Self.binnedReference(f, bins: .count(k)) {
                        #expect(
                            Self.summary(try Histogram(f, bins: .count(k))) == expected, "mix \(mix), n \(n), k \(k)")
                    }
                }
            }
        }
    }

    @Test func givenEdgesOfRandomValuesMatchALinearSearchBitForBit() throws {
        var g = Values(state: 4)
        let edgeSets: [[Double]] = [
            [0, 1], [-1, 0, 1], [-2, -0.5, 0, 0.25, 1, 3], [-1e300, -1, 1, 1e300],
            (0...40).map { Double($0) * 0.1 - 2 }, (0...7).map { Double($0) },
        ]
        for mix in Self.mixes {
            for n in Self.lengths {
                for edges in edgeSets {
                    let d = g.doubles(n, kinds: mix)
                    if let expected = Self.binnedReference(d, bins: .edges(edges)) {
                        #expect(Self.summary(try Histogram(d, bins: .edges(edges))) == expected, "mix \(mix), n \(n)")
                    }
                    let f = g.floats(n, kinds: mix)
                    if let expected = Self.binnedReference(f, bins: .edges(edges)) {
                        #expect(Self.summary(try Histogram(f, bins: .edges(edges))) == expected, "mix \(mix), n \(n)")
                    }
                }
            }
        }
    }
}
