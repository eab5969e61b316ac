import InitLab
import Testing

/// The fast products against the plain triple loop, for both kernels and all three products.
struct MatMulTests {
    static let shapes: [(m: Int, k: Int, n: Int)] = [
        (1, 1, 1), (3, 5, 7), (4, 8, 8), (5, 9, 13), (7, 300, 19), (30, 784, 100), (30, 100, 10), (13, 30, 100),
    ]

    func random(_ rows: Int, _ columns: Int, _ rng: inout SeededGenerator) -> Matrix {
        Initializer.uniform(limit: 1).makeWeights(fanIn: rows, fanOut: columns, using: &rng)
    }

    func maxDifference(_ x: Matrix, _ y: Matrix) -> Float {
        #expect(x.rows == y.rows && x.columns == y.columns)
        return zip(x.storage, y.storage).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("A·B, Aᵀ·B and A·Bᵀ equal the triple loop for odd and lab shapes", arguments: MatMul.Kernel.allCases)
    func productsMatchTripleLoop(kernel: MatMul.Kernel) {
        var rng = SeededGenerator(seed: 1)
        for (m, k, n) in Self.shapes {
            let tolerance = Float(k) * 1e-6 + 1e-6
            let a = random(m, k, &rng)
            let b = random(k, n, &rng)
            var c = Matrix(rows: 0, columns: 0)
            MatMul.multiply(a, b, into: &c, kernel: kernel)
            #expect(maxDifference(c, MatMul.reference(a, b)) <= tolerance, "A·B \(m)x\(k)x\(n)")

            let at = random(k, m, &rng)
            MatMul.multiplyTransposedA(at, b, into: &c, kernel: kernel)
            #expect(maxDifference(c, MatMul.reference(at, b, transposeA: true)) <= tolerance, "Aᵀ·B \(m)x\(k)x\(n)")

            let bt = random(n, k, &rng)
            MatMul.multiplyTransposedB(a, bt, into: &c, kernel: kernel)
            #expect(maxDifference(c, MatMul.reference(a, bt, transposeB: true)) <= tolerance, "A·Bᵀ \(m)x\(k)x\(n)")
        }
    }

    @Test("The reference loop computes a hand-worked 2x3·3x2 product")
    func referenceHandWorked() {
        let a = Matrix(rows: 2, columns: 3, storage: [1, 2, 3, 4, 5, 6])
        let b = Matrix(rows: 3, columns: 2, storage: [7, 8, 9, 10, 11, 12])
        #expect(MatMul.reference(a, b).storage == [58, 64, 139, 154])
        var c = Matrix(rows: 0, columns: 0)
        MatMul.multiply(a, b, into: &c, kernel: .simd)
        #expect(c.storage == [58, 64, 139, 154])
    }

    @Test("An inner dimension of zero gives a zero product; an empty result stays empty")
    func emptyInnerDimension() {
        for kernel in MatMul.Kernel.allCases {
            var c = Matrix(rows: 2, columns: 2, repeating: 5)
            MatMul.multiply(Matrix(rows: 2, columns: 0), Matrix(rows: 0, columns: 2), into: &c, kernel: kernel)
            #expect(c.storage == [0, 0, 0, 0])
            c = Matrix(rows: 2, columns: 2, repeating: 5)
            MatMul.multiplyTransposedA(
                Matrix(rows: 0, columns: 2), Matrix(rows: 0, columns: 2), into: &c, kernel: kernel)
            #expect(c.storage == [0, 0, 0, 0])
            MatMul.multiply(Matrix(rows: 0, columns: 3), Matrix(rows: 3, columns: 2), into: &c, kernel: kernel)
            #expect(c.rows == 0 && c.columns == 2)
        }
    }
}
