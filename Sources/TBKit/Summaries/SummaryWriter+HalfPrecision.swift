extension SummaryWriter {
    /// Logs a histogram of a raw buffer of 16-bit floats (a float16 or bfloat16 tensor's storage,
    /// little-endian), read in place without a Float copy of the whole buffer (see
    /// `Histogram(bytes:precision:bins:)`). Throws `.invalidArgument` naming `bytes` for an odd
    /// byte count.
    @discardableResult
    public func histogram(
        _ tag: String, bytes: UnsafeRawBufferPointer, precision: HalfPrecision, step: Int,
        bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto, wallTime: Double? = nil
    ) throws -> Histogram {
        try validate(tag)
        let h: Histogram
        do {
            h = try Histogram(bytes: bytes, precision: precision, bins: bins)
        } catch SummaryWriterError.invalidArgument(let argument, _, let reason) {
            throw SummaryWriterError.invalidArgument(argument: argument, tag: tag, reason: reason)
        }
        if isDisabled { return h }
        try self.histogram(tag, precomputed: h, step: step, format: format, wallTime: wallTime)
        return h
    }

    #if !(os(macOS) && arch(x86_64))
        /// Logs a histogram of Float16 values (where the platform has `Float16`), converted a chunk
        /// at a time rather than copied whole. `[Float16]` goes through the collection overload,
        /// which reads its storage here in place.
        @discardableResult
        public func histogram(
            _ tag: String, _ values: UnsafeBufferPointer<Float16>, step: Int,
            bins: HistogramBins = .tensorflow, format: HistogramFormat = .proto,
            wallTime: Double? = nil
        ) throws -> Histogram {
            try validate(tag)
            let h = try Histogram(values, bins: bins)
            if isDisabled { return h }
            try self.histogram(tag, precomputed: h, step: step, format: format, wallTime: wallTime)
            return h
        }
    #endif
}
