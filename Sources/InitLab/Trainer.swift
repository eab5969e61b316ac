import Foundation
import InitLabCore
import TBKit

/// Runs scenarios: builds the network from the scenario and the seed, walks the batches, and sends
/// every logged quantity to a `TrainingLog` (tags as in the study: input_var, mat_mul_hist_N,
/// mat_mul_var_N, fc_out_N, loss, acc, test_acc, weights_N, grads_N, saturation_N, fc_out_var_N).
///
/// Beside those, every run logs at step 0 its hparams session, its `config` (Markdown table), the
/// custom scalars layout, `filters_1` (the first 64 units' incoming weights as 28x28 tiles, 8x8)
/// and `input_digits` (the first batch, at most 100). A full run also logs at its last step
/// `filters_1` again, `pr_curve/class_0`...`class_9` (softmax on the test set) and the projector
/// embedding `fc_out_<last hidden>` (the last hidden layer for the first 1,000 test images).
public enum Trainer {
    /// Name of the random stream the weights are drawn from (derived from the seed).
    package static let weightStream = "weights"
    /// Name of the random stream the batches are drawn from (derived from the seed).
    package static let batchStream = "batches"

    /// The network `scenario` starts from with this seed (what `run` trains).
    package static func initialNetwork(for scenario: Scenario, inputs: Int = 784, seed: UInt64) -> Network {
        var rng = SeededGenerator(seed: seed, stream: weightStream)
        return Network(
            inputs: inputs, hidden: scenario.hiddenLayers, outputs: 10,
            hiddenActivation: scenario.activation, hiddenInitializer: scenario.hiddenInitializer,
            outputInitializer: scenario.outputInitializer, rng: &rng)
    }

    /// Checks that the checkpoint at `path` belongs to `scenario` run with `options` on `data`
    /// (same settings, see `TrainingCheckpoint.settings`); throws `CheckpointError.settingsDiffer`.
    package static func check(
        _ checkpoint: TrainingCheckpoint, path: String, scenario: Scenario, options: TrainingOptions,
        data: MNIST.Splits
    ) throws {
        let differences = checkpoint.differences(
            from: TrainingCheckpoint.settings(for: scenario, options: options, data: data))
        guard differences.isEmpty else { throw CheckpointError.settingsDiffer(path: path, differences: differences) }
        guard checkpoint.step <= (scenario.trains ? options.iterations : 0) else {
            throw CheckpointError.shapeMismatch(
                path: path, reason: "its step \(checkpoint.step) lies past the run's \(options.iterations) iterations")
        }
        guard scenario.trains || checkpoint.finished else {
            throw CheckpointError.shapeMismatch(
                path: path, reason: "\(scenario.name) does not train, so an unfinished checkpoint cannot continue it")
        }
    }

    /// The run's hparams session, its config text and the dashboards' layout, logged once at
    /// the start of a run (not of a resumed one). Out of line, as the rest of `run`'s cold steps.
    @inline(never)
    private static func logStartOfRun(
        _ scenario: Scenario, data: MNIST.Splits, options: TrainingOptions, log: TrainingLog
    ) throws {
        let config = RunConfiguration(
            scenario: scenario, options: options, inputs: data.train.images.columns,
            trainCount: data.train.count, testCount: data.test.count)
        try log.logSessionStart(config.hparams)
        try log.logText("config", config.markdown, step: 0)
        try log.logCustomScalarsLayout(StudyDashboards.customScalarsLayout)
    }

    /// Puts a checkpoint's network, sampler, recent losses and figures back in place.
    @inline(never)
    private static func restore(
        _ resume: (path: String, checkpoint: TrainingCheckpoint), into network: inout Network,
        sampler: inout EpochSampler, window: Int, recent: inout [Double], result: inout RunResult
    ) throws {
        let saved = resume.checkpoint
        try saved.restore(into: &network, sampler: &sampler, window: window, path: resume.path)
        recent = saved.figures.recentLosses
        result.initialLoss = saved.figures.initialLoss
        result.inputVariance = saved.figures.inputVariance
        result.matMulVariances = saved.figures.matMulVariances
        result.saturation = saved.figures.saturation
        result.outputVariances = saved.figures.outputVariances
        result.resumedFrom = saved.step
    }

