import Foundation

/// An element-wise activation. Every derivative here is expressed through the activation's
/// output y (not its input), so a layer keeps only its output for backprop.
public enum Activation: Sendable, Equatable, CustomStringConvertible {
    /// 1 / (1 + e^-x); y' = y(1 - y).
    case sigmoid
    /// tanh x; y' = 1 - y².
    case tanh
    /// max(0, x); y' = 1 where y > 0.
    case relu
    /// x / (1 + |x|); y' = (1 - |y|)².
    case softsign
    /// x for x > 0, slope·x otherwise (slope > 0); y' = 1 or slope by the sign of y.
    case leakyRelu(slope: Float)
    /// x for x > 0, alpha(e^x - 1) otherwise (alpha > 0); y' = 1 or y + alpha.
    case elu(alpha: Float)
    /// x; y' = 1 (the logits layer).
    case identity

    /// The name used in run names and listings ("sigmoid", "relu", ...).
    public var description: String {
        switch self {
        case .sigmoid: return "sigmoid"
        case .tanh: return "tanh"
        case .relu: return "relu"
        case .softsign: return "softsign"
        case .leakyRelu: return "leaky_relu"
        case .elu: return "elu"
        case .identity: return "identity"
        }
    }

    /// Applies the activation in place.
    public func apply(_ x: UnsafeMutableBufferPointer<Float>) {
        switch self {
        case .sigmoid:
            for i in x.indices { x[i] = 1 / (1 + Foundation.exp(-x[i])) }
        case .tanh:
            for i in x.indices { x[i] = Foundation.tanh(x[i]) }
        case .relu:
            for i in x.indices { x[i] = max(x[i], 0) }
        case .softsign:
            for i in x.indices { x[i] = x[i] / (1 + abs(x[i])) }
        case .leakyRelu(let slope):
            for i in x.indices where x[i] < 0 { x[i] *= slope }
        case .elu(let alpha):
            for i in x.indices where x[i] < 0 { x[i] = alpha * Foundation.expm1(x[i]) }
        case .identity:
            break
        }
    }

    /// Multiplies `gradient` in place by the derivative at the points whose outputs are `output`.
    public func backward(output y: UnsafeBufferPointer<Float>, gradient g: UnsafeMutableBufferPointer<Float>) {
        precondition(y.count == g.count)
        switch self {
        case .sigmoid:
            for i in g.indices { g[i] *= y[i] * (1 - y[i]) }
        case .tanh:
            for i in g.indices { g[i] *= 1 - y[i] * y[i] }
        case .relu:
            for i in g.indices where !(y[i] > 0) { g[i] = 0 }
        case .softsign:
            for i in g.indices {
                let d = 1 - abs(y[i])
                g[i] *= d * d
            }
        case .leakyRelu(let slope):
            for i in g.indices where !(y[i] > 0) { g[i] *= slope }
        case .elu(let alpha):
            for i in g.indices where !(y[i] > 0) { g[i] *= y[i] + alpha }
        case .identity:
            break
        }
    }

    /// Whether one output value sits where this activation's slope is (nearly) flat:
    /// sigmoid y < 0.02 or y > 0.98; tanh and softsign |y| > 0.98; relu y == 0; never for the others.
    @inlinable public func isSaturated(_ y: Float) -> Bool {
        switch self {
        case .sigmoid: return y < 0.02 || y > 0.98
        case .tanh, .softsign: return abs(y) > 0.98
        case .relu: return y == 0
        case .leakyRelu, .elu, .identity: return false
        }
    }

    /// The fraction of `outputs` that are saturated (see `isSaturated`).
    public func saturation(_ outputs: UnsafeBufferPointer<Float>) -> Double {
        guard !outputs.isEmpty else { return 0 }
        var count = 0
        for y in outputs where isSaturated(y) { count += 1 }
        return Double(count) / Double(outputs.count)
    }
}
