import CZlib

/// The two wrappings of deflate data that TBKit reads and writes.
package enum DeflateFormat: Sendable {
    /// RFC 1952: a gzip header and a CRC-32 trailer (`.gz`, `.tar.gz`).
    case gzip
    /// RFC 1950: a 2-byte header and an Adler-32 trailer (PNG's IDAT).
    case zlib

    /// zlib's `windowBits`: 15 (32 KiB window), plus 16 for a gzip wrapper.
    var windowBits: Int32 { self == .gzip ? 16 + 15 : 15 }
}

/// The `z_stream` lifecycle every stream type here shares: allocated and initialized for deflate
/// or inflate (freed again when zlib refuses), then ended and freed exactly once.
enum ZStreamLifecycle {
    /// A stream ready to deflate at `level` with zlib's `windowBits` (negative: raw deflate).
    static func makeDeflate(level: Int32, windowBits: Int32) throws(ZlibError) -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = deflateInit2_(
            stream, level, Z_DEFLATED, windowBits, 8, Z_DEFAULT_STRATEGY, zlibVersion(),
            Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            free(stream)
            throw ZlibError(description: "deflateInit2 failed (code \(status)); the level must be 0...9")
        }
        return stream
    }

    /// A stream ready to inflate data of zlib's `windowBits`.
    static func makeInflate(windowBits: Int32) throws(ZlibError) -> UnsafeMutablePointer<z_stream> {
        let stream = UnsafeMutablePointer<z_stream>.allocate(capacity: 1)
        stream.initialize(to: z_stream())
        let status = inflateInit2_(stream, windowBits, zlibVersion(), Int32(MemoryLayout<z_stream>.size))
        guard status == Z_OK else {
            free(stream)
            throw ZlibError(description: "inflateInit2 failed (code \(status))")
        }
        return stream
    }

    /// Ends a deflating stream and frees it.
    static func endDeflate(_ stream: UnsafeMutablePointer<z_stream>) {
        deflateEnd(stream)
        free(stream)
    }

    /// Ends an inflating stream and frees it.
    static func endInflate(_ stream: UnsafeMutablePointer<z_stream>) {
        inflateEnd(stream)
        free(stream)
    }

    private static func free(_ stream: UnsafeMutablePointer<z_stream>) {
        stream.deinitialize(count: 1)
        stream.deallocate()
    }
}

/// Streaming deflate through zlib, in a gzip or a zlib wrapper: memory stays flat whatever the
/// input size.
///
/// A gzip header from zlib has no file name and a zero timestamp, so the same input always gives
/// the same bytes at the same level. Feed chunks with `compress(_:into:)`, then call
/// `finish(into:)` exactly once; every produced chunk is handed to the sink closure, which must
/// consume it before returning (the memory is reused).
package final class DeflateStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    private var finished = false

    /// Total bytes handed to the sink so far.
    package private(set) var compressedCount: UInt64 = 0

    /// Starts a gzip member or a bare zlib (RFC 1950) stream, as PNG's IDAT holds, at `level`
    /// (0 = store ... 9 = smallest; 6 is zlib's default).
    package init(level: Int32 = 6, chunkSize: Int = 1 << 17, format: DeflateFormat) throws(ZlibError) {
        stream = try ZStreamLifecycle.makeDeflate(level: level, windowBits: format.windowBits)
        output = [UInt8](repeating: 0, count: max(chunkSize, 1024))
    }

    deinit { ZStreamLifecycle.endDeflate(stream) }

    /// Compresses `input`, passing any output zlib has ready to `sink`.
    package func compress(
        _ input: UnsafeRawBufferPointer,
        into sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard !finished else { throw ZlibError(description: "deflate stream used after finish()") }
        guard let base = input.baseAddress, input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            // avail_in is 32-bit: feed at most 1 GiB at a time.
            let take = min(input.count - offset, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: base.advanced(by: offset).assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = UInt32(take)
            try run(flush: Z_NO_FLUSH, into: sink)
            offset += take
        }
    }

    /// Ends the stream (the gzip trailer with CRC-32 and size, or zlib's Adler-32) and hands out
    /// the last bytes.
    package func finish(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        guard !finished else { return }
        stream.pointee.next_in = nil
        stream.pointee.avail_in = 0
        try run(flush: Z_FINISH, into: sink)
        finished = true
    }

    private func run(flush: Int32, into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        while true {
            let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                let status = deflate(stream, flush)
                return (status, out.count - Int(stream.pointee.avail_out))
            }
            if produced > 0 {
                try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
                compressedCount += UInt64(produced)
            }
            switch status {
            case Z_STREAM_END:
                return
            case Z_OK, Z_BUF_ERROR:
                // More output pending only when the buffer came back full.
                if flush == Z_NO_FLUSH && stream.pointee.avail_in == 0 && stream.pointee.avail_out > 0 { return }
                if status == Z_BUF_ERROR && produced == 0 {
                    throw ZlibError(description: "deflate made no progress (code \(status))")
                }
            default:
                throw ZlibError(description: "deflate failed (code \(status))")
            }
        }
    }
}

