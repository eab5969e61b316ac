import TBKit

/// TensorBoard's distribution view of one histogram: the value reached at each of a fixed set of
/// cumulative weights (basis points, 1/100 of a percent), interpolated linearly inside buckets.
///
/// This follows `compress_histogram` of TensorBoard's distribution plugin step for step (the
/// search for the first bucket whose cumulative weight passes a basis point, the skip over empty
/// buckets, the clamping of edges to the histogram's range), so the bands the report draws are
/// the bands TensorBoard draws for the same buckets.
package enum DistributionCompressor {
    /// The basis points TensorBoard uses: the median and ±0.5, 1, 1.5 standard deviations of a
    /// normal distribution, and the extremes.
    package static let normalBasisPoints: [Double] = [0, 668, 1587, 3085, 5000, 6915, 8413, 9332, 10000]

    /// The value at each basis point of `buckets` (ascending, v2 `[left, right, count]` form).
    /// An empty bucket list gives zeros, as TensorBoard does.
    package static func compress(
        _ buckets: [HistogramBucket], basisPoints bps: [Double] = normalBasisPoints
    ) -> [Double] {
        guard let first = buckets.first, let last = buckets.last, let top = bps.last else {
            return bps.map { _ in 0 }
        }
        let minimum = first.left
        let maximum = last.right
        var total = 0.0
        for b in buckets { total += b.count }
        let scale = total == 0 ? 1.0 : total
        // Cumulative weights as numpy computes them: each count scaled first, then summed.
        var weights: [Double] = []
        weights.reserveCapacity(buckets.count)
        var running = 0.0
        for b in buckets {
            running += b.count * top / scale
            weights.append(running)
        }
        var result: [Double] = []
        result.reserveCapacity(bps.count)
        var j = 0
        outer: while j < bps.count {
            var i = upperBound(weights, bps[j])
            while i < weights.count {
                let cumsum = weights[i]
                let previous = i > 0 ? weights[i - 1] : 0
                if cumsum == previous {
                    i += 1
                    continue
                }
                let lhs = (i == 0 || previous == 0) ? minimum : Swift.max(buckets[i - 1].right, minimum)
                let rhs = Swift.min(buckets[i].right, maximum)
                result.append(lhs + (bps[j] - previous) * (rhs - lhs) / (cumsum - previous))
                j += 1
                continue outer
            }
            break
        }
        while j < bps.count {
            result.append(maximum)
            j += 1
        }
        return result
    }

    /// The first index whose weight is greater than `x` (numpy's `searchsorted(side="right")`).
    static func upperBound(_ weights: [Double], _ x: Double) -> Int {
        var lo = 0
        var hi = weights.count
        while lo < hi {
            let mid = (lo + hi) >> 1
            if weights[mid] <= x { lo = mid + 1 } else { hi = mid }
        }
        return lo
    }
}
