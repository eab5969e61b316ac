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
        /// Its name in the output: its own, or `<source>/<run>` when another source has a run
        /// of the same name (as the other reading commands name runs).
        var name: String
        /// Its name inside its log directory.
        let own: String
        /// The log directory it is in (its label).
        let source: String
        var series: [String: Series] = [:]
        var histograms: [String: HistogramSeries] = [:]
        var problems = 0
        var files = 0
        init(name: String, own: String, source: String) {
            self.name = name
            self.own = own
            self.source = source
        }
        /// Scalar and histogram tags, sorted.
        var tags: [String] { (Array(series.keys) + Array(histograms.keys)).sorted() }
    }

    /// The log directories followed, as given (trailing slashes dropped).
    let logdirs: [String]
    /// The log directories, for headers and messages.
    var logdir: String { logdirs.joined(separator: ", ") }
    let historyLength: Int
    /// Only these runs (all when empty): a run passes by its output name or its own name.
    let runFilter: Set<String>
    /// Only these tags (all when empty).
    let tagFilter: Set<String>
    private(set) var runs: [Run] = []
    /// Runs by source index and own name.
    private var runsByKey: [RunKey: Run] = [:]
    private let followers: [LogdirFollower]
    /// Every run and tag seen (of the runs read), to say what exists when a filter matches nothing.
    private(set) var allRuns: Set<String> = []
    private(set) var allTags: Set<String> = []

    private struct RunKey: Hashable {
        var source: Int
        var run: String
    }

    /// Follows `logdirs` (local log directories or event files, each once).
    init(logdirs: [String], runs: Set<String> = [], tags: Set<String> = [], historyLength: Int = 40) {
        var seen: Set<String> = []
        self.logdirs = logdirs.filter { seen.insert(LogSources.identity(of: $0)).inserted }.map(LogSources.trimmed)
        self.runFilter = runs
        self.tagFilter = tags
        self.historyLength = historyLength
        let several = self.logdirs.count > 1
        self.followers = self.logdirs.map { label in
            guard several, !runs.isEmpty else { return LogdirFollower(logdir: label, runs: runs) }
            // A filter may name a run by its own name or as <source>/<run> (<source> for ".").
            var own = runs
            for name in runs {
                if name == label { own.insert(".") }
                if name.hasPrefix(label + "/") { own.insert(String(name.dropFirst(label.count + 1))) }
            }
            return LogdirFollower(logdir: label, runs: own)
        }
    }

    /// Follows one log directory.
    convenience init(logdir: String, runs: Set<String> = [], tags: Set<String> = [], historyLength: Int = 40) {
        self.init(logdirs: [logdir], runs: runs, tags: tags, historyLength: historyLength)
    }

    /// Reads what was appended, and returns the (run, tag) pairs that got new points, in run then
    /// tag order (runs by output name).
    func poll() throws(LogDirectoryError) -> [(run: String, tag: String)] {
        var values: [(source: Int, value: RunValue)] = []
        for (index, follower) in followers.enumerated() {
            values += try follower.poll().map { (index, $0) }
            for skipped in follower.skippedRuns { allRuns.insert(outputName(skipped, source: index)) }
        }
        name()
        var touched: [String: Set<String>] = [:]
        for (source, item) in values {
            switch item.value {
            case .scalar, .histogram: allTags.insert(item.value.tag)
            case .other: continue
            }
            guard let run = runsByKey[RunKey(source: source, run: item.run)],
                tagFilter.isEmpty || tagFilter.contains(item.value.tag)
            else {
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
            touched[run.name, default: []].insert(item.value.tag)
        }
        var updated: [(run: String, tag: String)] = []
        for run in runs {
            let follower = followers[logdirs.firstIndex(of: run.source) ?? 0]
            run.problems = follower.problemCount(run: run.own)
            run.files = follower.fileCount(run: run.own)
            for tag in (touched[run.name] ?? []).sorted() { updated.append((run.name, tag)) }
        }
        return updated
    }

    /// Adds the runs the followers found and names every run among them all: a name two log
    /// directories share becomes `<source>/<run>` (a run shown before may gain its prefix).
    private func name() {
        var count: [String: Int] = [:]
        for follower in followers {
            for run in follower.runs { count[run, default: 0] += 1 }
        }
        var changed = false
        for (index, follower) in followers.enumerated() {
            for own in follower.runs {
                let shown = count[own, default: 0] > 1 ? outputName(own, source: index, prefixed: true) : own
                let key = RunKey(source: index, run: own)
                if let run = runsByKey[key] {
                    if run.name != shown {
                        run.name = shown
                        changed = true
                    }
                    continue
                }
                allRuns.insert(shown)
                guard runFilter.isEmpty || runFilter.contains(shown) || runFilter.contains(own) else { continue }
                let run = Run(name: shown, own: own, source: logdirs[index])
                runsByKey[key] = run
                runs.append(run)
                changed = true
            }
        }
        if changed { runs.sort { $0.name < $1.name } }
    }

    /// `<source>/<run>` (the source alone for its root run) when `prefixed`, or with several log
    /// directories the run's own name otherwise.
    private func outputName(_ own: String, source: Int, prefixed: Bool = false) -> String {
        guard prefixed else { return own }
        return own == "." ? logdirs[source] : logdirs[source] + "/" + own
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
