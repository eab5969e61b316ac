import Dispatch
import Foundation
import Synchronization
import SystemPackage

/// The front door: writes event files under `logdir` that TensorBoard reads as one run.
///
/// ```swift
/// let writer = try SummaryWriter(logdir: "logs/run1")
/// try writer.scalar("loss", 0.25, step: 1)
/// try writer.histogram("weights", [0.1, -0.4, 2.0], step: 1)
/// try writer.close()
/// ```
/// Records are buffered and written at least every `flushInterval` seconds (by a background
/// timer), when the buffer passes 1 MiB, on `flush()`, on `close()` and at normal process exit.
/// Every method is safe to call from many threads: each record is framed whole while the
/// writer's state is locked (a `Mutex`), so records never interleave.
public final class SummaryWriter: Sendable {
    /// The run directory this writer logs into (a local path, or a remote URL such as `s3://...`).
    public let logdir: String
    /// The local directory the event files are created in: `logdir` itself, or the spool of a
    /// remote logdir (see `RemoteLogdirs`).
    public let localDirectory: String
    /// The remote store sealed files go to, for a URL logdir.
    let remote: (any RemoteLogdirStore)?
    /// Seconds between background flushes.
    public let flushInterval: Double
    /// How scalars are stored.
    public let scalarFormat: ScalarFormat
    /// When the writer starts a new file (nil: one file for the writer's life).
    public let rotation: FileRotation?
    /// What a flush guarantees.
    public let durability: Durability
    /// True for a writer that writes nothing (a rank other than zero under `.rankZeroOnly`):
    /// every call returns at once and no file or directory is made.
    public let isDisabled: Bool

    private let filenameSuffix: String
    let onFileSealed: (@Sendable (String) -> Void)?
    /// True when files are sealed by age, so the clock is read even for caller-given wall times.
    private let rotatesByTime: Bool
    /// The size at which a file is sealed (Int.max: never by size).
    private let sealBytes: Int
    let state: Mutex<State>
    /// The run's custom-scalars layout: the caller's categories and the charts of `scalars`.
    let customScalars = Mutex(RunLayout())

    /// What the lock guards.
    struct State {
        /// The open file; nil once closed, or after opening the next file failed (retried by
        /// the next call).
        var file: EventFileWriter?
        /// The file records go to (the last one, once closed).
        var path: String
        /// Every file this writer has created, in order.
        var paths: [String]
        /// Bytes of the files already sealed.
        var sealedBytes = 0
        /// Tags whose plugin metadata the current file already carries.
        var described = Set<String>()
        var isClosed = false
        /// A failure of the background flush or of opening the next file, thrown by the next call.
        var pendingError: SummaryWriterError?
        /// Wall time at which the current file is sealed (infinity: never by age).
        var sealTime = Double.infinity
        var timer: DispatchSourceTimer?
        /// Failures of calls made through `log` (which never throw): how many, and the first.
        var keptFailures = 0
        var firstKeptFailure: String?
    }

