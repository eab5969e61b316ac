import Foundation
import SystemPackage
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitArchive

/// Inflating on a second thread, ahead of the reader, gives the reader the same bytes and the
/// same failures as inflating in line.
@Suite struct ArchiveInflateAheadTests {
    static func file(_ bytes: [UInt8]) throws -> (TemporaryDirectory, FileDescriptor) {
        let dir = TemporaryDirectory()
        let path = dir.write("a.gz", bytes)
        return (dir, try FileDescriptor.open(FilePath(path), .readOnly))
    }

    /// Every read of `sizes` (cycled) until a short one; the bytes, or the error met.
    static func readAll(_ ahead: InflateAhead, sizes: [Int]) -> ([UInt8], (any Error)?) {
        var out = [UInt8]()
        var i = 0
        while true {
            var buffer = [UInt8](repeating: 0, count: sizes[i % sizes.count])
            i += 1
            do {
                let n = try buffer.withUnsafeMutableBytes { try ahead.read(into: $0) }
                out += buffer[0..<n]
                if n < buffer.count { return (out, nil) }
            } catch {
                return (out, error)
            }
        }
    }

    @Test func readsOfAnySizeAcrossManyChunksGiveTheWholeStreamAndThenTheEnd() throws {
        let sample = ArchiveGZipStreamTests.sample
        let (dir, fd) = try Self.file(try GZip.compress(sample))
        defer { try? fd.close() }
        // Chunks of 4 KiB, two in flight: reads cross chunk boundaries all the time.
        let ahead = InflateAhead(file: fd, path: dir.path + "/a.gz", chunkSize: 4096, depth: 2)
        let (bytes, error) = Self.readAll(ahead, sizes: [1, 512, 7_000, 131_072, 3])
        ahead.stop()
        #expect(error == nil)
        #expect(bytes == sample)
    }

    @Test func aTruncatedStreamFailsAfterTheBytesBeforeTheDamageAsInflatingInLineDoes() throws {
        let packed = try GZip.compress(ArchiveGZipStreamTests.sample)
        let cut = Array(packed[0..<packed.count / 2])
        let (dir, fd) = try Self.file(cut)
        defer { try? fd.close() }
        let ahead = InflateAhead(file: fd, path: dir.path + "/a.gz", chunkSize: 8192, depth: 3)
        let (bytes, error) = Self.readAll(ahead, sizes: [512])
        ahead.stop()
        // In line, 512 bytes at a time, for comparison.
        let inline = try ArchiveGZipStreamTests.pullReader(cut)
        var expected = [UInt8]()
        var inlineError: (any Error)?
        while true {
            var buffer = [UInt8](repeating: 0, count: 512)
            do {
                let n = try buffer.withUnsafeMutableBytes { try inline.read(into: $0) }
                expected += buffer[0..<n]
                if n < 512 { break }
            } catch {
                inlineError = error
                break
            }
        }
        #expect(inlineError is ZlibError)
        #expect(error is ZlibError)
        #expect("\(error.map { "\($0)" } ?? "")" == "\(inlineError.map { "\($0)" } ?? "")")
        #expect(bytes == expected)
        #expect(bytes.count > 100_000)
    }

    @Test func stoppingBeforeTheEndEndsTheThreadWithoutReadingOn() throws {
        let (dir, fd) = try Self.file(try GZip.compress(ArchiveGZipStreamTests.sample))
        defer { try? fd.close() }
        let ahead = InflateAhead(file: fd, path: dir.path + "/a.gz", chunkSize: 1024, depth: 1)
        var buffer = [UInt8](repeating: 0, count: 100)
        #expect(try buffer.withUnsafeMutableBytes { try ahead.read(into: $0) } == 100)
        #expect(buffer == Array(ArchiveGZipStreamTests.sample[0..<100]))
        ahead.stop()  // returns: the thread, blocked on a full queue, saw the stop
    }
}
