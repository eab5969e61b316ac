import ArgumentParser
import Foundation
import InitLab
import TBKit
import TBKitAggregation

/// `--seeds`: a range (`0-4`) or a comma list (`0,3,7`), or both (`0-2,9`); each seed once, in
/// the order given.
struct SeedList: ExpressibleByArgument, Sendable {
    /// The seeds.
    var values: [UInt64]

    init?(argument: String) {
        var seen = Set<UInt64>()
        var values: [UInt64] = []
        for part in argument.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = part.split(separator: "-", omittingEmptySubsequences: false)
            guard bounds.count == 1 || bounds.count == 2,
                let low = UInt64(bounds[0].trimmingCharacters(in: .whitespaces)),
                let high = bounds.count == 2 ? UInt64(bounds[1].trimmingCharacters(in: .whitespaces)) : low,
                low <= high, high - low < 10_000
            else { return nil }
            for seed in low...high where seen.insert(seed).inserted { values.append(seed) }
        }
        guard !values.isEmpty else { return nil }
        self.values = values
    }

    static var defaultCompletionKind: CompletionKind { .default }
}

extension TrainCommand {
    /// The study table over seeds: per scenario, mean ± std (n − 1) over its seeds of test_acc,
    /// loss_end, mm_var_1 and sat_1.
    func printSeedSummary(_ results: [RunResult], jobs: [Job], seeds: [UInt64]) {
        guard !results.isEmpty else { return }
        var byScenario: [String: [RunResult]] = [:]
        var order: [String] = []
        for (job, result) in zip(jobs, results) {
            if byScenario[job.scenario.name] == nil { order.append(job.scenario.name) }
            byScenario[job.scenario.name, default: []].append(result)
        }
        let width = (order.map(\.count).max() ?? 3) + 2
        let header =
            TableText.left("scenario", width) + TableText.right("seeds", 6) + TableText.right("test_acc", 20)
            + TableText.right("loss_end", 20) + TableText.right("mm_var_1", 24) + TableText.right("sat_1", 20)
        print("")
        print(
            "over \(seeds.count) seed(s) (\(seeds.map(String.init).joined(separator: ","))): mean ± std (n-1) per scenario"
        )
        print(header)
        print(String(repeating: "-", count: header.count))
        for name in order {
            let rs = byScenario[name] ?? []
            let trained = rs.filter { $0.steps > 0 }
            var line = TableText.left(name, width) + TableText.right("\(rs.count)", 6)
            line += TableText.right(Self.meanStd(trained.compactMap(\.testAccuracy), digits: 4), 20)
            line += TableText.right(Self.meanStd(trained.map(\.finalLoss), digits: 3), 20)
            line += TableText.right(Self.meanStd(rs.compactMap(\.matMulVariances.first), figure: true), 24)
            line += TableText.right(Self.meanStd(rs.compactMap(\.saturation.first), digits: 3), 20)
            print(line)
        }
    }

    /// "m ± s" of `values` (sample std), "m" for one value, "-" for none.
    static func meanStd(_ values: [Double], digits: Int = 3, figure: Bool = false) -> String {
        guard !values.isEmpty else { return "-" }
        var sorted = values
        let s = SampleStatistics(sorting: &sorted)
        let show = { (x: Double) in figure ? TableText.figure(x) : TableText.number(x, digits) }
        return s.count < 2 ? show(s.mean) : "\(show(s.mean)) ± \(show(s.standardDeviation))"
    }
}
