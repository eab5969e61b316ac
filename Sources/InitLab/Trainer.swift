import Foundation

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

    /// The study's settings, optionally changed.
    public init(iterations: Int = 1000, batchSize: Int = 30, logEvery: Int = 50, seed: UInt64 = 0,
                testAccuracyAtLogSteps: Bool = false) {
        self.iterations = iterations
        self.batchSize = batchSize
        self.logEvery = logEvery
        self.seed = seed
        self.testAccuracyAtLogSteps = testAccuracyAtLogSteps
    }
}

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
}

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
    /// events, test passes at log steps): the cost of logging, measured in the run itself.
    public var loggingSeconds: Double = 0
}

/// Runs scenarios: builds the network from the scenario and the seed, walks the batches, and sends
/// every logged quantity to a `TrainingLog` (tags as in the study: input_var, mat_mul_hist_N,
/// mat_mul_var_N, fc_out_N, loss, acc, test_acc, weights_N, grads_N, saturation_N, fc_out_var_N).
public enum Trainer {
    /// Name of the random stream the weights are drawn from (derived from the seed).
    public static let weightStream = "weights"
    /// Name of the random stream the batches are drawn from (derived from the seed).
    public static let batchStream = "batches"

    /// The network `scenario` starts from with this seed (what `run` trains).
    public static func initialNetwork(for scenario: Scenario, inputs: Int = 784, seed: UInt64) -> Network {
        var rng = SeededGenerator(seed: seed, stream: weightStream)
        return Network(inputs: inputs, hidden: scenario.hiddenLayers, outputs: 10,
                       hiddenActivation: scenario.activation, hiddenInitializer: scenario.hiddenInitializer,
                       outputInitializer: scenario.outputInitializer, rng: &rng)
    }

    /// Runs `scenario` on `data`. With `log` nil nothing is measured beyond the result's figures
    /// (for timing the cost of logging). `progress` is called after every step.
    public static func run(_ scenario: Scenario, data: MNIST.Splits, options: TrainingOptions = TrainingOptions(),
                           log: TrainingLog?, progress: ((TrainingProgress) -> Void)? = nil) throws -> RunResult {
        let clock = ContinuousClock()
        let start = clock.now
        var network = initialNetwork(for: scenario, inputs: data.train.images.columns, seed: options.seed)
        var sampler = EpochSampler(count: data.train.count, rng: SeededGenerator(seed: options.seed, stream: batchStream))
        var images = Matrix(rows: 0, columns: 0)
        var labels: [UInt8] = []
        var result = RunResult(name: scenario.name, kind: scenario.kind, steps: 0, inputVariance: 0, matMulVariances: [],
                               saturation: [], outputVariances: [], initialLoss: 0, finalLoss: 0, testAccuracy: nil, seconds: 0)

        switch scenario.kind {
        case .firstPass, .deepForward:
            let count: Int
            if case .firstPass(let b) = scenario.kind {
                count = b
                data.train.gather(sampler.next(count), images: &images, labels: &labels)
            } else if case .deepForward(let n) = scenario.kind {
                count = min(n, data.train.count)
                data.train.gather(Array(0..<count)[...], images: &images, labels: &labels)
            } else { count = 0 }
            network.forward(images)
            let (loss, correct) = network.evaluate(labels: labels)
            let logStart = clock.now
            try snapshot(network, input: images, loss: loss, accuracy: Double(correct) / Double(count),
                         gradients: false, step: 0, log: log, into: &result)
            result.loggingSeconds += seconds(clock.now - logStart)
            result.initialLoss = loss
            result.finalLoss = loss
            progress?(TrainingProgress(run: scenario.name, step: 1, total: 1, loss: loss, accuracy: Double(correct) / Double(count)))

        case .fullTrain:
            let window = max(1, min(options.logEvery, options.iterations))
            var recent = [Double](repeating: 0, count: window)
            for step in 0..<options.iterations {
                data.train.gather(sampler.next(options.batchSize), images: &images, labels: &labels)
                network.forward(images)
                let (loss, correct) = network.backward(input: images, labels: labels)
                let accuracy = Double(correct) / Double(options.batchSize)
                recent[step % window] = loss
                if step == 0 { result.initialLoss = loss }
                if step % options.logEvery == 0 {
                    let logStart = clock.now
                    if log != nil || step == 0 {
                        try snapshot(network, input: images, loss: loss, accuracy: accuracy,
                                     gradients: true, step: step, log: log, into: &result)
                    }
                    if let log, options.testAccuracyAtLogSteps, step > 0 {
                        let acc = network.accuracy(images: data.test.images, labels: data.test.labels)
                        try log.logScalar("test_acc", acc, step: step)
                    }
                    result.loggingSeconds += seconds(clock.now - logStart)
                }
                network.applyAdam()
                progress?(TrainingProgress(run: scenario.name, step: step + 1, total: options.iterations,
                                           loss: loss, accuracy: accuracy))
            }
            let seen = min(window, options.iterations)
            result.finalLoss = seen > 0 ? recent.prefix(seen).reduce(0, +) / Double(seen) : 0
            result.steps = options.iterations
            let testAccuracy = network.accuracy(images: data.test.images, labels: data.test.labels)
            result.testAccuracy = testAccuracy
            try log?.logScalar("test_acc", testAccuracy, step: options.iterations)
        }
        result.seconds = seconds(clock.now - start)
        return result
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Logs everything the study looks at for the network's last forward (and backward) pass,
    /// and keeps the step-0 figures in `result`.
    static func snapshot(_ network: Network, input: Matrix, loss: Double, accuracy: Double, gradients: Bool,
                         step: Int, log: TrainingLog?, into result: inout RunResult) throws {
        let inputVariance = Statistics.variance(input)
        var matMulVariances: [Double] = []
        var saturation: [Double] = []
        var outputVariances: [Double] = []
        try log?.logScalar("input_var", inputVariance, step: step)
        let last = network.layers.count - 1
        for (i, layer) in network.layers.enumerated() {
            let n = i + 1
            let mmVar = Statistics.variance(layer.matMul)
            matMulVariances.append(mmVar)
            if i < last {
                let (sat, outVar) = layer.output.withUnsafeBufferPointer { (layer.activation.saturation($0), Statistics.variance($0)) }
                saturation.append(sat)
                outputVariances.append(outVar)
            }
            guard let log else { continue }
            try layer.matMul.withUnsafeBufferPointer { try log.logHistogram("mat_mul_hist_\(n)", $0, step: step) }
            try log.logScalar("mat_mul_var_\(n)", mmVar, step: step)
            try layer.output.withUnsafeBufferPointer { try log.logHistogram("fc_out_\(n)", $0, step: step) }
            if i < last {
                try log.logScalar("fc_out_var_\(n)", outputVariances[i], step: step)
                try log.logScalar("saturation_\(n)", saturation[i], step: step)
            }
            try layer.weights.withUnsafeBufferPointer { try log.logHistogram("weights_\(n)", $0, step: step) }
            if gradients {
                try layer.weightGradient.withUnsafeBufferPointer { try log.logHistogram("grads_\(n)", $0, step: step) }
            }
        }
        try log?.logScalar("loss", loss, step: step)
        try log?.logScalar("acc", accuracy, step: step)
        if step == 0 {
            result.inputVariance = inputVariance
            result.matMulVariances = matMulVariances
            result.saturation = saturation
            result.outputVariances = outputVariances
        }
    }
}
