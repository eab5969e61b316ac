/// Runs side by side for each scalar tag: last, min, max and the best value's step.
public struct ScalarComparison: Sendable, Encodable {
    /// Whether lower or higher values are better for a tag.
    public enum Goal: String, Sendable, Encodable {
        /// Lower is better (losses, errors).
        case minimize = "min"
        /// Higher is better (accuracies, rewards).
        case maximize = "max"

        /// Lower is better when the tag names a loss or an error ("loss", "error", "err", "mse",
        /// "mae", "perplexity", "nll"), higher otherwise.
        package static func guess(tag: String) -> Goal {
            let t = tag.lowercased()
            for word in ["loss", "error", "err", "mse", "mae", "rmse", "perplexity", "nll", "cost"]
            where t.contains(word) {
                return .minimize
            }
            return .maximize
        }
    }

    /// One run's series of one tag.
    public struct Entry: Sendable, Equatable, Encodable {
        /// The run.
        public var run: String
        /// The label of the source the run came from.
        public var source: String = ""
        /// Points TensorBoard shows (superseded ones, see `SupersededPoints`, are not read).
        public var count: Int
        /// The last point's value and step (last in file order of the points that stand).
        public var last: Double
        /// The last point's step.
        public var lastStep: Int64
        /// Smallest value (NaN never counts).
        public var min: Double
        /// Largest value (NaN never counts).
        public var max: Double
        /// The best value under the tag's goal (first occurrence).
        public var best: Double
        /// The step of `best`.
        public var bestStep: Int64
    }

    /// One tag's table.
    public struct TagTable: Sendable, Encodable {
        /// The tag.
        public var tag: String
        /// Lower or higher is better.
        public var goal: Goal
        /// Runs, best first (runs with only NaN last, then by name).
        public var entries: [Entry]
    }

    /// Tags in name order.
    public var tags: [TagTable]

    /// Reads the scalar tags of every run under `logdir` as TensorBoard shows them (points a later
    /// record superseded left out); `tags` restricts to those tags (all when
    /// empty); `goal` overrides the guess from the tag name.
    public static func compare(logdir: String, tags wanted: [String] = [], goal: Goal? = nil) throws(LogDirectoryError)
        -> ScalarComparison
    {
        let runs = try RunDirectory.discover(logdir: logdir).map { SourcedRun(name: $0.name, source: logdir, run: $0) }
        return compare(runs: runs, tags: wanted, goal: goal)
    }

    /// The same over runs of one or more sources (see `LogSources`); each entry names its source.
    public static func compare(runs sourced: [SourcedRun], tags wanted: [String] = [], goal: Goal? = nil)
        -> ScalarComparison
    {
        let wantedSet = Set(wanted)
        var byTag: [String: [Entry]] = [:]
        for s in sourced {
            let run = s.named
            let reader = StandingValueReader(files: run.eventFiles)
            var entries: [String: Entry] = [:]
            var goals: [String: Goal] = [:]
            while let value = reader.nextValue() {
                guard case .scalar(let p) = value else { continue }
                if !wantedSet.isEmpty && !wantedSet.contains(p.tag) { continue }
                let g =
                    goals[p.tag]
                    ?? {
                        let g = goal ?? Goal.guess(tag: p.tag)
                        goals[p.tag] = g
                        return g
                    }()
                if var e = entries[p.tag] {
                    e.count += 1
                    e.last = p.value
                    e.lastStep = p.step
                    if !p.value.isNaN {
                        if e.min.isNaN || p.value < e.min { e.min = p.value }
                        if e.max.isNaN || p.value > e.max { e.max = p.value }
                        let better = e.best.isNaN || (g == .minimize ? p.value < e.best : p.value > e.best)
                        if better {
                            e.best = p.value
                            e.bestStep = p.step
                        }
                    }
                    entries[p.tag] = e
                } else {
                    entries[p.tag] = Entry(
                        run: run.name, source: s.source, count: 1, last: p.value, lastStep: p.step, min: p.value,
                        max: p.value, best: p.value, bestStep: p.step)
                }
            }
            for (tag, e) in entries { byTag[tag, default: []].append(e) }
        }
        var tables: [TagTable] = []
        for tag in byTag.keys.sortedShared() {
            let g = goal ?? Goal.guess(tag: tag)
            let entries = (byTag[tag] ?? []).sortedShared { a, b in
                if a.best.isNaN != b.best.isNaN { return !a.best.isNaN }
                if a.best != b.best && !a.best.isNaN { return g == .minimize ? a.best < b.best : a.best > b.best }
                return a.run < b.run
            }
            tables.append(TagTable(tag: tag, goal: g, entries: entries))
        }
        return ScalarComparison(tags: tables)
    }
}
