import Dispatch
import Foundation

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

/// The front door: writes one event file under `logdir` that TensorBoard reads as one run.
///
/// ```swift
/// let writer = try SummaryWriter(logdir: "logs/run1")
/// try writer.scalar("loss", 0.25, step: 1)
/// try writer.histogram("weights", [0.1, -0.4, 2.0], step: 1)
/// try writer.close()
/// ```
/// Records are buffered and written at least every `flushInterval` seconds (by a background
/// timer), when the buffer passes 1 MiB, on `flush()`, on `close()` and at normal process exit.
/// Every method is safe to call from many threads: each record is framed whole under a lock.
public final class SummaryWriter: @unchecked Sendable {
    /// The run directory this writer logs into.
    public let logdir: String
    /// The event file's path.
    public let path: String
    /// Seconds between background flushes.
    public let flushInterval: Double
    /// How scalars are stored.
    public let scalarFormat: ScalarFormat

    private let lock = NSLock()
    private let file: EventFileWriter
    /// Tags whose plugin metadata this file already carries.
    private var described = Set<String>()
    private var isClosed = false
    /// A failure of the background flush, thrown by the next call.
    private var pendingError: SummaryWriterError?
    private var timer: DispatchSourceTimer?

    /// Creates `logdir` (and parents) and a new event file in it, named
    /// `events.out.tfevents.<secs>.<host>.<pid>.<n><filenameSuffix>`, whose first record is the
    /// `file_version` event. `flushInterval` (seconds, default 2) bounds how long a record waits
    /// in memory.
    ///
    /// `purgeStep` resumes a run from a checkpoint: points logged earlier into this run at steps
    /// `>= purgeStep` are superseded by what this writer logs from there on. The writer records a
    /// SessionLog START at that step (twice: TensorBoard's Python loader takes the first START of a
    /// run as the initial one and purges only on a later one; a second START at the same step
    /// purges the same points again, so two are right whether or not the earlier part of the run
    /// had a START). TensorBoard's Rust loader ignores SessionLogs and instead drops a tag's
    /// points at or after each new point's step, so both loaders show one point per step for every
    /// tag that is logged again from `purgeStep` on. `LoggedSteps(runDirectory:)` tells a trainer
    /// where a run stands. A negative `purgeStep` throws `.invalidPurgeStep`.
    public init(
        logdir: String, flushInterval: Double = 2.0, filenameSuffix: String = "",
        scalarFormat: ScalarFormat = .simpleValue, purgeStep: Int? = nil
    ) throws {
        if let purgeStep, purgeStep < 0 { throw SummaryWriterError.invalidPurgeStep(purgeStep) }
        self.logdir = logdir
        self.flushInterval = flushInterval
        self.scalarFormat = scalarFormat
        self.file = try EventFileWriter(directory: logdir, suffix: filenameSuffix)
        self.path = file.path
        if let purgeStep {
            let start = Event(
                wallTime: currentWallTime(), step: Int64(purgeStep),
                what: .sessionLog(status: .start, checkpointPath: "", message: ""))
            file.append(start)
            file.append(start)
            try file.flush()
        }
        startTimer()
        OpenWriters.shared.add(self)
    }

    deinit {
        timer?.cancel()
        OpenWriters.shared.remove(self)
        try? file.close()
    }

    // MARK: Scalars

    /// Logs a scalar (stored as float32, the precision TensorBoard keeps). NaN and ±Inf are
    /// written as they are; TensorBoard shows them.
    public func scalar<T: BinaryFloatingPoint>(_ tag: String, _ value: T, step: Int, wallTime: Double? = nil) throws {
        let x = Float(value)
        switch scalarFormat {
        case .simpleValue:
            try writeSimpleValue(tag, x, step: step, wallTime: wallTime)
        case .tensor:
            try write(
                tag: tag, kind: .tensor(.scalar(x)), metadata: SummaryMetadata(pluginName: "scalars"),
                step: step, wallTime: wallTime)
        }
    }

    /// The hot path of `scalar`: the record is stored straight into the file buffer.
    private func writeSimpleValue(_ tag: String, _ x: Float, step: Int, wallTime: Double?) throws {
        var bytes = tag
        try bytes.withUTF8 { utf8 in
            try validate(utf8: utf8, tag: tag)
            let time = wallTime ?? currentWallTime()
            try validate(wallTime: time, tag: tag)
            lock.lock()
            defer { lock.unlock() }
            try checkOpen()
            file.appendScalarEvent(wallTime: time, step: Int64(step), tag: UnsafeRawBufferPointer(utf8), value: x)
            if file.wantsWrite { try flushLocked() }
        }
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
        try validate(tag)
        let h = try Histogram(values, bins: bins)
        try write(tag, h, step: step, format: format, wallTime: wallTime)
        return h
    }

