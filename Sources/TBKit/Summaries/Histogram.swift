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

    /// Throws when these bins cannot bucket anything truthfully: no buckets, fewer than two
    /// edges, an edge that is NaN or infinite, or edges that are not strictly ascending.
    public func validate() throws(HistogramBinsError) {
        switch self {
        case .tensorflow:
            return
        case .count(let k):
            if k < 1 { throw .noBuckets(count: k) }
        case .edges(let edges):
            if edges.count < 2 { throw .tooFewEdges(count: edges.count) }
            for (i, e) in edges.enumerated() {
                if !e.isFinite { throw .nonFiniteEdge(index: i, value: e) }
                if i > 0 && !(edges[i - 1] < e) {
                    if edges[i - 1] == e { throw .repeatedEdge(index: i, value: e) }
                    throw .descendingEdge(index: i, value: e, previous: edges[i - 1])
                }
            }
        }
    }
}

/// Why `HistogramBins` were refused (see `HistogramBins.validate()`).
public enum HistogramBinsError: Error, CustomStringConvertible, Equatable, Sendable {
    /// `.count(k)` with k < 1.
    case noBuckets(count: Int)
    /// `.edges` with fewer than two edges (one bucket needs two).
    case tooFewEdges(count: Int)
    /// An edge that is NaN or ±Inf.
    case nonFiniteEdge(index: Int, value: Double)
    /// An edge equal to the one before it (an empty, zero-width bucket).
    case repeatedEdge(index: Int, value: Double)
    /// An edge smaller than the one before it.
    case descendingEdge(index: Int, value: Double, previous: Double)

    /// What is wrong, where, and what to do.
    public var description: String {
        switch self {
        case .noBuckets(let k):
            return "histogram bins: .count(\(k)) asks for no buckets; ask for at least 1 (TensorBoard's default is 30)"
        case .tooFewEdges(let n):
            return
                "histogram bins: .edges has \(n) edge\(n == 1 ? "" : "s"); give at least 2 (k buckets need k + 1 edges)"
        case .nonFiniteEdge(let i, let v):
            return "histogram bins: edge \(i) is \(v); every edge must be a finite number"
        case .repeatedEdge(let i, let v):
            return "histogram bins: edge \(i) repeats the edge before it (\(v)); edges must be strictly ascending"
        case .descendingEdge(let i, let v, let previous):
            return
                "histogram bins: edge \(i) (\(v)) is smaller than edge \(i - 1) (\(previous)); sort the edges in ascending order"
        }
    }
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

    /// Buckets `values` as `bins` says; throws when `bins` are invalid (see `HistogramBins.validate()`).
    public init(_ values: UnsafeBufferPointer<Float>, bins: HistogramBins = .tensorflow) throws(HistogramBinsError) {
        try bins.validate()
        self = Histogram.make(values, bins: bins)
    }

    /// Buckets `values` as `bins` says; throws when `bins` are invalid (see `HistogramBins.validate()`).
    public init(_ values: UnsafeBufferPointer<Double>, bins: HistogramBins = .tensorflow) throws(HistogramBinsError) {
        try bins.validate()
        self = Histogram.make(values, bins: bins)
    }

    /// Buckets `values` as `bins` says; throws when `bins` are invalid (see `HistogramBins.validate()`).
    public init(_ values: [Float], bins: HistogramBins = .tensorflow) throws(HistogramBinsError) {
        try bins.validate()
        self = values.withUnsafeBufferPointer { Histogram.make($0, bins: bins) }
    }

    /// Buckets `values` as `bins` says; throws when `bins` are invalid (see `HistogramBins.validate()`).
    public init(_ values: [Double], bins: HistogramBins = .tensorflow) throws(HistogramBinsError) {
        try bins.validate()
        self = values.withUnsafeBufferPointer { Histogram.make($0, bins: bins) }
    }

    /// The v1 `HistogramProto`: `bucket_limit` holds right edges. For `.tensorflow` the last
    /// limit is the bucket's true edge, as TensorFlow writes it.
    package var proto: HistogramProto {
        HistogramProto(
            min: min, max: max, num: count, sum: sum, sumSquares: sumSquares,
            bucketLimits: protoLimits, buckets: bucketCounts)
    }

    /// Right edges as TensorFlow stores them (`bucket_limit`).
    var protoLimits: [Double]

    /// The v2 histogram tensor: DT_DOUBLE, shape [k, 3], rows (left, right, count), stored as
    /// raw little-endian `tensor_content`. An empty histogram is one row (0, 0, 0).
    package var tensor: TensorProto {
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

    init(empty nonFinite: Int) {
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
            return withEdges(values, edges: equalWidthEdges(stats, k: k), stats: stats, equalWidth: true)
        case .edges(let given):
            let stats = Statistics(values)
            guard stats.count > 0 else { return Histogram(empty: stats.nonFinite) }
            return withEdges(values, edges: given, stats: stats, equalWidth: false)
        }
    }

    /// `k` equal-width buckets from the smallest to the largest finite value (all edges equal
    /// when they are).
    static func equalWidthEdges(_ stats: Statistics, k: Int) -> [Double] {
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
        return edges
    }

