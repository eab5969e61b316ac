import TBKit
import Testing

@testable import TBKitReport

@Suite struct DistributionCompressorTests {
    @Test func emptyHistogramGivesZerosAtEveryBasisPoint() {
        #expect(DistributionCompressor.compress([]) == Array(repeating: 0, count: 9))
    }

    /// Two equal buckets [0, 1] and [1, 2]: the cumulative weights are 5000 and 10000, so each
    /// basis point below 5000 maps linearly onto [0, 1] and each above onto [1, 2]; 10000 passes
    /// every weight and takes max, as in TensorBoard's compress_histogram.
    @Test func twoEqualBucketsInterpolateLinearlyInsideEachBucket() {
        let buckets = [
            HistogramBucket(left: 0, right: 1, count: 1), HistogramBucket(left: 1, right: 2, count: 1),
        ]
        let bands = DistributionCompressor.compress(buckets)
        let expected = [0, 0.1336, 0.3174, 0.617, 1.0, 1.383, 1.6826, 1.8664, 2.0]
        #expect(bands.count == 9)
        for (b, e) in zip(bands, expected) { #expect(abs(b - e) < 1e-12) }
    }

    /// Empty buckets inside the range are passed over (their cumulative weight does not grow), so a
    /// basis point never lands in a gap: 5000 is reached at the end of the first bucket, the search
    /// passes the empty one, and the median is the left edge of the next non-empty bucket.
    @Test func emptyInnerBucketsAreSkipped() {
        let buckets = [
            HistogramBucket(left: -3, right: -2, count: 5), HistogramBucket(left: -2, right: 2, count: 0),
            HistogramBucket(left: 2, right: 3, count: 5),
        ]
        let bands = DistributionCompressor.compress(buckets)
        #expect(bands[3] > -3 && bands[3] < -2)
        #expect(bands[4] == 2)
        #expect(bands[5] > 2 && bands[5] < 3)
        #expect(bands[8] == 3)
    }
}
