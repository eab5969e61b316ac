/// Encodes 8-bit images as PNG (ISO/IEC 15948): the format TensorBoard's images dashboard shows.
///
/// Supports gray (1 channel), gray+alpha (2), RGB (3) and RGBA (4) at 8 bits a sample, no
/// interlacing. Each scanline gets one of the five PNG filters (by default the one with the
/// smallest sum of absolute signed bytes, the heuristic the PNG specification recommends), then
/// the filtered scanlines are deflated as one zlib stream in a single IDAT chunk. Chunk CRCs are
/// zlib's CRC-32 over the chunk type and data.
///
/// ```swift
/// let png = try PNGEncoder.encode(pixels, width: 28, height: 28, channels: 1)
/// ```
package enum PNGEncoder {
    /// The eight bytes every PNG file starts with.
    package static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    /// A PNG scanline filter (filter method 0); the raw value is the filter-type byte.
    package enum Filter: UInt8, Sendable, CaseIterable {
        /// The bytes as they are.
        case none = 0
        /// Difference from the byte one pixel to the left.
        case sub = 1
        /// Difference from the byte above.
        case up = 2
        /// Difference from the floor of the mean of left and above.
        case average = 3
        /// Difference from the Paeth predictor of left, above and upper-left.
        case paeth = 4
    }

    /// How scanlines are filtered: one filter for every row, or the best of the five per row.
    package enum FilterStrategy: Sendable, Equatable {
        /// The same filter on every scanline.
        case fixed(Filter)
        /// Per scanline, the filter whose output has the smallest sum of |signed byte|.
        case adaptive
    }

    /// Why an image cannot be encoded.
    package enum Error: Swift.Error, CustomStringConvertible {
        /// Channels must be 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA).
        case unsupportedChannels(Int)
        /// Width and height must be 1...2³¹−1.
        case invalidSize(width: Int, height: Int)
        /// The pixel buffer does not hold width × height × channels bytes.
        case pixelCountMismatch(expected: Int, actual: Int, width: Int, height: Int, channels: Int)
        /// zlib failed (out of memory, usually).
        case compressionFailed(String)

        /// What went wrong and what to do.
        package var description: String {
            switch self {
            case .unsupportedChannels(let c):
                return "PNG: \(c) channels are not supported; pass 1 (gray), 2 (gray+alpha), 3 (RGB) or 4 (RGBA)"
            case .invalidSize(let w, let h):
                return "PNG: image size \(w)×\(h) is invalid; width and height must be between 1 and 2147483647"
            case .pixelCountMismatch(let expected, let actual, let w, let h, let c):
                return
                    "PNG: a \(w)×\(h) image with \(c) channels needs \(expected) samples (row-major, channels interleaved) but got \(actual)"
            case .compressionFailed(let message):
                return "PNG: compression failed: \(message)"
            }
        }
    }

    /// The PNG colour type for a channel count: 0 gray, 4 gray+alpha, 2 RGB, 6 RGBA.
    package static func colorType(channels: Int) throws -> UInt8 {
        switch channels {
        case 1: return 0
        case 2: return 4
        case 3: return 2
        case 4: return 6
        default: throw Error.unsupportedChannels(channels)
        }
    }

    /// Encodes row-major, channel-interleaved 8-bit samples as a complete PNG file.
    package static func encode(
        _ pixels: [UInt8], width: Int, height: Int, channels: Int,
        filter: FilterStrategy = .adaptive, compressionLevel: Int = 6
    ) throws -> [UInt8] {
        try pixels.withUnsafeBufferPointer {
            try encode(
                $0, width: width, height: height, channels: channels, filter: filter,
                compressionLevel: compressionLevel)
        }
    }

    /// Encodes row-major, channel-interleaved 8-bit samples as a complete PNG file. Out of line:
    /// it runs once per image, and its callers are many.
    @inline(never)
    package static func encode(
        _ pixels: UnsafeBufferPointer<UInt8>, width: Int, height: Int, channels: Int,
        filter: FilterStrategy = .adaptive, compressionLevel: Int = 6
    ) throws -> [UInt8] {
        let colorType = try colorType(channels: channels)
        let rowBytes = try checkedRowBytes(width: width, height: height, channels: channels)
        let expected = rowBytes * height
        guard pixels.count == expected else {
            throw Error.pixelCountMismatch(
                expected: expected, actual: pixels.count, width: width,
                height: height, channels: channels)
        }
        let scanlines = filterScanlines(
            pixels, rowBytes: rowBytes, height: height,
            bytesPerPixel: channels, strategy: filter)
        let idat: [UInt8]
        do {
            idat = try scanlines.withUnsafeBytes {
                try Zlib.compress($0, level: Int32(max(0, min(9, compressionLevel))))
            }
        } catch {
            throw Error.compressionFailed("\(error)")
        }

        var png = [UInt8]()
        png.reserveCapacity(signature.count + 25 + idat.count + 12 + 12)
        png.append(contentsOf: signature)
        var ihdr = [UInt8]()
        ihdr.reserveCapacity(13)
        appendBigEndian(UInt32(width), to: &ihdr)
        appendBigEndian(UInt32(height), to: &ihdr)
        ihdr.append(contentsOf: [8, colorType, 0, 0, 0])  // depth 8, deflate, filter method 0, no interlace
        appendChunk("IHDR", ihdr, to: &png)
        appendChunk("IDAT", idat, to: &png)
        appendChunk("IEND", [], to: &png)
        return png
    }

    /// Bytes per scanline (without the filter byte), checked for overflow of the whole image.
    static func checkedRowBytes(width: Int, height: Int, channels: Int) throws -> Int {
        let limit = Int(Int32.max)
        guard (1...limit).contains(width), (1...limit).contains(height) else {
            throw Error.invalidSize(width: width, height: height)
        }
        let (row, o1) = width.multipliedReportingOverflow(by: channels)
        let (total, o2) = (row + 1).multipliedReportingOverflow(by: height)
        guard !o1, !o2, total < Int(UInt32.max) else { throw Error.invalidSize(width: width, height: height) }
        return row
    }

    /// The filtered image data that IDAT compresses: per scanline, the filter-type byte and then
    /// the filtered bytes. Exposed inside the module so tests can check a decoder's view of it.
    static func filterScanlines(
        _ pixels: UnsafeBufferPointer<UInt8>, rowBytes: Int, height: Int,
        bytesPerPixel bpp: Int, strategy: FilterStrategy
    ) -> [UInt8] {
        let stride = rowBytes + 1
        var out = [UInt8](repeating: 0, count: stride * height)
        // Scratch for the five candidates of one row in adaptive mode, and a zero "previous row".
        var scratch = [UInt8](repeating: 0, count: strategy == .adaptive ? rowBytes * 5 : 0)
        let zeros = [UInt8](repeating: 0, count: rowBytes)
        guard let src = pixels.baseAddress else { return out }
        out.withUnsafeMutableBufferPointer { outBuf in
            scratch.withUnsafeMutableBufferPointer { scratchBuf in
                zeros.withUnsafeBufferPointer { zeroBuf in
                    guard let dstBase = outBuf.baseAddress, let zero = zeroBuf.baseAddress else { return }
                    for y in 0..<height {
                        let row = src + y * rowBytes
                        let prev = y == 0 ? zero : src + (y - 1) * rowBytes
                        let dst = dstBase + y * stride
                        switch strategy {
                        case .fixed(let f):
                            dst[0] = f.rawValue
                            apply(f, row: row, prev: prev, count: rowBytes, bpp: bpp, into: dst + 1)
                        case .adaptive:
                            guard let s = scratchBuf.baseAddress else { return }
                            var best = Filter.none
                            var bestCost = Int.max
                            for f in Filter.allCases {
                                let candidate = s + Int(f.rawValue) * rowBytes
                                apply(f, row: row, prev: prev, count: rowBytes, bpp: bpp, into: candidate)
                                let cost = signedAbsoluteSum(candidate, count: rowBytes, stopAbove: bestCost)
                                if cost < bestCost {
                                    bestCost = cost
                                    best = f
                                }
                            }
                            dst[0] = best.rawValue
                            (dst + 1).update(from: s + Int(best.rawValue) * rowBytes, count: rowBytes)
                        }
                    }
                }
            }
        }
        return out
    }

    /// Writes one filtered scanline: `out[i] = row[i] − predictor(left, above, upper-left)` mod 256.
    @inline(__always)
    static func apply(
        _ filter: Filter, row: UnsafePointer<UInt8>, prev: UnsafePointer<UInt8>, count: Int,
        bpp: Int, into out: UnsafeMutablePointer<UInt8>
    ) {
        switch filter {
        case .none:
            out.update(from: row, count: count)
        case .sub:
            for i in 0..<min(bpp, count) { out[i] = row[i] }
            var i = bpp
            while i < count {
                out[i] = row[i] &- row[i - bpp]
                i += 1
            }
        case .up:
            for i in 0..<count { out[i] = row[i] &- prev[i] }
        case .average:
            for i in 0..<count {
                let left = i >= bpp ? Int(row[i - bpp]) : 0
                out[i] = row[i] &- UInt8((left + Int(prev[i])) >> 1)
            }
        case .paeth:
            for i in 0..<count {
                let a = i >= bpp ? Int(row[i - bpp]) : 0
                let b = Int(prev[i])
                let c = i >= bpp ? Int(prev[i - bpp]) : 0
                out[i] = row[i] &- UInt8(paethPredictor(a, b, c))
            }
        }
    }

    /// The Paeth predictor: whichever of left, above, upper-left is closest to left + above − upper-left
    /// (ties prefer left, then above).
    @inline(__always)
    static func paethPredictor(_ a: Int, _ b: Int, _ c: Int) -> Int {
        let p = a + b - c
        let pa = abs(p - a)
        let pb = abs(p - b)
        let pc = abs(p - c)
        if pa <= pb && pa <= pc { return a }
        return pb <= pc ? b : c
    }

    /// Sum of |Int8(byte)|, giving up early once it exceeds `stopAbove`.
    @inline(__always)
    static func signedAbsoluteSum(_ p: UnsafePointer<UInt8>, count: Int, stopAbove: Int) -> Int {
        var sum = 0
        for i in 0..<count {
            sum += abs(Int(Int8(bitPattern: p[i])))
            if sum > stopAbove { return sum }
        }
        return sum
    }

    private static func appendBigEndian(_ value: UInt32, to bytes: inout [UInt8]) {
        bytes.append(UInt8(truncatingIfNeeded: value >> 24))
        bytes.append(UInt8(truncatingIfNeeded: value >> 16))
        bytes.append(UInt8(truncatingIfNeeded: value >> 8))
        bytes.append(UInt8(truncatingIfNeeded: value))
    }

    /// Appends length, type, data and CRC-32(type + data).
    private static func appendChunk(_ type: String, _ data: [UInt8], to png: inout [UInt8]) {
        appendBigEndian(UInt32(data.count), to: &png)
        let typeBytes = Array(type.utf8)
        var crc = typeBytes.withUnsafeBytes { Zlib.crc32($0) }
        crc = data.withUnsafeBytes { Zlib.crc32($0, continuing: crc) }
        png.append(contentsOf: typeBytes)
        png.append(contentsOf: data)
        appendBigEndian(crc, to: &png)
    }
}
