extension SummaryWriter {
    /// Logs a histogram of any collection of floating-point values at a step of any integer type
    /// (see the `Int`-step overload). Throws `.invalidArgument` naming `step` when it does not fit
    /// a 64-bit step.
    @discardableResult
    public func histogram<C: Collection, S: BinaryInteger>(
        _ tag: String, _ values: C, step: S,
        bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto,
        wallTime: Double? = nil
    ) throws -> Histogram
    where C.Element: BinaryFloatingPoint {
        try histogram(
            tag, values, step: Self.checkedStep(step, tag: tag), bins: bins, format: format, wallTime: wallTime)
    }

    /// Logs Markdown text at a step of any integer type (see `text(_:_:step:wallTime:)`).
    public func text<S: BinaryInteger>(_ tag: String, _ markdown: String, step: S, wallTime: Double? = nil) throws {
        try text(tag, markdown, step: Self.checkedStep(step, tag: tag), wallTime: wallTime)
    }
}
