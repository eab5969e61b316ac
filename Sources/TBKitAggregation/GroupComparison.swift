import TBKit

/// Groups of seeds compared on one tag's last value: per group mean ± std, min, max and n, and
/// the best group against each other one as a difference of means with its Welch 95% interval
/// (Welch–Satterthwaite degrees of freedom). What `tbkit compare --group` prints.
package struct GroupComparison: Sendable {
    /// One group's last values.
    package struct Entry: Sendable {
        /// The group.
        package var group: String
        /// The statistics of its runs' last values (finite ones).
        package var statistics: SampleStatistics
        /// Runs whose last value was NaN or ±Inf, left out.
        package var nonFinite: Int
    }

    /// The best group minus another one.
    package struct Difference: Sendable {
        /// The other group.
        package var group: String
        /// Best mean minus the other mean.
        package var difference: Double
        /// The 95% interval of the difference (Welch); NaN when a group has fewer than two runs.
        package var low: Double
        /// Upper end of the interval.
        package var high: Double
        /// Welch–Satterthwaite degrees of freedom; NaN without an interval.
        package var degreesOfFreedom: Double

        /// Whether the interval excludes 0: the best group is ahead beyond the seeds' spread.
        package var isSignificant: Bool { !low.isNaN && (low > 0 || high < 0) }
    }

    /// The tag compared.
    package var tag: String
    /// Whether lower or higher is better.
    package var goal: ScalarComparison.Goal
    /// Groups, best mean first.
    package var entries: [Entry]
    /// The best group against each other one, in `entries` order.
    package var differences: [Difference]

    /// Compares the groups of `runs` on `tag`'s last value (the last point TensorBoard shows of
    /// each run); runs without the tag take no part.
    package static func compare(
        _ runs: [RunScalars], tag: String, grouping: RunGrouping = .seeds, goal: ScalarComparison.Goal? = nil
    ) throws(RunGroupingError) -> GroupComparison {
        let goal = goal ?? .guess(tag: tag)
        let withTag = runs.filter { ($0.series[tag]?.values.isEmpty ?? true) == false }
        let byName = Dictionary(withTag.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let (groups, _) = try grouping.groups(of: withTag.map { ($0.name, $0.hparams) })
        var table = StudentT.Table(level: 0.95)
        var entries: [Entry] = []
        for group in groups {
            var values: [Double] = []
            var bad = 0
            for member in group.members {
                guard let last = byName[member]?.series[tag]?.values.last else { continue }
                if last.isFinite { values.append(last) } else { bad += 1 }
            }
            guard !values.isEmpty else { continue }
            let s = SampleStatistics(sorting: &values, criticalValue: { table.criticalValue($0) })
            entries.append(Entry(group: group.name, statistics: s, nonFinite: bad))
        }
        entries.sortShared { a, b in
            if a.statistics.mean != b.statistics.mean {
                return goal == .minimize ? a.statistics.mean < b.statistics.mean : a.statistics.mean > b.statistics.mean
            }
            return a.group < b.group
        }
        var differences: [Difference] = []
        if let best = entries.first {
            for other in entries.dropFirst() {
                differences.append(welch(best.statistics, other.statistics, group: other.group))
            }
        }
        return GroupComparison(tag: tag, goal: goal, entries: entries, differences: differences)
    }

    /// Welch's interval for the difference of the means of `a` and `b`.
    static func welch(_ a: SampleStatistics, _ b: SampleStatistics, group: String) -> Difference {
        let d = a.mean - b.mean
        guard a.count >= 2, b.count >= 2 else {
            return Difference(group: group, difference: d, low: .nan, high: .nan, degreesOfFreedom: .nan)
        }
        let va = a.standardDeviation * a.standardDeviation / Double(a.count)
        let vb = b.standardDeviation * b.standardDeviation / Double(b.count)
        let se = (va + vb).squareRoot()
        guard se > 0 else {
            return Difference(group: group, difference: d, low: d, high: d, degreesOfFreedom: .infinity)
        }
        let dof = (va + vb) * (va + vb) / (va * va / Double(a.count - 1) + vb * vb / Double(b.count - 1))
        let t = StudentT.quantile(0.975, degreesOfFreedom: dof)
        return Difference(group: group, difference: d, low: d - t * se, high: d + t * se, degreesOfFreedom: dof)
    }
}
