/// Thins a long scalar series for drawing while keeping its shape: the points are cut into
/// equal runs by index and each run keeps its smallest and largest value (in step order), so
/// spikes survive; the first and the last point are always kept.
package struct ScalarDownsampler: Sendable {
    /// The most points a series keeps (at least 4).
    package var maxPoints: Int

    /// A downsampler keeping at most `maxPoints` points per series.
    package init(maxPoints: Int) {
        self.maxPoints = Swift.max(4, maxPoints)
    }

    /// The indices of the points to keep, ascending. All of them when the series is short enough.
    package func keptIndices(values: [Double]) -> [Int] {
        let n = values.count
        guard n > maxPoints else { return Array(0..<n) }
        let buckets = (maxPoints - 2) / 2
        var kept: [Int] = [0]
        kept.reserveCapacity(maxPoints)
        // Points 1 ..< n-1 split into `buckets` runs; each gives its min and its max.
        let inner = n - 2
        for b in 0..<buckets {
            let start = 1 + b * inner / buckets
            let end = 1 + (b + 1) * inner / buckets
            guard start < end else { continue }
            var lo = start
            var hi = start
            for i in start..<end {
                let v = values[i]
                // NaN is kept as an extreme so a blow-up stays visible.
                if v.isNaN {
                    lo = i
                    break
                }
                if v < values[lo] { lo = i }
                if v > values[hi] { hi = i }
            }
            if lo == hi {
                kept.append(lo)
            } else {
                kept.append(Swift.min(lo, hi))
                kept.append(Swift.max(lo, hi))
            }
        }
        kept.append(n - 1)
        return kept
    }
}
