/// Float32 matrix products for the lab: C = A·B, C = Aᵀ·B and C = A·Bᵀ, row-major.
///
/// The kernel works on panels of 8 (then 4, then 1) columns of B and blocks of 4 rows of A,
/// keeping the 4 x 8 block of C in SIMD registers across a block of `kBlock` values of the inner
/// index, so each loaded row segment of B is used four times and each panel of B stays in L1.
/// Aᵀ·B needs no copy (A is walked with swapped strides); A·Bᵀ transposes B into scratch first
/// (O(k·n) against the product's O(m·k·n)). `reference` is the plain triple loop the tests and
/// `tbkit bench-matmul` compare against.
///
/// Unoptimized (debug) builds run SIMD code several times slower than scalar code, so there the
/// products default to `Kernel.scalar` (same blocking, plain loops); optimized builds use `.simd`.
public enum MatMul {
    /// Which inner loop computes a product.
    public enum Kernel: String, Sendable, CaseIterable {
        /// 4 x 8 register blocks of SIMD8<Float> (the fast path at -O).
        case simd
        /// The same loop order with scalar arithmetic (the fast path at -Onone).
        case scalar

        /// `.simd` in optimized builds, `.scalar` in debug builds.
        public static var preferred: Kernel {
            #if DEBUG
                return .scalar
            #else
                return .simd
            #endif
        }
    }

    /// Inner-index block: a 4 x kBlock slice of A and a kBlock x 8 panel of B stay cached.
    @usableFromInline static let kBlock = 256

