import Testing

@testable import TBKit

/// Values no sane writer produces but a corrupt file (or an extreme training run) can: each test
/// holds a case that once trapped, found while fuzzing the readers (see Scripts/fuzz).
@Suite struct MalformedInputTests {
    @Test func histogramTensorWhoseRowCountTimesThreeOverflowsIsNotAHistogram() {
        // shape [2^62, 3]: 2^62 * 3 does not fit in an Int64; six real values must not make it a histogram.
        let rows: [Double] = [-1, 0, 3, 0, 1, 2]
        let content = rows.withUnsafeBytes { Array($0) }
        let tensor = TensorProto(dtype: .double, shape: [1 << 62, 3], content: content)
        #expect(HistogramPoint(tag: "h", step: 0, wallTime: 0, tensor: tensor) == nil)
        // The same rows with the true shape still read.
        let sound = TensorProto(dtype: .double, shape: [2, 3], content: content)
        #expect(HistogramPoint(tag: "h", step: 0, wallTime: 0, tensor: sound)?.buckets.count == 2)
    }

    @Test func histogramTensorDecodedFromBytesWithAHugeRowCountIsNotAHistogram() throws {
        // dtype DT_DOUBLE, shape {dim{size: 2^62}, dim{size: 3}}, tensor_content of 48 zero bytes.
        var w = ProtoWriter()
        w.writeVarintField(1, 2)
        w.writeMessageField(2) { s in
            s.writeMessageField(2) { $0.writeVarintField(1, 1 << 62) }
            s.writeMessageField(2) { $0.writeVarintField(1, 3) }
        }
        w.writeBytesField(4, [UInt8](repeating: 0, count: 48))
        let tensor = try w.bytes.withUnsafeBytes { raw throws(ProtoDecodingError) in try TensorProto(decoding: raw) }
        #expect(tensor.shape == [1 << 62, 3])
        #expect(HistogramPoint(tag: "h", step: 0, wallTime: 0, tensor: tensor) == nil)
        var classifier = ValueClassifier()
        let value = SummaryValue(tag: "h", metadata: SummaryMetadata(pluginName: .histograms), kind: .tensor(tensor))
        guard case .other = classifier.classify(value, step: 0, wallTime: 0) else {
            Issue.record("a tensor whose shape does not match its values was classified as a histogram")
            return
        }
    }

    @Test func elementCountIsNilWhenTheShapeProductOverflows() {
        #expect(TensorProto(dtype: .float, shape: [1 << 40, 1 << 40]).elementCount == nil)
        #expect(TensorProto(dtype: .float, shape: [2, 3]).elementCount == 6)
        #expect(TensorProto(dtype: .float, shape: []).elementCount == 1)
    }

    @Test func equalWidthBucketsSpanningTheWholeDoubleRangeCountEveryValue() throws {
        let m = Double.greatestFiniteMagnitude
        let h = try Histogram([-m, 0, m], bins: .count(4))
        #expect(h.bucketCounts == [1, 0, 1, 1])
        // Edges finite and ascending from -max to max (inner edges to rounding: the width is taken in halves).
        #expect(h.leftEdges.first == -m && h.rightEdges.last == m)
        #expect(h.leftEdges[2] == 0 && h.rightEdges[1] == 0)
        #expect(zip(h.leftEdges, h.rightEdges).allSatisfy { $0.isFinite && $1.isFinite && $0 < $1 })
        #expect(abs(h.leftEdges[1] / (-m / 2) - 1) < 1e-15 && abs(h.rightEdges[2] / (m / 2) - 1) < 1e-15)
    }
}
