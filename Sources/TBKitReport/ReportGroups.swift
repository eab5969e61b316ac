import TBKit
import TBKitAggregation

extension ReportData {
    /// One tag's chart of seed groups: each group's mean with its band.
    package struct GroupChart: Sendable, Encodable {
        /// The tag.
        package var tag: String
        /// One series per group that has the tag.
        package var groups: [GroupSeries]
    }

    /// One group's aggregated series of one tag (evenly thinned to the report's point limit).
    package struct GroupSeries: Sendable, Encodable {
        /// The group.
        package var group: String
        /// Its runs.
        package var members: [String]
        /// Aligned steps.
        package var steps: [Int64]
        /// Mean over the runs at each step.
        package var mean: [Double]
        /// Lower end of the band (the mean's 95% interval; the value itself when n = 1).
        package var lower: [Double]
        /// Upper end of the band.
        package var upper: [Double]
        /// Runs with a finite value at each step.
        package var n: [Int]
        /// Aggregated steps before thinning.
        package var total: Int
    }

    /// One row of the groups table: a tag's last value over a group's runs.
    package struct GroupRow: Sendable, Encodable {
        /// The group.
        package var group: String
        /// The tag.
        package var tag: String
        /// Mean of the runs' last values.
        package var mean: Double
        /// Their sample standard deviation (NaN for one run).
        package var std: Double
        /// How many runs had a finite last value.
        package var n: Int
    }
}

/// The report's seed groups: built with TBKit's aggregation (`ScalarAggregation`,
/// `GroupComparison`) over the runs as TensorBoard shows them. Empty unless some group has two
/// runs or more: without seeds there is nothing to add to the runs table.
enum ReportGroups {
    static func make(runs: [RunDirectory], points: Int) -> (
        charts: [ReportData.GroupChart], rows: [ReportData.GroupRow]
    ) {
        let scalars = runs.map(RunScalars.read)
        guard let aggregation = try? ScalarAggregation.aggregate(scalars, minRuns: 1),
            aggregation.groups.contains(where: { $0.members.count >= 2 })
        else { return ([], []) }
        var charts: [String: [ReportData.GroupSeries]] = [:]
        for group in aggregation.groups {
            for series in group.tags where !series.steps.isEmpty {
                let keep = thinned(series.steps.count, to: max(points, 2))
                var s = ReportData.GroupSeries(
                    group: group.name, members: group.members, steps: [], mean: [], lower: [], upper: [], n: [],
                    total: series.steps.count)
                for i in keep {
                    let stats = series.statistics[i]
                    let (lo, hi) = AggregationBand.ci95.bounds(stats)
                    s.steps.append(series.steps[i])
                    s.mean.append(stats.mean)
                    s.lower.append(lo)
                    s.upper.append(hi)
                    s.n.append(stats.count)
                }
                charts[series.tag, default: []].append(s)
            }
        }
        var rows: [ReportData.GroupRow] = []
        for tag in charts.keys.sortedShared() {
            guard let c = try? GroupComparison.compare(scalars, tag: tag) else { continue }
            for e in c.entries.sortedShared(by: { $0.group < $1.group }) {
                rows.append(
                    ReportData.GroupRow(
                        group: e.group, tag: tag, mean: e.statistics.mean, std: e.statistics.standardDeviation,
                        n: e.statistics.count))
            }
        }
        return (charts.keys.sortedShared().map { ReportData.GroupChart(tag: $0, groups: charts[$0] ?? []) }, rows)
    }

    /// At most `limit` indices of `count`, evenly spaced, first and last kept.
    static func thinned(_ count: Int, to limit: Int) -> [Int] {
        guard count > limit else { return Array(0..<count) }
        let span = Double(count - 1)
        let gaps = Double(limit - 1)
        return (0..<limit).map { (i: Int) -> Int in
            let position: Double = Double(i) * span / gaps
            return Int(position.rounded())
        }
    }
}