    /// TensorFlow's exponential buckets, encoded as TensorFlow encodes them (runs of empty
    /// buckets collapse into one), without the empty runs before the first and after the last
    /// non-empty bucket (which readers would draw from ±DBL_MAX).
    private static func tensorflow<T: BinaryFloatingPoint & Sendable>(_ values: UnsafeBufferPointer<T>) -> Histogram {
        let tally: TensorFlowBuckets.Tally
        if let floats = values as? UnsafeBufferPointer<Float> {
            tally = TensorFlowBuckets.tally(floats)
        } else if let doubles = values as? UnsafeBufferPointer<Double> {
            tally = TensorFlowBuckets.tally(doubles)
        } else {
            tally = TensorFlowBuckets.tally(UnsafeBufferPointer<Double>(start: nil, count: 0))
        }
        return fromTally(tally)
    }

    /// The histogram of a finished tally (see `tensorflow(_:)`).
    static func fromTally(_ tally: TensorFlowBuckets.Tally) -> Histogram {
        let limits = TensorFlowBuckets.limits
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
        let tally = UnsafeMutablePointer<Int>.allocate(capacity: k)
        tally.initialize(repeating: 0, count: k)
        defer { tally.deallocate() }
        count(values, edges: edges, equalWidth: equalWidth, into: tally)
        return assemble(edges: edges, stats: stats, tally: tally)
    }

    /// Adds the bucket counts of `values` to `tally` (`edges.count - 1` counters).
    static func count<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, edges: [Double], equalWidth: Bool, into tally: UnsafeMutablePointer<Int>
    ) {
        let k = edges.count - 1
        let lo = edges[0]
        let width = (edges[k] - edges[0]) / Double(k)
        if equalWidth && width.isFinite && width > 0 {
            countEqualWidth(values, lo: lo, width: width, k: k, into: tally)
        } else if equalWidth {
            // A range wider than Double.greatestFiniteMagnitude: positions measured in halves.
            let halfWidth = (edges[k] / 2 - edges[0] / 2) / Double(k)
            for v in values {
                let x = Double(v)
                guard x.isFinite else { continue }
                let t = width.isFinite ? (x - lo) / width : (x / 2 - lo / 2) / halfWidth
                // Clamped while still a Double, so no quotient can trap the conversion.
                let b =
                    width > 0 && !t.isNaN ? Int(Swift.min(Swift.max(t.rounded(.down), 0), Double(k - 1))) : k - 1
                tally[b] += 1
            }
        } else {
            edges.withUnsafeBufferPointer { countGivenEdges(values, edges: $0, into: tally) }
        }
    }

    /// The histogram of bucket counts `tally` over `edges`, with `stats`.
    static func assemble(edges: [Double], stats: Statistics, tally: UnsafeMutablePointer<Int>) -> Histogram {
        let k = edges.count - 1
        let counts = (0..<k).map { Double(tally[$0]) }
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

    /// Equal-width buckets, two values at a time: bucket = floor((x - lo) / width) clamped to
    /// [0, k - 1]. The quotient is clamped before it is truncated, which equals flooring then
    /// clamping (the clamped value is never negative), and needs no per-value branch.
    private static func countEqualWidth<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, lo: Double, width: Double, k: Int, into tally: UnsafeMutablePointer<Int>
    ) {
        let n = values.count
        let low = SIMD2<Double>(repeating: lo)
        let step = SIMD2<Double>(repeating: width)
        let top = SIMD2<Double>(repeating: Double(k - 1))
        let zero = SIMD2<Double>()
        var i = 0
        while i + 2 <= n {
            let x = SIMD2<Double>(Double(values[i]), Double(values[i + 1]))
            if x[0].isFinite && x[1].isFinite {
                let t = ((x - low) / step).clamped(lowerBound: zero, upperBound: top)
                tally[Int(t[0])] &+= 1
                tally[Int(t[1])] &+= 1
            } else {
                for j in 0..<2 where x[j].isFinite {
                    tally[Int(Swift.min(Swift.max((x[j] - lo) / width, 0), Double(k - 1)))] &+= 1
                }
            }
            i += 2
        }
        if i < n {
            let x = Double(values[i])
            if x.isFinite { tally[Int(Swift.min(Swift.max((x - lo) / width, 0), Double(k - 1)))] &+= 1 }
        }
    }

    /// Caller-given edges: upper_bound(edges, x) - 1 clamped to the outer buckets, by a binary
    /// search whose steps are selects rather than branches.
    private static func countGivenEdges<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, edges e: UnsafeBufferPointer<Double>, into tally: UnsafeMutablePointer<Int>
    ) {
        let k = e.count - 1
        for v in values {
            let x = Double(v)
            guard x.isFinite else { continue }
            var base = 0
            var length = e.count
            while length > 1 {
                let half = length >> 1
                base = e[base + half - 1] <= x ? base + half : base
                length -= half
            }
            // base is now the last probe: the first edge above x is base or base + 1.
            let upper = e[base] <= x ? base + 1 : base
            tally[Swift.min(Swift.max(upper - 1, 0), k - 1)] &+= 1
        }
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

    /// Takes in the statistics of more values (the chunks of one input, in order).
    mutating func merge(_ other: Statistics) {
        min = Swift.min(min, other.min)
        max = Swift.max(max, other.max)
        count += other.count
        sum += other.sum
        sumSquares += other.sumSquares
        nonFinite += other.nonFinite
    }
}
