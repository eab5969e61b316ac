/// Summary statistics over every element of a tensor, computed in Double for accuracy.
///
/// "Variance" is the population variance mean((x - mean(x))^2), as the experiment defines it.
package enum Statistics {
    /// The arithmetic mean of `values` (0 for an empty buffer).
    package static func mean(_ values: UnsafeBufferPointer<Float>) -> Double {
        guard !values.isEmpty else { return 0 }
        var sum = 0.0
        for v in values { sum += Double(v) }
        return sum / Double(values.count)
    }

    /// The population variance of `values` (two passes: mean, then squared deviations).
    package static func variance(_ values: UnsafeBufferPointer<Float>) -> Double {
        guard !values.isEmpty else { return 0 }
        let m = mean(values)
        var sum = 0.0
        for v in values {
            let d = Double(v) - m
            sum += d * d
        }
        return sum / Double(values.count)
    }

    /// The population variance of all elements of `matrix`.
    package static func variance(_ matrix: Matrix) -> Double {
        matrix.withUnsafeBufferPointer { variance($0) }
    }

    /// The mean of all elements of `matrix`.
    package static func mean(_ matrix: Matrix) -> Double {
        matrix.withUnsafeBufferPointer { mean($0) }
    }
}
