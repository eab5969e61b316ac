/// Converts floating-point samples to the 8-bit samples a PNG holds, by TensorBoard's convention.
///
/// `tf.summary.image` and tensorboardX treat a float image as lying in [0, 1]: a sample x becomes
/// `round(clamp(x, 0, 1) × 255)`. Values below 0 become 0, above 1 become 255, and NaN becomes 0.
/// Images in another range should be normalized first (see `ImageGrid.Normalization`).
package enum PixelScaling {
    /// One sample: `round(clamp(x, 0, 1) × 255)`, NaN → 0.
    @inlinable
    package static func byte(_ x: Float) -> UInt8 {
        guard x > 0 else { return 0 }  // also NaN
        guard x < 1 else { return 255 }
        return UInt8((x * 255).rounded())
    }

    /// Every sample of `values`, in order.
    package static func bytes(_ values: UnsafeBufferPointer<Float>) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: values.count) { out, initialized in
            for i in 0..<values.count { out[i] = byte(values[i]) }
            initialized = values.count
        }
    }

    /// Every sample of `values`, in order.
    package static func bytes(_ values: [Float]) -> [UInt8] {
        values.withUnsafeBufferPointer { bytes($0) }
    }
}
