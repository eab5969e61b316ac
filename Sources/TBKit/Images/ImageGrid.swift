/// Tiles many small images of one size into a single 8-bit image, a grid with padding between
/// tiles: how a layer's filters or a batch of inputs are best shown on the images dashboard (one
/// PNG per step instead of one tag per tile).
///
/// Tiles are laid out row by row, left to right. The padding (between tiles and around the
/// border) has the value `paddingValue` (0...1, scaled like the samples). Samples are mapped to
/// bytes after normalization by `PixelScaling` (clamped to [0, 1], × 255).
///
/// ```swift
/// let grid = try ImageGrid(tiles: weights, count: 64, tileWidth: 28, tileHeight: 28,
///                          normalization: .perTile)
/// try writer.image("filters", pixels: grid.pixels, width: grid.width, height: grid.height,
///                  channels: grid.channels, step: step)
/// ```
public struct ImageGrid: Sendable, Equatable {
    /// How tile samples are brought into [0, 1] before they become bytes.
    public enum Normalization: Sendable, Equatable {
        /// Samples are taken as they are (already in [0, 1]; others are clamped).
        case none
        /// Each tile is mapped min…max → 0…1 on its own (a constant tile becomes 0.5).
        case perTile
        /// All tiles share one mapping, min…max over every tile → 0…1 (constant → 0.5).
        case global
    }

    /// Why a grid cannot be built.
    public enum Error: Swift.Error, CustomStringConvertible {
        /// `tiles` does not hold count × tileHeight × tileWidth × channels samples.
        case sampleCountMismatch(expected: Int, actual: Int)
        /// A size, count, channel count, column count or padding is out of range.
        case invalidArgument(String)

        /// What went wrong and what to do.
        public var description: String {
            switch self {
            case .sampleCountMismatch(let expected, let actual):
                return
                    "ImageGrid: expected count × tileHeight × tileWidth × channels = \(expected) samples (tile-major, row-major, channels interleaved) but got \(actual)"
            case .invalidArgument(let message):
                return "ImageGrid: \(message)"
            }
        }
    }

    /// The grid's pixels, row-major with channels interleaved (height × width × channels bytes).
    public let pixels: [UInt8]
    /// Width in pixels.
    public let width: Int
    /// Height in pixels.
    public let height: Int
    /// Channels per pixel (same as the tiles').
    public let channels: Int
    /// Tiles per row.
    public let columns: Int
    /// Rows of tiles.
    public let rows: Int