    /// Logs a histogram of `values` (see the `UnsafeBufferPointer<Float>` overload).
    @discardableResult
    public func histogram(
        _ tag: String, _ values: UnsafeBufferPointer<Double>, step: Int,
        bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws -> Histogram {
        try validate(tag)
        let h = try Histogram(values, bins: bins)
        try write(tag, h, step: step, format: format, wallTime: wallTime)
        return h
    }

    /// Logs a histogram of any collection of floating-point values (`[Float]`, `[Double]`, an
    /// `ArraySlice`, ...): Float and Double storage is read in place, without copying; other
    /// collections are copied.
    @discardableResult
    public func histogram<C: Collection>(
        _ tag: String, _ values: C, step: Int,
        bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws -> Histogram
    where C.Element: BinaryFloatingPoint {
        let direct = try values.withContiguousStorageIfAvailable { buffer -> Histogram? in
            if let floats = buffer as? UnsafeBufferPointer<Float> {
                return try histogram(tag, floats, step: step, bins: bins, format: format, wallTime: wallTime)
            }
            if let doubles = buffer as? UnsafeBufferPointer<Double> {
                return try histogram(tag, doubles, step: step, bins: bins, format: format, wallTime: wallTime)
            }
            return nil
        }
        if let result = direct ?? nil { return result }
        let copy = values.map { Double($0) }
        return try histogram(tag, copy, step: step, bins: bins, format: format, wallTime: wallTime)
    }

    /// Logs an already computed histogram.
    public func write(
        _ tag: String, _ histogram: Histogram, step: Int, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws {
        let time = wallTime ?? currentWallTime()
        switch format {
        case .proto:
            try write(tag: tag, kind: .histogram(histogram.proto), metadata: nil, step: step, wallTime: time)
        case .tensor:
            try write(
                tag: tag, kind: .tensor(histogram.tensor), metadata: SummaryMetadata(pluginName: "histograms"),
                step: step, wallTime: time)
        }
        if histogram.nonFiniteCount > 0 {
            try write(
                tag: tag + "/nonfinite_count", kind: .simpleValue(Float(histogram.nonFiniteCount)),
                metadata: nil, step: step, wallTime: time)
        }
    }

    // MARK: Any summary

    /// Writes one `Summary.Value` in its own event. `metadata` goes on the first value of each
    /// tag in this file only, as TensorBoard's loaders need and no more.
    public func write(
        tag: String, kind: SummaryValue.Kind, metadata: SummaryMetadata?, step: Int,
        wallTime: Double? = nil
    ) throws {
        try validate(tag)
        let time = wallTime ?? currentWallTime()
        try validate(wallTime: time, tag: tag)
        lock.lock()
        defer { lock.unlock() }
        try checkOpen()
        var value = SummaryValue(tag: tag, metadata: nil, kind: kind)
        if let metadata, described.insert(tag).inserted { value.metadata = metadata }
        let step64 = Int64(step)
        file.appendRecord { w in
            w.writeDoubleFieldIfNonZero(1, time)
            w.writeVarintFieldIfNonZero(2, step64)
            w.writeMessageField(5) { $0.writeMessageField(1) { value.encode(into: &$0) } }
        }
        if file.wantsWrite { try flushLocked() }
    }

    /// Writes a whole event (a graph, a session log, several values at once ...) as it is.
    public func write(_ event: Event) throws {
        try validate(wallTime: event.wallTime, tag: nil)
        lock.lock()
        defer { lock.unlock() }
        try checkOpen()
        file.append(event)
        if file.wantsWrite { try flushLocked() }
    }

    // MARK: Flushing and closing

    /// Writes every buffered record to the file now.
    public func flush() throws {
        lock.lock()
        defer { lock.unlock() }
        if let error = pendingError {
            pendingError = nil
            throw error
        }
        guard !isClosed else { return }
        try flushLocked()
    }

    /// Flushes and closes the file. Later calls to log anything throw `.closed`; closing again
    /// does nothing.
    public func close() throws {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        isClosed = true
        timer?.cancel()
        timer = nil
        OpenWriters.shared.remove(self)
        try file.close()
    }

    /// Bytes of this writer's file known to be written out.
    public var bytesWritten: Int {
        lock.lock()
        defer { lock.unlock() }
        return file.bytesWritten
    }

    private func flushLocked() throws {
        do {
            try file.flush()
        } catch let error as SummaryWriterError {
            throw error
        }
    }

    private func checkOpen() throws {
        if isClosed { throw SummaryWriterError.closed(path: path) }
        if let error = pendingError {
            pendingError = nil
            throw error
        }
    }

    private func validate(_ tag: String) throws {
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
        let t = DispatchSource.makeTimerSource(queue: DispatchQueue.global(qos: .utility))
        t.schedule(deadline: .now() + flushInterval, repeating: flushInterval, leeway: .milliseconds(100))
        t.setEventHandler { [weak self] in self?.backgroundFlush() }
        timer = t
        t.resume()
    }

    /// Flushes from the timer or at exit; a failure is kept and thrown by the next call.
    func backgroundFlush() {
        lock.lock()
        defer { lock.unlock() }
        guard !isClosed else { return }
        do {
            try file.flush()
        } catch let error as SummaryWriterError {
            pendingError = error
        } catch {}
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
final class OpenWriters: @unchecked Sendable {
    static let shared: OpenWriters = {
        let registry = OpenWriters()
        atexit { OpenWriters.shared.flushAll() }
        return registry
    }()

    private struct Weak { weak var writer: SummaryWriter? }
    private let lock = NSLock()
    private var writers: [ObjectIdentifier: Weak] = [:]

    func add(_ writer: SummaryWriter) {
        lock.lock()
        defer { lock.unlock() }
        writers[ObjectIdentifier(writer)] = Weak(writer: writer)
    }

    func remove(_ writer: SummaryWriter) {
        lock.lock()
        defer { lock.unlock() }
        writers[ObjectIdentifier(writer)] = nil
    }

    func flushAll() {
        lock.lock()
        let open = writers.values.compactMap(\.writer)
        lock.unlock()
        for writer in open { writer.backgroundFlush() }
    }
}
