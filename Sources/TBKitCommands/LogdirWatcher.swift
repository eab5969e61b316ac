import Foundation
import TBKit

/// Follows the scalars and histograms of a log directory as it grows (through TBKit's
/// `LogdirFollower`: resumable readers, each poll reads only the new bytes), keeping the latest
/// state of each series of the runs and tags the filters let through.
final class LogdirWatcher {
    /// The latest state of one scalar tag of one run.
    struct Series {
        /// Step of the last point read.
        var step: Int64
        /// Value of the last point read.
        var value: Double
        /// The most recent values, oldest first (at most `historyLength`).
        var recent: [Double]
        /// Points read so far.
        var count: Int
    }

    /// The latest histogram of one tag of one run.
    struct HistogramSeries {
        /// The last histogram read.
        var last: HistogramPoint
        /// Histograms read so far.
        var count: Int
    }

    /// One run being followed.
    final class Run {
        let name: String
        var series: [String: Series] = [:]
        var histograms: [String: HistogramSeries] = [:]
        var problems = 0
        var files = 0
        init(name: String) { self.name = name }
        /// Scalar and histogram tags, sorted.
        var tags: [String] { (Array(series.keys) + Array(histograms.keys)).sorted() }
    }

    let logdir: String
    let historyLength: Int
    /// Only these runs (all when empty).
    let runFilter: Set<String>
    /// Only these tags (all when empty).
    let tagFilter: Set<String>
    private(set) var runs: [Run] = []
    private var runsByName: [String: Run] = [:]
    private let follower: LogdirFollower
    /// Every run and tag seen (of the runs read), to say what exists when a filter matches nothing.
    private(set) var allRuns: Set<String> = []
    private(set) var allTags: Set<String> = []

    init(logdir: String, runs: Set<String> = [], tags: Set<String> = [], historyLength: Int = 40) {
        self.logdir = logdir
        self.runFilter = runs
        self.tagFilter = tags
        self.historyLength = historyLength
        self.follower = LogdirFollower(logdir: logdir, runs: runs)
    }

    /// Reads what was appended, and returns the (run, tag) pairs that got new points, in run then
    /// tag order.
    func poll() throws(LogDirectoryError) -> [(run: String, tag: String)] {
        let values = try follower.poll()
        allRuns.formUnion(follower.skippedRuns)
        for name in follower.runs where runsByName[name] == nil {
            allRuns.insert(name)
            let run = Run(name: name)
            runsByName[name] = run
            runs.append(run)
            runs.sort { $0.name < $1.name }
        }
        var touched: [String: Set<String>] = [:]
        for item in values {
            switch item.value {
            case .scalar, .histogram: allTags.insert(item.value.tag)
            case .other: continue
            }
            guard let run = runsByName[item.run], tagFilter.isEmpty || tagFilter.contains(item.value.tag) else {
                continue
            }
            switch item.value {
            case .scalar(let s):
                if var series = run.series[s.tag] {
                    series.step = s.step
                    series.value = s.value
                    series.count += 1
                    series.recent.append(s.value)
                    if series.recent.count > historyLength { series.recent.removeFirst() }
                    run.series[s.tag] = series
                } else {
                    run.series[s.tag] = Series(step: s.step, value: s.value, recent: [s.value], count: 1)
                }
            case .histogram(let h):
                let count = (run.histograms[h.tag]?.count ?? 0) + 1
                run.histograms[h.tag] = HistogramSeries(last: h, count: count)
            case .other:
                continue
            }
            touched[item.run, default: []].insert(item.value.tag)
        }
        var updated: [(run: String, tag: String)] = []
        for run in runs {
            run.problems = follower.problemCount(run: run.name)
            run.files = follower.fileCount(run: run.name)
            for tag in (touched[run.name] ?? []).sorted() { updated.append((run.name, tag)) }
        }
        return updated
    }

    /// Why the filters show nothing, once the logdir has runs and tags they could have matched:
    /// names the option and lists what exists. Nil while they match something or nothing is
    /// there yet.
    func filterProblem() -> String? {
        if !runFilter.isEmpty, !allRuns.isEmpty, runs.isEmpty {
            return
                "--run \(runFilter.sorted().joined(separator: ", ")) matches no run of \(logdir); runs: \(allRuns.sorted().joined(separator: ", ")) (names are exact; \".\" is the log directory itself)"
        }
        if !tagFilter.isEmpty, !allTags.isEmpty, allTags.isDisjoint(with: tagFilter) {
            let shown = allTags.sorted().prefix(20).joined(separator: ", ")
            return
                "--tag \(tagFilter.sorted().joined(separator: ", ")) matches no scalar or histogram tag of \(logdir); tags: \(shown)\(allTags.count > 20 ? ", …" : "") (names are exact)"
        }
        return nil
    }

    /// One line for a histogram: its count, mean, standard deviation and range.
    static func summary(_ h: HistogramPoint) -> String {
        "n=\(WatchCommand.format(h.num)) mean=\(WatchCommand.format(h.mean)) std=\(WatchCommand.format(h.standardDeviation)) min=\(WatchCommand.format(h.min)) max=\(WatchCommand.format(h.max))"
    }

    /// Eight-level block characters for `values`, scaled between their smallest and largest
    /// finite value; a non-finite value shows as "!".
    static func sparkline(_ values: [Double]) -> String {
        let blocks: [Character] = ["▁", "▂", "▃", "▄", "▅", "▆", "▇", "█"]
        let finite = values.filter(\.isFinite)
        guard let lo = finite.min(), let hi = finite.max() else { return String(repeating: "!", count: values.count) }
        return String(
            values.map { v -> Character in
                guard v.isFinite else { return "!" }
                if hi == lo { return blocks[3] }
                return blocks[Swift.min(7, Int((v - lo) / (hi - lo) * 8))]
            })
    }
}
