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

    struct ImagePoint: Equatable {
        var tag: String
        var step: Int
        var grid: ImageGrid
    }

    struct TextPoint: Equatable {
        var tag: String
        var step: Int
        var markdown: String
    }

    struct CurvePoint: Equatable {
        var tag: String
        var step: Int
        var curve: PRCurve
    }

    struct EmbeddingPoint: Equatable {
        var name: String
        var vectors: [Float]
        var rows: Int
        var dims: Int
        var labels: [String]
    }

    var scalars: [Point] = []
    var histograms: [HistogramPoint] = []
    var images: [ImagePoint] = []
    var texts: [TextPoint] = []
    var curves: [CurvePoint] = []
    var layouts: [CustomScalarLayout] = []
    var sessionStarts: [[String: HParamValue]] = []
    var sessionEnds: [HParams.Status] = []
    var embeddings: [EmbeddingPoint] = []

    func logScalar(_ tag: String, _ value: Double, step: Int) throws {
        scalars.append(Point(tag: tag, step: step, value: value))
    }

    func logHistogram(_ tag: String, _ values: UnsafeBufferPointer<Float>, step: Int) throws {
        histograms.append(HistogramPoint(tag: tag, step: step, values: Array(values), histogram: try Histogram(values)))
    }

    func logImage(_ tag: String, grid: ImageGrid, step: Int) throws {
        images.append(ImagePoint(tag: tag, step: step, grid: grid))
    }

    func logText(_ tag: String, _ markdown: String, step: Int) throws {
        texts.append(TextPoint(tag: tag, step: step, markdown: markdown))
    }

    func logPRCurve(_ tag: String, _ curve: PRCurve, step: Int) throws {
        curves.append(CurvePoint(tag: tag, step: step, curve: curve))
    }

    func logCustomScalarsLayout(_ layout: CustomScalarLayout) throws {
        layouts.append(layout)
    }

    func logSessionStart(_ hparams: [String: HParamValue]) throws {
        sessionStarts.append(hparams)
    }

    func logSessionEnd(_ status: HParams.Status) throws {
        sessionEnds.append(status)
    }

    func logEmbedding(_ name: String, vectors: [Float], rows: Int, dims: Int, labels: [String]) throws {
        embeddings.append(EmbeddingPoint(name: name, vectors: vectors, rows: rows, dims: dims, labels: labels))
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
