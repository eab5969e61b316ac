import Foundation

/// Where a run stands: the last step logged, overall and per tag, as TensorBoard will show it.
///
/// A trainer that resumes from a checkpoint reads this to know how far the run got and whether
/// a `purgeStep` is needed:
/// ```swift
/// let logged = try LoggedSteps(runDirectory: "logs/run1")
/// let resumeAt = 500  // the checkpoint's step
/// let purge = (logged.overall ?? -1) >= resumeAt ? resumeAt : nil
/// let writer = try SummaryWriter(logdir: "logs/run1", purgeStep: purge)
/// ```
/// The run's event files are read in name order (TensorBoard's order) with purge semantics
/// applied across them: a SessionLog START at step `s` drops every point at a step `>= s` read
/// before it, for every tag; a point at step `t` drops the points of its own tag at steps `>= t`
/// read before it (TensorBoard's Rust loader does this on every record). Damaged or truncated
/// records are skipped, as the readers skip them; file_version, SessionLog and graph events are
/// not points.
public struct LoggedSteps: Sendable, Equatable {
    /// The largest last step over all tags; nil when the run holds no point.
    public var overall: Int? { byTag.values.max() }
    /// The last step of each tag that still has a point.
    public var byTag: [String: Int]

    /// Makes a value from known per-tag steps.
    public init(byTag: [String: Int]) {
        self.byTag = byTag
    }

    /// Reads the event files directly inside `runDirectory`. A directory that does not exist
    /// holds no step (a run not started yet); one that cannot be listed throws.
    public init(runDirectory: String) throws(LogDirectoryError) {
        guard FileManager.default.fileExists(atPath: runDirectory) else {
            self.init(byTag: [:])
            return
        }
        self.init(files: try RunDirectory.eventFiles(in: runDirectory))
    }

    /// Reads the given event files in the order given.
    public init(files: [String]) {
        // Per tag, the steps still standing, strictly increasing: a new point pops the steps at
        // or after its own, a START pops them for every tag.
        var standing: [String: [Int64]] = [:]
        let reader = EventFileReader(files: files)
        while let event = reader.next() {
            switch event.what {
            case .sessionLog(.start, _, _):
                for tag in standing.keys {
                    standing[tag]?.popSteps(from: event.step)
                }
            case .summary(let summary):
                for value in summary.values {
                    standing[value.tag, default: []].popSteps(from: event.step)
                    standing[value.tag, default: []].append(event.step)
                }
            default:
                break
            }
        }
        var last: [String: Int] = [:]
        for (tag, steps) in standing {
            if let step = steps.last { last[tag] = Int(step) }
        }
        self.byTag = last
    }
}

extension Array where Element == Int64 {
    /// Drops the trailing steps at or after `step` (the array is strictly increasing).
    fileprivate mutating func popSteps(from step: Int64) {
        while let last, last >= step { removeLast() }
    }
}
