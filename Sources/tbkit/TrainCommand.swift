import ArgumentParser
import Foundation
import InitLab
import TBKit

/// `tbkit train`: runs the weight-initialization study into `<logdir>/<run>/`.
struct TrainCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Train the weight-initialization study's runs on MNIST and log them for TensorBoard.",
        discussion: """
            Without --scenario, runs the article's seven runs (first_pass_*, full_train_*). The deep \
            sweep (deep_<activation>_<init>) runs when named, or all of it with --scenario deep. \
            See --list. Each run writes one event file into <logdir>/<run>/ (scalars, histograms, \
            images, config text, custom scalars layout, hparams session; full runs add PR curves and \
            projector files). The logdir root receives the hparams experiment (TensorBoard's run \
            "."), rewritten on every train: it describes every scenario InitLab knows, so it also \
            covers runs trained earlier into the same logdir.
            """
    )

    @Option(
        name: .customLong("scenario"),
        help: "A run to do (repeatable; 'article', 'deep' or 'all' name groups). Default: the article's seven.")
    var scenarios: [String] = []

    @Flag(help: "List the scenarios, one line each, and exit.")
    var list = false

    @Option(help: "Directory that receives one folder per run.")
    var logdir = "logs"

    @Option(
        help:
            "Directory with the standard MNIST files (train-images-idx3-ubyte(.gz), ...). Default: the embedded 5,000-image subset."
    )
    var dataDir: String?

    @Option(help: "Adam steps of a full run.")
    var iterations = 1000

    @Option(help: "Batch size of a full run.")
    var batchSize = 30

    @Option(help: "Log every N steps.")
    var logEvery = 50

    @Option(help: "Seed of the weight and batch streams: the same seed gives the same run.")
    var seed: UInt64 = 0

    @OptionGroup(title: "Replacing (a run's old event files are deleted instead of refusing to write beside them)")
    var replace: OverwriteOption

    @Flag(
        help:
            "Also log test_acc at every log step (one forward pass over the test set each time; about 15% more time). It is always logged at the end."
    )
    var testAccEveryLog = false

    @Flag(help: "Train without writing anything (for timing the cost of logging).")
    var noLog = false

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive (got \(iterations))") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive (got \(batchSize))") }
        guard logEvery > 0 else { throw ValidationError("--log-every must be positive (got \(logEvery))") }
        _ = try selectedScenarios()
    }

    func selectedScenarios() throws -> [Scenario] {
        if scenarios.isEmpty { return Scenario.article }
        var chosen: [Scenario] = []
        for name in scenarios {
            let group: [Scenario]
            switch name {
            case "article": group = Scenario.article
            case "deep": group = Scenario.deepSweep
            case "all": group = Scenario.all
            default:
                guard let s = Scenario.named(name) else {
                    throw ValidationError("unknown scenario '\(name)'; `tbkit train --list` shows the names")
                }
                group = [s]
            }
            for s in group where !chosen.contains(where: { $0.name == s.name }) { chosen.append(s) }
        }
        return chosen
    }

    func run() throws {
        if list {
            let width = (Scenario.all.map(\.name.count).max() ?? 0) + 2
            for s in Scenario.all { print(TableText.left(s.name, width) + s.summary) }
            return
        }
        try SummaryWriter.flushOnTermination()
        let runs = try selectedScenarios()
        let data: MNIST.Splits
        if let dataDir {
            do {
                data = try MNIST.load(directory: dataDir)
            } catch {
                throw CommandFailure("\(error) (the directory given by --data-dir)")
            }
        } else {
            data = try MNIST.embedded()
        }
        if !noLog {
            // Check every run directory before training anything: refuse early, never half-way.
            for s in runs {
                let dir = (logdir as NSString).appendingPathComponent(s.name)
                let existing = FreshRunDirectory.eventFiles(in: dir)
                if !replace.overwrite, !existing.isEmpty {
                    let error = FreshRunDirectoryError.holdsEvents(path: dir, files: existing)
                    throw CommandFailure("\(error); pass --overwrite to delete them first, or choose another --logdir")
                }
            }
            try FileManager.default.createDirectory(atPath: logdir, withIntermediateDirectories: true)
            try StudyDashboards.writeExperiment(logdir: logdir)
        }
        let options = TrainingOptions(
            iterations: iterations, batchSize: batchSize, logEvery: logEvery, seed: seed,
            testAccuracyAtLogSteps: testAccEveryLog,
            dataSet: dataDir.map { "MNIST from \($0)" } ?? "mnist-5k (embedded)")
        let progress = ProgressBar(plainEvery: logEvery * 5)
        let clock = ContinuousClock()
        let start = clock.now
        var results: [RunResult] = []
        for s in runs {
            var writer: SummaryWriter?
            if !noLog {
                let dir = (logdir as NSString).appendingPathComponent(s.name)
                try FreshRunDirectory.prepare(dir, overwrite: replace.overwrite)
                writer = try SummaryWriter(logdir: dir)
            }
            let result = try Trainer.run(s, data: data, options: options, log: writer, progress: progress.update)
            try writer?.close()
            results.append(result)
        }
        let total = clock.now - start
        printSummary(results)
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        let logging = results.map(\.loggingSeconds).reduce(0, +)
        let training = results.map(\.seconds).reduce(0, +)
        let extras = results.map(\.endOfRunSeconds).reduce(0, +)
        print(
            "\(results.count) run(s) in \(TableText.number(seconds, 2)) s"
                + (noLog ? " (logging off)" : "; logs in \(logdir)/ (tensorboard --logdir \(logdir))"))
        if !noLog, training > 0 {
            print(
                "logging (statistics, histograms, images, text, hparams, events\(testAccEveryLog ? ", test passes" : "")): \(TableText.number(logging, 3)) s of \(TableText.number(training, 2)) s in the runs (\(TableText.number(100 * logging / training, 1))%)"
            )
            if extras > 0 {
                print(
                    "end-of-run extras (final filters, 10 PR curves, projector files): \(TableText.number(extras, 3)) s (\(TableText.number(100 * extras / training, 1))%)"
                )
            }
        }
    }

    /// One row per run: step-0 statistics for every run, loss and test accuracy for trained ones.
    func printSummary(_ results: [RunResult]) {
        guard !results.isEmpty else { return }
        let layers = results.map(\.matMulVariances.count).max() ?? 0
        let nameWidth = (results.map(\.name.count).max() ?? 3) + 2
        var header = TableText.left("run", nameWidth) + TableText.right("steps", 6) + TableText.right("input_var", 11)
        for n in 1...max(layers, 1) { header += TableText.right("mm_var_\(n)", 11) }
        header +=
            TableText.right("sat_1", 8) + TableText.right("loss_0", 9) + TableText.right("loss_end", 10)
            + TableText.right("test_acc", 10) + TableText.right("secs", 7)
        print("")
        print("step 0: input_var, mat_mul_var_N (x·W), sat_1 (saturated share of layer 1), loss_0 on the first batch;")
        print(
            "loss_end: mean batch loss of the last \(logEvery) steps; test_acc on the \("held-out") images after training"
        )
        print(header)
        print(String(repeating: "-", count: header.count))
        for r in results {
            var line =
                TableText.left(r.name, nameWidth) + TableText.right("\(r.steps)", 6)
                + TableText.right(TableText.figure(r.inputVariance), 11)
            for n in 0..<max(layers, 1) {
                line += TableText.right(n < r.matMulVariances.count ? TableText.figure(r.matMulVariances[n]) : "", 11)
            }
            line += TableText.right(r.saturation.first.map { TableText.number($0, 3) } ?? "-", 8)
            line += TableText.right(TableText.number(r.initialLoss, 3), 9)
            line += TableText.right(r.steps > 0 ? TableText.number(r.finalLoss, 3) : "-", 10)
            line += TableText.right(r.testAccuracy.map { TableText.number($0, 4) } ?? "-", 10)
            line += TableText.right(TableText.number(r.seconds, 2), 7)
            print(line)
        }
    }
}
