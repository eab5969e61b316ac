/// How `Histogram` divides the value range into buckets.
public enum HistogramBins: Sendable, Equatable {
    /// TensorFlow's default buckets (`histogram.cc`): edges ±1e-12·1.1^k up to ±1e20, then
    /// ±DBL_MAX, and 0. Exponential, so one histogram spans any scale.
    case tensorflow
    /// `count` equal-width buckets over [min, max] of the values (TensorBoard v2's default is 30).
    case count(Int)
    /// Caller-given ascending edges e0 < e1 < ... < ek: k buckets [e(i), e(i+1)), the last closed.
    /// Values outside [e0, ek] are counted in the first or last bucket (readers take the outer
    /// edges from min and max, so the chart stays truthful).
    case edges([Double])
}

/// A histogram of finite values: the statistics TensorBoard shows and non-empty buckets.
///
/// NaN and ±Inf are never counted in min, max, sum or the buckets (TensorFlow refuses such data
/// outright; a training run should not die for a log line). They are counted in
/// `nonFiniteCount` instead, and `SummaryWriter` logs that count beside the histogram.
public struct Histogram: Sendable, Equatable {
    /// Smallest finite value (0 when there is none).
    public var min: Double
    /// Largest finite value (0 when there is none).
    public var max: Double
    /// Number of finite values.
    public var count: Double
    /// Sum of the finite values.
    public var sum: Double
    /// Sum of their squares.
    public var sumSquares: Double
    /// Left edge of each bucket (the first is `min`).
    public var leftEdges: [Double]
    /// Right edge of each bucket (the last is `max` for `.tensorflow`, the last edge otherwise).
    public var rightEdges: [Double]
    /// Values in each bucket.
    public var bucketCounts: [Double]
    /// NaN and infinite values left out.
    public var nonFiniteCount: Int

    /// Buckets `values` as `bins` says.
    public init(_ values: UnsafeBufferPointer<Float>, bins: HistogramBins = .tensorflow) {
        self = Histogram.make(values, bins: bins)
    }

    /// Buckets `values` as `bins` says.
    public init(_ values: UnsafeBufferPointer<Double>, bins: HistogramBins = .tensorflow) {
        self = Histogram.make(values, bins: bins)
    }

    /// Buckets `values` as `bins` says.
    public init(_ values: [Float], bins: HistogramBins = .tensorflow) {
        self = values.withUnsafeBufferPointer { Histogram.make($0, bins: bins) }
    }

    /// Buckets `values` as `bins` says.
    public init(_ values: [Double], bins: HistogramBins = .tensorflow) {
        self = values.withUnsafeBufferPointer { Histogram.make($0, bins: bins) }
    }

    /// The v1 `HistogramProto`: `bucket_limit` holds right edges. For `.tensorflow` the last
    /// limit is the bucket's true edge, as TensorFlow writes it.
    public var proto: HistogramProto {
        HistogramProto(
            min: min, max: max, num: count, sum: sum, sumSquares: sumSquares,
            bucketLimits: protoLimits, buckets: bucketCounts)
    }

    /// Right edges as TensorFlow stores them (`bucket_limit`).
    var protoLimits: [Double]

    /// The v2 histogram tensor: DT_DOUBLE, shape [k, 3], rows (left, right, count), stored as
    /// raw little-endian `tensor_content`. An empty histogram is one row (0, 0, 0).
    public var tensor: TensorProto {
        var content = [UInt8]()
        let k = Swift.max(bucketCounts.count, 1)
        content.reserveCapacity(k * 24)
        var rows = [Double]()
        rows.reserveCapacity(k * 3)
        if bucketCounts.isEmpty {
            rows = [0, 0, 0]
        } else {
            for i in 0..<bucketCounts.count {
                rows.append(leftEdges[i])
                rows.append(rightEdges[i])
                rows.append(bucketCounts[i])
            }
        }
        rows.withUnsafeBytes { content.append(contentsOf: $0) }
        return TensorProto(dtype: .double, shape: [Int64(k), 3], content: content)
    }

    private init(empty nonFinite: Int) {
        min = 0
        max = 0
        count = 0
        sum = 0
        sumSquares = 0
        leftEdges = []
        rightEdges = []
        bucketCounts = []
        protoLimits = []
        nonFiniteCount = nonFinite
    }

    private static func make<T: BinaryFloatingPoint & Sendable>(
        _ values: UnsafeBufferPointer<T>, bins: HistogramBins
    ) -> Histogram {
        switch bins {
        case .tensorflow:
            return tensorflow(values)
        case .count(let k):
            let stats = Statistics(values)
            guard stats.count > 0 else { return Histogram(empty: stats.nonFinite) }
            let k = Swift.max(k, 1)
            var edges = [Double](repeating: 0, count: k + 1)
            if stats.max == stats.min {
                for i in 0...k { edges[i] = stats.min }
            } else {
                let width = (stats.max - stats.min) / Double(k)
                // A range wider than Double.greatestFiniteMagnitude: step in halves.
                let halfWidth = (stats.max / 2 - stats.min / 2) / Double(k)
                for i in 0...k {
                    edges[i] =
                        width.isFinite ? stats.min + Double(i) * width : (stats.min / 2 + Double(i) * halfWidth) * 2
                }
                edges[k] = stats.max
            }
            return withEdges(values, edges: edges, stats: stats, equalWidth: true)
        case .edges(let given):
            let stats = Statistics(values)
            guard stats.count > 0, given.count >= 2 else { return Histogram(empty: stats.nonFinite) }
            return withEdges(values, edges: given, stats: stats, equalWidth: false)
        }
    }

