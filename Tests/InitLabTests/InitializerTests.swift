import Foundation
import InitLab
import Testing

/// Each initializer on a large draw: mean, variance and range against its formula.
struct InitializerTests {
    struct Stats {
        var mean = 0.0, variance = 0.0, min = Double.infinity, max = -Double.infinity
    }

    /// Draws a fanIn x fanOut matrix and summarizes it.
    func draw(_ initializer: Initializer, fanIn: Int, fanOut: Int, seed: UInt64 = 3) -> Stats {
        var rng = SeededGenerator(seed: seed)
        let w = initializer.makeWeights(fanIn: fanIn, fanOut: fanOut, using: &rng)
        var s = Stats()
        w.withUnsafeBufferPointer { b in
            s.mean = Statistics.mean(b)
            s.variance = Statistics.variance(b)
            for v in b {
                s.min = Swift.min(s.min, Double(v))
                s.max = Swift.max(s.max, Double(v))
            }
        }
        return s
    }

    // 784 x 300 = 235,200 draws: the sample variance is within ~0.6% (3 standard errors) of the truth.
    static let fanIn = 784, fanOut = 300

    struct Expectation: Sendable, CustomStringConvertible {
        var initializer: Initializer
        var variance: Double
        /// The largest |w| the distribution allows (nil: unbounded).
        var bound: Double?
        var description: String { initializer.description }
    }

    static let n = (in: Double(fanIn), out: Double(fanOut), avg: Double(fanIn + fanOut) / 2)
    static let cases: [Expectation] = [
        Expectation(initializer: .normal(stddev: 1.0), variance: 1.0, bound: nil),
        Expectation(initializer: .normal(stddev: 0.14), variance: 0.0196, bound: nil),
        Expectation(initializer: .uniform(limit: 1 / 28), variance: 1.0 / 784 / 3, bound: 1.0 / 28),
        Expectation(initializer: .glorotNormal, variance: 2 / (n.in + n.out), bound: nil),
        Expectation(
            initializer: .xavierUniform, variance: 2 / (n.in + n.out), bound: (6 / (n.in + n.out)).squareRoot()),
        Expectation(initializer: .heNormal, variance: 2 / n.in, bound: nil),
        Expectation(initializer: .heUniform, variance: 2 / n.in, bound: (6 / n.in).squareRoot()),
        Expectation(initializer: .lecunNormal, variance: 1 / n.in, bound: nil),
        Expectation(initializer: .lecunUniform, variance: 1 / n.in, bound: (3 / n.in).squareRoot()),
        Expectation(
            initializer: .varianceScaling(factor: 3, mode: .fanOut, distribution: .normal), variance: 3 / n.out,
            bound: nil),
        Expectation(
            initializer: .varianceScaling(factor: 3, mode: .fanOut, distribution: .uniform), variance: 3 / n.out,
            bound: (9 / n.out).squareRoot()),
        // Exact correction: variance factor/n; cut at 2σ with σ = sqrt(factor/n)/0.8796.
        Expectation(
            initializer: .varianceScaling(factor: 2, mode: .fanAvg, distribution: .truncatedNormal(correction: .exact)),
            variance: 2 / n.avg, bound: 2 * (2 / n.avg).squareRoot() / 0.87962566),
        // TF1's 1.3 factor: σ² = 1.3·factor/n and a ±2σ cut keeps 0.7737413 of σ² (truncated-normal variance
        // 1 - 4φ(2)/(Φ(2) - Φ(-2))), so the variance is 1.00586·factor/n.
        Expectation(initializer: .tf1Xavier, variance: 1.3 * 0.77374130 / n.avg, bound: 2 * (1.3 / n.avg).squareRoot()),
        Expectation(initializer: .tf1He, variance: 1.3 * 0.77374130 * 2 / n.in, bound: 2 * (2.6 / n.in).squareRoot()),
    ]

    @Test("Mean is 0, variance matches the formula and draws stay inside the bound", arguments: cases)
    func matchesFormula(_ e: Expectation) {
        let s = draw(e.initializer, fanIn: Self.fanIn, fanOut: Self.fanOut)
        let count = Double(Self.fanIn * Self.fanOut)
        let sd = e.variance.squareRoot()
        #expect(abs(s.mean) < 5 * sd / count.squareRoot(), "mean \(s.mean)")
        #expect(abs(s.variance / e.variance - 1) < 0.01, "variance \(s.variance) vs \(e.variance)")
        if let bound = e.bound {
            #expect(s.min >= -bound && s.max <= bound, "range \(s.min)...\(s.max) vs ±\(bound)")
            // The draws reach close to the bound (the whole range is used).
            #expect(s.max > 0.95 * bound && s.min < -0.95 * bound)
        } else {
            // An untruncated normal of this size reaches beyond 4σ on both sides.
            #expect(s.max > 4 * sd && s.min < -4 * sd)
        }
    }

    @Test("targetVariance states factor / n for each fan mode")
    func targetVariance() {
        #expect(Initializer.heNormal.targetVariance(fanIn: 784, fanOut: 100) == 2.0 / 784)
        #expect(Initializer.glorotUniform.targetVariance(fanIn: 100, fanOut: 10) == 1.0 / 55)
        #expect(
            Initializer.varianceScaling(factor: 1, mode: .fanOut, distribution: .normal).targetVariance(
                fanIn: 5, fanOut: 4) == 0.25)
        #expect(Initializer.normal(stddev: 0.5).targetVariance(fanIn: 1, fanOut: 1) == 0.25)
    }

    @Test("The output layer's Glorot uniform limit is sqrt(6/110)")
    func glorotUniformOutputLimit() {
        let s = draw(.glorotUniform, fanIn: 100, fanOut: 10)
        let limit = (6.0 / 110).squareRoot()
        #expect(s.max <= limit && s.min >= -limit && s.max > 0.9 * limit)
    }

    @Test("The same seed draws the same weights; another seed or stream draws others")
    func seeding() {
        var a = SeededGenerator(seed: 42)
        var b = SeededGenerator(seed: 42)
        var c = SeededGenerator(seed: 43)
        var d = SeededGenerator(seed: 42, stream: "weights")
        var e = SeededGenerator(seed: 42, stream: "batches")
        let wa = Initializer.heNormal.makeWeights(fanIn: 50, fanOut: 20, using: &a)
        #expect(wa == Initializer.heNormal.makeWeights(fanIn: 50, fanOut: 20, using: &b))
        #expect(wa != Initializer.heNormal.makeWeights(fanIn: 50, fanOut: 20, using: &c))
        #expect(d.next() != e.next())
    }

    @Test("Standard normals from the generator have mean 0, variance 1 and normal tails")
    func normalGenerator() {
        var rng = SeededGenerator(seed: 5)
        let count = 400_000
        var sum = 0.0
        var squares = 0.0
        var beyond2 = 0
        for _ in 0..<count {
            let z = rng.nextNormal()
            sum += z
            squares += z * z
            if abs(z) > 2 { beyond2 += 1 }
        }
        #expect(abs(sum / Double(count)) < 0.01)
        #expect(abs(squares / Double(count) - 1) < 0.01)
        // P(|Z| > 2) = 0.0455
        #expect(abs(Double(beyond2) / Double(count) - 0.0455) < 0.002)
    }
}
