import CZlib

/// zlib (RFC 1950) streams and zlib's CRC-32, for PNG: an IDAT payload is one zlib stream and
/// every PNG chunk ends with a CRC-32 (ISO 3309, the zlib one, not the CRC32C of event records).
enum Zlib {
    /// An error from zlib, with the step that failed and zlib's own message.
    struct Error: Swift.Error, CustomStringConvertible {
        /// What failed and why.
        let description: String
    }

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
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 15, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Error(description: "zlib deflateInit2 failed (level \(level))")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 16
        var output = [UInt8](repeating: 0, count: bound)
        let status: Int32 = output.withUnsafeMutableBufferPointer { out in
            stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress?.assumingMemoryBound(to: Bytef.self))
            stream.avail_in = UInt32(input.count)
            stream.next_out = out.baseAddress
            stream.avail_out = UInt32(out.count)
            return deflate(&stream, Z_FINISH)
        }
        guard status == Z_STREAM_END else {
            throw Error(description: "zlib deflate failed (code \(status)) on \(input.count) bytes")
        }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }

    /// Inflates one zlib stream, checking its Adler-32; trailing bytes after the stream are an error.
    static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        guard inflateInit2_(&stream, 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Error(description: "zlib inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        try input.withUnsafeBufferPointer { inBuf in
            stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
            stream.avail_in = UInt32(inBuf.count)
            while true {
                let status: Int32 = chunk.withUnsafeMutableBufferPointer { out in
                    stream.next_out = out.baseAddress
                    stream.avail_out = UInt32(out.count)
                    return inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                output.append(contentsOf: chunk[0..<produced])
                if status == Z_STREAM_END {
                    guard stream.avail_in == 0 else {
                        throw Error(description: "zlib stream is followed by \(stream.avail_in) stray bytes")
                    }
                    return
                }
                guard status == Z_OK else {
                    let message = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                    throw Error(description: "zlib data is damaged: \(message)")
                }
                if stream.avail_in == 0 && produced == 0 {
                    throw Error(description: "zlib data is truncated (ends before the end of the stream)")
                }
            }
        }
        return output
    }
}
