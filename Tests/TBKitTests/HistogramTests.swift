import Testing

@testable import TBKit

@Suite struct HistogramTests {
    /// upper_bound over the limits, clamped, as TensorFlow's histogram.cc assigns buckets.
    func referenceBucket(_ x: Double) -> Int {
        let limits = TensorFlowBuckets.limits
        var l = 0
        var r = limits.count
        while l < r {
            let m = (l + r) >> 1
            if limits[m] <= x { l = m + 1 } else { r = m }
        }
        return min(l, limits.count - 1)
    }

    func tableBucket(_ x: Double) -> Int {
        let limits = TensorFlowBuckets.limits
        var b = Int(TensorFlowBuckets.lookup[Int(x.bitPattern >> 48)])
        if b < limits.count - 1 && x >= limits[b] { b += 1 }
        return b
    }

    @Test func tensorflowLimitsAre1551WithZeroInTheMiddleAndDblMaxAtTheEnds() {
        let limits = TensorFlowBuckets.limits
        #expect(limits.count == 1551)
        #expect(limits[775] == 0)
        #expect(limits[776] == 1e-12)
        #expect(limits.last == Double.greatestFiniteMagnitude)
        #expect(limits.first == -Double.greatestFiniteMagnitude)
        #expect(abs(limits[1549] - 9.9207756e19) / 9.9207756e19 < 1e-7)
        for i in 1..<limits.count { #expect(limits[i - 1] < limits[i]) }
    }

    @Test func lookupTableAgreesWithBinarySearchOnEveryLimitAndItsNeighbours() {
        for limit in TensorFlowBuckets.limits {
            for x in [limit, limit.nextUp, limit.nextDown, limit * 1.05, limit * 0.95] where x.isFinite {
                #expect(tableBucket(x) == referenceBucket(x), "x = \(x)")
            }
        }
    }

    @Test func lookupTableAgreesWithBinarySearchOnRandomValuesOfEveryScale() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200_000 {
            let x = Double(bitPattern: rng.next())
            guard x.isFinite else { continue }
            #expect(tableBucket(x) == referenceBucket(x))
        }
        for x in [0.0, -0.0, Double.leastNonzeroMagnitude, -Double.leastNonzeroMagnitude, 1e-300, -1e-300] {
            #expect(tableBucket(x) == referenceBucket(x))
        }
    }

    @Test func floatValuesNextToEveryLimitLandInTheBucketTensorFlowWouldPick() {
        var floats = [Float]()
        for limit in TensorFlowBuckets.limits where abs(limit) < 3e38 {
            let f = Float(limit)
            floats += [f, f.nextUp, f.nextDown]
        }
        let tally = floats.withUnsafeBufferPointer { TensorFlowBuckets.tally($0) }
        var expected = [UInt32](repeating: 0, count: TensorFlowBuckets.limits.count)
        for f in floats { expected[referenceBucket(Double(f))] += 1 }
        #expect(tally.counts == expected)
        #expect(tally.nonFinite == 0)
    }

    @Test func statisticsAndCountsMatchTheValues() throws {
        let values: [Double] = [-2.5, -1, 0, 0, 1e-13, 0.5, 3, 3, 1e6]
        let h = try Histogram(values)
        #expect(h.min == -2.5)
        #expect(h.max == 1e6)
        #expect(h.count == 9)
        #expect(h.sum == values.reduce(0, +))
        #expect(h.sumSquares == values.reduce(0) { $0 + $1 * $1 })
        #expect(h.bucketCounts.reduce(0, +) == 9)
        // Each non-empty bucket's limit is the first limit above its values.
        let p = h.proto
        #expect(p.bucketLimits.count == p.buckets.count)
        #expect(p.bucketLimits.last! > 1e6)
        #expect(p.bucketLimits.first! > -2.5)
    }

    @Test func emptyOuterRunsAreDroppedAndInteriorRunsCollapse() throws {
        let h = try Histogram([1.0, 1000.0] as [Double])
        // non-empty, one collapsed empty run, non-empty: exactly three entries.
        #expect(h.proto.buckets == [1, 0, 1])
        #expect(h.proto.bucketLimits[0] > 1.0)
        #expect(h.proto.bucketLimits[2] > 1000.0)
        #expect(h.leftEdges.first == 1.0)
        #expect(h.rightEdges.last == 1000.0)
    }

    @Test func nanAndInfinityAreLeftOutAndCounted() throws {
        let h = try Histogram([1, .nan, 2, .infinity, -.infinity] as [Float])
        #expect(h.count == 2)
        #expect(h.nonFiniteCount == 3)
        #expect(h.min == 1 && h.max == 2 && h.sum == 3)
        #expect(h.bucketCounts.reduce(0, +) == 2)
    }

    @Test func equalWidthBinsSpanMinToMax() throws {
        let values = (0..<100).map { Double($0) }
        let h = try Histogram(values, bins: .count(10))
        #expect(h.bucketCounts == Array(repeating: 10, count: 10))
        #expect(h.leftEdges.first == 0 && h.rightEdges.last == 99)
        let t = h.tensor
        #expect(t.shape == [10, 3])
        #expect(t.dtype == .double)
        #expect(t.content.count == 10 * 24)
    }

    @Test func constantValuesFallInOneBucket() throws {
        let h = try Histogram([Float](repeating: 2, count: 7), bins: .count(5))
        #expect(h.bucketCounts.last == 7)
        #expect(h.bucketCounts.reduce(0, +) == 7)
    }

    @Test func givenEdgesCountOutliersInTheOuterBuckets() throws {
        let h = try Histogram([-5, 0.5, 1.5, 2.5, 9] as [Double], bins: .edges([0, 1, 2, 3]))
        #expect(h.bucketCounts == [2, 1, 2])
        #expect(h.proto.bucketLimits == [1, 2, 3])
    }

    @Test func floatAndDoubleInputsGiveTheSameHistogram() throws {
        var rng = SystemRandomNumberGenerator()
        let floats = (0..<10_000).map { _ in Float.random(in: -3...3, using: &rng) }
        let a = try Histogram(floats)
        let b = try Histogram(floats.map(Double.init))
        #expect(a.bucketCounts == b.bucketCounts)
        #expect(a.proto.bucketLimits == b.proto.bucketLimits)
        #expect(a.min == b.min && a.max == b.max && a.count == b.count)
        // Sums may differ in the last bits: the two paths add in different orders.
        #expect(abs(a.sum - b.sum) <= 1e-9 * max(1, abs(b.sum)))
        #expect(abs(a.sumSquares - b.sumSquares) <= 1e-12 * b.sumSquares)
    }
}
