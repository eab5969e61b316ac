import TBKit

/// gzip (RFC 1952) for whole buffers: small archives, tests. It is TBKit's zlib wrapper with a
/// gzip header and trailer; `DeflateStream` and `InflateReader` stream the `.tar.gz` files.
package enum GZip {
    /// An error from zlib, with the step that failed and zlib's own message.
    package typealias Error = ZlibError

    /// Decompresses a gzip stream (or several concatenated members), checking its CRC-32 and size.
    package static func decompress(_ input: [UInt8]) throws(ZlibError) -> [UInt8] {
        try Zlib.decompress(input, format: .gzip)
    }

    /// Compresses `input` into one gzip member at the given level (0...9).
    package static func compress(_ input: [UInt8], level: Int32 = 6) throws(ZlibError) -> [UInt8] {
        let packed = input.withUnsafeBytes { raw in
            Result { () throws(ZlibError) in try Zlib.compress(raw, level: level, format: .gzip) }
        }
        return try packed.get()
    }
}
