/// The statistics of one step of one tag over a group's runs: what `tbkit aggregate` writes.
///
/// Built from the finite values only (NaN and ±Inf are left out by the caller and counted
/// apart). `standardDeviation` is the sample one (n − 1 in the denominator, numpy's `ddof=1`),
/// and the confidence interval is the mean's, from Student's t with n − 1 degrees of freedom.
/// With one value the deviation and the interval are NaN: one run gives no spread.
package struct SampleStatistics: Sendable, Equatable {
    /// How many values.
    package var count: Int
    /// Their mean.
    package var mean: Double
    /// Sample standard deviation (n − 1); NaN when `count` < 2.
    package var standardDeviation: Double
    /// Smallest value.
    package var min: Double
    /// Largest value.
    package var max: Double
    /// Median (the mean of the two middle values for an even count).
    package var median: Double
    /// Lower end of the confidence interval of the mean; NaN when `count` < 2.
    package var confidenceLow: Double
    /// Upper end of the confidence interval of the mean; NaN when `count` < 2.
    package var confidenceHigh: Double

    /// Statistics of `values` (finite, at least one), sorted in place for the median; the
    /// interval is the 95% one unless `criticalValue` (the t quantile for given degrees of
    /// freedom) says otherwise. Callers that build many pass a cached one (`StudentT.Table`).
    package init(
        sorting values: inout [Double],
        criticalValue: (Int) -> Double = { StudentT.quantile(0.975, degreesOfFreedom: Double($0)) }
    ) {
        values.sort()
        let n = values.count
        count = n
        min = values.first ?? .nan
        max = values.last ?? .nan
        median = n == 0 ? .nan : (n % 2 == 1 ? values[n / 2] : 0.5 * (values[n / 2 - 1] + values[n / 2]))
        var sum = 0.0
        for x in values { sum += x }
        let m = n == 0 ? Double.nan : sum / Double(n)
        mean = m
        guard n >= 2 else {
            standardDeviation = .nan
            confidenceLow = .nan
            confidenceHigh = .nan
            return
        }
        var squares = 0.0
        for x in values { squares += (x - m) * (x - m) }
        let sd = (squares / Double(n - 1)).squareRoot()
        standardDeviation = sd
        let t = criticalValue(n - 1)
        let half = t * sd / Double(n).squareRoot()
        confidenceLow = m - half
        confidenceHigh = m + half
    }
}