    /// C = A·B. `c` is resized if its shape is wrong.
    public static func multiply(_ a: Matrix, _ b: Matrix, into c: inout Matrix, kernel: Kernel = .preferred) {
        precondition(a.columns == b.rows, "A·B needs A.columns (\(a.columns)) == B.rows (\(b.rows))")
        if c.rows != a.rows || c.columns != b.columns { c = Matrix(rows: a.rows, columns: b.columns) }
        let (m, k, n) = (a.rows, a.columns, b.columns)
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            c.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(
                        m: m, n: n, k: k, a: pa.baseAddress!, aRowStride: k, aInnerStride: 1,
                        b: pb.baseAddress!, c: pc.baseAddress!, kernel: kernel)
                }
            }
        }
    }

    /// C = Aᵀ·B (A is k x m, B is k x n, C is m x n): the weight gradient xᵀ·δ of a dense layer.
    public static func multiplyTransposedA(_ a: Matrix, _ b: Matrix, into c: inout Matrix, kernel: Kernel = .preferred)
    {
        precondition(a.rows == b.rows, "Aᵀ·B needs A.rows (\(a.rows)) == B.rows (\(b.rows))")
        if c.rows != a.columns || c.columns != b.columns { c = Matrix(rows: a.columns, columns: b.columns) }
        let (m, k, n) = (a.columns, a.rows, b.columns)
        guard m > 0, n > 0 else { return }
        guard k > 0 else {
            c.storage.withUnsafeMutableBufferPointer { $0.update(repeating: 0) }
            return
        }
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    gemm(
                        m: m, n: n, k: k, a: pa.baseAddress!, aRowStride: 1, aInnerStride: m,
                        b: pb.baseAddress!, c: pc.baseAddress!, kernel: kernel)
                }
            }
        }
    }

    /// C = A·Bᵀ (A is m x k, B is n x k, C is m x n): the input gradient δ·Wᵀ of a dense layer.
    /// `scratch` receives Bᵀ and is reused between calls to avoid an allocation per step.
    public static func multiplyTransposedB(
        _ a: Matrix, _ b: Matrix, into c: inout Matrix, scratch: inout Matrix, kernel: Kernel = .preferred
    ) {
        precondition(a.columns == b.columns, "A·Bᵀ needs A.columns (\(a.columns)) == B.columns (\(b.columns))")
        if scratch.rows != b.columns || scratch.columns != b.rows { scratch = Matrix(rows: b.columns, columns: b.rows) }
        let (bRows, bCols) = (b.rows, b.columns)
        b.withUnsafeBufferPointer { src in
            scratch.withUnsafeMutableBufferPointer { dst in
                for r in 0..<bRows {
                    for col in 0..<bCols { dst[col * bRows + r] = src[r * bCols + col] }
                }
            }
        }
        multiply(a, scratch, into: &c, kernel: kernel)
    }

    /// C = A·Bᵀ with a temporary transpose (convenience for tests and one-off products).
    public static func multiplyTransposedB(_ a: Matrix, _ b: Matrix, into c: inout Matrix, kernel: Kernel = .preferred)
    {
        var scratch = Matrix(rows: 0, columns: 0)
        multiplyTransposedB(a, b, into: &c, scratch: &scratch, kernel: kernel)
    }

    /// The plain i-j-p triple loop (C = op(A)·op(B)), the yardstick for correctness and speed.
    public static func reference(_ a: Matrix, _ b: Matrix, transposeA: Bool = false, transposeB: Bool = false) -> Matrix
    {
        let m = transposeA ? a.columns : a.rows
        let k = transposeA ? a.rows : a.columns
        let n = transposeB ? b.rows : b.columns
        precondition(k == (transposeB ? b.columns : b.rows), "reference product: inner dimensions differ")
        var c = Matrix(rows: m, columns: n)
        a.withUnsafeBufferPointer { pa in
            b.withUnsafeBufferPointer { pb in
                c.withUnsafeMutableBufferPointer { pc in
                    for i in 0..<m {
                        for j in 0..<n {
                            var sum: Float = 0
                            for p in 0..<k {
                                let av = transposeA ? pa[p * a.columns + i] : pa[i * a.columns + p]
                                let bv = transposeB ? pb[j * b.columns + p] : pb[p * b.columns + j]
                                sum += av * bv
                            }
                            pc[i * n + j] = sum
                        }
                    }
                }
            }
        }
        return c
    }

    /// Requires m, n, k > 0 (the callers handle empty shapes).
    /// C (m x n, contiguous) = A (element (i, p) at a[i*aRowStride + p*aInnerStride]) · B (k x n, contiguous).
    @usableFromInline
    static func gemm(
        m: Int, n: Int, k: Int,
        a: UnsafePointer<Float>, aRowStride: Int, aInnerStride: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>, kernel: Kernel
    ) {
        if kernel == .scalar {
            scalarGemm(m: m, n: n, k: k, a: a, rs: aRowStride, ps: aInnerStride, b: b, c: c)
            return
        }
        var p0 = 0
        while p0 < k {
            let kc = min(kBlock, k - p0)
            let first = p0 == 0
            var j = 0
            while j + 8 <= n {
                panel(
                    SIMD8<Float>.self, m: m, n: n, j: j, p0: p0, kc: kc, first: first,
                    a: a, rs: aRowStride, ps: aInnerStride, b: b, c: c)
                j += 8
            }
            if j + 4 <= n {
                panel(
                    SIMD4<Float>.self, m: m, n: n, j: j, p0: p0, kc: kc, first: first,
                    a: a, rs: aRowStride, ps: aInnerStride, b: b, c: c)
                j += 4
            }
            while j < n {
                scalarColumn(
                    m: m, n: n, j: j, p0: p0, kc: kc, first: first,
                    a: a, rs: aRowStride, ps: aInnerStride, b: b, c: c)
                j += 1
            }
            p0 += kc
        }
    }

    /// One panel of `V.scalarCount` columns (8 or 4) starting at `j`, over inner indices
    /// p0..<p0+kc: four rows of C at a time, each a vector of accumulators.
    @inline(__always)
    static func panel<V: SIMD>(
        _: V.Type, m: Int, n: Int, j: Int, p0: Int, kc: Int, first: Bool,
        a: UnsafePointer<Float>, rs: Int, ps: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
    )
    where V.Scalar == Float {
        let raw = UnsafeRawPointer(b)
        var i = 0
        while i + 4 <= m {
            var c0 = V()
            var c1 = V()
            var c2 = V()
            var c3 = V()
            var pa = a + i * rs + p0 * ps
            var pb = raw + ((p0 * n + j) * 4)
            for _ in 0..<kc {
                let bv = pb.loadUnaligned(as: V.self)
                c0 += bv * pa[0]
                c1 += bv * pa[rs]
                c2 += bv * pa[2 * rs]
                c3 += bv * pa[3 * rs]
                pa += ps
                pb += n * 4
            }
            store(c0, to: c + i * n + j, accumulate: !first)
            store(c1, to: c + (i + 1) * n + j, accumulate: !first)
            store(c2, to: c + (i + 2) * n + j, accumulate: !first)
            store(c3, to: c + (i + 3) * n + j, accumulate: !first)
            i += 4
        }
        while i < m {
            var c0 = V()
            var pa = a + i * rs + p0 * ps
            var pb = raw + ((p0 * n + j) * 4)
            for _ in 0..<kc {
                c0 += pb.loadUnaligned(as: V.self) * pa[0]
                pa += ps
                pb += n * 4
            }
            store(c0, to: c + i * n + j, accumulate: !first)
            i += 1
        }
    }

    @inline(__always)
    static func store<V: SIMD>(_ v: V, to p: UnsafeMutablePointer<Float>, accumulate: Bool) where V.Scalar == Float {
        let raw = UnsafeMutableRawPointer(p)
        if accumulate {
            raw.storeBytes(of: raw.loadUnaligned(as: V.self) + v, as: V.self)
        } else {
            raw.storeBytes(of: v, as: V.self)
        }
    }

    /// One column `j` of C (the tail beyond the SIMD panels).
    @inline(__always)
    static func scalarColumn(
        m: Int, n: Int, j: Int, p0: Int, kc: Int, first: Bool,
        a: UnsafePointer<Float>, rs: Int, ps: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
    ) {
        for i in 0..<m {
            var sum: Float = first ? 0 : c[i * n + j]
            var pa = a + i * rs + p0 * ps
            var pb = b + p0 * n + j
            for _ in 0..<kc {
                sum += pa[0] * pb[0]
                pa += ps
                pb += n
            }
            c[i * n + j] = sum
        }
    }

    /// C = A·B with scalar loops in i-p-j order (rows of B and C contiguous), blocked over p.
    static func scalarGemm(
        m: Int, n: Int, k: Int, a: UnsafePointer<Float>, rs: Int, ps: Int,
        b: UnsafePointer<Float>, c: UnsafeMutablePointer<Float>
    ) {
        c.update(repeating: 0, count: m * n)
        var p0 = 0
        while p0 < k {
            let kc = min(kBlock, k - p0)
            for i in 0..<m {
                let row = c + i * n
                for p in p0..<(p0 + kc) {
                    let av = a[i * rs + p * ps]
                    let brow = b + p * n
                    for j in 0..<n { row[j] += av * brow[j] }
                }
            }
            p0 += kc
        }
    }
}
