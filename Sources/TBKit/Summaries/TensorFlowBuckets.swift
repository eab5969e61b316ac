import Dispatch

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
                tallyFloats(values, table: table, limits: limits)
            }
        }
    }

    /// Tallies Double values; their bucket comes from `doubleLookup` and one comparison.
    static func tally(_ values: UnsafeBufferPointer<Double>) -> Tally {
        doubleLookup.withUnsafeBufferPointer { table in
            compareLimits.withUnsafeBufferPointer { limits in
                tallyDoubles(values, table: table, limits: limits)
            }
        }
    }

    /// Distance between the four count arrays of a tally (1553 buckets, rounded up).
    private static let laneStride = 1560

    /// The bucket of `x` whose lookup key is `key`: the table's bucket, or the next one when `x`
    /// is at or past that bucket's right edge. No branch: the comparison becomes an add.
    @inline(__always)
    private static func bucket<T: BinaryFloatingPoint>(
        _ x: T, key: Int, table: UnsafePointer<UInt16>, limits: UnsafePointer<T>
    ) -> Int {
        let b = Int(table[key])
        return x >= limits[b] ? b &+ 1 : b
    }

    /// Inputs at least this long are tallied on two threads: one counts the buckets while the
    /// other takes the statistics. Each is a pass of its own over the same values, so the results
    /// are exactly those of one thread.
    static let parallelThreshold = 1 << 17

    /// Runs `counting` and `statistics`, on two threads when `parallel`.
    @inline(__always)
    private static func bothPasses(parallel: Bool, _ counting: () -> Void, _ statistics: () -> Void) {
        if parallel {
            // The passes share nothing they write (the count arrays against the statistics'
            // locals), and `concurrentPerform` returns only when both have finished.
            nonisolated(unsafe) let counting = counting
            nonisolated(unsafe) let statistics = statistics
            DispatchQueue.concurrentPerform(iterations: 2) { part in
                if part == 0 { counting() } else { statistics() }
            }
        } else {
            counting()
            statistics()
        }
    }

    /// Float values, four at a time. Counting: the lookup keys of the four come from one SIMD
    /// shift of their bit patterns, and each lands in its own count array (so runs of one bucket
    /// do not wait on a single counter). Statistics: min and max are lane-wise SIMD selects; the
    /// sums are two chains (even and odd positions) in one SIMD2, the order the statistics have
    /// always used.
    private static func tallyFloats(
        _ values: UnsafeBufferPointer<Float>, table: UnsafeBufferPointer<UInt16>, limits: UnsafeBufferPointer<Float>
    ) -> Tally {
        let n = values.count
        let lanes = TallyLanes()
        let sums = SIMD2<Double>()
        let squares = SIMD2<Double>()
        let lo = SIMD4<Float>(repeating: .infinity)
        let hi = SIMD4<Float>(repeating: -.infinity)
        var (outSums, outSquares, outLo, outHi) = (sums, squares, lo, hi)
        if let base = values.baseAddress, let t = table.baseAddress, let l = limits.baseAddress {
            let c = lanes.counts
            let s = laneStride
            let raw = UnsafeRawPointer(base)
            let whole = n & ~3
            bothPasses(parallel: n >= parallelThreshold) {
                var i = 0
                while i < whole {
                    let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
                    let k = unsafeBitCast(v, to: SIMD4<UInt32>.self) &>> 19
                    c[bucket(v[0], key: Int(k[0]), table: t, limits: l)] &+= 1
                    c[s &+ bucket(v[1], key: Int(k[1]), table: t, limits: l)] &+= 1
                    c[2 &* s &+ bucket(v[2], key: Int(k[2]), table: t, limits: l)] &+= 1
                    c[3 &* s &+ bucket(v[3], key: Int(k[3]), table: t, limits: l)] &+= 1
                    i &+= 4
                }
                var parity = 0
                while i < n {
                    let x = base[i]
                    c[parity &* s &+ bucket(x, key: Int(x.bitPattern >> 19), table: t, limits: l)] &+= 1
                    parity ^= 1
                    i &+= 1
                }
            } _: {
                // Locals, written back at the end: the captured variables would live in memory.
                var (sums, squares, lo, hi) = (sums, squares, lo, hi)
                defer { (outSums, outSquares, outLo, outHi) = (sums, squares, lo, hi) }
                var i = 0
                while i < whole {
                    let v = raw.loadUnaligned(fromByteOffset: i &* 4, as: SIMD4<Float>.self)
                    let a = SIMD2<Double>(Double(v[0]), Double(v[1]))
                    let b = SIMD2<Double>(Double(v[2]), Double(v[3]))
                    sums += a
                    squares += a * a
                    sums += b
                    squares += b * b
                    lo.replace(with: v, where: v .< lo)
                    hi.replace(with: v, where: v .> hi)
                    i &+= 4
                }
                // The last one to three values continue the even/odd chains.
                var parity = 0
                while i < n {
                    let x = base[i]
                    let d = Double(x)
                    sums[parity] += d
                    squares[parity] += d * d
                    lo[parity] = x < lo[parity] ? x : lo[parity]
                    hi[parity] = x > hi[parity] ? x : hi[parity]
                    parity ^= 1
                    i &+= 1
                }
            }
        }
        return lanes.tally(
            values, sums: outSums, squares: outSquares, min: Double(outLo.min()), max: Double(outHi.max()))
    }

    /// The same over Double values, four at a time as two SIMD2 loads.
    private static func tallyDoubles(
        _ values: UnsafeBufferPointer<Double>, table: UnsafeBufferPointer<UInt16>, limits: UnsafeBufferPointer<Double>
    ) -> Tally {
        let n = values.count
        let lanes = TallyLanes()
        let sums = SIMD2<Double>()
        let squares = SIMD2<Double>()
        let lo = SIMD2<Double>(repeating: .infinity)
        let hi = SIMD2<Double>(repeating: -.infinity)
        var (outSums, outSquares, outLo, outHi) = (sums, squares, lo, hi)
        if let base = values.baseAddress, let t = table.baseAddress, let l = limits.baseAddress {
            let c = lanes.counts
            let s = laneStride
            let raw = UnsafeRawPointer(base)
            let whole = n & ~3
            bothPasses(parallel: n >= parallelThreshold) {
                var i = 0
                while i < whole {
                    let a = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD2<Double>.self)
                    let b = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 16, as: SIMD2<Double>.self)
                    let ka = unsafeBitCast(a, to: SIMD2<UInt64>.self) &>> 48
                    let kb = unsafeBitCast(b, to: SIMD2<UInt64>.self) &>> 48
                    c[bucket(a[0], key: Int(ka[0]), table: t, limits: l)] &+= 1
                    c[s &+ bucket(a[1], key: Int(ka[1]), table: t, limits: l)] &+= 1
                    c[2 &* s &+ bucket(b[0], key: Int(kb[0]), table: t, limits: l)] &+= 1
                    c[3 &* s &+ bucket(b[1], key: Int(kb[1]), table: t, limits: l)] &+= 1
                    i &+= 4
                }
                var parity = 0
                while i < n {
                    let x = base[i]
                    c[parity &* s &+ bucket(x, key: Int(x.bitPattern >> 48), table: t, limits: l)] &+= 1
                    parity ^= 1
                    i &+= 1
                }
            } _: {
                // Locals, written back at the end: the captured variables would live in memory.
                var (sums, squares, lo, hi) = (sums, squares, lo, hi)
                defer { (outSums, outSquares, outLo, outHi) = (sums, squares, lo, hi) }
                var i = 0
                while i < whole {
                    let a = raw.loadUnaligned(fromByteOffset: i &* 8, as: SIMD2<Double>.self)
                    let b = raw.loadUnaligned(fromByteOffset: i &* 8 &+ 16, as: SIMD2<Double>.self)
                    sums += a
                    squares += a * a
                    sums += b
                    squares += b * b
                    lo.replace(with: a, where: a .< lo)
                    hi.replace(with: a, where: a .> hi)
                    lo.replace(with: b, where: b .< lo)
                    hi.replace(with: b, where: b .> hi)
                    i &+= 4
                }
                var parity = 0
                while i < n {
                    let x = base[i]
                    sums[parity] += x
                    squares[parity] += x * x
                    lo[parity] = x < lo[parity] ? x : lo[parity]
                    hi[parity] = x > hi[parity] ? x : hi[parity]
                    parity ^= 1
                    i &+= 1
                }
            }
        }
        return lanes.tally(values, sums: outSums, squares: outSquares, min: outLo.min(), max: outHi.max())
    }

    /// Four count arrays of `laneStride` buckets on raw memory, summed into one at the end.
    /// Owned by one tally call; freed when it ends.
    private struct TallyLanes: ~Copyable {
        let counts: UnsafeMutablePointer<UInt32>

        init() {
            counts = .allocate(capacity: 4 * TensorFlowBuckets.laneStride)
            counts.initialize(repeating: 0, count: 4 * TensorFlowBuckets.laneStride)
        }

        deinit { counts.deallocate() }

        /// The finished tally. Lane-wise min and max pick the same value as one sequential pass,
        /// except that a sequential pass keeps the first of +0 and -0 it meets: when the result
        /// is a zero, its sign is the first zero's. With non-finite values present, the
        /// statistics are recomputed without them.
        func tally<T: BinaryFloatingPoint>(
            _ values: UnsafeBufferPointer<T>, sums: SIMD2<Double>, squares: SIMD2<Double>, min: Double, max: Double
        ) -> Tally {
            let s = TensorFlowBuckets.laneStride
            let sentinel = TensorFlowBuckets.nonFiniteBucket
            var merged = [UInt32](repeating: 0, count: sentinel)
            for b in 0..<sentinel {
                merged[b] = counts[b] &+ counts[s + b] &+ counts[2 * s + b] &+ counts[3 * s + b]
            }
            var nonFinite = 0
            for lane in 0..<4 {
                nonFinite += Int(counts[lane * s + sentinel]) + Int(counts[lane * s + sentinel + 1])
            }
            guard nonFinite == 0 else {
                return Tally(counts: merged, nonFinite: nonFinite, stats: Statistics(values))
            }
            var lo = min
            var hi = max
            if lo == 0 || hi == 0, let zero = values.first(where: { $0 == 0 }) {
                if lo == 0 { lo = Double(zero) }
                if hi == 0 { hi = Double(zero) }
            }
            let stats = Statistics(
                count: values.count, min: lo, max: hi, sum: sums[0] + sums[1], sumSquares: squares[0] + squares[1])
            return Tally(counts: merged, nonFinite: 0, stats: stats)
        }
    }
}
