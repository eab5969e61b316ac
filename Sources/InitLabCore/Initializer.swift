import Foundation

/// How a weight matrix is drawn before training. Every case names its scale and distribution;
/// the variance-scaling family derives its variance from the layer's fans.
///
/// For a dense layer of shape fanIn x fanOut the variance is `factor / n` with
/// n = fanIn, fanOut or (fanIn + fanOut) / 2 (`VarianceScalingMode`).
public enum Initializer: Sendable, Equatable, CustomStringConvertible {
    /// N(0, stddev²). The article's naive case is `normal(stddev: 1.0)`.
    case normal(stddev: Double)
    /// U[-limit, limit]. The old heuristic uses limit 1/sqrt(fanIn).
    case uniform(limit: Double)
    /// The general form: variance factor / n, drawn from `distribution`.
    case varianceScaling(factor: Double, mode: VarianceScalingMode, distribution: VarianceScalingDistribution)
    /// All zeros (biases).
    case zeros

    /// Which fan divides the scale.
    public enum VarianceScalingMode: String, Sendable, Equatable, CaseIterable {
        /// n = fanIn.
        case fanIn
        /// n = fanOut.
        case fanOut
        /// n = (fanIn + fanOut) / 2.
        case fanAvg
    }

    /// The distribution of a variance-scaling initializer, each with variance close to factor / n.
    public enum VarianceScalingDistribution: Sendable, Equatable {
        /// N(0, factor / n).
        case normal
        /// A normal cut at ±2 stddev (values beyond are redrawn), its stddev raised by `correction`
        /// so the variance after the cut stays about factor / n: stddev = sqrt(correction · factor / n).
        case truncatedNormal(correction: TruncationCorrection)
        /// U[-limit, limit] with limit = sqrt(3 · factor / n).
        case uniform
    }

    /// How much a ±2σ truncated normal's σ is raised to keep the variance after the cut.
    public enum TruncationCorrection: Sendable, Equatable {
        /// TensorFlow 1 (`tf.contrib.layers.variance_scaling_initializer`): variance × 1.3,
        /// what the article's runs used: a ±2σ cut keeps 0.77374 of σ², so the variance is 1.0059 · factor / n.
        case tensorflow1
        /// The exact factor: σ / 0.87962566, so the variance after the cut is factor / n.
        case exact

        /// The multiplier applied to the variance before truncation.
        public var varianceMultiplier: Double {
            switch self {
            case .tensorflow1: return 1.3
            case .exact: return 1 / (0.87962566103423978 * 0.87962566103423978)
            }
        }
    }

    /// Glorot/Xavier normal: variance 1 / fanAvg = 2 / (fanIn + fanOut), plain normal.
    public static let glorotNormal = Initializer.varianceScaling(factor: 1, mode: .fanAvg, distribution: .normal)
    /// Glorot/Xavier uniform: U[-sqrt(6 / (fanIn + fanOut)), +sqrt(6 / (fanIn + fanOut))].
    public static let glorotUniform = Initializer.varianceScaling(factor: 1, mode: .fanAvg, distribution: .uniform)
    /// Same as `glorotNormal`.
    public static let xavierNormal = glorotNormal
    /// Same as `glorotUniform`.
    public static let xavierUniform = glorotUniform
    /// He normal: variance 2 / fanIn.
    public static let heNormal = Initializer.varianceScaling(factor: 2, mode: .fanIn, distribution: .normal)
    /// He uniform: U[-sqrt(6 / fanIn), +sqrt(6 / fanIn)].
    public static let heUniform = Initializer.varianceScaling(factor: 2, mode: .fanIn, distribution: .uniform)
    /// LeCun normal: variance 1 / fanIn.
    public static let lecunNormal = Initializer.varianceScaling(factor: 1, mode: .fanIn, distribution: .normal)
    /// LeCun uniform: U[-sqrt(3 / fanIn), +sqrt(3 / fanIn)].
    public static let lecunUniform = Initializer.varianceScaling(factor: 1, mode: .fanIn, distribution: .uniform)
    /// What the article calls "xavier": TF1's variance scaling, factor 1, fan_avg, truncated normal.
    public static let tf1Xavier = Initializer.varianceScaling(
        factor: 1, mode: .fanAvg, distribution: .truncatedNormal(correction: .tensorflow1))
    /// What the article calls "he": TF1's variance scaling, factor 2, fan_in, truncated normal.
    public static let tf1He = Initializer.varianceScaling(
        factor: 2, mode: .fanIn, distribution: .truncatedNormal(correction: .tensorflow1))

