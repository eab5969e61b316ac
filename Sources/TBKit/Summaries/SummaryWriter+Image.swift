extension SummaryWriter {
    /// Logs one 8-bit image as a PNG. `channels` is 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA);
    /// `layout` says how `pixels` orders its samples: `.hwc` (row-major, channels interleaved, the
    /// default) or `.chw` (torch's planes). `format` picks the v2 tensor (the default) or the v1
    /// `Summary.Image`. TensorBoard keeps 10 images per tag by default, so log images every few
    /// hundred steps rather than every step.
    ///
    /// Throws `.invalidArgument` naming `pixels`, `width`, `height` or `channels` when the buffer
    /// does not hold width × height × channels samples or a size is out of range.
    @inline(never)
    public func image(
        _ tag: String, pixels: [UInt8], width: Int, height: Int, channels: Int,
        layout: PixelLayout = .hwc, format: ImageFormat = .tensor,
        step: Int, wallTime: Double? = nil
    ) throws {
        if isDisabled { return }
        try checkImage(tag, count: pixels.count, width: width, height: height, channels: channels)
        let hwc = layout.interleaved(pixels, width: width, height: height, channels: channels)
        let png = try PNGEncoder.encode(hwc, width: width, height: height, channels: channels)
        try image(
            tag, png: png, width: width, height: height, channels: channels, format: format, step: step,
            wallTime: wallTime)
    }

    /// Logs one float image, TensorBoard's convention: samples in [0, 1] are scaled by 255 and
    /// rounded; values outside are clamped and NaN becomes 0 (see `PixelScaling`). Normalize
    /// other ranges first, e.g. with `ImageGrid(..., normalization: .perTile)`. `layout`,
    /// `format` and the errors are those of the `[UInt8]` overload.
    public func image(
        _ tag: String, pixels: [Float], width: Int, height: Int, channels: Int,
        layout: PixelLayout = .hwc, format: ImageFormat = .tensor,
        step: Int, wallTime: Double? = nil
    ) throws {
        if isDisabled { return }
        try checkImage(tag, count: pixels.count, width: width, height: height, channels: channels)
        try image(
            tag, pixels: PixelScaling.bytes(pixels), width: width, height: height,
            channels: channels, layout: layout, format: format, step: step, wallTime: wallTime)
    }

    /// Logs a grid built by `ImageGrid`.
    public func image(
        _ tag: String, grid: ImageGrid, format: ImageFormat = .tensor, step: Int, wallTime: Double? = nil
    ) throws {
        try image(
            tag, pixels: grid.pixels, width: grid.width, height: grid.height,
            channels: grid.channels, format: format, step: step, wallTime: wallTime)
    }

    /// Logs an already encoded PNG of the given size (the size is stored beside it as text), as
    /// a v2 image tensor.
    public func image(
        _ tag: String, png: [UInt8], width: Int, height: Int, step: Int,
        wallTime: Double? = nil
    ) throws {
        try image(
            tag, png: png, width: width, height: height, channels: 0, format: .tensor, step: step, wallTime: wallTime)
    }

    /// Logs an already encoded PNG of `channels` channels in the given format.
    @inline(never)
    public func image(
        _ tag: String, png: [UInt8], width: Int, height: Int, channels: Int, format: ImageFormat,
        step: Int, wallTime: Double? = nil
    ) throws {
        switch format {
        case .tensor:
            let tensor = TensorProto(
                dtype: .string, shape: [3],
                stringValues: [Array(String(width).utf8), Array(String(height).utf8), png])
            try summary(
                tag: tag, kind: .tensor(tensor), metadata: SummaryMetadata(pluginName: .images),
                step: step, wallTime: wallTime)
        case .summaryImage:
            guard let h = Int32(exactly: height), let w = Int32(exactly: width), (1...4).contains(channels) else {
                throw SummaryWriterError.invalidArgument(
                    argument: "channels", tag: tag,
                    reason:
                        "a v1 Summary.Image needs 1 to 4 channels and a size that fits 32 bits; got \(channels) channels, \(width) × \(height)"
                )
            }
            let value = ImageValue(height: h, width: w, colorspace: Int32(channels), encodedImage: png)
            try summary(tag: tag, kind: .image(value), metadata: nil, step: step, wallTime: wallTime)
        }
    }

    /// Checks an image's sizes against its buffer before anything is encoded.
    private func checkImage(_ tag: String, count: Int, width: Int, height: Int, channels: Int) throws {
        func bad(_ argument: String, _ reason: String) -> SummaryWriterError {
            .invalidArgument(argument: argument, tag: tag, reason: reason)
        }
        guard width > 0 else { throw bad("width", "is \(width); an image is at least 1 pixel wide") }
        guard height > 0 else { throw bad("height", "is \(height); an image is at least 1 pixel high") }
        guard (1...4).contains(channels) else {
            throw bad("channels", "is \(channels); use 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)")
        }
        let (area, o1) = width.multipliedReportingOverflow(by: height)
        let (expected, o2) = area.multipliedReportingOverflow(by: channels)
        guard !o1, !o2, count == expected else {
            throw bad(
                "pixels",
                "holds \(count) samples but width × height × channels = \(width) × \(height) × \(channels) needs \(o1 || o2 ? "more than Int.max" : String(expected))"
            )
        }
    }
}
