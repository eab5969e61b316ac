import TBKit

/// The histograms of one run and tag on one grid of equal bins spanning all of them, as
/// TensorBoard's histogram view redraws them: each bucket's count is spread over the bins it
/// overlaps in proportion to the overlap (a zero-width bucket goes whole into the bin holding it).
/// The total count of each histogram is kept.
package enum HistogramRebinning {
    /// The bin count TensorBoard's histogram view uses.
    package static let binCount = 30

    /// Rebins `histograms` onto `binCount` equal bins over their common range.
    package static func rebin(_ histograms: [HistogramPoint], binCount: Int = binCount) -> ReportData.Ridgelines {
        var lo = Double.infinity
        var hi = -Double.infinity
        for h in histograms {
            for b in h.buckets where b.left.isFinite && b.right.isFinite {
                lo = Swift.min(lo, b.left)
                hi = Swift.max(hi, b.right)
            }
        }
        if lo == .infinity {
            lo = 0
            hi = 0
        }
        if lo == hi {
            lo -= 0.5
            hi += 0.5
        }
        let width = (hi - lo) / Double(binCount)
        func bin(_ x: Double) -> Int { Swift.min(binCount - 1, Swift.max(0, Int(((x - lo) / width).rounded(.down)))) }
        var rows: [[Double]] = []
        rows.reserveCapacity(histograms.count)
        for h in histograms {
            var bins = [Double](repeating: 0, count: binCount)
            for b in h.buckets where b.count > 0 && b.left.isFinite && b.right.isFinite {
                if b.right <= b.left {
                    bins[bin(b.left)] += b.count
                    continue
                }
                for k in bin(b.left)...bin(b.right) {
                    let left = lo + Double(k) * width
                    let overlap = Swift.min(b.right, left + width) - Swift.max(b.left, left)
                    if overlap > 0 { bins[k] += b.count * overlap / (b.right - b.left) }
                }
            }
            rows.append(bins)
        }
        return ReportData.Ridgelines(lo: lo, hi: hi, steps: histograms.map(\.step), bins: rows)
    }
}
