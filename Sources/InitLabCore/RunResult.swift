/// What a run measured, for the end-of-run table.
public struct RunResult: Sendable {
    /// The scenario's name.
    public var name: String
    /// The scenario's kind.
    public var kind: Scenario.Kind
    /// Steps trained (0 for forward-only runs).
    public var steps: Int
    /// Variance of the step-0 input batch.
    public var inputVariance: Double
    /// Variance of x·W of every layer at step 0 (the last is the logits layer).
    public var matMulVariances: [Double]
    /// Fraction of saturated outputs of every hidden layer at step 0.
    public var saturation: [Double]
    /// Variance of every hidden layer's output at step 0.
    public var outputVariances: [Double]
    /// Batch loss at step 0.
    public var initialLoss: Double
    /// Mean batch loss over the last `logEvery` steps (full runs), else the step-0 loss.
    public var finalLoss: Double
    /// Accuracy on the held-out set after training (full runs only).
    public var testAccuracy: Double?
    /// Wall-clock seconds the run took.
    public var seconds: Double
    /// Of `seconds`, the part spent computing and writing what is logged (statistics, histograms,
    /// events, test passes at log steps, step-0 images, config text, hparams session): the cost
    /// of logging, measured in the run itself.
    public var loggingSeconds: Double = 0
    /// Of `seconds`, the part spent on the end-of-run extras of a full run (final filters image,
    /// softmax and 10 PR curves on the test set, projector files of the last hidden layer).
    public var endOfRunSeconds: Double = 0
    /// Of `seconds`, the part spent writing checkpoints (flushing the log included).
    public var checkpointSeconds: Double = 0
    /// The checkpoint step the run continued from (nil: it started at step 0).
    public var resumedFrom: Int?
    /// False when the run stopped early on request (`stopBefore`) and has no end-of-run figures.
    public var completed = true

    /// A run's result, every field given (the defaults: no logging, end-of-run or checkpoint
    /// time, not resumed, completed).
    package init(
        name: String,
        kind: Scenario.Kind,
        steps: Int,
        inputVariance: Double,
        matMulVariances: [Double],
        saturation: [Double],
        outputVariances: [Double],
        initialLoss: Double,
        finalLoss: Double,
        testAccuracy: Double?,
        seconds: Double,
        loggingSeconds: Double = 0,
        endOfRunSeconds: Double = 0,
        checkpointSeconds: Double = 0,
        resumedFrom: Int? = nil,
        completed: Bool = true
    ) {
        self.name = name
        self.kind = kind
        self.steps = steps
        self.inputVariance = inputVariance
        self.matMulVariances = matMulVariances
        self.saturation = saturation
        self.outputVariances = outputVariances
        self.initialLoss = initialLoss
        self.finalLoss = finalLoss
        self.testAccuracy = testAccuracy
        self.seconds = seconds
        self.loggingSeconds = loggingSeconds
        self.endOfRunSeconds = endOfRunSeconds
        self.checkpointSeconds = checkpointSeconds
        self.resumedFrom = resumedFrom
        self.completed = completed
    }
}