    /// TensorFlow's exponential buckets, encoded as TensorFlow encodes them (runs of empty
    /// buckets collapse into one), without the empty runs before the first and after the last
    /// non-empty bucket (which readers would draw from ±DBL_MAX).
    private static func tensorflow<T: BinaryFloatingPoint & Sendable>(_ values: UnsafeBufferPointer<T>) -> Histogram {
        let limits = TensorFlowBuckets.limits
        let tally: TensorFlowBuckets.Tally
        if let floats = values as? UnsafeBufferPointer<Float> {
            tally = TensorFlowBuckets.tally(floats)
        } else if let doubles = values as? UnsafeBufferPointer<Double> {
            tally = TensorFlowBuckets.tally(doubles)
        } else {
            tally = TensorFlowBuckets.tally(UnsafeBufferPointer<Double>(start: nil, count: 0))
        }
        let counts = tally.counts
        let stats = tally.stats
        let bad = tally.nonFinite
        guard stats.count > 0 else { return Histogram(empty: bad) }
        let lo = stats.min
        let hi = stats.max
        var h = Histogram(empty: bad)
        h.min = lo
        h.max = hi
        h.count = Double(stats.count)
        h.sum = stats.sum
        h.sumSquares = stats.sumSquares
        // Bucket b covers [limits[b-1], limits[b]); bucket 0 starts at -DBL_MAX.
        guard let first = counts.firstIndex(where: { $0 != 0 }),
            let lastNonEmpty = counts.lastIndex(where: { $0 != 0 })
        else { return h }
        var b = first
        while b <= lastNonEmpty {
            if counts[b] != 0 {
                h.protoLimits.append(limits[b])
                h.bucketCounts.append(Double(counts[b]))
                b += 1
            } else {
                // A run of empty buckets becomes one entry at the run's last right edge.
                while counts[b] == 0 { b += 1 }
                h.protoLimits.append(limits[b - 1])
                h.bucketCounts.append(0)
            }
        }
        h.leftEdges = [lo] + h.protoLimits.dropLast()
        h.rightEdges = Array(h.protoLimits.dropLast()) + [hi]
        return h
    }

    private static func withEdges<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, edges: [Double], stats: Statistics, equalWidth: Bool
    ) -> Histogram {
        let k = edges.count - 1
        var counts = [Double](repeating: 0, count: k)
        let lo = edges[0]
        let width = (edges[k] - edges[0]) / Double(k)
        // Infinite when the range overflows a Double; then positions are measured in halves.
        let halfWidth = (edges[k] / 2 - edges[0] / 2) / Double(k)
        counts.withUnsafeMutableBufferPointer { c in
            edges.withUnsafeBufferPointer { e in
                for v in values {
                    let x = Double(v)
                    guard x.isFinite else { continue }
                    var b: Int
                    if equalWidth {
                        // Clamped while still a Double, so no quotient can trap the conversion.
                        let t = width.isFinite ? (x - lo) / width : (x / 2 - lo / 2) / halfWidth
                        b =
                            width > 0 && !t.isNaN
                            ? Int(Swift.min(Swift.max(t.rounded(.down), 0), Double(k - 1))) : k - 1
                    } else {
                        // upper_bound(edges, x) - 1, clamped to the outer buckets.
                        var l = 0
                        var r = e.count
                        while l < r {
                            let m = (l + r) >> 1
                            if e[m] <= x { l = m + 1 } else { r = m }
                        }
                        b = Swift.min(Swift.max(l - 1, 0), k - 1)
                    }
                    c[b] += 1
                }
            }
        }
        var h = Histogram(empty: stats.nonFinite)
        h.min = stats.min
        h.max = stats.max
        h.count = Double(stats.count)
        h.sum = stats.sum
        h.sumSquares = stats.sumSquares
        h.protoLimits = Array(edges[1...])
        h.bucketCounts = counts
        h.leftEdges = Array(edges[0..<k])
        h.rightEdges = Array(edges[1...])
        return h
    }
}

/// min, max, count, sum and sum of squares of the finite values, and how many were not finite.
struct Statistics {
    var min = Double.infinity
    var max = -Double.infinity
    var count = 0
    var sum = 0.0
    var sumSquares = 0.0
    var nonFinite = 0

    /// Statistics already computed elsewhere (by the one-pass tally).
    init(count: Int, min: Double, max: Double, sum: Double, sumSquares: Double) {
        self.count = count
        self.min = min
        self.max = max
        self.sum = sum
        self.sumSquares = sumSquares
    }

    init<T: BinaryFloatingPoint>(_ values: UnsafeBufferPointer<T>) {
        for v in values {
            let x = Double(v)
            guard x.isFinite else {
                nonFinite += 1
                continue
            }
            if x < min { min = x }
            if x > max { max = x }
            sum += x
            sumSquares += x * x
            count += 1
        }
    }
}
