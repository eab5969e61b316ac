import TBKit
import Testing

@testable import TBKitReport

@Suite struct HistogramRebinningTests {
    func point(_ step: Int64, _ buckets: [(Double, Double, Double)]) -> HistogramPoint {
        HistogramPoint(
            tag: "h", step: step, wallTime: 0,
            buckets: buckets.map { HistogramBucket(left: $0.0, right: $0.1, count: $0.2) },
            min: buckets.first?.0 ?? 0, max: buckets.last?.1 ?? 0, num: buckets.reduce(0) { $0 + $1.2 }, sum: 0,
            sumSquares: 0, exactStatistics: false)
    }

    @Test func countsSpreadByOverlapOverOneRangeForAllStepsAndTotalsAreKept() {
        let r = HistogramRebinning.rebin(
            [point(0, [(0, 1, 3)]), point(5, [(0, 0.5, 1), (0.5, 3, 5)]), point(9, [(2, 2, 7)])], binCount: 3)
        #expect(r.lo == 0 && r.hi == 3 && r.steps == [0, 5, 9])
        #expect(r.bins[0] == [3, 0, 0])
        #expect(r.bins[1] == [2, 2, 2])  // 1 + 5 * 0.5/2.5, then 5 * 1/2.5 twice
        #expect(r.bins[2] == [0, 0, 7])  // a zero-width bucket goes whole into its bin
        for (row, h) in zip(r.bins, [3.0, 6, 7]) { #expect(abs(row.reduce(0, +) - h) < 1e-12) }
    }

    @Test func noHistogramsOrOnlyEmptyOnesGiveAUnitRangeOfZeros() {
        let r = HistogramRebinning.rebin([point(1, [])])
        #expect(r.lo == -0.5 && r.hi == 0.5 && r.bins == [[Double](repeating: 0, count: 30)])
        #expect(HistogramRebinning.rebin([]).bins.isEmpty)
    }
}