    /// Runs `scenario` on `data`. With `log` nil nothing is measured beyond the result's figures
    /// (for timing the cost of logging). `progress` is called after every step.
    ///
    /// With `checkpoints`, the run flushes `log` and saves its whole state every `every` steps
    /// and once more, marked finished, after its last event. With `resume` (a checkpoint of the
    /// same settings, see `check`), a full-training run continues from that checkpoint's step
    /// instead of starting: nothing of steps before it is logged again (the step-0 session,
    /// config, layout and images included), and the run ends exactly as an uninterrupted one
    /// would. A finished checkpoint is not continued: resuming it is the caller's no-op.
    /// `stopBefore` ends the run early, before that step and after any checkpoint due there, as a
    /// process killed at that point would (for tests of resuming).
    public static func run(
        _ scenario: Scenario, data: MNIST.Splits, options: TrainingOptions = TrainingOptions(),
        log: TrainingLog?, progress: ((TrainingProgress) -> Void)? = nil,
        checkpoints: CheckpointPolicy? = nil, resume: (path: String, checkpoint: TrainingCheckpoint)? = nil,
        stopBefore: Int? = nil
    ) throws -> RunResult {
        let clock = ContinuousClock()
        let start = clock.now
        var network = initialNetwork(for: scenario, inputs: data.train.images.columns, seed: options.seed)
        var sampler = EpochSampler(
            count: data.train.count, rng: SeededGenerator(seed: options.seed, stream: batchStream))
        var images = Matrix(rows: 0, columns: 0)
        var labels: [UInt8] = []
        var result = RunResult(
            name: scenario.name, kind: scenario.kind, steps: 0, inputVariance: 0, matMulVariances: [],
            saturation: [], outputVariances: [], initialLoss: 0, finalLoss: 0, testAccuracy: nil, seconds: 0)
        let settings =
            checkpoints != nil || resume != nil
            ? TrainingCheckpoint.settings(for: scenario, options: options, data: data) : []
        if let resume {
            try check(resume.checkpoint, path: resume.path, scenario: scenario, options: options, data: data)
            guard !resume.checkpoint.finished else {
                throw CheckpointError.alreadyFinished(path: resume.path, step: resume.checkpoint.step)
            }
        }
        /// Flushes the log and saves the state after `step` updates.
        @inline(never)
        func save(step: Int, finished: Bool, recent: [Double]) throws {
            guard let checkpoints else { return }
            let saveStart = clock.now
            try log?.flush()
            let figures = TrainingCheckpoint.Figures(
                initialLoss: result.initialLoss, inputVariance: result.inputVariance,
                matMulVariances: result.matMulVariances, saturation: result.saturation,
                outputVariances: result.outputVariances, recentLosses: recent)
            try checkpoints.store.save(
                TrainingCheckpoint(
                    step: step, finished: finished, checkpointEvery: checkpoints.every, settings: settings,
                    network: network, sampler: sampler, figures: figures))
            result.checkpointSeconds += seconds(clock.now - saveStart)
        }
        if let log, resume == nil {
            let logStart = clock.now
            try logStartOfRun(scenario, data: data, options: options, log: log)
            result.loggingSeconds += seconds(clock.now - logStart)
        }

        switch scenario.kind {
        case .firstPass, .deepForward:
            let count: Int
            if case .firstPass(let b) = scenario.kind {
                count = b
                data.train.gather(sampler.next(count), images: &images, labels: &labels)
            } else if case .deepForward(let n) = scenario.kind {
                count = min(n, data.train.count)
                data.train.gather(Array(0..<count)[...], images: &images, labels: &labels)
            } else {
                count = 0
            }
            network.forward(images)
            let (loss, correct) = network.evaluate(labels: labels)
            let logStart = clock.now
            try snapshot(
                network, input: images, loss: loss, accuracy: Double(correct) / Double(count),
                gradients: false, step: 0, log: log, into: &result)
            if let log {
                try logImages(network, input: images, step: 0, log: log)
                try log.logSessionEnd(.success)
            }
            result.loggingSeconds += seconds(clock.now - logStart)
            result.initialLoss = loss
            result.finalLoss = loss
            try save(step: 0, finished: true, recent: [])
            progress?(
                TrainingProgress(
                    run: scenario.name, step: 1, total: 1, loss: loss, accuracy: Double(correct) / Double(count)))

        case .fullTrain:
            let window = max(1, min(options.logEvery, options.iterations))
            var recent = [Double](repeating: 0, count: window)
            var first = 0
            if let resume {
                try restore(resume, into: &network, sampler: &sampler, window: window, recent: &recent, result: &result)
                first = resume.checkpoint.step
            }
            for step in first..<options.iterations {
                data.train.gather(sampler.next(options.batchSize), images: &images, labels: &labels)
                network.forward(images)
                let (loss, correct) = network.backward(input: images, labels: labels)
                let accuracy = Double(correct) / Double(options.batchSize)
                recent[step % window] = loss
                if step == 0 { result.initialLoss = loss }
                if step % options.logEvery == 0 {
                    let logStart = clock.now
                    if log != nil || step == 0 {
                        try snapshot(
                            network, input: images, loss: loss, accuracy: accuracy,
                            gradients: true, step: step, log: log, into: &result)
                    }
                    if let log, step == 0 { try logImages(network, input: images, step: 0, log: log) }
                    if let log, options.testAccuracyAtLogSteps, step > 0 {
                        let acc = network.accuracy(images: data.test.images, labels: data.test.labels)
                        try log.logScalar("test_acc", acc, step: step)
                    }
                    result.loggingSeconds += seconds(clock.now - logStart)
                }
                network.applyAdam()
                progress?(
                    TrainingProgress(
                        run: scenario.name, step: step + 1, total: options.iterations,
                        loss: loss, accuracy: accuracy))
                let done = step + 1
                if let checkpoints, done % checkpoints.every == 0, done < options.iterations {
                    try save(step: done, finished: false, recent: recent)
                }
                if let stopBefore, done >= stopBefore, done < options.iterations {
                    result.steps = done
                    result.completed = false
                    result.seconds = seconds(clock.now - start)
                    return result
                }
            }
            let seen = min(window, options.iterations)
            result.finalLoss = seen > 0 ? recent.prefix(seen).reduce(0, +) / Double(seen) : 0
            result.steps = options.iterations
            if let log {
                let pass = testPass(&network, test: data.test)
                result.testAccuracy = pass.accuracy
                try log.logScalar("test_acc", pass.accuracy, step: options.iterations)
                let extrasStart = clock.now
                try logEndOfRun(network, pass: pass, test: data.test, step: options.iterations, log: log)
                try log.logSessionEnd(.success)
                result.endOfRunSeconds = seconds(clock.now - extrasStart)
            } else {
                result.testAccuracy = network.accuracy(images: data.test.images, labels: data.test.labels)
            }
            try save(step: options.iterations, finished: true, recent: recent)
        }
        result.seconds = seconds(clock.now - start)
        return result
    }

