import Synchronization

extension SummaryWriter {
    /// Logs an integer scalar (an `Int` count, an `Int64` token total ...), stored as float32
    /// like every scalar.
    @inlinable
    public func scalar<T: BinaryInteger>(_ tag: String, _ value: T, step: Int, wallTime: Double? = nil) throws {
        try scalar(tag, Float(value), step: step, wallTime: wallTime)
    }

    /// Logs a floating-point scalar at a step of any integer type (`Int64`, `UInt32` ...).
    /// Throws `.invalidArgument` naming `step` when it does not fit a 64-bit step.
    @inlinable
    public func scalar<T: BinaryFloatingPoint, S: BinaryInteger>(
        _ tag: String, _ value: T, step: S, wallTime: Double? = nil
    ) throws {
        try scalar(tag, Float(value), step: Self.checkedStep(step, tag: tag), wallTime: wallTime)
    }

    /// Logs an integer scalar at a step of any integer type (see the overloads above).
    @inlinable
    public func scalar<T: BinaryInteger, S: BinaryInteger>(
        _ tag: String, _ value: T, step: S, wallTime: Double? = nil
    ) throws {
        try scalar(tag, Float(value), step: Self.checkedStep(step, tag: tag), wallTime: wallTime)
    }

    /// `step` as the writer's `Int` step, or `.invalidArgument` naming it.
    @usableFromInline
    static func checkedStep<S: BinaryInteger>(_ step: S, tag: String) throws -> Int {
        guard let s = Int(exactly: step), Int64(exactly: s) != nil else {
            throw SummaryWriterError.invalidArgument(
                argument: "step", tag: tag, reason: "\(step) does not fit an event's 64-bit step")
        }
        return s
    }

    /// Logs several scalars as lines of one chart: each `values[key]` as the scalar
    /// `<main>/<key>` in this run, plus a chart titled `main` with one line per key in the run's
    /// custom-scalars layout, written again whenever a call brings a new key. The chart is merged
    /// into the run's layout: categories given to `customScalarsLayout(_:step:wallTime:)` stay.
    /// Unlike tensorboardX's `add_scalars`, no extra run directory is made: the lines also show
    /// as ordinary scalars of this run.
    public func scalars<V: BinaryFloatingPoint>(
        _ main: String, _ values: [String: V], step: Int, wallTime: Double? = nil
    ) throws {
        if isDisabled { return }
        let keys = values.keys.sortedShared()
        for key in keys {
            if key.isEmpty {
                throw SummaryWriterError.invalidArgument(
                    argument: "values", tag: main, reason: "has an empty key; each key names one line")
            }
            try validate("\(main)/\(key)")
        }
        try customScalars.withLock { layout throws in
            var grown = layout
            guard grown.addLines(main, keys: keys) else { return }
            try writeLayout(grown.merged, step: 0, wallTime: wallTime)
            layout = grown
        }
        for key in keys {
            if let value = values[key] { try scalar("\(main)/\(key)", Float(value), step: step, wallTime: wallTime) }
        }
    }

    /// Logs several integer scalars as lines of one chart (see the floating-point overload).
    public func scalars<V: BinaryInteger>(
        _ main: String, _ values: [String: V], step: Int, wallTime: Double? = nil
    ) throws {
        try scalars(main, values.mapValues { Float($0) }, step: step, wallTime: wallTime)
    }

    /// Logs several scalars at a step of any integer type (see the `Int`-step overload).
    public func scalars<V: BinaryFloatingPoint, S: BinaryInteger>(
        _ main: String, _ values: [String: V], step: S, wallTime: Double? = nil
    ) throws {
        try scalars(main, values, step: Self.checkedStep(step, tag: main), wallTime: wallTime)
    }

    /// Marks this run as one hparams session with its hyperparameter values (the same as
    /// `hparamsSessionStart(_:groupName:startTime:)`).
    public func hparams(_ values: [String: HParamValue], groupName: String = "", startTime: Double? = nil) throws {
        try hparamsSessionStart(values, groupName: groupName, startTime: startTime)
    }

    /// Writes an embedding for the projector into this writer's run directory (see
    /// `Projector.writeEmbedding`); a disabled writer writes nothing and returns nil. For a
    /// remote logdir (`s3://...`) the files are written into the local spool beside the event
    /// files and go up with the run when the writer is closed.
    @discardableResult
    public func embedding(
        _ name: String, vectors: [Float], rows: Int, dims: Int, labels: [String]? = nil
    ) throws -> Projector.Embedding? {
        if isDisabled { return nil }
        return try Projector.writeEmbedding(
            runDirectory: localDirectory, name: name, vectors: vectors, rows: rows, dims: dims, labels: labels)
    }
}
