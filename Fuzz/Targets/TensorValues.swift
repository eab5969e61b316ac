import TBKit

// libFuzzer target: decoded tensors and histograms turned into numbers.
//
// The first byte picks the path; the rest is a TensorProto or HistogramProto payload, or raw
// doubles for bucketing:
//   0: TensorProto -> numericValues, elementCount, v2 histogram, classification as scalar/histogram
//   1: HistogramProto -> v1 histogram conversion, mean and standard deviation
//   2: raw little-endian doubles (and floats) -> Histogram with TensorFlow, equal-width and given buckets
#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTensorValues(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard size > 0 else { return 0 }
    let mode = data[0] % 3
    let bytes = UnsafeRawBufferPointer(start: data + 1, count: size - 1)
    switch mode {
    case 0:
        guard let tensor = try? TensorProto(decoding: bytes) else { return 0 }
        if let values = tensor.numericValues() {
            check(values.count <= bytes.count, "more values than input bytes")
        }
        _ = tensor.elementCount
        _ = HistogramPoint(tag: "t", step: 0, wallTime: 0, tensor: tensor)
        for plugin in [PluginName.scalars, .histograms, .images, .unnamed] {
            var classifier = ValueClassifier()
            let metadata = SummaryMetadata(pluginName: plugin)
            _ = classifier.classify(
                SummaryValue(tag: "t", metadata: metadata, kind: .tensor(tensor)), step: 1, wallTime: 1)
        }
    case 1:
        guard let proto = try? HistogramProto(decoding: bytes) else { return 0 }
        let point = HistogramPoint(tag: "h", step: 0, wallTime: 0, histogram: proto)
        check(point.buckets.count <= Swift.min(proto.buckets.count, proto.bucketLimits.count))
        _ = point.mean
        _ = point.standardDeviation
        var classifier = ValueClassifier()
        _ = classifier.classify(SummaryValue(tag: "h", kind: .histogram(proto)), step: 1, wallTime: 1)
    default:
        let n = bytes.count / 8
        var doubles = [Double](repeating: 0, count: n)
        doubles.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<(n * 8)])) }
        let m = bytes.count / 4
        var floats = [Float](repeating: 0, count: m)
        floats.withUnsafeMutableBytes { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[0..<(m * 4)])) }
        let k = 1 + Int(data[0] >> 2)
        for bins in [HistogramBins.tensorflow, .count(k), .edges(doubles.prefix(k + 1).sorted())] {
            // Bins that fail validation must be refused by both initialisers, and only those.
            let valid = (try? bins.validate()) != nil
            let h = try? Histogram(doubles, bins: bins)
            let f = try? Histogram(floats, bins: bins)
            check((h != nil) == valid && (f != nil) == valid, "bins validation and Histogram disagree")
            for hist in [h, f].compactMap({ $0 }) {
                check(hist.bucketCounts.count == hist.leftEdges.count && hist.leftEdges.count == hist.rightEdges.count)
                _ = hist.proto
                let tensor = hist.tensor
                // What the writer produced must read back as a histogram.
                check(
                    HistogramPoint(tag: "w", step: 0, wallTime: 0, tensor: tensor) != nil,
                    "a written v2 histogram does not read back")
            }
        }
    }
    return 0
}
