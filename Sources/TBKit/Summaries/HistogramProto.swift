/// `tensorflow.HistogramProto` (histogram.proto): the v1 histogram.
///
/// `bucketLimits[i]` is the right edge of bucket i and `buckets[i]` its count; the left edge of
/// bucket 0 is `min` for readers. Fields 1...5 are doubles, 6 and 7 packed doubles.
public struct HistogramProto: Sendable, Equatable {
    /// Smallest finite value.
    public var min: Double
    /// Largest finite value.
    public var max: Double
    /// Number of values counted.
    public var num: Double
    /// Sum of the values.
    public var sum: Double
    /// Sum of the squares of the values.
    public var sumSquares: Double
    /// Right edges of the buckets.
    public var bucketLimits: [Double]
    /// Counts of the buckets.
    public var buckets: [Double]

    /// Makes a histogram from its fields.
    package init(
        min: Double, max: Double, num: Double, sum: Double, sumSquares: Double,
        bucketLimits: [Double], buckets: [Double]
    ) {
        self.min = min
        self.max = max
        self.num = num
        self.sum = sum
        self.sumSquares = sumSquares
        self.bucketLimits = bucketLimits
        self.buckets = buckets
    }

    /// Appends the protobuf encoding (proto3: zero doubles omitted, lists packed).
    @inline(never)
    package func encode(into w: inout ProtoWriter) {
        w.writeDoubleFieldIfNonZero(1, min)
        w.writeDoubleFieldIfNonZero(2, max)
        w.writeDoubleFieldIfNonZero(3, num)
        w.writeDoubleFieldIfNonZero(4, sum)
        w.writeDoubleFieldIfNonZero(5, sumSquares)
        if !bucketLimits.isEmpty { bucketLimits.withUnsafeBufferPointer { w.writePackedDoubles(6, $0) } }
        if !buckets.isEmpty { buckets.withUnsafeBufferPointer { w.writePackedDoubles(7, $0) } }
    }
}
