extension SummaryWriter {
    /// Logs a precision–recall curve of a binary classifier: `predictions` are scores in
    /// [0, 1] (clamped), `labels` the truth, evaluated at `numThresholds` evenly spaced
    /// thresholds (see `PRCurve` for the exact counting, TensorBoard's own). Keep `numThresholds`
    /// the same for a tag: TensorBoard reads it from the tag's first metadata only.
    public func prCurve(
        _ tag: String, labels: [Bool], predictions: [Float], weights: [Float]? = nil,
        numThresholds: Int = PRCurve.defaultThresholds, step: Int,
        wallTime: Double? = nil
    ) throws {
        let curve = try PRCurve(
            labels: labels, predictions: predictions, weights: weights,
            numThresholds: numThresholds)
        try prCurve(tag, curve, step: step, wallTime: wallTime)
    }

    /// Logs a curve computed beforehand.
    public func prCurve(_ tag: String, _ curve: PRCurve, step: Int, wallTime: Double? = nil) throws {
        try summary(tag: tag, kind: .tensor(curve.tensor), metadata: curve.metadata, step: step, wallTime: wallTime)
    }
}