    static func seconds(_ d: Duration) -> Double {
        Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
    }

    /// Logs everything the study looks at for the network's last forward (and backward) pass,
    /// and keeps the step-0 figures in `result`.
    static func snapshot(
        _ network: Network, input: Matrix, loss: Double, accuracy: Double, gradients: Bool,
        step: Int, log: TrainingLog?, into result: inout RunResult
    ) throws {
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
                let (sat, outVar) = layer.output.withUnsafeBufferPointer {
                    (layer.activation.saturation($0), Statistics.variance($0))
                }
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

    /// Tiles per row and at most how many tiles the image grids have.
    static let filterCount = 64
    static let digitCount = 100

    /// `filters_1` (the first 64 columns of layer 1's weights, each unit's 784 incoming weights as
    /// a 28x28 tile, 8 per row, each tile scaled min…max) and, at step 0, `input_digits` (the
    /// batch's first `digitCount` images). Skipped when the inputs are not 28x28 images.
    static func logImages(_ network: Network, input: Matrix, step: Int, log: TrainingLog) throws {
        let first = network.layers[0]
        guard first.fanIn == 28 * 28 else { return }
        let filters = try ImageGrid(
            columnsOf: first.weights.storage, rows: first.fanIn, columns: first.fanOut,
            tileWidth: 28, tileHeight: 28, count: filterCount, gridColumns: 8,
            normalization: .perTile)
        try log.logImage("filters_1", grid: filters, step: step)
        guard step == 0, input.rows > 0 else { return }
        let n = min(input.rows, digitCount)
        let digits = try ImageGrid(
            tiles: Array(input.storage.prefix(n * input.columns)), count: n,
            tileWidth: 28, tileHeight: 28, normalization: .none)
        try log.logImage("input_digits", grid: digits, step: step)
    }

    /// What a pass over the test set gives the end-of-run extras.
    struct TestPass {
        /// Share of test images predicted right.
        var accuracy: Double
        /// Softmax probabilities, test count x 10, row-major.
        var probabilities: [Float]
        /// The last hidden layer's outputs for the first chunk (up to 1,000 test images).
        var hidden: Matrix
    }

    /// Forwards the test set in the same chunks as `Network.accuracy` (so the accuracy is the
    /// same to the bit), keeping the softmax of every row and the first chunk's last hidden layer.
    static func testPass(_ network: inout Network, test: MNIST, chunk: Int = 1000) -> TestPass {
        let images = test.images
        let classes = network.layers[network.layers.count - 1].fanOut
        var probabilities = [Float](repeating: 0, count: images.rows * classes)
        var hidden = Matrix(rows: 0, columns: 0)
        var correct = 0
        var start = 0
        while start < images.rows {
            let end = min(start + chunk, images.rows)
            let batch = (start == 0 && end == images.rows) ? images : images.rows(start..<end)
            network.forward(batch)
            correct += network.evaluate(labels: Array(test.labels[start..<end])).correct
            if start == 0, network.layers.count >= 2 { hidden = network.layers[network.layers.count - 2].output }
            network.logits.withUnsafeBufferPointer { z in
                probabilities.withUnsafeMutableBufferPointer { p in
                    for r in 0..<(end - start) {
                        let row = r * classes
                        var top = z[row]
                        for c in 1..<classes { top = max(top, z[row + c]) }
                        var sum = 0.0
                        for c in 0..<classes { sum += Foundation.exp(Double(z[row + c] - top)) }
                        for c in 0..<classes {
                            p[(start + r) * classes + c] = Float(Foundation.exp(Double(z[row + c] - top)) / sum)
                        }
                    }
                }
            }
            start = end
        }
        return TestPass(
            accuracy: images.rows > 0 ? Double(correct) / Double(images.rows) : 0,
            probabilities: probabilities, hidden: hidden)
    }

    /// The final `filters_1`, one PR curve per class from the test softmax, and the projector
    /// embedding of the last hidden layer labelled with the digits.
    static func logEndOfRun(_ network: Network, pass: TestPass, test: MNIST, step: Int, log: TrainingLog) throws {
        try logImages(network, input: Matrix(rows: 0, columns: 0), step: step, log: log)
        let classes = pass.probabilities.count / max(test.count, 1)
        var scores = [Float](repeating: 0, count: test.count)
        for k in 0..<classes {
            for i in 0..<test.count { scores[i] = pass.probabilities[i * classes + k] }
            let curve = try PRCurve(labels: test.labels.map { Int($0) == k }, predictions: scores)
            try log.logPRCurve("pr_curve/class_\(k)", curve, step: step)
        }
        let hidden = pass.hidden
        guard hidden.rows > 0 else { return }
        try log.logEmbedding(
            "fc_out_\(network.layers.count - 1)", vectors: hidden.storage, rows: hidden.rows,
            dims: hidden.columns, labels: test.labels.prefix(hidden.rows).map { String($0) })
    }
}
