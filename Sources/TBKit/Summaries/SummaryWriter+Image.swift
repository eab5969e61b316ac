extension SummaryWriter {
    /// Logs one 8-bit image (row-major, channels interleaved: 1 gray, 2 gray+alpha, 3 RGB,
    /// 4 RGBA) as a PNG in the v2 form: a DT_STRING [3] tensor `["<width>", "<height>", png]`
    /// with plugin "images". TensorBoard keeps 10 images per tag by default, so log images every
    /// few hundred steps rather than every step.
    public func image(
        _ tag: String, pixels: [UInt8], width: Int, height: Int, channels: Int,
        step: Int, wallTime: Double? = nil
    ) throws {
        let png = try PNGEncoder.encode(pixels, width: width, height: height, channels: channels)
        try image(tag, png: png, width: width, height: height, step: step, wallTime: wallTime)
    }

    /// Logs one float image, TensorBoard's convention: samples in [0, 1] are scaled by 255 and
    /// rounded; values outside are clamped and NaN becomes 0 (see `PixelScaling`). Normalize
    /// other ranges first, e.g. with `ImageGrid(..., normalization: .perTile)`.
    public func image(
        _ tag: String, pixels: [Float], width: Int, height: Int, channels: Int,
        step: Int, wallTime: Double? = nil
    ) throws {
        try image(
            tag, pixels: PixelScaling.bytes(pixels), width: width, height: height,
            channels: channels, step: step, wallTime: wallTime)
    }

    /// Logs a grid built by `ImageGrid`.
    public func image(_ tag: String, grid: ImageGrid, step: Int, wallTime: Double? = nil) throws {
        try image(
            tag, pixels: grid.pixels, width: grid.width, height: grid.height,
            channels: grid.channels, step: step, wallTime: wallTime)
    }

    /// Logs an already encoded PNG of the given size (the size is stored beside it as text).
    public func image(
        _ tag: String, png: [UInt8], width: Int, height: Int, step: Int,
        wallTime: Double? = nil
    ) throws {
        let tensor = TensorProto(
            dtype: .string, shape: [3],
            stringValues: [Array(String(width).utf8), Array(String(height).utf8), png])
        try summary(
            tag: tag, kind: .tensor(tensor), metadata: SummaryMetadata(pluginName: .images),
            step: step, wallTime: wallTime)
    }
}
