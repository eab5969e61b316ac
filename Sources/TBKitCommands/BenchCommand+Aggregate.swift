import Foundation
import TBKit
import TBKitAggregation

extension BenchCommand {
    /// The aggregate case: 20 runs (groups cfg0...cfg3 of seeds 0...4) x 4 tags x
    /// `aggregateSteps` steps, written by TBKit; times `aggregate` (read, group, align, statistics,
    /// tidy CSV to /dev/null) beside `export` of the same runs (CSV to /dev/null), and, given an
    /// interpreter, tb-reducer (PyPI tensorboard-reducer) reducing each group to CSV with the
    /// same statistics.
    func measureAggregate(in tmp: String, interpreter: String?) throws {
        let logdir = tmp + "/aggregate-logdir"
        var rng = SplitMix(seed: 11)
        let tags = ["loss", "accuracy", "learning_rate", "grad_norm"]
        for group in 0..<4 {
            for seed in 0..<5 {
                let writer = try SummaryWriter(logdir: "\(logdir)/cfg\(group)_seed\(seed)")
                for step in 0..<aggregateSteps {
                    let t = Double(step)
                    try writer.scalar(tags[0], Float(2.3 * exp(-t / 2e4) + 0.1 * rng.uniform()), step: step)
                    try writer.scalar(tags[1], Float(1 - exp(-t / 1.5e4) * rng.uniform()), step: step)
                    try writer.scalar(tags[2], Float(1e-3 * pow(0.5, Double(step / 10_000))), step: step)
                    try writer.scalar(tags[3], Float(exp(Double(rng.normal()))), step: step)
                }
                try writer.close()
            }
        }
        var aggregateSeconds = [Double]()
        var exportSeconds = [Double]()
        for _ in 0..<repeats {
            var start = DispatchTime.now().uptimeNanoseconds
            let runs = try RunDirectory.discover(logdir: logdir).map(RunScalars.read)
            let aggregation = try ScalarAggregation.aggregate(runs)
            let out = try TextOutput(path: "/dev/null")
            AggregationRows.write(aggregation, format: .csv) { out.write(bytes: $0) }
            try out.close()
            aggregateSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
            let exportOut = try TextOutput(path: "/dev/null")
            start = DispatchTime.now().uptimeNanoseconds
            _ = try TidyExporter().export(logdir: logdir, bytes: { exportOut.write(bytes: $0) })
            try exportOut.close()
            exportSeconds.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        let ours = median(aggregateSeconds)
        let export = median(exportSeconds)
        print(
            String(
                format: "  aggregate:  %12.3f s for 20 runs x 4 tags x %d steps (4 groups, CSV stats)", ours,
                aggregateSteps))
        print(
            String(format: "  export of the same runs: %.3f s (aggregate takes %.2fx its time)", export, ours / export))
        guard let interpreter else { return }
        let reducer = ((interpreter as NSString).deletingLastPathComponent as NSString)
            .appendingPathComponent("tb-reducer")
        guard FileManager.default.isExecutableFile(atPath: reducer) else {
            return print("  tb-reducer: not measured (\(reducer) not found; pip install tensorboard-reducer)")
        }
        // One tb-reducer process per group (it reduces the runs it is given into one); each is
        // timed `repeats` times and the groups' medians are added up.
        var reducerTotal = 0.0
        for group in 0..<4 {
            let inputs = (0..<5).map { "\(logdir)/cfg\(group)_seed\($0)" }
            let seconds = try timedRuns(
                [reducer] + inputs + ["-o", "\(tmp)/reduced\(group).csv", "-r", "mean,std,min,max,median", "-f"]
            ) {}
            guard seconds.count == repeats else {
                return print("  tb-reducer: not measured (it failed on \(inputs[0]) ...)")
            }
            reducerTotal += median(seconds)
        }
        print(
            String(
                format: "  tb-reducer (CSV, same runs, 4 processes): %.3f s   -> tbkit aggregate is %.1fx faster",
                reducerTotal, reducerTotal / ours))
    }
}
