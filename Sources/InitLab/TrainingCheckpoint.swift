import InitLabCore
import TBKit

/// Everything a full-training run needs to continue as if it had never stopped: every layer's
/// weights and biases, each Adam's moments and step count, the epoch sampler's permutation,
/// position and random stream, the losses of the current averaging window and the step-0 figures
/// of the result table, plus the settings that say which run it belongs to.
///
/// Invariant: `step` Adam updates have been applied (steps 0..<step are done) and everything the
/// run logged before `step` was flushed before the checkpoint was written; a run continued from
/// it next runs step `step`.
public struct TrainingCheckpoint: Sendable, Equatable {
    /// Adam updates applied so far: the step a resumed run runs next.
    public var step: Int
    /// Whether the run had finished (end-of-run extras and the session end written).
    public var finished: Bool
    /// The interval the run was checkpointing at (a resume keeps it unless told otherwise).
    public var checkpointEvery: Int
    /// Name and value of every setting that shapes the run (see `TrainingCheckpoint.settings(...)`).
    public var settings: [Setting]

    /// One layer's parameters and its two optimizers.
    struct Layer: Sendable, Equatable {
        var weights: Matrix
        var bias: [Float]
        var weightOptimizer: OptimizerState
        var biasOptimizer: OptimizerState
    }

    /// One `Adam`'s whole state.
    struct OptimizerState: Sendable, Equatable {
        var step: Int
        var learningRate: Float
        var beta1: Float
        var beta2: Float
        var epsilon: Float
        var m: [Float]
        var v: [Float]

        init(_ adam: Adam) {
            step = adam.step
            learningRate = adam.learningRate
            beta1 = adam.beta1
            beta2 = adam.beta2
            epsilon = adam.epsilon
            m = adam.m
            v = adam.v
        }

        init(
            step: Int, learningRate: Float, beta1: Float, beta2: Float, epsilon: Float, m: [Float], v: [Float]
        ) {
            (self.step, self.learningRate, self.beta1, self.beta2, self.epsilon) = (
                step, learningRate, beta1, beta2, epsilon
            )
            (self.m, self.v) = (m, v)
        }

        var adam: Adam {
            Adam(
                step: step, m: m, v: v, learningRate: learningRate, beta1: beta1, beta2: beta2, epsilon: epsilon)
        }
    }

    /// The epoch sampler's whole state.
    struct SamplerState: Sendable, Equatable {
        var order: [Int]
        var position: Int
        var words: [UInt64]
        var spareNormal: Double?
    }

    /// The step-0 figures and the loss window the run's result is computed from.
    struct Figures: Sendable, Equatable {
        var initialLoss: Double
        var inputVariance: Double
        var matMulVariances: [Double]
        var saturation: [Double]
        var outputVariances: [Double]
        /// Batch losses of the current window, indexed by step modulo the window.
        var recentLosses: [Double]
    }

    var layers: [Layer]
    var sampler: SamplerState
    var figures: Figures

    /// One named setting (`config` text names, plus the few that change what is logged).
    public struct Setting: Sendable, Equatable {
        /// The setting's name.
        public var name: String
        /// Its value, as text.
        public var value: String

        /// A setting.
        public init(name: String, value: String) {
            self.name = name
            self.value = value
        }
    }

    /// The settings a checkpoint of `scenario` run with `options` on `data` records and a resume
    /// compares: the run's configuration (scenario, layers, initializers, optimizer, batch size,
    /// iterations, log interval, seed, data set), whether test_acc is logged at log steps, and a
    /// CRC32C of the data's pixels and labels (the same path may hold other files later).
    package static func settings(for scenario: Scenario, options: TrainingOptions, data: MNIST.Splits) -> [Setting] {
        let config = RunConfiguration(
            scenario: scenario, options: options, inputs: data.train.images.columns,
            trainCount: data.train.count, testCount: data.test.count)
        var out = config.rows.map { Setting(name: $0.0, value: $0.1) }
        out.append(Setting(name: "test_acc at log steps", value: options.testAccuracyAtLogSteps ? "yes" : "no"))
        out.append(Setting(name: "data checksum", value: dataChecksum(data)))
        return out
    }

    /// CRC32C over the train and test images (float bits) and labels, as eight hex digits.
    static func dataChecksum(_ data: MNIST.Splits) -> String {
        var crc: UInt32 = 0
        for split in [data.train, data.test] {
            crc = split.images.storage.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
            crc = split.labels.withUnsafeBytes { CRC32C.checksum($0, continuing: crc) }
        }
        let digits = String(crc, radix: 16)
        return String(repeating: "0", count: 8 - digits.count) + digits
    }

