/// One run of the study: what network is built, how its weights start, and what is run.
///
/// The initializer of the hidden layers is the object of the study; the output layer's
/// initializer is stated separately because the article's code left it at TensorFlow's dense-layer
/// default (Glorot uniform) in every scenario, which shapes the naive runs' final accuracy.
public struct Scenario: Sendable, Equatable {
    /// What a run does.
    public enum Kind: Sendable, Equatable {
        /// One batch of `batchSize` training images forward, logged at step 0.
        case firstPass(batchSize: Int)
        /// Adam training: `TrainingOptions` give iterations, batch size and log interval.
        case fullTrain
        /// The first `inputs` training images forward through an untrained net, logged at step 0.
        case deepForward(inputs: Int)
    }

    /// The run directory's name under the logdir (the article's folder names).
    public let name: String
    /// One line for `tbkit train --list`.
    public let summary: String
    /// What is run.
    public let kind: Kind
    /// Widths of the hidden layers.
    public let hiddenLayers: [Int]
    /// The hidden layers' activation.
    public let activation: Activation
    /// The hidden layers' weight initializer.
    public let hiddenInitializer: Initializer
    /// The output (logits) layer's weight initializer.
    public let outputInitializer: Initializer

    /// A scenario; every field is visible in `--list`.
    public init(
        name: String, summary: String, kind: Kind, hiddenLayers: [Int], activation: Activation,
        hiddenInitializer: Initializer, outputInitializer: Initializer
    ) {
        self.name = name
        self.summary = summary
        self.kind = kind
        self.hiddenLayers = hiddenLayers
        self.activation = activation
        self.hiddenInitializer = hiddenInitializer
        self.outputInitializer = outputInitializer
    }

    /// Whether the run trains (and so has a test accuracy).
    public var trains: Bool { kind == .fullTrain }

    /// The article's seven runs, in its order: 784-100-100-10, output layer Glorot uniform.
    public static let article: [Scenario] = {
        func make(_ name: String, _ kind: Kind, _ activation: Activation, _ initializer: Initializer, _ label: String)
            -> Scenario
        {
            let what: String
            switch kind {
            case .firstPass(let b): what = "one batch of \(b) forward"
            case .fullTrain: what = "Adam training"
            case .deepForward(let n): what = "\(n) inputs forward"
            }
            return Scenario(
                name: name, summary: "\(what); hidden \(activation), \(label); output glorotUniform",
                kind: kind, hiddenLayers: [100, 100], activation: activation,
                hiddenInitializer: initializer, outputInitializer: .glorotUniform)
        }
        let naive = Initializer.normal(stddev: 1.0)
        return [
            make("first_pass_normal", .firstPass(batchSize: 100), .sigmoid, naive, "normal(1.0)"),
            make(
                "first_pass_variance", .firstPass(batchSize: 100), .sigmoid, .tf1Xavier,
                "xavier (TF1 variance scaling 1, fanAvg, truncated normal)"),
            make("full_train_normal", .fullTrain, .sigmoid, naive, "normal(1.0)"),
            make(
                "full_train_variance", .fullTrain, .sigmoid, .tf1Xavier,
                "xavier (TF1 variance scaling 1, fanAvg, truncated normal)"),
            make("full_train_normal_relu", .fullTrain, .relu, naive, "normal(1.0)"),
            make(
                "full_train_variance_relu", .fullTrain, .relu, .tf1Xavier,
                "xavier (TF1 variance scaling 1, fanAvg, truncated normal)"),
            make(
                "full_train_he_relu", .fullTrain, .relu, .tf1He, "he (TF1 variance scaling 2, fanIn, truncated normal)"),
        ]
    }()

    /// The deep sweep `deep_<activation>_<init>`: 784 -> 5 x 100 -> 10, 1,000 inputs forward, with
    /// N(0, σ²) for σ in 0.10, 0.14, 0.28, then Glorot normal (sigmoid, tanh) or He normal (relu).
    /// Every layer, output included, uses the run's initializer (as a Keras model built with one).
    public static let deepSweep: [Scenario] = {
        var runs: [Scenario] = []
        for activation in [Activation.sigmoid, .tanh, .relu] {
            var inits: [(String, Initializer)] = [
                ("normal_0.10", .normal(stddev: 0.10)), ("normal_0.14", .normal(stddev: 0.14)),
                ("normal_0.28", .normal(stddev: 0.28)),
            ]
            inits.append(activation == .relu ? ("he_normal", .heNormal) : ("glorot_normal", .glorotNormal))
            for (label, initializer) in inits {
                runs.append(
                    Scenario(
                        name: "deep_\(activation)_\(label)",
                        summary: "1000 inputs forward through 5 x 100 \(activation); all layers \(initializer)",
                        kind: .deepForward(inputs: 1000), hiddenLayers: Array(repeating: 100, count: 5),
                        activation: activation, hiddenInitializer: initializer, outputInitializer: initializer))
            }
        }
        return runs
    }()

    /// Every known scenario: the article's seven, then the deep sweep.
    public static let all: [Scenario] = article + deepSweep

    /// The scenario called `name`, if any.
    public static func named(_ name: String) -> Scenario? {
        all.first { $0.name == name }
    }
}
