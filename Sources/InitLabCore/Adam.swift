import Foundation

/// Adam with bias correction (Kingma & Ba): m ← β1·m + (1-β1)·g, v ← β2·v + (1-β2)·g²,
/// θ ← θ - lr · m̂ / (sqrt(v̂) + ε) with m̂ = m / (1-β1^t), v̂ = v / (1-β2^t).
///
/// One `Adam` holds the moments of one parameter tensor; `step` counts its updates.
public struct Adam: Sendable {
    /// Learning rate (0.001 in the study).
    public var learningRate: Float = 0.001
    /// First-moment decay.
    public var beta1: Float = 0.9
    /// Second-moment decay.
    public var beta2: Float = 0.999
    /// Added to sqrt(v̂) to avoid division by zero.
    public var epsilon: Float = 1e-8
    /// Number of updates applied so far (t).
    public private(set) var step = 0
    /// First moments (one per parameter).
    package private(set) var m: [Float]
    /// Second moments (one per parameter).
    package private(set) var v: [Float]

    /// Zero moments for a parameter tensor of `count` elements.
    public init(count: Int) {
        m = [Float](repeating: 0, count: count)
        v = [Float](repeating: 0, count: count)
    }

    /// An optimizer that continues from saved moments after `step` updates (for checkpoints);
    /// `m` and `v` must have the same length.
    package init(step: Int, m: [Float], v: [Float], learningRate: Float, beta1: Float, beta2: Float, epsilon: Float) {
        precondition(m.count == v.count, "Adam: moment lengths differ")
        self.step = step
        self.m = m
        self.v = v
        self.learningRate = learningRate
        self.beta1 = beta1
        self.beta2 = beta2
        self.epsilon = epsilon
    }

    /// Applies one update to `parameters` from `gradient` (same length as at init).
    public mutating func update(_ parameters: UnsafeMutableBufferPointer<Float>, gradient: UnsafeBufferPointer<Float>) {
        precondition(parameters.count == m.count && gradient.count == m.count, "Adam: tensor size changed")
        guard !parameters.isEmpty else {
            step += 1
            return
        }
        step += 1
        let (b1, b2, lr, eps) = (beta1, beta2, learningRate, epsilon)
        let correction1 = 1 / (1 - Float(Foundation.pow(Double(b1), Double(step))))
        let correction2 = 1 / (1 - Float(Foundation.pow(Double(b2), Double(step))))
        let count = parameters.count
        let stepSize = lr * correction1
        m.withUnsafeMutableBufferPointer { m in
            v.withUnsafeMutableBufferPointer { v in
                // Scalar sqrt and divide dominate (about a quarter of a full run); measured, not vectorized.
                let pm = m.baseAddress!
                let pv = v.baseAddress!
                let pp = parameters.baseAddress!
                let pg = gradient.baseAddress!
                for i in 0..<count {
                    let g = pg[i]
                    let mi = b1 * pm[i] + (1 - b1) * g
                    let vi = b2 * pv[i] + (1 - b2) * (g * g)
                    pm[i] = mi
                    pv[i] = vi
                    pp[i] -= stepSize * mi / ((vi * correction2).squareRoot() + eps)
                }
            }
        }
    }
}
