import TBKit

/// Where a `Trainer` sends what it logs: scalars and histograms by tag and step.
///
/// `SummaryWriter` is the real destination; tests record the values instead. Histograms arrive
/// as views into the trainer's matrices, valid only during the call.
public protocol TrainingLog: AnyObject {
    /// Records one scalar point.
    func logScalar(_ tag: String, _ value: Double, step: Int) throws
    /// Records one histogram of `values` (every element of the tensor).
    func logHistogram(_ tag: String, _ values: UnsafeBufferPointer<Float>, step: Int) throws
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
}
