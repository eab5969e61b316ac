import TBKit
import Testing

@testable import TBKitReport

@Suite struct ScalarDownsamplerTests {
    @Test func shortSeriesAreKeptWhole() {
        #expect(ScalarDownsampler(maxPoints: 10).keptIndices(values: [1, 2, 3]) == [0, 1, 2])
    }

    @Test func longSeriesKeepFirstLastAndEveryBucketsExtremesWithinTheLimit() {
        var values = (0..<100_000).map { Double($0 % 100) * 0.01 }
        values[54_321] = 1_000  // a spike
        values[77_777] = -1_000  // a dip
        let kept = ScalarDownsampler(maxPoints: 200).keptIndices(values: values)
        #expect(kept.count <= 200)
        #expect(kept.first == 0 && kept.last == values.count - 1)
        #expect(kept.contains(54_321) && kept.contains(77_777))
        #expect(kept == kept.sorted() && Set(kept).count == kept.count)
    }

    @Test func nanInALongSeriesIsKept() {
        var values = [Double](repeating: 1, count: 10_000)
        values[5_000] = .nan
        let kept = ScalarDownsampler(maxPoints: 50).keptIndices(values: values)
        #expect(kept.contains(5_000))
    }
}
