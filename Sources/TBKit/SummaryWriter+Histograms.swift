extension SummaryWriter {
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
}
