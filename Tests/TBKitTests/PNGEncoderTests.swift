import Testing

@testable import TBKit

/// Bitwise CRC-32 (ISO 3309 / PNG, reflected polynomial 0xEDB88320), independent of zlib.
private func referenceCRC32(_ bytes: some Sequence<UInt8>) -> UInt32 {
    var crc: UInt32 = 0xFFFF_FFFF
    for b in bytes {
        crc ^= UInt32(b)
        for _ in 0..<8 { crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB8_8320 : crc >> 1 }
    }
    return ~crc
}

private func be32(_ b: [UInt8], _ at: Int) -> UInt32 {
    UInt32(b[at]) << 24 | UInt32(b[at + 1]) << 16 | UInt32(b[at + 2]) << 8 | UInt32(b[at + 3])
}

/// The chunks of a PNG after the signature: (type, data, stored CRC).
private func chunks(_ png: [UInt8]) -> [(type: String, data: [UInt8], crc: UInt32)] {
    var out: [(String, [UInt8], UInt32)] = []
    var i = 8
    while i + 12 <= png.count {
        let n = Int(be32(png, i))
        let type = String(decoding: png[(i + 4)..<(i + 8)], as: UTF8.self)
        let data = Array(png[(i + 8)..<(i + 8 + n)])
        out.append((type, data, be32(png, i + 8 + n)))
        i += 12 + n
    }
    return out
}

/// Reverses PNG filtering (the decoder's side, written from the PNG specification).
private func unfilter(_ data: [UInt8], rowBytes: Int, height: Int, bpp: Int) -> [UInt8] {
    var out = [UInt8](repeating: 0, count: rowBytes * height)
    for y in 0..<height {
        let type = data[y * (rowBytes + 1)]
        for x in 0..<rowBytes {
            let f = Int(data[y * (rowBytes + 1) + 1 + x])
            let a = x >= bpp ? Int(out[y * rowBytes + x - bpp]) : 0
            let b = y > 0 ? Int(out[(y - 1) * rowBytes + x]) : 0
            let c = x >= bpp && y > 0 ? Int(out[(y - 1) * rowBytes + x - bpp]) : 0
            let pred: Int
            switch type {
            case 0: pred = 0
            case 1: pred = a
            case 2: pred = b
            case 3: pred = (a + b) / 2
            default:
                let p = a + b - c
                let pa = abs(p - a)
                let pb = abs(p - b)
                let pc = abs(p - c)
                pred = pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
            }
            out[y * rowBytes + x] = UInt8((f + pred) & 0xFF)
        }
    }
    return out
}

/// A deterministic, irregular test image.
private func noisyImage(width: Int, height: Int, channels: Int) -> [UInt8] {
    var state: UInt32 = 12345
    return (0..<(width * height * channels)).map { i in
        state = state &* 1_103_515_245 &+ 12345
        // Half smooth gradient, half noise, so every filter has work to do.
        return i % 3 == 0 ? UInt8(truncatingIfNeeded: state >> 16) : UInt8(truncatingIfNeeded: i / channels)
    }
}