    /// The variance this initializer aims at for a layer with these fans (for truncated normals:
    /// the nominal factor / n; the TF1 correction lands 0.6% above it).
    public func targetVariance(fanIn: Int, fanOut: Int) -> Double {
        switch self {
        case .normal(let s): return s * s
        case .uniform(let l): return l * l / 3
        case .zeros: return 0
        case .varianceScaling(let factor, let mode, _):
            return factor / Initializer.fan(mode, fanIn: fanIn, fanOut: fanOut)
        }
    }

    static func fan(_ mode: VarianceScalingMode, fanIn: Int, fanOut: Int) -> Double {
        switch mode {
        case .fanIn: return Double(max(fanIn, 1))
        case .fanOut: return Double(max(fanOut, 1))
        case .fanAvg: return max(Double(fanIn + fanOut) / 2, 1)
        }
    }

    /// Draws a `fanIn x fanOut` weight matrix (row-major: row = input unit, column = output unit).
    public func makeWeights(fanIn: Int, fanOut: Int, using rng: inout SeededGenerator) -> Matrix {
        var w = Matrix(rows: fanIn, columns: fanOut)
        w.withUnsafeMutableBufferPointer { out in
            fill(out, fanIn: fanIn, fanOut: fanOut, using: &rng)
        }
        return w
    }

    /// Fills `out` with draws for a layer with the given fans.
    public func fill(
        _ out: UnsafeMutableBufferPointer<Float>, fanIn: Int, fanOut: Int, using rng: inout SeededGenerator
    ) {
        switch self {
        case .zeros:
            out.update(repeating: 0)
        case .normal(let stddev):
            for i in out.indices { out[i] = Float(stddev * rng.nextNormal()) }
        case .uniform(let limit):
            for i in out.indices { out[i] = Float(rng.nextUniform(-limit, limit)) }
        case .varianceScaling(let factor, let mode, let distribution):
            let n = Initializer.fan(mode, fanIn: fanIn, fanOut: fanOut)
            let variance = factor / n
            switch distribution {
            case .normal:
                let stddev = variance.squareRoot()
                for i in out.indices { out[i] = Float(stddev * rng.nextNormal()) }
            case .uniform:
                let limit = (3 * variance).squareRoot()
                for i in out.indices { out[i] = Float(rng.nextUniform(-limit, limit)) }
            case .truncatedNormal(let correction):
                let stddev = (correction.varianceMultiplier * variance).squareRoot()
                for i in out.indices {
                    var z = rng.nextNormal()
                    while abs(z) > 2 { z = rng.nextNormal() }
                    out[i] = Float(stddev * z)
                }
            }
        }
    }

    /// A short name for listings and logs, e.g. "normal(1.0)", "varianceScaling(2, fanIn, truncatedNormal/tf1)".
    public var description: String {
        switch self {
        case .normal(let s): return "normal(\(s))"
        case .uniform(let l): return "uniform(\(l))"
        case .zeros: return "zeros"
        case .varianceScaling(let factor, let mode, let distribution):
            let known: [(Initializer, String)] = [
                (.glorotNormal, "glorotNormal"), (.glorotUniform, "glorotUniform"),
                (.heNormal, "heNormal"), (.heUniform, "heUniform"),
                (.lecunNormal, "lecunNormal"), (.lecunUniform, "lecunUniform"),
            ]
            if let name = known.first(where: { $0.0 == self })?.1 { return name }
            let dist: String
            switch distribution {
            case .normal: dist = "normal"
            case .uniform: dist = "uniform"
            case .truncatedNormal(.tensorflow1): dist = "truncatedNormal/tf1"
            case .truncatedNormal(.exact): dist = "truncatedNormal"
            }
            let f = factor == factor.rounded() ? String(Int(factor)) : String(factor)
            return "varianceScaling(\(f), \(mode.rawValue), \(dist))"
        }
    }
}
