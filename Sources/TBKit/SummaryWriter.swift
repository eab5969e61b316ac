import Dispatch
import Foundation
import Synchronization
import SystemPackage

/// How `SummaryWriter.scalar` stores a value.
public enum ScalarFormat: Sendable {
    /// v1 `simple_value` (float32): 42 bytes a point, read by every TensorBoard loader and by the
    /// legacy `EventAccumulator.Scalars` and tbparse. The default, as in tensorboardX.
    case simpleValue
    /// v2: a rank-0 DT_FLOAT tensor with plugin "scalars" metadata, as `tf.summary.scalar` writes.
    case tensor
}

/// How `SummaryWriter.histogram` stores a histogram.
public enum HistogramFormat: Sendable {
    /// v1 `HistogramProto` (min, max, num, sum, sum_squares, bucket limits and counts).
    case proto
    /// v2: a DT_DOUBLE [k, 3] tensor of (left, right, count) rows with plugin "histograms".
    case tensor
}

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
    private let remote: (any RemoteLogdirStore)?
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
    private let onFileSealed: (@Sendable (String) -> Void)?
    /// True when files are sealed by age, so the clock is read even for caller-given wall times.
    private let rotatesByTime: Bool
    /// The size at which a file is sealed (Int.max: never by size).
    private let sealBytes: Int
    private let state: Mutex<State>
    /// The run's custom-scalars layout: the caller's categories and the charts of `scalars`.
    let customScalars = Mutex(RunLayout())

    /// What the lock guards.
    private struct State {
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

    // MARK: Histograms

    /// Logs a histogram of `values`. NaN and ±Inf are left out of it (see `Histogram`); when
    /// there are any, their count is logged as the scalar `<tag>/nonfinite_count` at the same step.
    /// Returns the histogram written.
    @discardableResult
    public func histogram(
        _ tag: String, _ values: UnsafeBufferPointer<Float>, step: Int,
        bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws -> Histogram {
        if isDisabled { return try Histogram(UnsafeBufferPointer<Float>(start: nil, count: 0), bins: bins) }
        try validate(tag)
        let h = try Histogram(values, bins: bins)
        try self.histogram(tag, precomputed: h, step: step, format: format, wallTime: wallTime)
        return h
    }

    /// Logs a histogram of `values` (see the `UnsafeBufferPointer<Float>` overload).
    @discardableResult
    public func histogram(
        _ tag: String, _ values: UnsafeBufferPointer<Double>, step: Int,
        bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws -> Histogram {
        if isDisabled { return try Histogram(UnsafeBufferPointer<Float>(start: nil, count: 0), bins: bins) }
        try validate(tag)
        let h = try Histogram(values, bins: bins)
        try self.histogram(tag, precomputed: h, step: step, format: format, wallTime: wallTime)
        return h
    }

    /// Logs a histogram of any collection of floating-point values (`[Float]`, `[Double]`,
    /// `[Float16]`, an `ArraySlice`, ...): Float, Double and Float16 storage is read in place,
    /// without a whole copy; other collections are copied.
    @discardableResult
    public func histogram<C: Collection>(
        _ tag: String, _ values: C, step: Int,
        bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws -> Histogram
    where C.Element: BinaryFloatingPoint {
        if isDisabled { return try Histogram(UnsafeBufferPointer<Float>(start: nil, count: 0), bins: bins) }
        let direct = try values.withContiguousStorageIfAvailable { buffer -> Histogram? in
            if let floats = buffer as? UnsafeBufferPointer<Float> {
                return try histogram(tag, floats, step: step, bins: bins, format: format, wallTime: wallTime)
            }
            if let doubles = buffer as? UnsafeBufferPointer<Double> {
                return try histogram(tag, doubles, step: step, bins: bins, format: format, wallTime: wallTime)
            }
            #if !(os(macOS) && arch(x86_64))
                if let halves = buffer as? UnsafeBufferPointer<Float16> {
                    return try histogram(tag, halves, step: step, bins: bins, format: format, wallTime: wallTime)
                }
            #endif
            return nil
        }
        if let result = direct ?? nil { return result }
        let copy = values.map { Double($0) }
        return try histogram(tag, copy, step: step, bins: bins, format: format, wallTime: wallTime)
    }

    /// Logs an already computed histogram (and `<tag>/nonfinite_count` when it left values out).
    public func histogram(
        _ tag: String, precomputed histogram: Histogram, step: Int, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws {
        if isDisabled { return }
        let time = wallTime ?? currentWallTime()
        switch format {
        case .proto:
            try summary(tag: tag, kind: .histogram(histogram.proto), metadata: nil, step: step, wallTime: time)
        case .tensor:
            try summary(
                tag: tag, kind: .tensor(histogram.tensor), metadata: SummaryMetadata(pluginName: .histograms),
                step: step, wallTime: time)
        }
        if histogram.nonFiniteCount > 0 {
            try summary(
                tag: tag + "/nonfinite_count", kind: .simpleValue(Float(histogram.nonFiniteCount)),
                metadata: nil, step: step, wallTime: time)
        }
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

    // MARK: Flushing, rotating and closing

    /// Writes every buffered record to the file now. For a remote logdir, a file that has
    /// reached the store's minimum size is also sealed and handed on for upload.
    ///
    /// Then throws `.loggingFailed` once when calls made through `log` failed since the last
    /// `flush()` or `close()`.
    public func flush() throws {
        let minimum = remote?.minimumFlushBytes
        let sealed = try state.withLock { s throws -> String? in
            if let error = s.pendingError {
                s.pendingError = nil
                throw error
            }
            guard let file = s.file else { return nil }
            try file.flush()
            if let minimum, file.size >= minimum { return try seal(file, &s) }
            return nil
        }
        if let sealed { onFileSealed?(sealed) }
        try throwKeptFailures()
    }

    /// Keeps the failure of a call made through `log`, for the next `flush()` or `close()`.
    func keepFailure(_ error: any Error) {
        state.withLock { s in
            s.keptFailures += 1
            if s.firstKeptFailure == nil { s.firstKeptFailure = "\(error)" }
        }
    }

    /// Throws `.loggingFailed` for the kept failures (once: they are cleared).
    private func throwKeptFailures() throws {
        let kept = state.withLock { s -> (Int, String)? in
            guard s.keptFailures > 0 else { return nil }
            defer {
                s.keptFailures = 0
                s.firstKeptFailure = nil
            }
            return (s.keptFailures, s.firstKeptFailure ?? "")
        }
        if let (count, first) = kept { throw SummaryWriterError.loggingFailed(count: count, first: first) }
    }

    /// Seals the current file now (flushed, closed, reported to `onFileSealed`) and starts the
    /// next one, whatever the rotation limits say. Throws `.closed` after `close()`.
    public func rotate() throws {
        if isDisabled { return }
        let sealed = try state.withLock { s throws -> String in
            let file = try openFile(&s)
            return try seal(file, &s)
        }
        onFileSealed?(sealed)
    }

    /// Flushes and closes the file, then reports it to `onFileSealed`. Later calls to log
    /// anything throw `.closed`; closing again does nothing. When the last flush fails, the
    /// error is thrown and the writer stays open, so `close()` can be called again. For a
    /// remote logdir, then waits (bounded) for the uploads: see `init`. Last, throws
    /// `.loggingFailed` when calls made through `log` failed (the file is closed all the same).
    public func close() throws {
        let sealed = try state.withLock { s throws -> String? in
            guard !s.isClosed else { return nil }
            if let file = s.file {
                try file.flush()
                try file.close()
                s.sealedBytes += file.bytesWritten
                s.file = nil
            }
            s.isClosed = true
            s.timer?.cancel()
            s.timer = nil
            return s.paths.last
        }
        OpenWriters.shared.remove(self)
        if let sealed { onFileSealed?(sealed) }
        if sealed != nil { try remote?.finish() }
        try throwKeptFailures()
    }

    /// Bytes of this writer's files known to be written out, over every file it has made.
    public var bytesWritten: Int {
        state.withLock { s in s.sealedBytes + (s.file?.bytesWritten ?? 0) }
    }

    /// The open file, opened now if the last rotation could not open the next one. Throws
    /// `.closed` after `close()`, and a kept background failure once.
    @inline(__always)
    private func openFile(_ s: inout State) throws -> EventFileWriter {
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
    private func seal(_ file: EventFileWriter, _ s: inout State) throws -> String {
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

    func validate(_ tag: String) throws {
        var bytes = tag
        try bytes.withUTF8 { try validate(utf8: $0, tag: tag) }
    }

    /// A tag must be non-empty and free of control characters (which no dashboard can show).
    private func validate(utf8: UnsafeBufferPointer<UInt8>, tag: String) throws {
        if utf8.isEmpty { throw SummaryWriterError.invalidTag(tag: tag, reason: "a tag must not be empty") }
        for b in utf8 where b < 0x20 || b == 0x7F {
            throw SummaryWriterError.invalidTag(
                tag: tag, reason: "control character 0x\(String(b, radix: 16, uppercase: true)) is not allowed")
        }
    }

    private func validate(wallTime: Double, tag: String?) throws {
        // TensorBoard's Rust loader abandons a file at a NaN wall time, so never write one.
        guard wallTime.isFinite else {
            throw SummaryWriterError.invalidWallTime(wallTime: wallTime, tag: tag)
        }
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

/// The writers still open, flushed at normal process exit.
final class OpenWriters: Sendable {
    static let shared: OpenWriters = {
        let registry = OpenWriters()
        atexit { OpenWriters.shared.flushAll() }
        return registry
    }()

    private struct Weak: Sendable { weak var writer: SummaryWriter? }
    private let writers = Mutex<[ObjectIdentifier: Weak]>([:])

    func add(_ writer: SummaryWriter) {
        writers.withLock { $0[ObjectIdentifier(writer)] = Weak(writer: writer) }
    }

    func remove(_ writer: SummaryWriter) {
        _ = writers.withLock { $0.removeValue(forKey: ObjectIdentifier(writer)) }
    }

    /// Flushes every open writer (outside the registry's lock).
    func flushAll() {
        let open = writers.withLock { $0.values.compactMap(\.writer) }
        for writer in open { writer.backgroundFlush() }
    }
}
