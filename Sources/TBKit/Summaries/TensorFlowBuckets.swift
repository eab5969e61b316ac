/// TensorFlow's default histogram bucket limits (`histogram.cc`) and a lookup table that finds a
/// value's bucket with one table read and one comparison instead of a binary search.
enum TensorFlowBuckets {
    /// 1551 ascending right edges: -DBL_MAX, -9.92e19 ... -1e-12, 0, 1e-12 ... 9.92e19, DBL_MAX.
    /// Built by repeated multiplication by 1.1 (not `pow`), so the bits match TensorFlow's.
    static let limits: [Double] = {
        var positive = [Double]()
        var v = 1e-12
        while v < 1e20 {
            positive.append(v)
            v *= 1.1
        }
        positive.append(Double.greatestFiniteMagnitude)
        return positive.reversed().map { -$0 } + [0.0] + positive
    }()

    /// For the top 16 bits of a Double (sign, exponent, 4 mantissa bits), the bucket of the
    /// smallest value with those bits. Such a cell spans a ratio of at most 2^(1/16) < 1.1, so
    /// a value's bucket is that one or the next: `b + (x >= limits[b] ? 1 : 0)`.
    static let lookup: [UInt16] = {
        let limits = TensorFlowBuckets.limits
        func bucket(_ x: Double) -> Int {
            // upper_bound: first limit > x, clamped to the last bucket as TensorFlow does.
            var l = 0
            var r = limits.count
            while l < r {
                let m = (l + r) >> 1
                if limits[m] <= x { l = m + 1 } else { r = m }
            }
            return Swift.min(l, limits.count - 1)
        }
        var table = [UInt16](repeating: 0, count: 1 << 16)
        for key in 0..<(1 << 16) {
            let a = Double(bitPattern: UInt64(key) << 48)
            let b = Double(bitPattern: UInt64(key) << 48 | 0x0000_FFFF_FFFF_FFFF)
            guard a.isFinite, b.isFinite else { continue }
            table[key] = UInt16(bucket(Swift.min(a, b)))
        }
        return table
    }()

    /// Index of the bucket that counts NaN and -Inf (+Inf lands one further).
    static let nonFiniteBucket = 1551

    /// The limits as the counting loop compares against them: `limits[b]` for b < 1550, and
    /// +Inf at 1550 (values at DBL_MAX stay in the last bucket, as TensorFlow clamps them) and
    /// at 1551 (so the non-finite sentinel splits into NaN/-Inf at 1551 and +Inf at 1552).
    static let compareLimits: [Double] = Array(limits.dropLast()) + [.infinity, .infinity]

    /// `lookup` with the non-finite cells (exponent all ones) pointing at `nonFiniteBucket`.
    static let doubleLookup: [UInt16] = {
        var table = lookup
        for key in 0..<(1 << 16) where (key >> 4) & 0x7FF == 0x7FF { table[key] = UInt16(nonFiniteBucket) }
        return table
    }()

    /// The same for Float values: keyed by their top 13 bits (sign, 8 exponent bits, 4 mantissa
    /// bits), 8192 entries that stay in the L1 cache.
    static let floatLookup: [UInt16] = {
        var table = [UInt16](repeating: 0, count: 1 << 13)
        for key in 0..<(1 << 13) {
            if (key >> 4) & 0xFF == 0xFF {
                table[key] = UInt16(nonFiniteBucket)
                continue
            }
            let a = Double(Float(bitPattern: UInt32(key) << 19))
            let b = Double(Float(bitPattern: UInt32(key) << 19 | 0x7FFFF))
            let low = Swift.min(a, b)
            table[key] = lookup[Int(low.bitPattern >> 48)]
            // The Double cell of `low` may start below it; step to the bucket that holds `low`.
            if low >= compareLimits[Int(table[key])] { table[key] += 1 }
        }
        return table
    }()

