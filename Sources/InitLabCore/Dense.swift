/// A fully connected layer y = f(x·W + b) that keeps what backprop needs from its last forward pass.
///
/// W is fanIn x fanOut (row = input unit). After `forward`, `matMul` holds x·W (before the bias,
/// the "mat_mul" the study logs) and `output` holds f(x·W + b). After `backward`, `weightGradient`
/// and `biasGradient` hold dLoss/dW and dLoss/db for that batch.
public struct Dense: Sendable {
    /// The weights, fanIn x fanOut.
    public var weights: Matrix
    /// The biases, one per output unit (start at zero).
    public var bias: [Float]
    /// The activation applied after the bias.
    public let activation: Activation

    /// x·W of the last forward pass (batch x fanOut).
    public private(set) var matMul = Matrix(rows: 0, columns: 0)
    /// f(x·W + b) of the last forward pass (batch x fanOut).
    public private(set) var output = Matrix(rows: 0, columns: 0)
    /// dLoss/dW of the last backward pass (fanIn x fanOut).
    public private(set) var weightGradient = Matrix(rows: 0, columns: 0)
    /// dLoss/db of the last backward pass.
    public private(set) var biasGradient: [Float] = []

    private var transposeScratch = Matrix(rows: 0, columns: 0)

    /// A layer with the given initial weights, zero biases and activation.
    public init(weights: Matrix, activation: Activation) {
        self.weights = weights
        self.bias = [Float](repeating: 0, count: weights.columns)
        self.activation = activation
    }

    /// Number of inputs.
    public var fanIn: Int { weights.rows }
    /// Number of outputs.
    public var fanOut: Int { weights.columns }

    /// Computes `matMul` = x·W and `output` = f(x·W + b).
    public mutating func forward(_ input: Matrix) {
        MatMul.multiply(input, weights, into: &matMul)
        if output.rows != matMul.rows || output.columns != matMul.columns {
            output = Matrix(rows: matMul.rows, columns: matMul.columns)
        }
        let n = fanOut
        let act = activation
        matMul.withUnsafeBufferPointer { m in
            bias.withUnsafeBufferPointer { b in
                output.withUnsafeMutableBufferPointer { out in
                    for r in 0..<(m.count / max(n, 1)) {
                        for c in 0..<n { out[r * n + c] = m[r * n + c] + b[c] }
                    }
                    act.apply(out)
                }
            }
        }
    }

    /// Backprop through this layer for the last forward pass. `gradient` comes in as dLoss/d(output)
    /// and is turned in place into dLoss/d(x·W + b); the parameter gradients are filled and, when
    /// `propagate` is true, `inputGradient` receives dLoss/d(input) (the first layer skips it).
    public mutating func backward(input: Matrix, gradient: inout Matrix, inputGradient: inout Matrix, propagate: Bool) {
        precondition(
            gradient.rows == output.rows && gradient.columns == output.columns,
            "gradient shape differs from the layer output")
        let act = activation
        output.withUnsafeBufferPointer { y in
            gradient.withUnsafeMutableBufferPointer { g in act.backward(output: y, gradient: g) }
        }
        MatMul.multiplyTransposedA(input, gradient, into: &weightGradient)
        let n = fanOut
        if biasGradient.count != n { biasGradient = [Float](repeating: 0, count: n) }
        gradient.withUnsafeBufferPointer { d in
            biasGradient.withUnsafeMutableBufferPointer { bg in
                for c in 0..<n { bg[c] = 0 }
                for r in 0..<(d.count / max(n, 1)) {
                    for c in 0..<n { bg[c] += d[r * n + c] }
                }
            }
        }
        if propagate {
            MatMul.multiplyTransposedB(gradient, weights, into: &inputGradient, scratch: &transposeScratch)
        }
    }
}
