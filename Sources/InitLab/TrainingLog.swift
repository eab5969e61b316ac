import InitLabCore
import TBKit

/// Where a `Trainer` sends what it logs: scalars and histograms by tag and step, and the pictures,
/// text, curves, hparams session and embedding that make the other dashboards show the run.
///
/// `SummaryWriter` is the real destination; tests record the values instead. Histograms arrive
/// as views into the trainer's matrices, valid only during the call.
public protocol TrainingLog: AnyObject {
    /// Records one scalar point.
    func logScalar(_ tag: String, _ value: Double, step: Int) throws
    /// Records one histogram of `values` (every element of the tensor).
    func logHistogram(_ tag: String, _ values: UnsafeBufferPointer<Float>, step: Int) throws
    /// Records one gray image grid (filters, input digits).
    func logImage(_ tag: String, grid: ImageGrid, step: Int) throws
    /// Records Markdown text.
    func logText(_ tag: String, _ markdown: String, step: Int) throws
    /// Records one precision–recall curve.
    func logPRCurve(_ tag: String, _ curve: PRCurve, step: Int) throws
    /// Records the custom scalars dashboard's layout (once per run, step 0).
    func logCustomScalarsLayout(_ layout: CustomScalarLayout) throws
    /// Marks the run as one hparams session with these values (once per run, before anything else).
    func logSessionStart(_ hparams: [String: HParamValue]) throws
    /// Records how the run's hparams session ended.
    func logSessionEnd(_ status: HParams.Status) throws
    /// Records an embedding for the projector: `rows` × `dims` values, row-major, one label a row.
    func logEmbedding(_ name: String, vectors: [Float], rows: Int, dims: Int, labels: [String]) throws
    /// Makes everything logged so far durable against the process dying (before a checkpoint:
    /// a run resumed from it logs nothing of the steps before it again).
    func flush() throws
}

extension SummaryWriter: TrainingLog {
    /// Writes the scalar as a float32 point.
    public func logScalar(_ tag: String, _ value: Double, step: Int) throws {
        try scalar(tag, value, step: step)
    }

    /// Writes a TensorFlow-bucketed histogram straight from the buffer (no copy).
    public func logHistogram(_ tag: String, _ values: UnsafeBufferPointer<Float>, step: Int) throws {
        try histogram(tag, values, step: step)
    }

    /// Writes the grid as one PNG image.
    public func logImage(_ tag: String, grid: ImageGrid, step: Int) throws {
        try image(tag, grid: grid, step: step)
    }

    /// Writes a text summary (rendered as Markdown).
    public func logText(_ tag: String, _ markdown: String, step: Int) throws {
        try text(tag, markdown, step: step)
    }

    /// Writes a pr_curves summary.
    public func logPRCurve(_ tag: String, _ curve: PRCurve, step: Int) throws {
        try prCurve(tag, curve, step: step)
    }

    /// Writes the layout at step 0.
    public func logCustomScalarsLayout(_ layout: CustomScalarLayout) throws {
        try customScalarsLayout(layout, step: 0)
    }

    /// Writes `_hparams_/session_start_info` (start time: now).
    public func logSessionStart(_ hparams: [String: HParamValue]) throws {
        try hparamsSessionStart(hparams)
    }

    /// Writes `_hparams_/session_end_info` (end time: now).
    public func logSessionEnd(_ status: HParams.Status) throws {
        try hparamsSessionEnd(status: status)
    }

    /// Writes the embedding's TSV files and config into this writer's run directory.
    public func logEmbedding(_ name: String, vectors: [Float], rows: Int, dims: Int, labels: [String]) throws {
        try Projector.writeEmbedding(
            runDirectory: localDirectory, name: name, vectors: vectors, rows: rows, dims: dims,
            labels: labels)
    }
}
