import Foundation
import InitLabCore
import TBKit

/// What a run is, in the words its dashboards use: the `config` text (a Markdown table at step 0)
/// and the hparams session values (one row of the hparams table). Built from the scenario, the
/// options and the data, so two runs with equal inputs describe themselves equally.
public struct RunConfiguration: Sendable, Equatable {
    /// The run's name.
    public var run: String
    /// "first pass", "full training" or "deep forward".
    public var kind: String
    /// Short name of the hidden layers' initializer ("normal", "xavier", "he", "glorot_normal", ...).
    public var initializer: String
    /// The initializer in full (`Initializer.description`).
    public var initializerDetail: String
    /// The variance the initializer aims at for each hidden layer.
    public var hiddenVariances: [Double]
    /// The hidden activation.
    public var activation: String
    /// Widths input to output, e.g. [784, 100, 100, 10].
    public var widths: [Int]
    /// Short name of the output layer's initializer.
    public var outputInitializer: String
    /// Adam steps (0 for forward-only runs).
    public var iterations: Int
    /// Examples per step (the forward batch for forward-only runs).
    public var batchSize: Int
    /// Log interval of a full run (0 for forward-only runs).
    public var logEvery: Int
    /// The seed.
    public var seed: UInt64
    /// The data set's name and split sizes.
    public var dataSet: String
    /// The optimizer and its settings.
    public var optimizer: String

    /// The configuration of `scenario` run with `options` on data of these split sizes.
    public init(scenario: Scenario, options: TrainingOptions, inputs: Int = 784, trainCount: Int, testCount: Int) {
        let widths = [inputs] + scenario.hiddenLayers + [10]
        run = scenario.name
        self.widths = widths
        initializer = Self.shortName(scenario.hiddenInitializer)
        initializerDetail = scenario.hiddenInitializer.description
        hiddenVariances = (0..<scenario.hiddenLayers.count).map {
            scenario.hiddenInitializer.targetVariance(fanIn: widths[$0], fanOut: widths[$0 + 1])
        }
        activation = scenario.activation.description
        outputInitializer = Self.shortName(scenario.outputInitializer)
        switch scenario.kind {
        case .firstPass(let b):
            kind = "first pass"
            iterations = 0
            batchSize = b
            logEvery = 0
        case .fullTrain:
            kind = "full training"
            iterations = options.iterations
            batchSize = options.batchSize
            logEvery = options.logEvery
        case .deepForward(let n):
            kind = "deep forward"
            iterations = 0
            batchSize = min(n, trainCount)
            logEvery = 0
        }
        seed = options.seed
        dataSet = "\(options.dataSet) (\(trainCount) train, \(testCount) test)"
        optimizer = iterations > 0 ? "Adam (lr 0.001, β1 0.9, β2 0.999, ε 1e-8)" : "none (forward only)"
    }

    /// The standard deviation the initializer aims at for the first hidden layer: the σ axis of
    /// the hparams view (1.0 for the naive runs, about 0.048 for Xavier and 0.051 for He).
    public var initStddev: Double { (hiddenVariances.first ?? 0).squareRoot() }

    /// The hparams session values; every key is listed by `StudyExperiment.hparams`.
    public var hparams: [String: HParamValue] {
        [
            "initializer": .string(initializer),
            "activation": .string(activation),
            "init_stddev": .number(initStddev),
            "num_hidden_layers": .number(Double(widths.count - 2)),
            "output_initializer": .string(outputInitializer),
            "batch_size": .number(Double(batchSize)),
            "iterations": .number(Double(iterations)),
            "seed": .number(Double(seed)),
        ]
    }

    /// The settings as (name, value) pairs, in the order the `config` table shows them.
    public var rows: [(String, String)] {
        let variances = hiddenVariances.enumerated().map { "\(Self.figure($1)) (layer \($0 + 1))" }.joined(
            separator: ", ")
        return [
            ("run", run),
            ("what runs", kind),
            ("hidden initializer", "\(initializer): `\(initializerDetail)`"),
            ("initializer variance", variances),
            ("activation", activation),
            ("layers", widths.map(String.init).joined(separator: " → ")),
            ("output layer initializer", outputInitializer),
            ("optimizer", optimizer),
            ("batch size", "\(batchSize)"),
            ("iterations", "\(iterations)" + (logEvery > 0 ? ", logged every \(logEvery)" : "")),
            ("seed", "\(seed)"),
            ("data set", dataSet),
        ]
    }

    /// A two-column Markdown table (setting | value) for the text dashboard.
    public var markdown: String {
        var out = "| setting | value |\n| --- | --- |\n"
        for (key, value) in rows { out += "| \(key) | \(value.replacingOccurrences(of: "|", with: "\\|")) |\n" }
        return out
    }

    /// The study's short name of an initializer (the article's "xavier" and "he" are TF1's
    /// truncated-normal variance scaling; the deep sweep's are Keras's plain normals).
    package static func shortName(_ initializer: Initializer) -> String {
        switch initializer {
        case .normal: return "normal"
        case .uniform: return "uniform"
        case .zeros: return "zeros"
        case .varianceScaling:
            let known: [(Initializer, String)] = [
                (.tf1Xavier, "xavier"), (.tf1He, "he"),
                (.glorotNormal, "glorot_normal"), (.glorotUniform, "glorot_uniform"),
                (.heNormal, "he_normal"), (.heUniform, "he_uniform"),
                (.lecunNormal, "lecun_normal"), (.lecunUniform, "lecun_uniform"),
            ]
            return known.first { $0.0 == initializer }?.1 ?? initializer.description
        }
    }

    /// Four significant figures.
    static func figure(_ x: Double) -> String { String(format: "%.4g", x) }
}
