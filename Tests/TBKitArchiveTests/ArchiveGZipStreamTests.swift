import Testing

@testable import TBKit
@testable import TBKitArchive

@Suite struct ArchiveGZipStreamTests {
    static let sample: [UInt8] = (0..<300_000).map { UInt8(truncatingIfNeeded: ($0 &* 2_654_435_761) >> 13 & 0x3f) }

    static func streamCompress(_ input: [UInt8], chunk: Int) throws -> [UInt8] {
        let compressor = try DeflateStream(level: 6, chunkSize: 4096, format: .gzip)
        var out = [UInt8]()
        var start = 0
        while start < input.count {
            let end = min(start + chunk, input.count)
            try input[start..<end].withUnsafeBytes { try compressor.compress($0) { out.append(contentsOf: $0) } }
            start = end
        }
        try compressor.finish { out.append(contentsOf: $0) }
        return out
    }

    /// An `InflateReader` pulling `packed` from memory.
    static func pullReader(_ packed: [UInt8], chunkSize: Int = 1 << 16) throws -> InflateReader {
        final class Cursor { var offset = 0 }
        let cursor = Cursor()
        return try InflateReader(chunkSize: chunkSize, format: .gzip) { buffer in
            let n = min(buffer.count, packed.count - cursor.offset)
            packed[cursor.offset..<(cursor.offset + n)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            cursor.offset += n
            return n
        }
    }

    @Test func streamedCompressionDecompressesWithTheWholeBufferAPI() throws {
        let packed = try Self.streamCompress(Self.sample, chunk: 7_777)
        #expect(try GZip.decompress(packed) == Self.sample)
    }

    @Test func streamedCompressionIsByteIdenticalToWholeBufferCompression() throws {
        // Same level, same zlib, no timestamp in the header: chunking must not change the bytes.
        #expect(try Self.streamCompress(Self.sample, chunk: 1000) == GZip.compress(Self.sample, level: 6))
    }

    @Test func gzipHeaderHasNoTimestampAndNoName() throws {
        let packed = try Self.streamCompress([1, 2, 3], chunk: 3)
        #expect(Array(packed[4..<8]) == [0, 0, 0, 0])  // MTIME
        #expect(packed[3] & 0x08 == 0)  // FLG.FNAME clear
    }

    @Test func pushDecompressorRestoresTheInputFromSmallChunks() throws {
        let packed = try GZip.compress(Self.sample)
        let decompressor = try InflateStream(chunkSize: 1024, format: .gzip)
        var out = [UInt8]()
        var start = 0
        while start < packed.count {
            let end = min(start + 333, packed.count)
            try packed[start..<end].withUnsafeBytes { try decompressor.decompress($0) { out.append(contentsOf: $0) } }
            start = end
        }
        try decompressor.finish()
        #expect(out == Self.sample)
    }

    @Test func pullReaderRestoresTheInputAndReportsTheEnd() throws {
        let reader = try Self.pullReader(try GZip.compress(Self.sample), chunkSize: 512)
        var out = [UInt8](repeating: 0, count: Self.sample.count + 10)
        let got = try out.withUnsafeMutableBytes { try reader.read(into: $0) }
        #expect(got == Self.sample.count)
        #expect(Array(out[0..<got]) == Self.sample)
    }

    @Test func pullReaderRejectsATruncatedStream() throws {
        let reader = try Self.pullReader(Array(try GZip.compress(Self.sample).dropLast(100)))
        var out = [UInt8](repeating: 0, count: 1 << 16)
        #expect(throws: GZip.Error.self) {
            while try out.withUnsafeMutableBytes({ try reader.read(into: $0) }) == out.count {}
        }
    }

    @Test func pushDecompressorRejectsATruncatedStream() throws {
        let packed = Array(try GZip.compress(Self.sample).dropLast(5))
        let decompressor = try InflateStream(format: .gzip)
        try packed.withUnsafeBytes { try decompressor.decompress($0) { _ in } }
        #expect(throws: GZip.Error.self) { try decompressor.finish() }
    }
}
