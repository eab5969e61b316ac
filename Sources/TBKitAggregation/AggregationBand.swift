/// Which band an aggregate draws around the mean: its `<tag>/lower` and `<tag>/upper`.
package enum AggregationBand: String, Sendable, CaseIterable {
    /// The mean's 95% confidence interval (Student's t, n − 1 degrees of freedom).
    case ci95
    /// Mean ± one sample standard deviation.
    case std
    /// The smallest and largest value.
    case minmax

    /// The band's lower and upper ends for `s`. With one run there is no spread: both ends are
    /// the value itself.
    package func bounds(_ s: SampleStatistics) -> (lower: Double, upper: Double) {
        switch self {
        case .ci95:
            return s.count < 2 ? (s.mean, s.mean) : (s.confidenceLow, s.confidenceHigh)
        case .std:
            return s.count < 2 ? (s.mean, s.mean) : (s.mean - s.standardDeviation, s.mean + s.standardDeviation)
        case .minmax:
            return (s.min, s.max)
        }
    }

    /// What the band is, for chart titles: "95% CI", "±1 std", "min–max".
    package var caption: String {
        switch self {
        case .ci95: return "95% CI"
        case .std: return "±1 std"
        case .minmax: return "min–max"
        }
    }
}
