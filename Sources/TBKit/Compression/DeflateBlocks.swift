import CZlib

/// Raw deflate of independent blocks, for one gzip member assembled from blocks compressed on
/// several threads (as pigz does).
///
/// Each block is compressed from a fresh state (no dictionary from the block before) and ends
/// with a sync flush, so it stops on a byte boundary with no final-block bit: blocks compressed
/// apart and laid end to end are one valid deflate stream. `GZipMemberAssembly` supplies the
/// header, the closing empty final block and the trailer (CRC-32 combined over the blocks, and
/// the size). The same block at the same level always gives the same bytes. One compressor per
/// thread: it is not thread-safe.
package final class DeflateBlockCompressor {
    private let stream: UnsafeMutablePointer<z_stream>
    private var output: [UInt8] = []

    /// A compressor at `level` (0 = store ... 9 = smallest).
    package init(level: Int32) throws(ZlibError) {
        // Raw deflate (negative windowBits): the gzip wrapper is written once around all blocks.
        stream = try ZStreamLifecycle.makeDeflate(level: level, windowBits: -15)
    }

    deinit { ZStreamLifecycle.endDeflate(stream) }

    /// The raw deflate bytes of `block` (at most 1 GiB), ending with a sync flush; empty input
    /// gives no bytes.
    package func compress(_ block: UnsafeRawBufferPointer) throws(ZlibError) -> [UInt8] {
        guard let base = block.baseAddress, block.count > 0 else { return [] }
        guard block.count <= 1 << 30 else { throw ZlibError(description: "deflate block larger than 1 GiB") }
        guard deflateReset(stream) == Z_OK else { throw ZlibError(description: "deflateReset failed") }
        // The bound covers a finished stream; a sync flush adds at most a few bytes beyond it.
        let capacity = Int(deflateBound(stream, UInt(block.count))) + 16
        if output.count < capacity { output = [UInt8](repeating: 0, count: capacity) }
        stream.pointee.next_in = UnsafeMutablePointer(mutating: base.assumingMemoryBound(to: UInt8.self))
        stream.pointee.avail_in = UInt32(block.count)
        let (status, produced) = output.withUnsafeMutableBufferPointer { out -> (Int32, Int) in
            stream.pointee.next_out = out.baseAddress
            stream.pointee.avail_out = UInt32(out.count)
            let status = deflate(stream, Z_SYNC_FLUSH)
            return (status, out.count - Int(stream.pointee.avail_out))
        }
        guard status == Z_OK, stream.pointee.avail_in == 0, stream.pointee.avail_out > 0 else {
            throw ZlibError(description: "deflate of a \(block.count)-byte block failed (code \(status))")
        }
        return Array(output[0..<produced])
    }
}

/// The frame of one gzip member (RFC 1952) around deflate blocks compressed apart.
package enum GZipMemberAssembly {
    /// A gzip header with no name and a zero time (deterministic), as zlib writes it: XFL says
    /// "best" at level 9 and "fastest" at level 1 or less, OS is Unix.
    package static func header(level: Int32) -> [UInt8] {
        let xfl: UInt8 = level == 9 ? 2 : (level < 2 ? 4 : 0)
        return [0x1F, 0x8B, 0x08, 0x00, 0x00, 0x00, 0x00, 0x00, xfl, 0x03]
    }

    /// An empty final fixed-Huffman block: ends the deflate stream after sync-flushed blocks.
    package static let finalBlock: [UInt8] = [0x03, 0x00]

    /// CRC-32 (gzip's) and ISIZE (the size modulo 2^32), little-endian.
    package static func trailer(crc: UInt32, size: UInt64) -> [UInt8] {
        let isize = UInt32(truncatingIfNeeded: size)
        return withUnsafeBytes(of: crc.littleEndian) { Array($0) }
            + withUnsafeBytes(of: isize.littleEndian) { Array($0) }
    }

    /// gzip's CRC-32 of `bytes`.
    package static func crc32(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
        var crc = CZlib.crc32(0, nil, 0)
        var rest = bytes
        while let base = rest.baseAddress, rest.count > 0 {
            let take = min(rest.count, 1 << 30)
            crc = CZlib.crc32(crc, base.assumingMemoryBound(to: UInt8.self), UInt32(take))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
        }
        return UInt32(truncatingIfNeeded: crc)
    }

    /// The CRC-32 of A followed by B, from the CRC-32 of each and B's length.
    package static func combine(_ a: UInt32, _ b: UInt32, lengthOfB: Int) -> UInt32 {
        UInt32(truncatingIfNeeded: crc32_combine(UInt(a), UInt(b), Int(lengthOfB)))
    }
}
