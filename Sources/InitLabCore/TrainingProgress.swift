/// Where a run is, for a progress display (sent after every step).
public struct TrainingProgress: Sendable {
    /// The run's name.
    public var run: String
    /// Steps done.
    public var step: Int
    /// Steps in the run.
    public var total: Int
    /// Loss of the last batch.
    public var loss: Double
    /// Accuracy of the last batch.
    public var accuracy: Double

    /// A progress report of `run` at `step` of `total`, with the last batch's loss and accuracy.
    package init(run: String, step: Int, total: Int, loss: Double, accuracy: Double) {
        self.run = run
        self.step = step
        self.total = total
        self.loss = loss
        self.accuracy = accuracy
    }
}