/// Streaming inflate through zlib, checking each gzip member's CRC-32 and length (or a zlib
/// stream's Adler-32).
///
/// Feed compressed chunks with `decompress(_:into:)`; after the last chunk call `finish()`, which
/// throws if the data ended inside a member (truncation). Concatenated members are accepted, as
/// gzip(1) does. Errors say how many compressed bytes had been consumed when zlib gave up.
package final class InflateStream {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8]
    /// True between the end of one member and the first byte of the next (or the end of input).
    private var atMemberBoundary = false
    private var sawInput = false

    /// Compressed bytes consumed so far (an offset into the `.gz` file).
    package private(set) var compressedOffset: UInt64 = 0
    /// Decompressed bytes produced so far.
    package private(set) var decompressedCount: UInt64 = 0

    /// Prepares to read gzip members, or zlib (RFC 1950) streams; `chunkSize` bounds each piece
    /// handed to the sink.
    package init(chunkSize: Int = 1 << 17, format: DeflateFormat) throws(ZlibError) {
        stream = try ZStreamLifecycle.makeInflate(windowBits: format.windowBits)
        output = [UInt8](repeating: 0, count: max(chunkSize, 1024))
    }

    deinit { ZStreamLifecycle.endInflate(stream) }

    /// Decompresses `input`, passing the output to `sink` chunk by chunk.
    package func decompress(
        _ input: UnsafeRawBufferPointer,
        into sink: (UnsafeRawBufferPointer) throws -> Void
    ) throws {
        guard let base = input.baseAddress, input.count > 0 else { return }
        var offset = 0
        while offset < input.count {
            let take = min(input.count - offset, 1 << 30)
            stream.pointee.next_in = UnsafeMutablePointer(
                mutating: base.advanced(by: offset).assumingMemoryBound(to: UInt8.self))
            stream.pointee.avail_in = UInt32(take)
            try drain(into: sink)
            offset += take
        }
    }

    /// Declares the end of input: throws if the stream stopped inside a member or held nothing.
    package func finish() throws(ZlibError) {
        guard sawInput else {
            throw ZlibError(description: "gzip data is empty (no gzip member at all)")
        }
        guard atMemberBoundary else {
            throw ZlibError(
                description:
                    "gzip data is truncated: it ends inside a compressed member after \(compressedOffset) bytes")
        }
    }

    private func drain(into sink: (UnsafeRawBufferPointer) throws -> Void) throws {
        while stream.pointee.avail_in > 0 {
            sawInput = true
            if atMemberBoundary {
                guard inflateReset(stream) == Z_OK else { throw ZlibError(description: "inflateReset failed") }
                atMemberBoundary = false
            }
            let before = stream.pointee.avail_in
            let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                let status = inflate(stream, Z_NO_FLUSH)
                return (status, out.count - Int(stream.pointee.avail_out))
            }
            compressedOffset += UInt64(before - stream.pointee.avail_in)
            if produced > 0 {
                decompressedCount += UInt64(produced)
                try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
            }
            switch status {
            case Z_STREAM_END:
                atMemberBoundary = true
            case Z_OK:
                continue
            case Z_BUF_ERROR where produced == 0 && before == stream.pointee.avail_in:
                throw ZlibError(description: "inflate made no progress at compressed byte \(compressedOffset)")
            case Z_BUF_ERROR:
                continue
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)"
                throw ZlibError(description: "gzip data is damaged at compressed byte \(compressedOffset): \(message)")
            }
        }
        // Input consumed; zlib may still hold output when the last call filled the buffer.
        while !atMemberBoundary {
            let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
                stream.pointee.next_out = out.baseAddress
                stream.pointee.avail_out = UInt32(out.count)
                let status = inflate(stream, Z_NO_FLUSH)
                return (status, out.count - Int(stream.pointee.avail_out))
            }
            if produced > 0 {
                decompressedCount += UInt64(produced)
                try output.withUnsafeBytes { try sink(UnsafeRawBufferPointer(rebasing: $0[0..<produced])) }
            }
            if status == Z_STREAM_END {
                atMemberBoundary = true
                break
            }
            if status == Z_BUF_ERROR || produced == 0 { break }
            if status != Z_OK {
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)"
                throw ZlibError(description: "gzip data is damaged at compressed byte \(compressedOffset): \(message)")
            }
        }
    }
}

