/// When a `SummaryWriter` closes its event file and starts the next one.
///
/// ```swift
/// let writer = try SummaryWriter(logdir: "logs/run1", rotation: .init(maxBytes: 256 << 20))
/// let hourly = try SummaryWriter(logdir: "logs/run2", rotation: .init(maxSeconds: 3600))
/// ```
/// A file is sealed after the record that reaches `maxBytes`, or at the first record or
/// background flush once it has been open `maxSeconds`; the next file starts with its own
/// file_version record. No record is split, lost or repeated at a boundary, and the file names
/// sort in the order they were written (TensorBoard reads a run's files in name order). Limits
/// must be above zero and at least one must be given: `SummaryWriter.init` throws
/// `SummaryWriterError.invalidRotation` otherwise.
public struct FileRotation: Sendable, Equatable {
    /// Seal a file once it holds this many bytes (nil: no size limit).
    public var maxBytes: Int?
    /// Seal a file once it has been open this many seconds (nil: no age limit).
    public var maxSeconds: Double?

    /// A size limit, an age limit or both.
    public init(maxBytes: Int? = nil, maxSeconds: Double? = nil) {
        self.maxBytes = maxBytes
        self.maxSeconds = maxSeconds
    }

    /// A size limit, an age limit given as a `Duration` (`.seconds(3600)`), or both.
    public init(maxBytes: Int? = nil, maxAge: Duration) {
        self.init(maxBytes: maxBytes, maxSeconds: maxAge.inSeconds)
    }

    /// Why these limits cannot be used, or nil when they can.
    var problem: String? {
        if maxBytes == nil && maxSeconds == nil { return "give maxBytes, maxSeconds or both" }
        if let maxBytes, maxBytes <= 0 { return "maxBytes is \(maxBytes); it must be above zero" }
        if let maxSeconds, !(maxSeconds > 0) || !maxSeconds.isFinite {
            return "maxSeconds is \(maxSeconds); it must be a finite number above zero"
        }
        return nil
    }
}
