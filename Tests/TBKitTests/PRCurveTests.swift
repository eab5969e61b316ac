import TBKit
import Testing

@Suite struct PRCurveTests {
    @Test func countsArePredictionsAtOrAboveEachThreshold() throws {
        // Thresholds 0, 0.5, 1; buckets floor(p × 2): 0.9→1, 0.8→1, 0.3→0, 0.1→0, 1.0→2.
        let curve = try PRCurve(
            labels: [true, false, true, false, true], predictions: [0.9, 0.8, 0.3, 0.1, 1.0],
            numThresholds: 3)
        #expect(curve.truePositives == [3, 2, 1])
        #expect(curve.falsePositives == [2, 1, 0])
        #expect(curve.trueNegatives == [0, 1, 2])
        #expect(curve.falseNegatives == [0, 1, 2])
        #expect(curve.precision == [0.6, 2.0 / 3, 1])
        #expect(curve.recall == [1, 2.0 / 3, 1.0 / 3])
    }

    @Test func emptyColumnsHavePrecisionZeroNotNaN() throws {
        let curve = try PRCurve(labels: [true], predictions: [0.2], numThresholds: 5)
        #expect(curve.precision == [1, 0, 0, 0, 0])
        #expect(curve.recall == [1, 0, 0, 0, 0])
    }

    @Test func outOfRangePredictionsAreClampedAndNaNSkipped() throws {
        let curve = try PRCurve(labels: [true, false, true], predictions: [7, -1, .nan], numThresholds: 2)
        #expect(curve.truePositives == [1, 1])
        #expect(curve.falsePositives == [1, 0])
    }

    @Test func tensorIsFloat6ByNRowMajorAndMetadataHoldsN() throws {
        let curve = try PRCurve(labels: [true, false], predictions: [1, 0], numThresholds: 2)
        let t = curve.tensor
        #expect(t.dtype == .float && t.shape == [6, 2])
        let floats = t.content.withUnsafeBytes { Array($0.bindMemory(to: Float.self)) }
        // TP [1,1], FP [1,0], TN [0,1], FN [0,0], precision [0.5,1], recall [1,1].
        #expect(floats == [1, 1, 1, 0, 0, 1, 0, 0, 0.5, 1, 1, 1])
        #expect(curve.metadata.pluginName == .prCurves && curve.metadata.content == [0x10, 0x02])
        // 201 thresholds: `10 c9 01`, as the official runtime serializes PrCurvePluginData.
        #expect(try PRCurve(labels: [], predictions: []).metadata.content == [0x10, 0xC9, 0x01])
    }

    @Test func mismatchedLengthsAndTooFewThresholdsAreErrors() {
        #expect(throws: PRCurve.Error.self) { try PRCurve(labels: [true], predictions: [0.1, 0.2]) }
        #expect(throws: PRCurve.Error.self) { try PRCurve(labels: [true], predictions: [0.1], numThresholds: 1) }
        #expect(throws: PRCurve.Error.self) { try PRCurve(labels: [true], predictions: [0.1], weights: []) }
    }
}
