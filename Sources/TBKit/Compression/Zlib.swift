import CZlib

/// An error from zlib, with the step that failed and zlib's own message.
package struct ZlibError: Error, CustomStringConvertible {
    /// What failed ("inflate", "deflate", ...), where in the compressed data, and why.
    package let description: String

    /// An error saying `description`.
    package init(description: String) {
        self.description = description
    }
}

/// TBKit's one wrapper of zlib, for whole buffers: PNG's IDAT (a zlib stream) and chunk CRC-32,
/// MNIST's `.gz` files, and the archive target's gzip layer (which reaches it through `package`
/// access). The streaming types (`DeflateStream`, `InflateStream`, `InflateReader`) do the work.
package enum Zlib {
    /// CRC-32 (polynomial 0xEDB88320, reflected; ISO 3309, the zlib one, not the CRC32C of event
    /// records) of `bytes`, continuing from `crc` (0 to start).
    package static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
        guard let base = bytes.baseAddress, bytes.count > 0 else { return crc }
        var result = UInt(crc)
        var offset = 0
        // zlib's length argument is a 32-bit uInt: feed very large buffers in pieces.
        while offset < bytes.count {
            let n = min(bytes.count - offset, 1 << 30)
            result = CZlib.crc32(result, base.advanced(by: offset).assumingMemoryBound(to: Bytef.self), uInt(n))
            offset += n
        }
        return UInt32(truncatingIfNeeded: result)
    }

    /// Compresses `input` into one stream of `format` (a zlib stream by default: 2-byte header,
    /// deflate data, Adler-32) at `level` (0...9).
    package static func compress(
        _ input: UnsafeRawBufferPointer, level: Int32, format: DeflateFormat = .zlib
    ) throws(ZlibError) -> [UInt8] {
        let compressor = try DeflateStream(level: level, chunkSize: 1 << 16, format: format)
        var output = [UInt8]()
        do {
            try compressor.compress(input) { output.append(contentsOf: $0) }
            try compressor.finish { output.append(contentsOf: $0) }
        } catch let error as ZlibError {
            throw error
        } catch {
            // The sinks above never throw; zlib's own failures are ZlibErrors.
            throw ZlibError(description: "deflate failed: \(error)")
        }
        return output
    }

    /// Inflates a whole buffer of `format` data (a zlib stream by default), checking its
    /// checksum; gzip data may hold several concatenated members.
    package static func decompress(_ input: [UInt8], format: DeflateFormat = .zlib) throws(ZlibError) -> [UInt8] {
        let decompressor = try InflateStream(chunkSize: 1 << 16, format: format)
        var output = [UInt8]()
        output.reserveCapacity(input.count * 4)
        do {
            try input.withUnsafeBytes { raw in
                try decompressor.decompress(raw) { output.append(contentsOf: $0) }
            }
        } catch let error as ZlibError {
            throw error
        } catch {
            throw ZlibError(description: "inflate failed: \(error)")
        }
        try decompressor.finish()
        return output
    }
}
