import InitLab
import TBKit

/// A `TrainingLog` that keeps everything it is sent, with the TBKit histogram built from each tensor.
final class RecordingLog: TrainingLog {
    struct Point: Equatable {
        var tag: String
        var step: Int
        var value: Double
    }

    struct HistogramPoint: Equatable {
        var tag: String
        var step: Int
        var values: [Float]
        var histogram: Histogram
    }

    var scalars: [Point] = []
    var histograms: [HistogramPoint] = []

    func logScalar(_ tag: String, _ value: Double, step: Int) throws {
        scalars.append(Point(tag: tag, step: step, value: value))
    }

    func logHistogram(_ tag: String, _ values: UnsafeBufferPointer<Float>, step: Int) throws {
        histograms.append(HistogramPoint(tag: tag, step: step, values: Array(values), histogram: Histogram(values)))
    }

    /// The value of `tag` at `step`, if logged.
    func scalar(_ tag: String, step: Int = 0) -> Double? {
        scalars.first { $0.tag == tag && $0.step == step }?.value
    }

    /// The tensor logged as `tag` at `step`, if any.
    func tensor(_ tag: String, step: Int = 0) -> [Float]? {
        histograms.first { $0.tag == tag && $0.step == step }?.values
    }
}
