import CZlib

/// zlib (RFC 1950) streams and zlib's CRC-32, for PNG: an IDAT payload is one zlib stream and
/// every PNG chunk ends with a CRC-32 (ISO 3309, the zlib one, not the CRC32C of event records).
enum Zlib {
    /// CRC-32 (polynomial 0xEDB88320, reflected) of `bytes`, continuing from `crc` (0 to start).
    static func crc32(_ bytes: UnsafeRawBufferPointer, continuing crc: UInt32 = 0) -> UInt32 {
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

    /// Compresses `input` into one zlib stream (2-byte header, deflate data, Adler-32) at `level`.
    static func compress(_ input: UnsafeRawBufferPointer, level: Int32) throws -> [UInt8] {
        try GZip.deflate(input, level: level, format: .zlib)
    }

    /// Inflates zlib data, checking its Adler-32.
    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        try GZip.inflate(input, format: .zlib)
    }
}