/// Pull-style gzip decompression: `read(into:)` fills the caller's buffer, pulling compressed
/// bytes from `source` only when zlib needs them, so memory is one input chunk whatever the ratio.
///
/// `source` fills the buffer it is given as far as it can and returns the count (0 = end of
/// file). `read` returns fewer bytes than asked only at the clean end of the last member; input
/// that ends inside a member is an error, never a silent short read.
package final class InflateReader {
    private let stream: UnsafeMutablePointer<z_stream>
    private let input: UnsafeMutableRawBufferPointer
    private let source: (UnsafeMutableRawBufferPointer) throws -> Int
    private var atMemberBoundary = false
    private var sourceEnded = false
    private var sawInput = false

    /// Compressed bytes consumed so far (an offset into the `.gz` file).
    package private(set) var compressedOffset: UInt64 = 0
    /// Decompressed bytes handed out so far.
    package private(set) var decompressedCount: UInt64 = 0

    /// A reader of `format` data pulling up to `chunkSize` compressed bytes at a time from `source`.
    package init(
        chunkSize: Int = 1 << 16, format: DeflateFormat,
        source: @escaping (UnsafeMutableRawBufferPointer) throws -> Int
    ) throws(ZlibError) {
        stream = try ZStreamLifecycle.makeInflate(windowBits: format.windowBits)
        input = .allocate(byteCount: max(chunkSize, 512), alignment: 16)
        self.source = source
    }

    deinit {
        ZStreamLifecycle.endInflate(stream)
        input.deallocate()
    }

    /// Fills `output` with decompressed bytes; returns less than `output.count` only at the end.
    package func read(into output: UnsafeMutableRawBufferPointer) throws -> Int {
        let (count, failure) = readUpToFailure(into: output)
        if let failure { throw failure }
        return count
    }

    /// `read(into:)` that, when it fails, also says how many bytes it put in `output` before the
    /// failure (they are good: deflate data is checked as it is inflated).
    package func readUpToFailure(into output: UnsafeMutableRawBufferPointer) -> (count: Int, failure: (any Error)?) {
        var produced = 0
        do {
            try fill(output, &produced)
            return (produced, nil)
        } catch {
            decompressedCount += UInt64(produced)
            return (produced, error)
        }
    }

    private func fill(_ output: UnsafeMutableRawBufferPointer, _ produced: inout Int) throws {
        guard let outBase = output.baseAddress else { return }
        while produced < output.count {
            if stream.pointee.avail_in == 0 {
                if sourceEnded { break }
                let got = try source(input)
                if got == 0 {
                    sourceEnded = true
                    break
                }
                sawInput = true
                stream.pointee.next_in = input.baseAddress?.assumingMemoryBound(to: UInt8.self)
                stream.pointee.avail_in = UInt32(got)
            }
            if atMemberBoundary {
                // Another member follows (gzip allows concatenation).
                guard inflateReset(stream) == Z_OK else { throw ZlibError(description: "inflateReset failed") }
                atMemberBoundary = false
            }
            let inBefore = stream.pointee.avail_in
            let want = output.count - produced
            stream.pointee.next_out = (outBase + produced).assumingMemoryBound(to: UInt8.self)
            stream.pointee.avail_out = UInt32(min(want, Int(UInt32.max)))
            let status = inflate(stream, Z_NO_FLUSH)
            let made = min(want, Int(UInt32.max)) - Int(stream.pointee.avail_out)
            produced += made
            compressedOffset += UInt64(inBefore - stream.pointee.avail_in)
            switch status {
            case Z_STREAM_END:
                atMemberBoundary = true
            case Z_OK:
                continue
            case Z_BUF_ERROR where made > 0 || inBefore != stream.pointee.avail_in:
                continue
            case Z_BUF_ERROR:
                throw ZlibError(
                    description: "gzip data is damaged at compressed byte \(compressedOffset): inflate made no progress"
                )
            default:
                let message = stream.pointee.msg.map { String(cString: $0) } ?? "code \(status)"
                throw ZlibError(description: "gzip data is damaged at compressed byte \(compressedOffset): \(message)")
            }
        }
        if produced < output.count {
            guard sawInput else { throw ZlibError(description: "gzip data is empty (no gzip member at all)") }
            guard atMemberBoundary else {
                throw ZlibError(
                    description:
                        "gzip data is truncated: the file ends inside a compressed member after \(compressedOffset) bytes"
                )
            }
        }
        decompressedCount += UInt64(produced)
    }
}
