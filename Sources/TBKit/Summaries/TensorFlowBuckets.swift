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
            var l = 0, r = limits.count
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
            if (key >> 4) & 0xFF == 0xFF { table[key] = UInt16(nonFiniteBucket); continue }
            let a = Double(Float(bitPattern: UInt32(key) << 19))
            let b = Double(Float(bitPattern: UInt32(key) << 19 | 0x7FFFF))
            let low = Swift.min(a, b)
            table[key] = lookup[Int(low.bitPattern >> 48)]
            // The Double cell of `low` may start below it; step to the bucket that holds `low`.
            if low >= compareLimits[Int(table[key])] { table[key] += 1 }
        }
        return table
    }()

    /// Counts `values` into the 1553 buckets (the last two hold non-finite values), with four
    /// interleaved count arrays so that runs of equal buckets do not stall on one counter.
    static func count(_ values: UnsafeBufferPointer<Float>) -> [UInt32] {
        floatLookup.withUnsafeBufferPointer { table in
            countLoop(values.count, table: table) { i in
                let x = values[i]
                return (Int(x.bitPattern >> 19), Double(x))
            }
        }
    }

    /// Counts `values` into the 1553 buckets (see the Float overload).
    static func count(_ values: UnsafeBufferPointer<Double>) -> [UInt32] {
        doubleLookup.withUnsafeBufferPointer { table in
            countLoop(values.count, table: table) { i in
                let x = values[i]
                return (Int(x.bitPattern >> 48), x)
            }
        }
    }

    @inline(__always)
    private static func countLoop(_ n: Int, table: UnsafeBufferPointer<UInt16>,
                                  _ element: (Int) -> (Int, Double)) -> [UInt32] {
        let stride = 1560
        var lanes = [UInt32](repeating: 0, count: stride * 4)
        compareLimits.withUnsafeBufferPointer { lim in
            lanes.withUnsafeMutableBufferPointer { c in
                @inline(__always) func bucket(_ i: Int) -> Int {
                    let (key, x) = element(i)
                    let b = Int(table[key])
                    return x >= lim[b] ? b + 1 : b
                }
                var i = 0
                while i + 4 <= n {
                    c[bucket(i)] &+= 1
                    c[stride + bucket(i + 1)] &+= 1
                    c[2 * stride + bucket(i + 2)] &+= 1
                    c[3 * stride + bucket(i + 3)] &+= 1
                    i += 4
                }
                while i < n {
                    c[bucket(i)] &+= 1
                    i += 1
                }
            }
        }
        var counts = [UInt32](repeating: 0, count: nonFiniteBucket + 2)
        for b in 0..<counts.count {
            counts[b] = lanes[b] &+ lanes[stride + b] &+ lanes[2 * stride + b] &+ lanes[3 * stride + b]
        }
        return counts
    }
}
