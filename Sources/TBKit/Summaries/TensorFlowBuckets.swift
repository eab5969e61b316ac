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
}