@Suite struct PNGEncoderTests {
    @Test func fileStartsWithThePNGSignatureAndIHDRFieldsInBigEndian() throws {
        let png = try PNGEncoder.encode([UInt8](repeating: 7, count: 3 * 2 * 3), width: 3, height: 2, channels: 3)
        #expect(Array(png[0..<8]) == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        // IHDR: length 13, "IHDR", width 3, height 2, depth 8, colour type 2 (RGB), 0, 0, 0.
        #expect(
            Array(png[8..<33]) == [0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 3, 0, 0, 0, 2, 8, 2, 0, 0, 0]
                + Array(png[29..<33]))
        #expect(chunks(png).map(\.type) == ["IHDR", "IDAT", "IEND"])
    }

    @Test func everyChunkCRCIsCRC32OfTypeAndData() throws {
        let png = try PNGEncoder.encode(noisyImage(width: 9, height: 7, channels: 4), width: 9, height: 7, channels: 4)
        for chunk in chunks(png) {
            #expect(chunk.crc == referenceCRC32(Array(chunk.type.utf8) + chunk.data), "\(chunk.type)")
        }
    }

    @Test func fileEndsWithTheConstantIENDChunk() throws {
        // IEND has no data; its CRC over "IEND" is always AE 42 60 82 (PNG specification).
        let png = try PNGEncoder.encode([0], width: 1, height: 1, channels: 1)
        #expect(Array(png.suffix(12)) == [0, 0, 0, 0, 0x49, 0x45, 0x4E, 0x44, 0xAE, 0x42, 0x60, 0x82])
    }

    @Test func idatInflatesToFilterByteZeroPlusRawRowsWithFilterNone() throws {
        let pixels: [UInt8] = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]  // 2×3 gray+alpha
        let png = try PNGEncoder.encode(pixels, width: 2, height: 3, channels: 2, filter: .fixed(.none))
        let idat = try #require(chunks(png).first { $0.type == "IDAT" })
        #expect(try Zlib.decompress(idat.data) == [0, 1, 2, 3, 4, 0, 5, 6, 7, 8, 0, 9, 10, 11, 12])
        #expect(chunks(png)[0].data[9] == 4)  // colour type 4 = gray+alpha
    }

    @Test(arguments: [1, 2, 3, 4])
    func everyFilterAndTheAdaptiveChoiceDecodeBackToThePixels(channels: Int) throws {
        let (w, h) = (13, 6)
        let pixels = noisyImage(width: w, height: h, channels: channels)
        let strategies: [PNGEncoder.FilterStrategy] = PNGEncoder.Filter.allCases.map { .fixed($0) } + [.adaptive]
        for strategy in strategies {
            let png = try PNGEncoder.encode(pixels, width: w, height: h, channels: channels, filter: strategy)
            let idat = try #require(chunks(png).first { $0.type == "IDAT" })
            let raw = try Zlib.decompress(idat.data)
            #expect(raw.count == (w * channels + 1) * h)
            if case .fixed(let f) = strategy {
                #expect((0..<h).allSatisfy { raw[$0 * (w * channels + 1)] == f.rawValue })
            }
            #expect(unfilter(raw, rowBytes: w * channels, height: h, bpp: channels) == pixels, "\(strategy)")
        }
    }

    @Test func adaptiveFilteringPicksSubForTheFirstRowOfARampAndUpForRepeatedRows() throws {
        let (w, h) = (32, 4)
        let pixels = (0..<(w * h)).map { UInt8($0 % w * 5) }
        let raw = pixels.withUnsafeBufferPointer {
            PNGEncoder.filterScanlines($0, rowBytes: w, height: h, bytesPerPixel: 1, strategy: .adaptive)
        }
        #expect((0..<h).map { raw[$0 * (w + 1)] } == [1, 2, 2, 2])
    }

    @Test func paethPredictorPrefersLeftThenAboveOnTies() {
        #expect(PNGEncoder.paethPredictor(10, 10, 10) == 10)
        #expect(PNGEncoder.paethPredictor(1, 5, 3) == 3)  // p = 3: pa 2, pb 2, pc 0
        #expect(PNGEncoder.paethPredictor(100, 0, 0) == 100)  // p = 100 = left
        #expect(PNGEncoder.paethPredictor(0, 100, 0) == 100)  // p = 100 = above
        #expect(PNGEncoder.paethPredictor(50, 60, 55) == 55)  // p = 55 = upper-left
        #expect(PNGEncoder.paethPredictor(7, 7, 0) == 7)  // pa = pb: left wins
    }

    @Test func colourTypesFollowThePNGSpecification() throws {
        #expect(try [1, 2, 3, 4].map { try PNGEncoder.colorType(channels: $0) } == [0, 4, 2, 6])
    }

    @Test func wrongSampleCountChannelsOrSizeAreErrorsThatNameTheShape() {
        #expect(throws: PNGEncoder.Error.self) { try PNGEncoder.encode([0, 0, 0], width: 2, height: 2, channels: 1) }
        #expect(throws: PNGEncoder.Error.self) { try PNGEncoder.encode([0], width: 1, height: 1, channels: 5) }
        #expect(throws: PNGEncoder.Error.self) { try PNGEncoder.encode([], width: 0, height: 1, channels: 1) }
        do {
            _ = try PNGEncoder.encode([0, 0, 0], width: 2, height: 2, channels: 1)
        } catch {
            #expect("\(error)".contains("2×2") && "\(error)".contains("needs 4"))
        }
    }

    @Test func floatPixelsScaleByTwoHundredFiftyFiveRoundClampAndMapNaNToZero() {
        #expect(
            PixelScaling.bytes([0, 1, 0.5, -3, 7, .nan, .infinity, 1.0 / 255]) == [0, 255, 128, 0, 255, 0, 255, 1])
    }
}
