import Foundation
import InitLabCore
import SystemPackage
import TBKit

/// What the study shows across runs: the hparams experiment (its columns) and the custom scalars
/// layout.
///
/// TensorBoard uses one `_hparams_/experiment` per logdir, the first it finds, so the experiment
/// is a fixed description of every scenario InitLab knows (`Scenario.all`): string hparams get a
/// discrete domain of every value those scenarios use, numeric ones (σ, batch, iterations, seed)
/// no domain, so runs trained with any options stay inside it. Training any subset into a logdir
/// therefore rewrites the same experiment, and it describes every run already there.
///
/// Column names are chosen for the dashboard: it lists columns by name and shows the first five
/// by default, which are then activation, batch_size, init_stddev (σ), initializer, iterations.
public enum StudyDashboards {
    /// The columns of the hparams table, in order; `RunConfiguration.hparams` gives each run's values.
    public static var hparams: [HParams.HParamInfo] {
        func distinct(_ names: [String]) -> HParams.Domain {
            var seen: [String] = []
            for n in names where !seen.contains(n) { seen.append(n) }
            return .discrete(seen.map { .string($0) })
        }
        let all = Scenario.all
        return [
            .init(
                name: "initializer", domain: distinct(all.map { RunConfiguration.shortName($0.hiddenInitializer) }),
                description: "initializer of the hidden layers"),
            .init(
                name: "activation", domain: distinct(all.map(\.activation.description)),
                description: "activation of the hidden layers"),
            .init(
                name: "init_stddev", type: .float64, displayName: "σ (layer 1)",
                description: "standard deviation the initializer aims at for the first hidden layer"),
            .init(
                name: "num_hidden_layers", type: .float64, displayName: "hidden layers",
                description: "number of hidden layers (100 units each)"),
            .init(
                name: "output_initializer",
                domain: distinct(all.map { RunConfiguration.shortName($0.outputInitializer) }),
                description: "initializer of the logits layer"),
            .init(
                name: "batch_size", type: .float64,
                description: "examples per step (forward batch for forward-only runs)"),
            .init(name: "iterations", type: .float64, description: "Adam steps (0: forward only)"),
            .init(name: "seed", type: .float64, description: "seed of the weight and batch streams"),
        ]
    }

    /// The metric columns: the last value of each scalar in the run itself.
    public static let metrics: [HParams.MetricInfo] = [
        .init(tag: "test_acc", description: "accuracy on the held-out images after training", datasetType: .validation),
        .init(tag: "loss", description: "batch cross-entropy at the last log step", datasetType: .training),
        .init(tag: "acc", description: "batch accuracy at the last log step", datasetType: .training),
    ]

    /// Every layer's matmul variance on one chart, every hidden layer's saturation on another
    /// (tags are regexes matched from the start, ended with `$` to be exact).
    public static let customScalarsLayout = CustomScalarLayout([
        .init(
            title: "Signal through the layers",
            charts: [
                .init(title: "mat_mul_var_N (variance of x·W), every layer", multiline: [#"mat_mul_var_\d+$"#]),
                .init(
                    title: "saturation_N (share of flat outputs), every hidden layer", multiline: [#"saturation_\d+$"#]),
                .init(
                    title: "fc_out_var_N (variance of the outputs), every hidden layer",
                    multiline: [#"fc_out_var_\d+$"#]),
            ]),
        .init(
            title: "Training",
            charts: [
                .init(title: "loss", multiline: ["loss$"]),
                .init(title: "acc and test_acc", multiline: ["acc$", "test_acc$"]),
            ]),
    ])

    /// Writes the experiment into its own event file at the root of `logdir` (TensorBoard's run
    /// "."), after deleting earlier experiment files written there (names containing "tfevents"
    /// and ending in `HParams.experimentFileSuffix`), so the root always holds exactly one.
    /// Other files are never touched. Returns the new file's path.
    @discardableResult
    public static func writeExperiment(logdir: String) throws -> String {
        let fm = FileManager.default
        for name in experimentFiles(in: logdir) {
            let path = FilePath(logdir).appending(name).string
            do { try fm.removeItem(atPath: path) } catch {
                throw FreshRunDirectoryError.io(path: path, reason: error.localizedDescription)
            }
        }
        return try HParams.writeExperiment(logdir: logdir, hparams: hparams, metrics: metrics)
    }

    /// The experiment files directly in `logdir` (see `writeExperiment`), sorted.
    package static func experimentFiles(in logdir: String) -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: logdir)) ?? []
        return names.filter { $0.contains("tfevents") && $0.hasSuffix(HParams.experimentFileSuffix) }.sortedShared()
    }
}
