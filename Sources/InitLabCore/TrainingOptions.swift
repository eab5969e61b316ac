/// Sizes and seed of a run; the defaults are the study's.
public struct TrainingOptions: Sendable, Equatable {
    /// Adam steps of a full run.
    public var iterations = 1000
    /// Training batch size of a full run.
    public var batchSize = 30
    /// Log every this many steps (step 0 included).
    public var logEvery = 50
    /// Seed of the weight and batch streams: the same seed gives the same run.
    public var seed: UInt64 = 0
    /// Whether a full run also logs `test_acc` at every log step (it always does at the end);
    /// each costs a forward pass over the test set.
    public var testAccuracyAtLogSteps = false
    /// The data set's name as the run's `config` text states it (the split sizes are added).
    public var dataSet = "mnist-5k (embedded)"

    /// The study's settings, optionally changed.
    public init(
        iterations: Int = 1000, batchSize: Int = 30, logEvery: Int = 50, seed: UInt64 = 0,
        testAccuracyAtLogSteps: Bool = false, dataSet: String = "mnist-5k (embedded)"
    ) {
        self.iterations = iterations
        self.batchSize = batchSize
        self.logEvery = logEvery
        self.seed = seed
        self.testAccuracyAtLogSteps = testAccuracyAtLogSteps
        self.dataSet = dataSet
    }
}
