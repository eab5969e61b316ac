import TBKit

/// Follows the scalars of a log directory as it grows: one resumable `EventFileReader` per run
/// (and one more for files a run starts later), kept open between polls so each poll reads only
/// the bytes written since the last one; runs that appear are picked up on the next poll.
final class LogdirWatcher {
    /// The latest state of one tag of one run.
    struct Series {
        /// Step and value of the last point read.
        var step: Int64
        /// Value of the last point read.
        var value: Double
        /// The most recent values, oldest first (at most `historyLength`).
        var recent: [Double]
        /// Points read so far.
        var count: Int
    }

    /// One run being followed.
    final class Run {
        let name: String
        var files: Set<String> = []
        var readers: [EventFileReader] = []
        var series: [String: Series] = [:]
        var problems = 0
        init(name: String) { self.name = name }
    }

    let logdir: String
    let historyLength: Int
    private(set) var runs: [Run] = []
    private var runsByName: [String: Run] = [:]

    init(logdir: String, historyLength: Int = 40) {
        self.logdir = logdir
        self.historyLength = historyLength
    }

    /// Finds new runs and files, reads what was appended, and returns the (run, tag) pairs that got
    /// new points, in run then tag order.
    func poll() throws(LogDirectoryError) -> [(run: String, tag: String)] {
        let found = try RunDirectory.discover(logdir: logdir)
        for directory in found {
            let run: Run
            if let known = runsByName[directory.name] {
                run = known
            } else {
                run = Run(name: directory.name)
                runsByName[directory.name] = run
                runs.append(run)
                runs.sort { $0.name < $1.name }
            }
            let fresh = directory.eventFiles.filter { !run.files.contains($0) }
            if !fresh.isEmpty {
                run.files.formUnion(fresh)
                run.readers.append(EventFileReader(files: fresh))
            }
        }
        var updated: [(run: String, tag: String)] = []
        for run in runs {
            var touched: Set<String> = []
            var problems = 0
            for reader in run.readers {
                while let value = reader.nextValue() {
                    guard case .scalar(let s) = value else { continue }
                    touched.insert(s.tag)
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
                }
                problems += reader.problems.count
            }
            run.problems = problems
            for tag in touched.sorted() { updated.append((run.name, tag)) }
        }
        return updated
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