    /// Creates `logdir` (and parents) and a new event file in it, named
    /// `events.out.tfevents.<secs>.<host>.<pid>.<n>.<random><filenameSuffix>`, whose first
    /// record is the `file_version` event. `flushInterval` (seconds, default 2) bounds how long a
    /// record waits in memory.
    ///
    /// `rotation` seals the file and starts the next one at a size or age limit (see
    /// `FileRotation`). `onFileSealed` is called with the path of each file once it is closed
    /// whole and will not change again (by rotation, `rotate()` or `close()`), outside the
    /// writer's lock and on the thread that sealed it: the place to hand a finished file to
    /// object storage. It must not call back into this writer's `rotate()` or `close()`.
    ///
    /// `purgeStep` resumes a run from a checkpoint: points logged earlier into this run at steps
    /// `>= purgeStep` are superseded by what this writer logs from there on. The writer records a
    /// SessionLog START at that step (twice: TensorBoard's Python loader takes the first START of a
    /// run as the initial one and purges only on a later one; a second START at the same step
    /// purges the same points again, so two are right whether or not the earlier part of the run
    /// had a START). TensorBoard's Rust loader ignores SessionLogs and instead drops a tag's
    /// points at or after each new point's step, so both loaders show one point per step for every
    /// tag that is logged again from `purgeStep` on. `LoggedSteps(runDirectory:)` tells a trainer
    /// where a run stands.
    ///
    /// A `logdir` that is a URL (`s3://bucket/prefix/run`) goes to the storage module registered
    /// for its scheme (`RemoteLogdirs`; `.unsupportedLogdirScheme` when none is): files are
    /// written into its local spool, rotated by its limits unless `rotation` is given, sealed on
    /// `flush()` once they pass its minimum size, and each sealed file is uploaded once, off the
    /// caller's thread. `close()` waits a bounded time for the uploads and throws
    /// `.remoteUploadIncomplete` naming any file still only local.
    ///
    /// `durability: .fsyncOnFlush` forces every flush to stable storage (see `Durability`).
    ///
    /// `ranks` is for distributed jobs: the process's rank is `rank`, else the environment's
    /// `RANK` (or `LOCAL_RANK`, checked against `WORLD_SIZE`), else 0. `.rankZeroOnly` gives every
    /// other rank a disabled writer that costs nothing and writes nothing; `.perRank` logs each
    /// rank into its own run, `<logdir>/rank_<r>`.
    ///
    /// Throws `.invalidPurgeStep` for a negative purge step, `.invalidRotation` for a limit of
    /// zero or less and `.invalidRank` for a rank outside the world size, before anything is
    /// created.
    public init(
        logdir: String, flushInterval: Double = 2.0, filenameSuffix: String = "",
        scalarFormat: ScalarFormat = .simpleValue, rotation: FileRotation? = nil, purgeStep: Int? = nil,
        durability: Durability = .write, ranks: RankPolicy? = nil, rank: ProcessRank? = nil,
        onFileSealed: (@Sendable (String) -> Void)? = nil
    ) throws {
        if let purgeStep, purgeStep < 0 { throw SummaryWriterError.invalidPurgeStep(purgeStep) }
        if let problem = rotation?.problem { throw SummaryWriterError.invalidRotation(reason: problem) }
        var directory = logdir
        var disabled = false
        if let ranks {
            let process = try rank ?? ProcessRank.fromEnvironment() ?? ProcessRank(rank: 0)
            switch ranks {
            case .rankZeroOnly: disabled = process.rank != 0
            case .perRank:
                let name = "rank_\(process.rank)"
                if RemoteLogdirs.scheme(of: logdir) != nil {
                    // A URL (s3://bucket/prefix) joins as text: FilePath would fold its `//`.
                    directory = logdir.hasSuffix("/") ? logdir + name : logdir + "/" + name
                } else {
                    directory = FilePath(logdir).appending(name).string
                }
            }
        }
        var remote: (any RemoteLogdirStore)?
        if !disabled, let scheme = RemoteLogdirs.scheme(of: directory) {
            guard let handler = RemoteLogdirs.handler(for: scheme) else {
                throw SummaryWriterError.unsupportedLogdirScheme(scheme: scheme, logdir: directory)
            }
            remote = try handler.open(url: directory)
        }
        let rotation = rotation ?? remote?.rotation
        if let problem = rotation?.problem { throw SummaryWriterError.invalidRotation(reason: problem) }
        self.logdir = directory
        self.remote = remote
        self.localDirectory = remote?.spoolDirectory ?? directory
        self.flushInterval = flushInterval
        self.scalarFormat = scalarFormat
        self.rotation = rotation
        self.durability = durability
        self.isDisabled = disabled
        self.filenameSuffix = filenameSuffix
        if let store = remote {
            self.onFileSealed = { path in
                store.fileSealed(path: path)
                onFileSealed?(path)
            }
        } else {
            self.onFileSealed = onFileSealed
        }
        self.rotatesByTime = rotation?.maxSeconds != nil
        self.sealBytes = rotation?.maxBytes ?? Int.max
        if disabled {
            self.state = Mutex(State(file: nil, path: "", paths: []))
            return
        }
        let file = try EventFileWriter(
            directory: localDirectory, suffix: filenameSuffix, syncOnFlush: durability == .fsyncOnFlush)
        if let purgeStep {
            let start = Event(
                wallTime: currentWallTime(), step: Int64(purgeStep),
                what: .sessionLog(status: .start, checkpointPath: "", message: ""))
            file.append(start)
            file.append(start)
            try file.flush()
        }
        var initial = State(file: file, path: file.path, paths: [file.path])
        if let maxSeconds = rotation?.maxSeconds { initial.sealTime = file.createdAt + maxSeconds }
        self.state = Mutex(initial)
        startTimer()
        OpenWriters.shared.add(self)
    }

