/// Times the lab's matrix products at the shapes training uses, against the plain triple loop.
package enum MatMulBenchmark {
    /// Which product a case measures.
    package enum Product: String, Sendable {
        /// C = A·B (forward).
        case ab = "A·B"
        /// C = Aᵀ·B (weight gradient).
        case atb = "Aᵀ·B"
        /// C = A·Bᵀ (input gradient).
        case abt = "A·Bᵀ"
    }

    /// One shape: C is m x n, the inner dimension is k.
    package struct Case: Sendable {
        /// What the shape is in the net.
        package var label: String
        /// The product.
        package var product: Product
        /// Rows of C.
        package var m: Int
        /// Inner dimension.
        package var k: Int
        /// Columns of C.
        package var n: Int
    }

    /// One measurement.
    package struct Measurement: Sendable {
        /// The shape measured.
        package var benchCase: Case
        /// GFLOP/s of `MatMul` with the SIMD kernel (2·m·k·n flops a product).
        package var gflops: Double
        /// GFLOP/s of `MatMul` with the scalar kernel (same blocking, plain loops).
        package var scalarKernelGflops: Double
        /// GFLOP/s of `MatMul.reference`.
        package var referenceGflops: Double
        /// Largest |difference| between the two results.
        package var maxError: Float
    }

    /// The shapes of the 784-100-100-10 net at batch 30 and 100, the 1,000-image test pass, and backprop.
    package static let labCases: [Case] = [
        Case(label: "layer 1 forward, batch 30", product: .ab, m: 30, k: 784, n: 100),
        Case(label: "layer 1 forward, batch 100", product: .ab, m: 100, k: 784, n: 100),
        Case(label: "layer 1 forward, 1000 test", product: .ab, m: 1000, k: 784, n: 100),
        Case(label: "layer 2 forward, 1000 deep", product: .ab, m: 1000, k: 100, n: 100),
        Case(label: "layer 3 forward, batch 30", product: .ab, m: 30, k: 100, n: 10),
        Case(label: "layer 1 dW = xᵀ·δ, batch 30", product: .atb, m: 784, k: 30, n: 100),
        Case(label: "layer 2 dW = xᵀ·δ, batch 30", product: .atb, m: 100, k: 30, n: 100),
        Case(label: "layer 2 dx = δ·Wᵀ, batch 30", product: .abt, m: 30, k: 100, n: 100),
        Case(label: "layer 3 dx = δ·Wᵀ, batch 30", product: .abt, m: 30, k: 10, n: 100),
    ]

    /// Measures each case for about `seconds` per implementation (at least 3 repetitions).
    package static func run(_ cases: [Case] = labCases, seconds: Double = 0.2, seed: UInt64 = 0) -> [Measurement] {
        var rng = SeededGenerator(seed: seed, stream: "bench")
        return cases.map { c in
            let aShape = c.product == .atb ? (c.k, c.m) : (c.m, c.k)
            let bShape = c.product == .abt ? (c.n, c.k) : (c.k, c.n)
            let a = Initializer.uniform(limit: 1).makeWeights(fanIn: aShape.0, fanOut: aShape.1, using: &rng)
            let b = Initializer.uniform(limit: 1).makeWeights(fanIn: bShape.0, fanOut: bShape.1, using: &rng)
            var out = Matrix(rows: 0, columns: 0)
            var scratch = Matrix(rows: 0, columns: 0)
            let scalar = time(seconds) { multiply(c.product, a, b, &out, &scratch, .scalar) }
            let fast = time(seconds) { multiply(c.product, a, b, &out, &scratch, .simd) }
            var ref = Matrix(rows: 0, columns: 0)
            let slow = time(seconds) {
                ref = MatMul.reference(a, b, transposeA: c.product == .atb, transposeB: c.product == .abt)
            }
            var maxError: Float = 0
            for i in 0..<ref.count { maxError = max(maxError, abs(ref.storage[i] - out.storage[i])) }
            let flops = 2.0 * Double(c.m * c.k * c.n)
            return Measurement(
                benchCase: c, gflops: flops / fast / 1e9, scalarKernelGflops: flops / scalar / 1e9,
                referenceGflops: flops / slow / 1e9, maxError: maxError)
        }
    }

    /// One product of the case's kind. Out of line, so the kernels are compiled into it once
    /// rather than once per timed closure.
    @inline(never)
    static func multiply(
        _ product: Product, _ a: Matrix, _ b: Matrix, _ out: inout Matrix, _ scratch: inout Matrix,
        _ kernel: MatMul.Kernel
    ) {
        switch product {
        case .ab: MatMul.multiply(a, b, into: &out, kernel: kernel)
        case .atb: MatMul.multiplyTransposedA(a, b, into: &out, kernel: kernel)
        case .abt: MatMul.multiplyTransposedB(a, b, into: &out, scratch: &scratch, kernel: kernel)
        }
    }

    /// Seconds per call of `body`, the best of several timed batches.
    static func time(_ budget: Double, _ body: () -> Void) -> Double {
        let clock = ContinuousClock()
        body()  // warm up caches and buffers
        var best = Double.infinity
        var spent = 0.0
        var repetitions = 1
        var rounds = 0
        while spent < budget || rounds < 3 {
            let start = clock.now
            for _ in 0..<repetitions { body() }
            let d = clock.now - start
            let seconds = Double(d.components.seconds) + Double(d.components.attoseconds) / 1e18
            spent += seconds
            best = min(best, seconds / Double(repetitions))
            if seconds < budget / 10 { repetitions *= 2 }
            rounds += 1
        }
        return best
    }
}
