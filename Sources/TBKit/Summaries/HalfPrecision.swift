/// The 16-bit floating-point formats a raw buffer can hold (as torch, numpy and accelerators lay
/// them out: little-endian, two bytes a value).
public enum HalfPrecision: Sendable, Equatable {
    /// IEEE 754 binary16 (`torch.float16`, `numpy.float16`): 1 sign, 5 exponent, 10 mantissa bits.
    case float16
    /// bfloat16 (`torch.bfloat16`): the upper half of a float32, 1 sign, 8 exponent, 7 mantissa bits.
    case bfloat16

    /// The float32 holding exactly the value of the 16-bit pattern `bits` (every float16 and
    /// bfloat16 value is a float32 value).
    @inline(__always)
    func float(_ bits: UInt16) -> Float {
        switch self {
        case .bfloat16:
            return Float(bitPattern: UInt32(bits) << 16)
        case .float16:
            let sign = UInt32(bits & 0x8000) << 16
            let exponent = UInt32(bits >> 10) & 0x1F
            let mantissa = UInt32(bits & 0x3FF)
            if exponent == 0 {
                // Zero or subnormal: mantissa × 2^-24, exact in float32.
                let magnitude = Float(mantissa) * 0x1p-24
                return sign == 0 ? magnitude : -magnitude
            }
            if exponent == 0x1F { return Float(bitPattern: sign | 0x7F80_0000 | (mantissa << 13)) }
            return Float(bitPattern: sign | ((exponent + 112) << 23) | (mantissa << 13))
        }
    }
}

extension Histogram {
    /// Values converted to float32 at a time: the largest copy a 16-bit input ever costs.
    static let chunkLength = 4096

    /// Buckets a raw buffer of 16-bit floats (`precision` says which), read in place: values are
    /// converted to float32 a chunk of 4,096 at a time, never as a whole copy. Float32 holds every
    /// 16-bit value exactly, so the histogram equals that of the same values as `[Float]` (up to
    /// the rounding of the sums). Throws `.invalidArgument` naming `bytes` for an odd byte count,
    /// and `HistogramBinsError` for invalid `bins`.
    public init(
        bytes: UnsafeRawBufferPointer, precision: HalfPrecision, bins: HistogramBins = .tensorflow
    ) throws {
        guard bytes.count % 2 == 0 else {
            throw SummaryWriterError.invalidArgument(
                argument: "bytes", tag: nil,
                reason: "holds \(bytes.count) bytes, an odd count; \(precision) values take 2 bytes each")
        }
        try bins.validate()
        self = Histogram.chunked(count: bytes.count / 2, bins: bins) { start, out in
            for i in 0..<out.count {
                let at = 2 * (start + i)
                let bits = UInt16(bytes[at]) | UInt16(bytes[at + 1]) << 8
                out[i] = precision.float(bits)
            }
        }
    }

    #if !(os(macOS) && arch(x86_64))
        /// Buckets Float16 values (where the platform has `Float16`), converted to float32 a chunk
        /// at a time rather than copied whole.
        public init(_ values: UnsafeBufferPointer<Float16>, bins: HistogramBins = .tensorflow)
            throws(HistogramBinsError)
        {
            try bins.validate()
            self = Histogram.chunked(count: values.count, bins: bins) { start, out in
                for i in 0..<out.count { out[i] = Float(values[start + i]) }
            }
        }
    #endif

    /// The histogram of `count` values that `fill(start, chunk)` writes as float32, a chunk at a
    /// time (`chunk.count` values from index `start`). Bins that need the range first read the
    /// values twice.
    static func chunked(
        count length: Int, bins: HistogramBins, fill: (Int, UnsafeMutableBufferPointer<Float>) -> Void
    ) -> Histogram {
        let buffer = UnsafeMutableBufferPointer<Float>.allocate(capacity: chunkLength)
        defer { buffer.deallocate() }
        /// Calls `body` with each chunk, filled.
        func forEachChunk(_ body: (UnsafeBufferPointer<Float>) -> Void) {
            var start = 0
            while start < length {
                let n = Swift.min(chunkLength, length - start)
                let chunk = UnsafeMutableBufferPointer(rebasing: buffer[0..<n])
                fill(start, chunk)
                body(UnsafeBufferPointer(chunk))
                start += n
            }
        }
        switch bins {
        case .tensorflow:
            var merged: TensorFlowBuckets.Tally?
            forEachChunk { chunk in
                let tally = TensorFlowBuckets.tally(chunk)
                guard var total = merged else {
                    merged = tally
                    return
                }
                for b in 0..<total.counts.count { total.counts[b] &+= tally.counts[b] }
                total.nonFinite += tally.nonFinite
                total.stats.merge(tally.stats)
                merged = total
            }
            return merged.map(fromTally) ?? Histogram(empty: 0)
        case .count, .edges:
            var stats = Statistics(count: 0, min: .infinity, max: -.infinity, sum: 0, sumSquares: 0)
            forEachChunk { stats.merge(Statistics($0)) }
            guard stats.count > 0 else { return Histogram(empty: stats.nonFinite) }
            let equalWidth: Bool
            let edges: [Double]
            if case .edges(let given) = bins {
                edges = given
                equalWidth = false
            } else if case .count(let k) = bins {
                edges = equalWidthEdges(stats, k: k)
                equalWidth = true
            } else {
                return Histogram(empty: stats.nonFinite)
            }
            let k = edges.count - 1
            let tally = UnsafeMutablePointer<Int>.allocate(capacity: k)
            tally.initialize(repeating: 0, count: k)
            defer { tally.deallocate() }
            forEachChunk { Histogram.count($0, edges: edges, equalWidth: equalWidth, into: tally) }
            return assemble(edges: edges, stats: stats, tally: tally)
        }
    }
}