    deinit {
        let sealed = state.withLock { s -> String? in
            s.timer?.cancel()
            s.timer = nil
            guard let file = s.file, !s.isClosed else { return nil }
            s.isClosed = true
            return (try? file.close()) != nil ? file.path : nil
        }
        OpenWriters.shared.remove(self)
        if let sealed { onFileSealed?(sealed) }
    }

    /// The event file records go to now (the last one, once closed).
    public var path: String { state.withLock { $0.path } }

    /// Every event file this writer has created, in the order written.
    public var paths: [String] { state.withLock { $0.paths } }

    // MARK: Scalars

    /// Logs a scalar (stored as float32, the precision TensorBoard keeps). NaN and ±Inf are
    /// written as they are; TensorBoard shows them.
    @inlinable
    public func scalar<T: BinaryFloatingPoint>(_ tag: String, _ value: T, step: Int, wallTime: Double? = nil) throws {
        try scalar(tag, Float(value), step: step, wallTime: wallTime)
    }

    /// Logs a Float scalar (the non-generic fast path of `scalar(_:_:step:wallTime:)`).
    public func scalar(_ tag: String, _ value: Float, step: Int, wallTime: Double? = nil) throws {
        if isDisabled { return }
        switch scalarFormat {
        case .simpleValue:
            try writeSimpleValue(tag, value, step: step, wallTime: wallTime)
        case .tensor:
            try summary(
                tag: tag, kind: .tensor(.scalar(value)), metadata: SummaryMetadata(pluginName: .scalars),
                step: step, wallTime: wallTime)
        }
    }

    /// The hot path of `scalar`: the record is stored straight into the file buffer.
    private func writeSimpleValue(_ tag: String, _ x: Float, step: Int, wallTime: Double?) throws {
        try validate(tag)
        let time = wallTime ?? currentWallTime()
        try validate(wallTime: time, tag: tag)
        let now = wallTime == nil ? time : (rotatesByTime ? currentWallTime() : 0)
        let sealed = try state.withLock { s throws -> String? in
            let file = try openFile(&s)
            // The tag's bytes are taken under the lock: a pointer from outside would tie the
            // caller's memory to the locked state.
            file.appendScalarEvent(wallTime: time, step: Int64(step), tag: tag, value: x)
            return try afterAppend(file, &s, now: now)
        }
        if let sealed { onFileSealed?(sealed) }
    }

    // MARK: Any summary

    /// Writes one `Summary.Value` of any kind in its own event. `metadata` goes on the first
    /// value of each tag in each file only, as TensorBoard's loaders need and no more.
    package func summary(
        tag: String, kind: SummaryValue.Kind, metadata: SummaryMetadata?, step: Int,
        wallTime: Double? = nil
    ) throws {
        if isDisabled { return }
        try validate(tag)
        let time = wallTime ?? currentWallTime()
        try validate(wallTime: time, tag: tag)
        let now = wallTime == nil ? time : (rotatesByTime ? currentWallTime() : 0)
        let step64 = Int64(step)
        let sealed = try state.withLock { s throws -> String? in
            let file = try openFile(&s)
            var value = SummaryValue(tag: tag, metadata: nil, kind: kind)
            if let metadata, s.described.insert(tag).inserted { value.metadata = metadata }
            file.appendRecord { w in
                w.writeDoubleFieldIfNonZero(1, time)
                w.writeVarintFieldIfNonZero(2, step64)
                w.writeMessageField(5) { $0.writeMessageField(1) { value.encode(into: &$0) } }
            }
            return try afterAppend(file, &s, now: now)
        }
        if let sealed { onFileSealed?(sealed) }
    }

    /// Writes a whole event (a graph, a session log, several values at once ...) as it is.
    package func event(_ event: Event) throws {
        if isDisabled { return }
        try validate(wallTime: event.wallTime, tag: nil)
        let now = rotatesByTime ? currentWallTime() : 0
        let sealed = try state.withLock { s throws -> String? in
            let file = try openFile(&s)
            file.append(event)
            return try afterAppend(file, &s, now: now)
        }
        if let sealed { onFileSealed?(sealed) }
    }