    /// `compareLimits` rounded up to Float: for a Float x, `x >= floatCompareLimits[b]` exactly
    /// when `Double(x) >= compareLimits[b]`, so Float input is never widened to find its bucket.
    static let floatCompareLimits: [Float] = compareLimits.map { limit in
        var f = Float(limit)
        if Double(f) < limit { f = f.nextUp }
        return f
    }

    /// Bucket counts (1551 finite buckets), how many values were NaN or infinite, and the
    /// statistics of the finite values, from one pass over the data.
    struct Tally {
        var counts: [UInt32]
        var nonFinite: Int
        var stats: Statistics
    }

    /// Tallies Float values; their bucket comes from `floatLookup` and one Float comparison.
    static func tally(_ values: UnsafeBufferPointer<Float>) -> Tally {
        floatLookup.withUnsafeBufferPointer { table in
            floatCompareLimits.withUnsafeBufferPointer { limits in
                tallyLoop(values, table: table, limits: limits) { Int($0.bitPattern >> 19) }
            }
        }
    }

    /// Tallies Double values; their bucket comes from `doubleLookup` and one comparison.
    static func tally(_ values: UnsafeBufferPointer<Double>) -> Tally {
        doubleLookup.withUnsafeBufferPointer { table in
            compareLimits.withUnsafeBufferPointer { limits in
                tallyLoop(values, table: table, limits: limits) { Int($0.bitPattern >> 48) }
            }
        }
    }

    /// One pass: two interleaved count arrays (so runs of one bucket do not wait on a single
    /// counter), two sum chains, min and max. Non-finite values fall in the two sentinel buckets
    /// past the last limit; when there are any, the statistics are recomputed without them.
    @inline(__always)
    private static func tallyLoop<T: BinaryFloatingPoint>(
        _ values: UnsafeBufferPointer<T>, table: UnsafeBufferPointer<UInt16>,
        limits: UnsafeBufferPointer<T>, key: (T) -> Int
    ) -> Tally {
        let stride = 1560
        let n = values.count
        var lanes = [UInt32](repeating: 0, count: stride * 2)
        var s0 = 0.0
        var s1 = 0.0
        var q0 = 0.0
        var q1 = 0.0
        var lo = T.infinity
        var hi = -T.infinity
        lanes.withUnsafeMutableBufferPointer { c in
            var i = 0
            while i + 2 <= n {
                let x = values[i]
                let y = values[i + 1]
                var b = Int(table[key(x)])
                b = x >= limits[b] ? b + 1 : b
                var d = Int(table[key(y)])
                d = y >= limits[d] ? d + 1 : d
                c[b] &+= 1
                c[stride + d] &+= 1
                let dx = Double(x)
                let dy = Double(y)
                s0 += dx
                s1 += dy
                q0 += dx * dx
                q1 += dy * dy
                lo = x < lo ? x : lo
                hi = x > hi ? x : hi
                lo = y < lo ? y : lo
                hi = y > hi ? y : hi
                i += 2
            }
            if i < n {
                let x = values[i]
                var b = Int(table[key(x)])
                b = x >= limits[b] ? b + 1 : b
                c[b] &+= 1
                let dx = Double(x)
                s0 += dx
                q0 += dx * dx
                lo = x < lo ? x : lo
                hi = x > hi ? x : hi
            }
        }
        var counts = [UInt32](repeating: 0, count: nonFiniteBucket)
        for b in 0..<nonFiniteBucket { counts[b] = lanes[b] &+ lanes[stride + b] }
        let nonFinite = Int(
            lanes[nonFiniteBucket] &+ lanes[stride + nonFiniteBucket]
                &+ lanes[nonFiniteBucket + 1] &+ lanes[stride + nonFiniteBucket + 1])
        let stats =
            nonFinite == 0
            ? Statistics(count: n, min: Double(lo), max: Double(hi), sum: s0 + s1, sumSquares: q0 + q1)
            : Statistics(values)
        return Tally(counts: counts, nonFinite: nonFinite, stats: stats)
    }
}
