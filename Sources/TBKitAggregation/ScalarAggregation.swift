import TBKit

/// Scalars of runs that differ only in their seed, aggregated per group, tag and step: mean,
/// sample standard deviation, min, max, median, n and the mean's 95% confidence interval.
///
/// Steps are aligned by value: a step counts where at least `minRuns` of the group's runs that
/// have the tag (all of them by default) have a point. Runs of unequal length are fine; a tag
/// only some runs have is aggregated over those. NaN and ±Inf points are left out of the
/// statistics and counted in `nonFinite`; a step whose points are all non-finite has no row.
/// Within a run the point TensorBoard shows is the one aggregated (see `RunScalars`).
package struct ScalarAggregation: Sendable {
    /// One tag of one group.
    package struct TagSeries: Sendable {
        /// The tag.
        package var tag: String
        /// How many of the group's runs have the tag.
        package var runs: Int
        /// The aligned steps, increasing.
        package var steps: [Int64]
        /// The statistics at each of `steps`.
        package var statistics: [SampleStatistics]
        /// NaN or ±Inf points left out at the counted steps.
        package var nonFinite: Int
        /// Steps dropped because fewer than the required runs had a point there.
        package var sparseSteps: Int
    }

    /// One group and its tags.
    package struct GroupResult: Sendable {
        /// The group's name.
        package var name: String
        /// Its runs' names.
        package var members: [String]
        /// Its tags in name order.
        package var tags: [TagSeries]
    }

    /// The groups, in name order.
    package var groups: [GroupResult]
    /// Runs a `--group-by` pattern did not match.
    package var leftOut: [String]
    /// Problems met while reading, with their run.
    package var problems: [(run: String, problem: EventFileProblem)]

    /// Aggregates `runs` grouped by `grouping`; `tags` restricts to those tags (all when empty);
    /// `minRuns` (≥ 1) is how many runs must have a point at a step for it to count, nil for all
    /// of the group's runs that have the tag.
    package static func aggregate(
        _ runs: [RunScalars], grouping: RunGrouping = .seeds, tags wanted: Set<String> = [], minRuns: Int? = nil
    ) throws(RunGroupingError) -> ScalarAggregation {
        // Runs with no scalar (the logdir's own run holding only an hparams experiment, say)
        // belong to no group.
        let withScalars = runs.filter { run in
            run.series.contains { wanted.isEmpty || wanted.contains($0.key) }
        }
        let byName = Dictionary(withScalars.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let (groups, leftOut) = try grouping.groups(of: withScalars.map { ($0.name, $0.hparams) })
        var table = StudentT.Table(level: 0.95)
        var results: [GroupResult] = []
        for group in groups {
            let members = group.members.compactMap { byName[$0] }
            var tagNames = Set<String>()
            for m in members { tagNames.formUnion(m.series.keys) }
            if !wanted.isEmpty { tagNames.formIntersection(wanted) }
            var tagResults: [TagSeries] = []
            for tag in tagNames.sortedShared() {
                let series = members.compactMap { $0.series[tag] }
                let required = min(max(minRuns ?? series.count, 1), Int.max)
                tagResults.append(align(tag: tag, series, required: required, table: &table))
            }
            results.append(GroupResult(name: group.name, members: group.members, tags: tagResults))
        }
        var problems: [(run: String, problem: EventFileProblem)] = []
        for run in runs {
            for p in run.problems { problems.append((run.name, p)) }
        }
        return ScalarAggregation(groups: results, leftOut: leftOut, problems: problems)
    }

    /// Merges the series by step (each strictly increasing) and computes each counted step.
    static func align(tag: String, _ series: [RunScalars.Series], required: Int, table: inout StudentT.Table)
        -> TagSeries
    {
        var cursor = [Int](repeating: 0, count: series.count)
        var steps: [Int64] = []
        var statistics: [SampleStatistics] = []
        var nonFinite = 0
        var sparse = 0
        var values: [Double] = []
        values.reserveCapacity(series.count)
        while true {
            var step = Int64.max
            var any = false
            for (i, s) in series.enumerated() where cursor[i] < s.steps.count {
                any = true
                step = min(step, s.steps[cursor[i]])
            }
            guard any else { break }
            values.removeAll(keepingCapacity: true)
            var present = 0
            var bad = 0
            for (i, s) in series.enumerated() where cursor[i] < s.steps.count && s.steps[cursor[i]] == step {
                present += 1
                let x = s.values[cursor[i]]
                if x.isFinite { values.append(x) } else { bad += 1 }
                cursor[i] += 1
            }
            guard present >= required else {
                sparse += 1
                continue
            }
            nonFinite += bad
            guard !values.isEmpty else { continue }
            steps.append(step)
            statistics.append(SampleStatistics(sorting: &values, criticalValue: { table.criticalValue($0) }))
        }
        return TagSeries(
            tag: tag, runs: series.count, steps: steps, statistics: statistics, nonFinite: nonFinite,
            sparseSteps: sparse)
    }
}