    /// The state of a run after `step` updates.
    init(
        step: Int, finished: Bool, checkpointEvery: Int, settings: [Setting], network: Network,
        sampler: EpochSampler, figures: Figures
    ) {
        self.step = step
        self.finished = finished
        self.checkpointEvery = checkpointEvery
        self.settings = settings
        self.layers = zip(network.layers, network.optimizers).map { layer, opt in
            Layer(
                weights: layer.weights, bias: layer.bias, weightOptimizer: OptimizerState(opt.weights),
                biasOptimizer: OptimizerState(opt.bias))
        }
        let rng = sampler.rng.state
        self.sampler = SamplerState(
            order: sampler.order, position: sampler.position, words: rng.words, spareNormal: rng.spareNormal)
        self.figures = figures
    }

    init(
        step: Int, finished: Bool, checkpointEvery: Int, settings: [Setting], layers: [Layer],
        sampler: SamplerState, figures: Figures
    ) {
        (self.step, self.finished, self.checkpointEvery, self.settings) = (step, finished, checkpointEvery, settings)
        (self.layers, self.sampler, self.figures) = (layers, sampler, figures)
    }

    /// The differences between this checkpoint's settings and `current` (empty: same run).
    package func differences(from current: [Setting]) -> [CheckpointError.SettingDifference] {
        var out: [CheckpointError.SettingDifference] = []
        for s in current {
            let mine = settings.first { $0.name == s.name }?.value
            if mine != s.value { out.append(.init(name: s.name, checkpoint: mine, current: s.value)) }
        }
        for s in settings where !current.contains(where: { $0.name == s.name }) {
            out.append(.init(name: s.name, checkpoint: s.value, current: nil))
        }
        return out
    }

    /// Puts this state into `network` and `sampler` (built afresh for the same scenario, seed and
    /// data), after checking that every shape fits; `path` names the file in errors.
    func restore(into network: inout Network, sampler: inout EpochSampler, window: Int, path: String) throws {
        func refuse(_ reason: String) -> CheckpointError { .shapeMismatch(path: path, reason: reason) }
        guard layers.count == network.layers.count else {
            throw refuse("it holds \(layers.count) layers, the scenario's network has \(network.layers.count)")
        }
        for (i, (saved, layer)) in zip(layers, network.layers).enumerated() {
            let n = i + 1
            guard saved.weights.rows == layer.fanIn, saved.weights.columns == layer.fanOut else {
                throw refuse(
                    "layer \(n) weights are \(saved.weights.rows)x\(saved.weights.columns), the network's \(layer.fanIn)x\(layer.fanOut)"
                )
            }
            guard saved.bias.count == layer.fanOut else {
                throw refuse("layer \(n) has \(saved.bias.count) biases, the network \(layer.fanOut)")
            }
            for (what, opt, size) in [
                ("weights", saved.weightOptimizer, layer.weights.count), ("biases", saved.biasOptimizer, layer.fanOut),
            ] {
                guard opt.m.count == size, opt.v.count == size else {
                    throw refuse(
                        "layer \(n) \(what) optimizer holds \(opt.m.count)/\(opt.v.count) moments for \(size) parameters"
                    )
                }
                guard opt.step == step else {
                    throw refuse(
                        "layer \(n) \(what) optimizer has taken \(opt.step) steps, the checkpoint says \(step)")
                }
            }
        }
        guard sampler.order.count == self.sampler.order.count else {
            throw refuse(
                "its data order covers \(self.sampler.order.count) examples, the data set has \(sampler.order.count)")
        }
        var seen = [Bool](repeating: false, count: self.sampler.order.count)
        for i in self.sampler.order {
            guard i >= 0, i < seen.count, !seen[i] else {
                throw refuse("its data order is not a permutation of 0..<\(seen.count) (index \(i))")
            }
            seen[i] = true
        }
        guard (0...seen.count).contains(self.sampler.position) else {
            throw refuse("its data position \(self.sampler.position) lies outside 0...\(seen.count)")
        }
        guard let rng = SeededGenerator(words: self.sampler.words, spareNormal: self.sampler.spareNormal) else {
            throw refuse("its batch random stream is not a valid generator state")
        }
        guard figures.recentLosses.count == window else {
            throw refuse("its loss window holds \(figures.recentLosses.count) losses, this run averages \(window)")
        }
        network.restore(
            weights: layers.map(\.weights), biases: layers.map(\.bias),
            optimizers: layers.map { ($0.weightOptimizer.adam, $0.biasOptimizer.adam) })
        sampler = EpochSampler(order: self.sampler.order, position: self.sampler.position, rng: rng)
    }

    // MARK: Bytes

