import TBKit
import Testing

@Suite struct ImageGridTests {
    @Test func gridSizeIsTilesPlusPaddingAroundAndBetween() throws {
        let grid = try ImageGrid(
            tiles: [Float](repeating: 1, count: 7 * 4 * 3), count: 7, tileWidth: 4,
            tileHeight: 3, padding: 2)
        // ⌈√7⌉ = 3 columns, 3 rows.
        #expect((grid.columns, grid.rows) == (3, 3))
        #expect(grid.width == 3 * 4 + 4 * 2 && grid.height == 3 * 3 + 4 * 2)
        #expect(grid.pixels.count == grid.width * grid.height)
    }

    @Test func tilesLandRowByRowWithPaddingValueBetween() throws {
        // Two 2×1 gray tiles side by side, padding 1 of value 1 (white).
        let grid = try ImageGrid(
            tiles: [0, 0.2, 0.6, 1], count: 2, tileWidth: 2, tileHeight: 1,
            columns: 2, padding: 1, paddingValue: 1)
        #expect((grid.width, grid.height) == (7, 3))
        let white = [UInt8](repeating: 255, count: 7)
        #expect(Array(grid.pixels[0..<7]) == white)
        #expect(Array(grid.pixels[7..<14]) == [255, 0, 51, 255, 153, 255, 255])
        #expect(Array(grid.pixels[14..<21]) == white)
    }

    @Test func perTileNormalizationStretchesEachTileAndConstantTilesAreMidGray() throws {
        let grid = try ImageGrid(
            tiles: [-2, 2, 10, 30, 5, 5], count: 3, tileWidth: 2, tileHeight: 1,
            columns: 3, padding: 0, normalization: .perTile)
        #expect(grid.pixels == [0, 255, 0, 255, 128, 128])
    }

    @Test func globalNormalizationSharesOneRange() throws {
        let grid = try ImageGrid(
            tiles: [0, 1, 2, 4], count: 2, tileWidth: 2, tileHeight: 1, columns: 2,
            padding: 0, normalization: .global)
        #expect(grid.pixels == [0, 64, 128, 255])
    }

    @Test func rgbTilesKeepTheirChannelsInterleaved() throws {
        let grid = try ImageGrid(
            tiles: [1, 0, 0, 0, 0, 1], count: 2, tileWidth: 1, tileHeight: 1, channels: 3,
            columns: 1, padding: 0)
        #expect(grid.channels == 3 && grid.width == 1 && grid.height == 2)
        #expect(grid.pixels == [255, 0, 0, 0, 0, 255])
    }

    @Test func matrixColumnsBecomeTilesLikeFirstLayerFilters() throws {
        // 4 inputs (2×2 tiles) × 3 units, row-major: column c is unit c's incoming weights.
        let w: [Float] = [
            0, 10, 1,
            1, 20, 0,
            2, 30, 0,
            3, 40, 0,
        ]
        let grid = try ImageGrid(
            columnsOf: w, rows: 4, columns: 3, tileWidth: 2, tileHeight: 2,
            gridColumns: 3, padding: 0)
        #expect((grid.width, grid.height) == (6, 2))
        // Per-tile normalization: unit 0 is 0…3, unit 1 is 10…40, unit 2 is 0…1.
        #expect(
            grid.pixels == [
                0, 85, 0, 85, 255, 0,
                170, 255, 170, 255, 0, 0,
            ])
        #expect(throws: ImageGrid.Error.self) {
            try ImageGrid(columnsOf: w, rows: 4, columns: 3, tileWidth: 3, tileHeight: 2)
        }
    }

    @Test func wrongSampleCountIsAnError() {
        #expect(throws: ImageGrid.Error.self) {
            try ImageGrid(tiles: [0, 1, 2], count: 2, tileWidth: 2, tileHeight: 1)
        }
        #expect(throws: ImageGrid.Error.self) {
            try ImageGrid(tiles: [], count: 0, tileWidth: 2, tileHeight: 1)
        }
    }
}
