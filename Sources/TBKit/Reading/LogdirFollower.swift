/// One value read from a followed log directory, with the run it belongs to.
public struct RunValue: Sendable, Equatable {
    /// The run's path relative to the logdir ("." for the logdir itself).
    public var run: String
    /// The value: a scalar, a histogram or another summary.
    public var value: TaggedValue

    /// Makes a run value.
    public init(run: String, value: TaggedValue) {
        self.run = run
        self.value = value
    }
}

/// Follows a log directory as it grows: one resumable `EventFileReader` per run (and one more for
/// files a run starts later), kept open between polls, so each poll reads only the bytes written
/// since the last one (a half-written last record is left for the next poll); runs that appear are
/// picked up on the next poll. Not thread-safe: one owner polls it (`LogdirEvents` wraps it as an
/// `AsyncSequence`).
public final class LogdirFollower {
    /// The log directory (or single event file) followed.
    public let logdir: String
    /// Only these runs are read (all when empty).
    public let runFilter: Set<String>
    /// The runs followed, sorted by name.
    public private(set) var runs: [String] = []
    /// Runs found but left unread by `runFilter`.
    public private(set) var skippedRuns: Set<String> = []
    private var files: [String: Set<String>] = [:]
    private var readers: [String: [EventFileReader]] = [:]

    /// Follows `logdir` (only the runs named in `runs`, when given); nothing is read until the
    /// first `poll()`.
    public init(logdir: String, runs: Set<String> = []) {
        self.logdir = logdir
        self.runFilter = runs
    }

    /// Finds new runs and files, and returns every value appended since the last poll, run by
    /// run (runs sorted by name), each run's values in file order. Throws when `logdir` is gone.
    public func poll() throws(LogDirectoryError) -> [RunValue] {
        for directory in try RunDirectory.discover(logdir: logdir) {
            guard runFilter.isEmpty || runFilter.contains(directory.name) else {
                skippedRuns.insert(directory.name)
                continue
            }
            if files[directory.name] == nil {
                files[directory.name] = []
                runs.append(directory.name)
                runs.sortShared(by: <)
            }
            let fresh = directory.eventFiles.filter { !(files[directory.name]?.contains($0) ?? false) }
            if !fresh.isEmpty {
                files[directory.name, default: []].formUnion(fresh)
                readers[directory.name, default: []].append(EventFileReader(files: fresh))
            }
        }
        var out: [RunValue] = []
        for run in runs {
            for reader in readers[run] ?? [] {
                while let value = reader.nextValue() { out.append(RunValue(run: run, value: value)) }
            }
        }
        return out
    }

    /// How many event files of `run` are being read.
    public func fileCount(run: String) -> Int { files[run]?.count ?? 0 }

    /// How many problems (damaged records) the readers of `run` have met so far.
    public func problemCount(run: String) -> Int {
        (readers[run] ?? []).reduce(0) { $0 + $1.problems.count }
    }
}

/// The values of a log directory as an `AsyncSequence` that follows it as it grows: every value
/// already written, then each new one as training appends it, checked every `interval`.
///
/// ```swift
/// for try await item in LogdirEvents(logdir: "logs", pollEvery: .seconds(1)) {
///     if case .scalar(let s) = item.value { print(item.run, s.tag, s.step, s.value) }
/// }
/// ```
/// The sequence never ends by itself (a run may always grow): leave the loop with `break`, or
/// cancel the task, which ends it at the next poll. It throws `LogDirectoryError` when the
/// logdir is missing or unreadable.
public struct LogdirEvents: AsyncSequence, Sendable {
    /// One value with its run.
    public typealias Element = RunValue

    /// The log directory (or single event file) followed.
    public let logdir: String
    /// The wait between polls when nothing new was found.
    public let interval: Duration

    /// Follows `logdir`, polling every `interval` (default one second) while nothing is new.
    public init(logdir: String, pollEvery interval: Duration = .seconds(1)) {
        self.logdir = logdir
        self.interval = interval
    }

    /// A new iterator, with its own readers, starting at the beginning of every file.
    public func makeAsyncIterator() -> Iterator {
        Iterator(follower: LogdirFollower(logdir: logdir), interval: interval)
    }

    /// Reads values as they are written (see `LogdirEvents`).
    public struct Iterator: AsyncIteratorProtocol {
        let follower: LogdirFollower
        let interval: Duration
        var pending: [RunValue] = []
        var index = 0

        /// The next value, waiting for one to be written; nil once the task is cancelled.
        public mutating func next() async throws -> RunValue? {
            while true {
                if index < pending.count {
                    index += 1
                    return pending[index - 1]
                }
                if Task.isCancelled { return nil }
                pending = try follower.poll()
                index = 0
                if pending.isEmpty {
                    do { try await Task.sleep(for: interval) } catch { return nil }
                }
            }
        }
    }
}