    /// The checkpoint as a file (see `CheckpointFormat` for the framing).
    package func encoded() -> [UInt8] {
        var e = CheckpointEncoder()
        e.i64(step)
        e.bool(finished)
        e.i64(checkpointEvery)
        e.u64(UInt64(settings.count))
        for s in settings {
            e.string(s.name)
            e.string(s.value)
        }
        e.u64(UInt64(layers.count))
        for layer in layers {
            e.i64(layer.weights.rows)
            e.i64(layer.weights.columns)
            e.floats(layer.weights.storage)
            e.floats(layer.bias)
            for opt in [layer.weightOptimizer, layer.biasOptimizer] {
                e.i64(opt.step)
                for x in [opt.learningRate, opt.beta1, opt.beta2, opt.epsilon] { e.u32(x.bitPattern) }
                e.floats(opt.m)
                e.floats(opt.v)
            }
        }
        e.ints(sampler.order)
        e.i64(sampler.position)
        e.u64(UInt64(sampler.words.count))
        for w in sampler.words { e.u64(w) }
        e.bool(sampler.spareNormal != nil)
        e.f64(sampler.spareNormal ?? 0)
        e.f64(figures.initialLoss)
        e.f64(figures.inputVariance)
        e.doubles(figures.matMulVariances)
        e.doubles(figures.saturation)
        e.doubles(figures.outputVariances)
        e.doubles(figures.recentLosses)
        return CheckpointFormat.frame(e.bytes)
    }

    /// Reads a checkpoint file's bytes; `path` names the file in errors. Throws `CheckpointError`
    /// for a damaged, truncated, foreign or newer-version file.
    package init(decoding file: [UInt8], path: String) throws {
        let body = try CheckpointFormat.unframe(file, path: path)
        var d = CheckpointDecoder(body, path: path, base: CheckpointFormat.headerSize)
        let step = try d.nonNegative("step")
        let finished = try d.bool("finished")
        let every = try d.nonNegative("checkpoint interval")
        let settingCount = try d.u64("settings count")
        guard settingCount <= 1000 else { throw d.malformed("settings count", "\(settingCount) is implausible") }
        var settings: [Setting] = []
        for _ in 0..<settingCount {
            settings.append(Setting(name: try d.string("setting name"), value: try d.string("setting value")))
        }
        let layerCount = try d.u64("layer count")
        guard layerCount <= 1000 else { throw d.malformed("layer count", "\(layerCount) is implausible") }
        var layers: [Layer] = []
        for index in 0..<Int(layerCount) {
            layers.append(try Self.layer(index, &d))
        }
        let order = try d.ints("data order")
        let position = try d.nonNegative("data position")
        let wordCount = try d.u64("random state length")
        guard wordCount == 4 else { throw d.malformed("random state length", "\(wordCount) words, expected 4") }
        var words: [UInt64] = []
        for _ in 0..<4 { words.append(try d.u64("random state")) }
        let hasSpare = try d.bool("spare normal flag")
        let spare = try d.f64("spare normal")
        let figures = Figures(
            initialLoss: try d.f64("initial loss"), inputVariance: try d.f64("input variance"),
            matMulVariances: try d.doubles("matmul variances"), saturation: try d.doubles("saturation"),
            outputVariances: try d.doubles("output variances"), recentLosses: try d.doubles("recent losses"))
        guard d.isAtEnd else { throw d.malformed("end of body", "unexpected bytes after the last field") }
        self.init(
            step: step, finished: finished, checkpointEvery: every, settings: settings, layers: layers,
            sampler: SamplerState(
                order: order, position: position, words: words, spareNormal: hasSpare ? spare : nil),
            figures: figures)
    }

    /// Layer `index` (from 0) of a checkpoint body: its shape, parameters and optimizer states.
    /// Out of line, so the optimizer handles the layer's fields and the body's apart.
    @inline(never)
    private static func layer(_ index: Int, _ d: inout CheckpointDecoder) throws -> Layer {
        let layer = "layer \(index + 1) "
        let rows = try d.nonNegative(layer + "rows")
        let columns = try d.nonNegative(layer + "columns")
        let at = d.offset
        let weights = try d.floats(layer + "weights")
        guard rows.multipliedReportingOverflow(by: columns) == (weights.count, false) else {
            throw CheckpointError.malformed(
                path: d.path, field: layer + "weights", offset: at,
                reason: "\(weights.count) values for a \(rows)x\(columns) matrix")
        }
        let bias = try d.floats(layer + "biases")
        let weightOptimizer = try optimizer(layer + "weights optimizer", &d)
        let biasOptimizer = try optimizer(layer + "biases optimizer", &d)
        return Layer(
            weights: Matrix(rows: rows, columns: columns, storage: weights), bias: bias,
            weightOptimizer: weightOptimizer, biasOptimizer: biasOptimizer)
    }

    /// An optimizer state whose fields are named after `field`.
    @inline(never)
    private static func optimizer(_ field: String, _ d: inout CheckpointDecoder) throws -> OptimizerState {
        let step = try d.nonNegative(field + " step")
        var hyper: [Float] = []
        for _ in 0..<4 { hyper.append(Float(bitPattern: try d.u32(field + " settings"))) }
        return OptimizerState(
            step: step, learningRate: hyper[0], beta1: hyper[1], beta2: hyper[2], epsilon: hyper[3],
            m: try d.floats(field + " m"), v: try d.floats(field + " v"))
    }
}
