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
/// The run's event files are read in name order (TensorBoard's order) with TensorBoard's purge
/// semantics applied across them by `StandingValueReader` (see `SupersededPoints`): a SessionLog
/// START after the run's first drops every point at a step `>= s` read before it; a point at
/// step `t` drops the points of its own tag at steps `>= t` read before it. Damaged or truncated
/// records are skipped, as the readers skip them; file_version, SessionLog and graph events are
/// not points.
public struct LoggedSteps: Sendable, Equatable {
    /// The largest last step over all tags; nil when the run holds no point.
    public var overall: Int? { byTag.values.max() }
    /// The last step of each tag that still has a point.
    public var byTag: [String: Int]

    /// Makes a value from known per-tag steps.
    package init(byTag: [String: Int]) {
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
        // The values that stand come with strictly increasing steps per tag: the last is the largest.
        var last: [String: Int] = [:]
        let reader = StandingValueReader(files: files)
        while let value = reader.nextValue() {
            if case .other(let o) = value, o.tag == "__run_graph__" { continue }
            last[value.tag] = Int(value.step)
        }
        self.byTag = last
    }
}
