import Foundation

/// Student's t distribution: the quantiles a confidence interval of a mean needs.
///
/// The distribution function comes from the regularized incomplete beta function,
/// `P(T ≤ t) = 1 − ½·I_{ν/(ν+t²)}(ν/2, ½)` for `t ≥ 0`, evaluated by its continued fraction
/// (modified Lentz); the quantile is found by bisection on it, to the last bit of a Double.
/// `quantile(0.975, degreesOfFreedom: 4)` is 2.776445105197793 (scipy.stats.t.ppf: 2.7764451051977934).
package enum StudentT {
    /// `P(T ≤ t)` for `degreesOfFreedom` ν > 0; NaN for a NaN argument or ν ≤ 0.
    package static func cdf(_ t: Double, degreesOfFreedom nu: Double) -> Double {
        guard !t.isNaN, nu > 0 else { return .nan }
        if t.isInfinite { return t > 0 ? 1 : 0 }
        let x = nu / (nu + t * t)
        let tail = 0.5 * regularizedIncompleteBeta(x, a: nu / 2, b: 0.5)
        return t >= 0 ? 1 - tail : tail
    }

    /// The `p` quantile (0 < p < 1) for ν = `degreesOfFreedom` > 0: the `t` with
    /// `P(T ≤ t) = p`. NaN outside those ranges.
    package static func quantile(_ p: Double, degreesOfFreedom nu: Double) -> Double {
        guard p > 0, p < 1, nu > 0 else { return .nan }
        if p == 0.5 { return 0 }
        if p < 0.5 { return -quantile(1 - p, degreesOfFreedom: nu) }
        // Upper tail probability; solving for it keeps precision for p close to 1.
        let q = 1 - p
        var high = 1.0
        while upperTail(high, nu) > q {
            high *= 2
            if high > 1e300 { return .infinity }
        }
        var low = 0.0
        for _ in 0..<2000 {
            let mid = 0.5 * (low + high)
            if mid <= low || mid >= high { break }
            if upperTail(mid, nu) > q { low = mid } else { high = mid }
        }
        return 0.5 * (low + high)
    }

    /// `P(T > t)` for t ≥ 0.
    private static func upperTail(_ t: Double, _ nu: Double) -> Double {
        0.5 * regularizedIncompleteBeta(nu / (nu + t * t), a: nu / 2, b: 0.5)
    }

    /// `I_x(a, b)`, the regularized incomplete beta function, for 0 ≤ x ≤ 1 and a, b > 0.
    package static func regularizedIncompleteBeta(_ x: Double, a: Double, b: Double) -> Double {
        guard x > 0 else { return 0 }
        guard x < 1 else { return 1 }
        // Term by term, in the order of lgamma(a+b) − lgamma(a) − lgamma(b) + a·log x + b·log1p(−x):
        // as one expression it takes the type checker most of a second.
        var logFront: Double = lgamma(a + b) - lgamma(a)
        logFront -= lgamma(b)
        logFront += a * log(x)
        logFront += b * log1p(-x)
        // The continued fraction converges fast for x < (a+1)/(a+b+2); use the symmetry
        // I_x(a, b) = 1 − I_{1−x}(b, a) on the other side.
        if x < (a + 1) / (a + b + 2) {
            return exp(logFront) * betaContinuedFraction(x, a: a, b: b) / a
        }
        return 1 - exp(logFront) * betaContinuedFraction(1 - x, a: b, b: a) / b
    }

    /// The continued fraction of the incomplete beta function, by the modified Lentz method.
    private static func betaContinuedFraction(_ x: Double, a: Double, b: Double) -> Double {
        let tiny = 1e-300
        let epsilon = 1e-16
        var c = 1.0
        var d = 1 - (a + b) * x / (a + 1)
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m)
            let m2 = 2 * m
            // Even step.
            var aa = m * (b - m) * x / ((a + m2 - 1) * (a + m2))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            // Odd step.
            aa = -(a + m) * (a + b + m) * x / ((a + m2) * (a + m2 + 1))
            d = 1 + aa * d
            if abs(d) < tiny { d = tiny }
            c = 1 + aa / c
            if abs(c) < tiny { c = tiny }
            d = 1 / d
            let delta = d * c
            h *= delta
            if abs(delta - 1) < epsilon { break }
        }
        return h
    }
}

extension StudentT {
    /// Two-sided critical values `t_{(1+level)/2, ν}` computed once per ν and kept.
    package struct Table: Sendable {
        /// The confidence level, e.g. 0.95.
        package let level: Double
        private var values: [Double] = [.nan]

        /// An empty table for `level`.
        package init(level: Double = 0.95) {
            self.level = level
        }

        /// The critical value for `degreesOfFreedom` (≥ 1; NaN otherwise).
        package mutating func criticalValue(_ degreesOfFreedom: Int) -> Double {
            guard degreesOfFreedom >= 1 else { return .nan }
            while values.count <= degreesOfFreedom {
                values.append(StudentT.quantile(0.5 + level / 2, degreesOfFreedom: Double(values.count)))
            }
            return values[degreesOfFreedom]
        }
    }
}
