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

            With --checkpoint-every N a full run saves its whole training state (weights, Adam's \
            moments, data order, step) into <logdir>/<run>/checkpoints/ every N steps and when it \
            finishes, keeping the newest three. --resume continues each run from its last \
            checkpoint: TensorBoard supersedes what was logged after it, and the run ends as an \
            uninterrupted one with the same seed would. A run without a checkpoint starts fresh; a \
            finished run is left alone.

            With --seeds 0-4 (or a list such as 0,1,2) every selected scenario is trained once per \
            seed into <run>_seed<k>/, its hparams session carrying the seed, and the run ends with \
            the study table as mean ± std over the seeds. `tbkit aggregate <logdir> -o <outdir>` \
            then gives TensorBoard each scenario's curves as a mean with a band.
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

    @Option(
        name: [.customShort("j"), .customLong("jobs")],
        help:
            "Runs trained at once, each on its own thread (default: one per processor; 1 trains them one after another). Results and logs do not depend on it."
    )
    var concurrentRuns: Int?

    @Option(help: "Adam steps of a full run.")
    var iterations = 1000

    @Option(help: "Batch size of a full run.")
    var batchSize = 30

    @Option(help: "Log every N steps.")
    var logEvery = 50

    @Option(help: "Seed of the weight and batch streams: the same seed gives the same run.")
    var seed: UInt64 = 0

    @Option(
        help:
            "Train every selected scenario once per seed (a range 0-4 or a list 0,3,7), each into <run>_seed<k>/, and end with the study table as mean ± std over the seeds."
    )
    var seeds: SeedList?

    @OptionGroup(title: "Replacing (a run's old event files are deleted instead of refusing to write beside them)")
    var replace: OverwriteOption

    @Flag(
        help:
            "Also log test_acc at every log step (one forward pass over the test set each time; about 15% more time). It is always logged at the end."
    )
    var testAccEveryLog = false

    @Flag(help: "Train without writing anything (for timing the cost of logging).")
    var noLog = false

    @Option(
        help:
            "Save each run's training state every N steps (and at its end) into <run>/checkpoints/, keeping the newest three."
    )
    var checkpointEvery: Int?

    @Flag(
        help:
            "Continue each run from its last checkpoint (same settings required; a run without one starts fresh, a finished one is skipped)."
    )
    var resume = false

    func validate() throws {
        guard iterations > 0 else { throw ValidationError("--iterations must be positive (got \(iterations))") }
        guard batchSize > 0 else { throw ValidationError("--batch-size must be positive (got \(batchSize))") }
        guard logEvery > 0 else { throw ValidationError("--log-every must be positive (got \(logEvery))") }
        if let concurrentRuns, concurrentRuns <= 0 {
            throw ValidationError("--jobs must be positive (got \(concurrentRuns))")
        }
        if let checkpointEvery, checkpointEvery <= 0 {
            throw ValidationError("--checkpoint-every must be positive (got \(checkpointEvery))")
        }
        if resume, replace.overwrite {
            throw ValidationError(
                "--resume continues the runs that are there and --overwrite replaces them; choose one")
        }
        if noLog, resume || checkpointEvery != nil {
            throw ValidationError(
                "--resume and --checkpoint-every work on run directories, which --no-log does not write")
        }
        if ObjectStorage.isRemote(logdir), resume || checkpointEvery != nil {
            throw ValidationError(
                "--resume and --checkpoint-every keep checkpoints in local run directories; use a local --logdir")
        }
        if seeds != nil, resume {
            throw ValidationError("--seeds trains fresh runs; --resume continues single-seed runs, choose one")
        }
        _ = try selectedScenarios()
    }

    /// What is trained: a scenario with a seed, into a run directory named `run`.
    struct Job {
        var scenario: Scenario
        var seed: UInt64
        var run: String
    }

    /// Every selected scenario once per seed (`--seeds`), or once with `--seed`.
    func jobs() throws -> [Job] {
        let scenarios = try selectedScenarios()
        guard let seeds else { return scenarios.map { Job(scenario: $0, seed: seed, run: $0.name) } }
        return scenarios.flatMap { s in seeds.values.map { Job(scenario: s, seed: $0, run: "\(s.name)_seed\($0)") } }
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
        let runs = try jobs()
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
        let baseOptions = TrainingOptions(
            iterations: iterations, batchSize: batchSize, logEvery: logEvery, seed: seed,
            testAccuracyAtLogSteps: testAccEveryLog,
            dataSet: dataDir.map { "MNIST from \($0)" } ?? "mnist-5k (embedded)")
        var plans: [String: RunPlan] = [:]
        if !noLog {
            // Check every run directory before training anything: refuse early, never half-way.
            let remote = ObjectStorage.isRemote(logdir)
            for job in runs {
                let s = job.scenario
                let options = options(for: job, baseOptions)
                let dir = ObjectStorage.join(logdir, job.run)
                let existing =
                    remote
                    ? try ObjectStorage.remoteEventFiles(dir) : FreshRunDirectory.eventFiles(in: dir)
                if resume {
                    let plan: RunPlan
                    do {
                        plan = try RunPlan.resuming(s, runDirectory: dir, options: options, data: data)
                    } catch let error as CheckpointError {
                        throw CommandFailure("\(error) (to start the run afresh instead: --overwrite without --resume)")
                    }
                    print("\(shown(job.run)): \(TerminalText.escaped(plan.explanation, limit: TerminalText.lineLimit))")
                    plans[job.run] = plan
                } else if !replace.overwrite, !existing.isEmpty {
                    let error = FreshRunDirectoryError.holdsEvents(path: dir, files: existing)
                    throw CommandFailure("\(error); pass --overwrite to delete them first, or choose another --logdir")
                }
            }
            if remote {
                try ObjectStorage.removeRemoteFiles(in: logdir, suffix: HParams.experimentFileSuffix)
            } else {
                try FileManager.default.createDirectory(atPath: logdir, withIntermediateDirectories: true)
            }
            try StudyDashboards.writeExperiment(logdir: logdir)
        }
        let progress = ProgressBar(plainEvery: logEvery * 5)
        let clock = ContinuousClock()
        let start = clock.now
        let command = self
        let planned = plans
        let workers = concurrentRuns ?? ProcessInfo.processInfo.activeProcessorCount
        let results = try runConcurrently(count: runs.count, workers: workers) { index in
            let job = runs[index]
            return try command.train(
                job, options: command.options(for: job, baseOptions), plan: planned[job.run], data: data,
                progress: progress)
        }.compactMap { $0 }
        let total = clock.now - start
        printSummary(results)
        if let seeds { printSeedSummary(results, jobs: runs, seeds: seeds.values) }
        let seconds = Double(total.components.seconds) + Double(total.components.attoseconds) / 1e18
        let logging = results.map(\.loggingSeconds).reduce(0, +)
        let training = results.map(\.seconds).reduce(0, +)
        let extras = results.map(\.endOfRunSeconds).reduce(0, +)
        let checkpointing = results.map(\.checkpointSeconds).reduce(0, +)
        print(
            "\(results.count) run(s) in \(TableText.number(seconds, 2)) s"
                + (noLog ? " (logging off)" : "; logs in \(shown(logdir))/ (tensorboard --logdir \(shown(logdir)))"))
        if !noLog, training > 0 {
            print(
                "logging (statistics, histograms, images, text, hparams, events\(testAccEveryLog ? ", test passes" : "")): \(TableText.number(logging, 3)) s of \(TableText.number(training, 2)) s in the runs (\(TableText.number(100 * logging / training, 1))%)"
            )
            if extras > 0 {
                print(
                    "end-of-run extras (final filters, 10 PR curves, projector files): \(TableText.number(extras, 3)) s (\(TableText.number(100 * extras / training, 1))%)"
                )
            }
            if checkpointEvery != nil || resume {
                print(
                    "checkpoints (log flush, state written and synced): \(TableText.number(checkpointing, 3)) s (\(TableText.number(100 * checkpointing / training, 1))%)"
                )
            }
        }
    }

    /// Trains one job into its run directory (or nowhere with --no-log), as planned by --resume;
    /// nil when the plan says the run is finished. Jobs share nothing but the read-only data and
    /// the progress display, so several run at once (--jobs).
    func train(
        _ job: Job, options: TrainingOptions, plan: RunPlan?, data: MNIST.Splits, progress: ProgressBar
    ) throws -> RunResult? {
        var writer: SummaryWriter?
        var policy: CheckpointPolicy?
        var resumeFrom: (path: String, checkpoint: TrainingCheckpoint)?
        if !noLog {
            let dir = ObjectStorage.join(logdir, job.run)
            let store = CheckpointStore(runDirectory: dir)
            switch plan {
            case .finished:
                return nil
            case .resume(let path, let checkpoint, _):
                resumeFrom = (path, checkpoint)
                writer = try SummaryWriter(logdir: dir, purgeStep: checkpoint.step)
                policy = CheckpointPolicy(store: store, every: checkpointEvery ?? checkpoint.checkpointEvery)
            case .fresh(let loggedUntil):
                // Every step the earlier events hold is logged again, so all of them are superseded.
                try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
                try store.removeAll()
                writer = try SummaryWriter(logdir: dir, purgeStep: loggedUntil == nil ? nil : 0)
            case nil:
                if ObjectStorage.isRemote(dir) {
                    if replace.overwrite { try ObjectStorage.removeRemote(dir) }
                } else {
                    try FreshRunDirectory.prepare(dir, overwrite: replace.overwrite)
                    try store.removeAll()
                }
                writer = try SummaryWriter(logdir: dir)
            }
            if policy == nil, let checkpointEvery {
                policy = CheckpointPolicy(store: store, every: checkpointEvery)
            }
        }
        var result = try Trainer.run(
            job.scenario, data: data, options: options, log: writer, progress: progress.update,
            checkpoints: policy, resume: resumeFrom)
        try writer?.close()
        result.name = job.run
        return result
    }

    /// The options of one job: the shared ones with its seed.
    func options(for job: Job, _ base: TrainingOptions) -> TrainingOptions {
        var options = base
        options.seed = job.seed
        return options
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
            if let from = r.resumedFrom { line += "  (resumed at step \(from))" }
            print(line)
        }
    }
}