    /// Old name of `histogram(_:precomputed:step:format:wallTime:)`.
    @available(*, deprecated, renamed: "histogram(_:precomputed:step:format:wallTime:)")
    package func write(
        _ tag: String, _ histogram: Histogram, step: Int, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws {
        try self.histogram(tag, precomputed: histogram, step: step, format: format, wallTime: wallTime)
    }

    /// Old name of `summary(tag:kind:metadata:step:wallTime:)`.
    @available(*, deprecated, renamed: "summary(tag:kind:metadata:step:wallTime:)")
    package func write(
        tag: String, kind: SummaryValue.Kind, metadata: SummaryMetadata?, step: Int,
        wallTime: Double? = nil
    ) throws {
        try summary(tag: tag, kind: kind, metadata: metadata, step: step, wallTime: wallTime)
    }

    /// Old name of `event(_:)`.
    @available(*, deprecated, renamed: "event(_:)")
    package func write(_ event: Event) throws {
        try self.event(event)
    }

    /// The open file, opened now if the last rotation could not open the next one. Throws
    /// `.closed` after `close()`, and a kept background failure once.
    @inline(__always)
    func openFile(_ s: inout State) throws -> EventFileWriter {
        if !s.isClosed, s.pendingError == nil, let file = s.file { return file }
        return try openFileSlowly(&s)
    }

    private func openFileSlowly(_ s: inout State) throws -> EventFileWriter {
        if s.isClosed { throw SummaryWriterError.closed(path: s.path) }
        if let error = s.pendingError {
            s.pendingError = nil
            throw error
        }
        if let file = s.file { return file }
        let file = try EventFileWriter(
            directory: localDirectory, suffix: filenameSuffix, syncOnFlush: durability == .fsyncOnFlush)
        s.file = file
        s.path = file.path
        s.paths.append(file.path)
        s.described = []
        if let maxSeconds = rotation?.maxSeconds { s.sealTime = file.createdAt + maxSeconds }
        return file
    }

    /// After a record is framed: writes out a full buffer, and seals the file when it has passed
    /// a rotation limit. Returns the sealed file's path.
    @inline(__always)
    private func afterAppend(_ file: EventFileWriter, _ s: inout State, now: Double) throws -> String? {
        if file.wantsWrite { try file.flush() }
        if file.size >= sealBytes || now >= s.sealTime { return try seal(file, &s) }
        return nil
    }

    /// Flushes and closes `file` and opens the next one. When the next one cannot be opened,
    /// the failure is thrown by the next call (which tries again); the sealed file is whole.
    func seal(_ file: EventFileWriter, _ s: inout State) throws -> String {
        try file.flush()
        try file.close()
        s.sealedBytes += file.bytesWritten
        s.file = nil
        s.sealTime = .infinity
        do {
            _ = try openFile(&s)
        } catch let error as SummaryWriterError {
            s.pendingError = error
        }
        return file.path
    }

    private func startTimer() {
        guard flushInterval > 0, flushInterval.isFinite else { return }
        let interval = flushInterval
        state.withLock { s in
            let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
            t.schedule(deadline: .now() + interval, repeating: interval, leeway: .milliseconds(100))
            t.setEventHandler { [weak self] in self?.backgroundFlush() }
            t.resume()
            s.timer = t
        }
    }

    /// Flushes from the timer or at exit, and seals a file that has passed its age limit; a
    /// failure is kept and thrown by the next call.
    func backgroundFlush() {
        let now = currentWallTime()
        let sealed = state.withLock { s -> String? in
            guard !s.isClosed, let file = s.file else { return nil }
            do {
                if now >= s.sealTime { return try seal(file, &s) }
                try file.flush()
            } catch let error as SummaryWriterError {
                s.pendingError = error
            } catch {}
            return nil
        }
        if let sealed { onFileSealed?(sealed) }
    }
}

/// Seconds since the Unix epoch, from the real-time clock.
@inline(__always)
func currentWallTime() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_REALTIME, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) * 1e-9
}
