/// How an image buffer orders its samples.
///
/// A buffer of height H, width W and C channels has H × W × C samples either way, so a buffer in
/// the wrong layout has the right length and is drawn scrambled: say which one you have.
/// `.hwc` is the layout of PNG, Pillow and `tf.summary.image`; `.chw` is torch's (a
/// `torch.Tensor` image, what `SummaryWriter.add_image` takes by default).
public enum PixelLayout: Sendable, Equatable {
    /// Row by row, each pixel's channels together: `[y][x][c]` (RGBRGB...).
    case hwc
    /// Channel by channel, each a whole plane: `[c][y][x]` (RR...GG...BB...).
    case chw

    /// The samples of `pixels` in `.hwc` order (the same buffer when already `.hwc`). The caller
    /// has checked that `pixels.count == width * height * channels`.
    func interleaved<T>(_ pixels: [T], width: Int, height: Int, channels: Int) -> [T] {
        guard self == .chw, channels > 1, let first = pixels.first else { return pixels }
        let plane = width * height
        var out = [T](repeating: first, count: pixels.count)
        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                for c in 0..<channels {
                    let base = c * plane
                    for i in 0..<plane { dst[i * channels + c] = src[base + i] }
                }
            }
        }
        return out
    }
}

/// How `SummaryWriter.image` stores an image.
public enum ImageFormat: Sendable, Equatable {
    /// v2: a DT_STRING [3] tensor `["<width>", "<height>", png]` with plugin "images", as
    /// `tf.summary.image` writes. Read by TensorBoard's images dashboard and `tbkit`.
    case tensor
    /// v1 `Summary.Image` (height, width, colorspace, PNG bytes), as tensorboardX and torch write.
    /// For readers that only know that form, such as the legacy `EventAccumulator.Images()`.
    case summaryImage
}
