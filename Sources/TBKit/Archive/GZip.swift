/// gzip (RFC 1952) through zlib, for whole buffers: MNIST `.gz` files, small archives, tests.
/// The streaming types (`GZipCompressor`, `GZipDecompressor`, `GZipReader`) do the work.
public enum GZip {
    /// An error from zlib, with the step that failed and zlib's own message.
    public struct Error: Swift.Error, CustomStringConvertible {
        /// What failed ("inflate", "deflate", ...) and why.
        public let description: String
    }

    /// Decompresses a gzip stream (or several concatenated members), checking its CRC-32 and size.
    public static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        try inflate(input, format: .gzip)
    }

    /// Compresses `input` into one gzip member at the given level (0...9).
    public static func compress(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        try input.withUnsafeBytes { try deflate($0, level: level, format: .gzip) }
    }

    /// Inflates a whole buffer of `format` data.
    static func inflate(_ input: [UInt8], format: DeflateFormat) throws -> [UInt8] {
        let decompressor = try GZipDecompressor(chunkSize: 1 << 16, format: format)
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        try input.withUnsafeBytes { raw in
            try decompressor.decompress(raw) { output.append(contentsOf: $0) }
        }
        try decompressor.finish()
        return output
    }

    /// Deflates a whole buffer into one `format` stream.
    static func deflate(_ input: UnsafeRawBufferPointer, level: Int32, format: DeflateFormat) throws -> [UInt8] {
        let compressor = try GZipCompressor(level: level, chunkSize: 1 << 16, format: format)
        var output = [UInt8]()
        try compressor.compress(input) { output.append(contentsOf: $0) }
        try compressor.finish { output.append(contentsOf: $0) }
        return output
    }
}