/// What `tbkit train --resume` does with one run, decided before anything trains.
enum RunPlan {
    /// Continue from this checkpoint; the run's events reach `loggedUntil` (nil: none).
    case resume(path: String, checkpoint: TrainingCheckpoint, loggedUntil: Int?)
    /// The last checkpoint says the run finished: nothing to do.
    case finished(step: Int)
    /// No checkpoint: train from step 0, superseding the events already there (up to `loggedUntil`).
    case fresh(loggedUntil: Int?)

    /// The plan for `scenario` in `runDirectory`: a damaged newest checkpoint, or one made with
    /// other settings, is an error here, before any run trains.
    static func resuming(
        _ scenario: Scenario, runDirectory: String, options: TrainingOptions, data: MNIST.Splits
    ) throws -> RunPlan {
        let logged = try LoggedSteps(runDirectory: runDirectory).overall
        guard let (path, checkpoint) = try CheckpointStore(runDirectory: runDirectory).latest() else {
            return .fresh(loggedUntil: logged)
        }
        try Trainer.check(checkpoint, path: path, scenario: scenario, options: options, data: data)
        return checkpoint.finished
            ? .finished(step: checkpoint.step) : .resume(path: path, checkpoint: checkpoint, loggedUntil: logged)
    }

    /// One line for the user.
    var explanation: String {
        switch self {
        case .resume(let path, let checkpoint, let loggedUntil):
            let step = checkpoint.step
            let events: String
            switch loggedUntil {
            case nil: events = "; the run holds no events yet"
            case let last? where last >= step: events = "; its points at steps \(step)...\(last) are superseded"
            case let last?: events = "; its events end at step \(last)"
            }
            return "resuming at step \(step) from \(path)\(events)"
        case .finished(let step):
            return "already finished (step \(step)); nothing to do"
        case .fresh(let loggedUntil):
            return loggedUntil.map {
                "no checkpoint; starting fresh (the events already there, up to step \($0), are superseded)"
            } ?? "no checkpoint; starting fresh"
        }
    }
}
