extension SummaryWriter {
    /// The writer's verbs without `throws`, for a training loop that must not stop for a log
    /// line (as swift-log and torch's `SummaryWriter` never interrupt it):
    ///
    /// ```swift
    /// for step in 0..<steps {
    ///     writer.log.scalar("loss", loss, step: step)   // no `try`
    /// }
    /// try writer.close()   // throws .loggingFailed if any call above failed
    /// ```
    /// A call that fails logs nothing; the failure is kept and thrown once by the next `flush()`
    /// or `close()` as `SummaryWriterError.loggingFailed` (how many failed, and the first error).
    public var log: Log { Log(writer: self) }

    /// The non-throwing verbs of one writer (see `SummaryWriter.log`).
    public struct Log: Sendable {
        /// The writer the calls go to.
        public let writer: SummaryWriter

        /// Runs `body` with the writer, keeping what it throws for `flush()`/`close()`: the way to
        /// reach any verb without a `try`.
        public func perform(_ body: (SummaryWriter) throws -> Void) {
            do { try body(writer) } catch { writer.keepFailure(error) }
        }

        /// `SummaryWriter.scalar(_:_:step:wallTime:)` for a Float, without `throws`.
        public func scalar(_ tag: String, _ value: Float, step: Int, wallTime: Double? = nil) {
            perform { try $0.scalar(tag, value, step: step, wallTime: wallTime) }
        }

        /// `SummaryWriter.scalar` for any floating-point value, without `throws`.
        @inlinable
        public func scalar<T: BinaryFloatingPoint>(_ tag: String, _ value: T, step: Int, wallTime: Double? = nil) {
            scalar(tag, Float(value), step: step, wallTime: wallTime)
        }

        /// `SummaryWriter.scalar` for any integer value, without `throws`.
        @inlinable
        public func scalar<T: BinaryInteger>(_ tag: String, _ value: T, step: Int, wallTime: Double? = nil) {
            scalar(tag, Float(value), step: step, wallTime: wallTime)
        }

        /// `SummaryWriter.scalar` at a step of any integer type, without `throws`.
        public func scalar<T: BinaryFloatingPoint, S: BinaryInteger>(
            _ tag: String, _ value: T, step: S, wallTime: Double? = nil
        ) {
            perform { try $0.scalar(tag, value, step: step, wallTime: wallTime) }
        }

        /// `SummaryWriter.scalars(_:_:step:wallTime:)`, without `throws`.
        public func scalars<V: BinaryFloatingPoint>(
            _ main: String, _ values: [String: V], step: Int, wallTime: Double? = nil
        ) {
            perform { try $0.scalars(main, values, step: step, wallTime: wallTime) }
        }

        /// `SummaryWriter.histogram` of any collection of floating-point values, without `throws`.
        public func histogram<C: Collection>(
            _ tag: String, _ values: C, step: Int, bins: HistogramBins = .tensorflow,
            format: HistogramFormat = .proto, wallTime: Double? = nil
        ) where C.Element: BinaryFloatingPoint {
            perform { try $0.histogram(tag, values, step: step, bins: bins, format: format, wallTime: wallTime) }
        }

        /// `SummaryWriter.image` of 8-bit pixels, without `throws`.
        public func image(
            _ tag: String, pixels: [UInt8], width: Int, height: Int, channels: Int,
            layout: PixelLayout = .hwc, format: ImageFormat = .tensor, step: Int, wallTime: Double? = nil
        ) {
            perform {
                try $0.image(
                    tag, pixels: pixels, width: width, height: height, channels: channels, layout: layout,
                    format: format, step: step, wallTime: wallTime)
            }
        }

        /// `SummaryWriter.image` of float pixels in [0, 1], without `throws`.
        public func image(
            _ tag: String, pixels: [Float], width: Int, height: Int, channels: Int,
            layout: PixelLayout = .hwc, format: ImageFormat = .tensor, step: Int, wallTime: Double? = nil
        ) {
            perform {
                try $0.image(
                    tag, pixels: pixels, width: width, height: height, channels: channels, layout: layout,
                    format: format, step: step, wallTime: wallTime)
            }
        }

        /// `SummaryWriter.text(_:_:step:wallTime:)`, without `throws`.
        public func text(_ tag: String, _ markdown: String, step: Int, wallTime: Double? = nil) {
            perform { try $0.text(tag, markdown, step: step, wallTime: wallTime) }
        }
    }
}
