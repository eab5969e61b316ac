import CZlib

/// gzip (RFC 1952) through zlib, for whole buffers. Used for MNIST `.gz` files and archives.
public enum GZip {
    /// An error from zlib, with the step that failed and zlib's own message.
    public struct Error: Swift.Error, CustomStringConvertible {
        /// What failed ("inflate", "deflate", ...) and why.
        public let description: String
    }

    /// Decompresses a gzip stream (or several concatenated members), checking its CRC-32 and size.
    public static func decompress(_ input: [UInt8]) throws -> [UInt8] {
        var stream = z_stream()
        // 16 + MAX_WBITS: expect a gzip header.
        guard inflateInit2_(&stream, 16 + 15, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Error(description: "inflateInit2 failed")
        }
        defer { inflateEnd(&stream) }
        var output = [UInt8]()
        output.reserveCapacity(max(input.count * 4, 1024))
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
                    // Another gzip member may follow.
                    if stream.avail_in == 0 { return }
                    guard inflateReset(&stream) == Z_OK else {
                        throw Error(description: "inflateReset failed")
                    }
                    continue
                }
                if status != Z_OK {
                    let message = stream.msg.map { String(cString: $0) } ?? "code \(status)"
                    throw Error(description: "gzip data is damaged: \(message)")
                }
                if stream.avail_in == 0 && produced == 0 {
                    throw Error(description: "gzip data is truncated (ends before the end of the stream)")
                }
            }
        }
        return output
    }

    /// Compresses `input` into one gzip member at the given level (0...9).
    public static func compress(_ input: [UInt8], level: Int32 = 6) throws -> [UInt8] {
        var stream = z_stream()
        guard deflateInit2_(&stream, level, Z_DEFLATED, 16 + 15, 8, Z_DEFAULT_STRATEGY,
                            zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK else {
            throw Error(description: "deflateInit2 failed")
        }
        defer { deflateEnd(&stream) }
        let bound = Int(deflateBound(&stream, UInt(input.count))) + 32
        var output = [UInt8](repeating: 0, count: bound)
        let status: Int32 = input.withUnsafeBufferPointer { inBuf in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: inBuf.baseAddress)
                stream.avail_in = UInt32(inBuf.count)
                stream.next_out = out.baseAddress
                stream.avail_out = UInt32(out.count)
                return deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw Error(description: "deflate failed (code \(status))") }
        output.removeSubrange(Int(stream.total_out)...)
        return output
    }
}