    /// Builds the grid from `count` tiles stored one after another in `tiles` (each tileHeight ×
    /// tileWidth × channels, row-major). `columns` defaults to ⌈√count⌉; rows follow.
    public init(
        tiles: [Float], count: Int, tileWidth: Int, tileHeight: Int, channels: Int = 1,
        columns: Int? = nil, padding: Int = 1, paddingValue: Float = 0,
        normalization: Normalization = .none
    ) throws {
        guard count >= 1 else { throw Error.invalidArgument("count must be at least 1, got \(count)") }
        guard tileWidth >= 1, tileHeight >= 1 else {
            throw Error.invalidArgument("tile size \(tileWidth)×\(tileHeight) must be at least 1×1")
        }
        guard (1...4).contains(channels) else {
            throw Error.invalidArgument("channels must be 1...4, got \(channels)")
        }
        guard padding >= 0 else { throw Error.invalidArgument("padding must be ≥ 0, got \(padding)") }
        let tileSamples = tileWidth * tileHeight * channels
        let (expected, overflow) = tileSamples.multipliedReportingOverflow(by: count)
        guard !overflow, tiles.count == expected else {
            throw Error.sampleCountMismatch(expected: overflow ? -1 : expected, actual: tiles.count)
        }
        var cols = columns ?? Int((Double(count).squareRoot()).rounded(.up))
        if cols < 1 { throw Error.invalidArgument("columns must be at least 1, got \(cols)") }
        cols = min(cols, count)
        let rows = (count + cols - 1) / cols
        let width = cols * tileWidth + (cols + 1) * padding
        let height = rows * tileHeight + (rows + 1) * padding
        guard width <= Int(Int32.max), height <= Int(Int32.max), width * height * channels < Int(UInt32.max) else {
            throw Error.invalidArgument("the grid would be \(width)×\(height) pixels, too large for a PNG")
        }

        var out = [UInt8](repeating: PixelScaling.byte(paddingValue), count: width * height * channels)
        tiles.withUnsafeBufferPointer { src in
            var globalLow: Float = 0
            var globalScale: Float = 1
            if normalization == .global {
                (globalLow, globalScale) = ImageGrid.range(src[...])
            }
            out.withUnsafeMutableBufferPointer { dst in
                for t in 0..<count {
                    let tile = src[(t * tileSamples)..<((t + 1) * tileSamples)]
                    var low: Float = 0
                    var scale: Float = 1
                    switch normalization {
                    case .none: break
                    case .global: (low, scale) = (globalLow, globalScale)
                    case .perTile: (low, scale) = ImageGrid.range(tile)
                    }
                    let x0 = padding + (t % cols) * (tileWidth + padding)
                    let y0 = padding + (t / cols) * (tileHeight + padding)
                    var s = tile.startIndex
                    for y in 0..<tileHeight {
                        var d = ((y0 + y) * width + x0) * channels
                        for _ in 0..<(tileWidth * channels) {
                            let v = src[s]
                            dst[d] = scale.isNaN ? 128 : PixelScaling.byte((v - low) * scale)
                            s += 1
                            d += 1
                        }
                    }
                }
            }
        }
        self.pixels = out
        self.width = width
        self.height = height
        self.channels = channels
        self.columns = cols
        self.rows = rows
    }

    /// Builds a gray grid from the columns of a row-major `rows` × `columns` matrix, each column
    /// one tile of tileHeight × tileWidth = `rows` values: a first dense layer's weight matrix
    /// (inputs × units) shows each unit's incoming weights as an image. `count` limits the tiles
    /// to the first columns.
    public init(
        columnsOf matrix: [Float], rows: Int, columns: Int, tileWidth: Int, tileHeight: Int,
        count: Int? = nil, gridColumns: Int? = nil, padding: Int = 1, paddingValue: Float = 0,
        normalization: Normalization = .perTile
    ) throws {
        guard rows >= 1, columns >= 1, rows.multipliedReportingOverflow(by: columns) == (matrix.count, false) else {
            throw Error.invalidArgument(
                "a \(rows)×\(columns) matrix needs \(rows * columns) values but got \(matrix.count)")
        }
        guard tileWidth * tileHeight == rows else {
            throw Error.invalidArgument("tiles of \(tileWidth)×\(tileHeight) do not hold a column of \(rows) values")
        }
        let n = min(count ?? columns, columns)
        var tiles = [Float](repeating: 0, count: n * rows)
        matrix.withUnsafeBufferPointer { m in
            tiles.withUnsafeMutableBufferPointer { t in
                for c in 0..<n {
                    for r in 0..<rows { t[c * rows + r] = m[r * columns + c] }
                }
            }
        }
        try self.init(
            tiles: tiles, count: n, tileWidth: tileWidth, tileHeight: tileHeight, channels: 1,
            columns: gridColumns, padding: padding, paddingValue: paddingValue,
            normalization: normalization)
    }

    /// The offset and factor mapping the finite min…max of `values` onto 0…1; NaN factor for a
    /// constant (or all non-finite) slice, which renders as mid-gray.
    static func range(_ values: Slice<UnsafeBufferPointer<Float>>) -> (low: Float, scale: Float) {
        var lo = Float.infinity
        var hi = -Float.infinity
        for v in values where v.isFinite {
            lo = Swift.min(lo, v)
            hi = Swift.max(hi, v)
        }
        guard hi > lo else { return (0, .nan) }
        return (lo, 1 / (hi - lo))
    }
}
