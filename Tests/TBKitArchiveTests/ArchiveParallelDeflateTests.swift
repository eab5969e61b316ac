import Foundation
import SystemPackage
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitArchive

/// The archive's gzip member assembled from blocks deflated on several threads.
@Suite struct ArchiveParallelDeflateTests {
    /// Compressible but not trivial bytes (event-file-like: repeating structure, varying values).
    static let input: [UInt8] = {
        var out = [UInt8]()
        out.reserveCapacity(3_300_000)
        var x: UInt32 = 12345
        while out.count < 3_300_000 {
            x = x &* 1_103_515_245 &+ 12345
            out += Array("step \(out.count / 37) loss \(x >> 20)\n".utf8)
            if x & 0xFF == 7 { out += [UInt8](repeating: UInt8(x >> 24), count: Int(x >> 22)) }
        }
        return out
    }()

    static func pipelined(_ base: String, name: String, workers: Int, chunk: Int, depth: Int) throws -> [UInt8] {
        let path = base + "/" + name
        let output = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        let pipeline = CompressionPipeline(
            level: 6, output: output, path: path, chunkSize: chunk, depth: depth, workers: workers)
        // Odd write sizes, so blocks never line up with writes.
        var offset = 0
        while offset < input.count {
            let take = min(70_001, input.count - offset)
            try input[offset..<(offset + take)].withUnsafeBytes { try pipeline.write($0) }
            offset += take
        }
        let reported = try pipeline.finish()
        try output.close()
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(reported == UInt64(bytes.count))
        return bytes
    }

    @Test func theSameInputGivesTheSameBytesWhateverTheNumberOfWorkers() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let one = try Self.pipelined(base, name: "1.gz", workers: 1, chunk: 65_536, depth: 4)
        let two = try Self.pipelined(base, name: "2.gz", workers: 2, chunk: 65_536, depth: 4)
        let three = try Self.pipelined(base, name: "3.gz", workers: 3, chunk: 65_536, depth: 2)
        let again = try Self.pipelined(base, name: "2b.gz", workers: 2, chunk: 65_536, depth: 4)
        #expect(one == two && two == three && two == again)
        #expect(try GZip.decompress(two) == Self.input)
    }

    @Test func theOutputIsOneGzipMemberWithTheRightCrcAndSizeThatGzipReads() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let bytes = try Self.pipelined(base, name: "a.gz", workers: 2, chunk: 100_000, depth: 3)
        // Trailer: CRC-32 and ISIZE of the whole input.
        let crc = Self.input.withUnsafeBytes { GZipMemberAssembly.crc32($0) }
        let trailer = Array(bytes.suffix(8))
        #expect(trailer == GZipMemberAssembly.trailer(crc: crc, size: UInt64(Self.input.count)))
        #expect(Array(bytes.prefix(3)) == [0x1F, 0x8B, 0x08])
        // gzip checks the CRC and size; Python's zlib reads exactly one member with nothing after.
        let (test, testOutput) = try ArchiveTestSupport.run(["gzip", "-t", base + "/a.gz"])
        #expect(test == 0, "\(testOutput)")
        let script = """
            import sys, zlib
            data = open(sys.argv[1], 'rb').read()
            d = zlib.decompressobj(31)
            out = d.decompress(data)
            assert d.eof and d.unused_data == b'', 'not exactly one gzip member'
            print(len(out))
            """
        let (status, output) = try ArchiveTestSupport.run(["python3", "-c", script, base + "/a.gz"])
        #expect(status == 0, "\(output)")
        #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == String(Self.input.count))
    }

    @Test func anEmptyInputIsAnEmptyGzipMember() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let path = base + "/empty.gz"
        let output = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        let pipeline = CompressionPipeline(level: 6, output: output, path: path)
        try pipeline.finish()
        try output.close()
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try GZip.decompress(bytes) == [])
        #expect(try ArchiveTestSupport.run(["gzip", "-t", path]).status == 0)
    }
}

/// A whole archive whose files span several deflate blocks: the manifest's blocks, the spooled
/// blocks of the files and the trailer make one gzip member, the same bytes every time.
@Suite struct ArchiveSpooledMemberTests {
    static func makeLogdir(_ root: String) throws {
        let writer = try SummaryWriter(logdir: root + "/run-a")
        for step in 0..<40_000 {
            try writer.scalar("loss", Float(step % 977) / 977, step: step)
            try writer.scalar("accuracy", Float(step % 101) / 101, step: step)
        }
        try writer.histogram("weights", (0..<5000).map { Float($0 % 97) / 97 }, step: 3)
        try writer.close()
        // 2.5 MB that hardly compresses, in a second run directory.
        var x: UInt64 = 88_172_645_463_325_252
        let noise = (0..<2_500_000).map { _ -> UInt8 in
            x ^= x << 13
            x ^= x >> 7
            x ^= x << 17
            return UInt8(truncatingIfNeeded: x)
        }
        try ArchiveTestSupport.write(noise, to: root + "/run-b/blob.bin")
        let second = try SummaryWriter(logdir: root + "/run-b")
        try second.scalar("lr", 0.1, step: 1)
        try second.close()
    }

    @Test func aMultiBlockArchiveIsOneGzipMemberWithTheManifestFirstAndTheSameBytesEachTime() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        try Self.makeLogdir(base + "/logs")
        let summary = try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/b.tar.gz")
        let a = try Array(Data(contentsOf: URL(fileURLWithPath: base + "/a.tar.gz")))
        let b = try Array(Data(contentsOf: URL(fileURLWithPath: base + "/b.tar.gz")))
        #expect(a == b)
        #expect(summary.archiveBytes == UInt64(a.count))
        #expect(summary.contentBytes > 4 << 20, "the files must span several 1 MiB blocks")
        #expect(summary.manifest.runs?.map(\.name) == ["run-a", "run-b"])
        #expect(summary.manifest.runs?.first?.tags.first { $0.tag == "loss" }?.count == 40_000)
        // Nothing of the spool or the temporary is left beside the archive.
        #expect(try FileManager.default.contentsOfDirectory(atPath: base).sorted() == ["a.tar.gz", "b.tar.gz", "logs"])

        #expect(try ArchiveTestSupport.run(["gzip", "-t", base + "/a.tar.gz"]).status == 0)
        let script = """
            import sys, zlib
            data = open(sys.argv[1], 'rb').read()
            d = zlib.decompressobj(31)
            d.decompress(data)
            assert d.eof and d.unused_data == b'', 'not exactly one gzip member'
            """
        let (one, oneOutput) = try ArchiveTestSupport.run(["python3", "-c", script, base + "/a.tar.gz"])
        #expect(one == 0, "\(oneOutput)")
        let (listed, listing) = try ArchiveTestSupport.run(["tar", "tzf", base + "/a.tar.gz"])
        #expect(listed == 0)
        #expect(listing.split(separator: "\n").first == Substring(ArchiveManifest.memberName))
        try FileManager.default.createDirectory(atPath: base + "/gnu", withIntermediateDirectories: true)
        #expect(try ArchiveTestSupport.run(["tar", "xzf", base + "/a.tar.gz", "-C", base + "/gnu"]).status == 0)
        try FileManager.default.removeItem(atPath: base + "/gnu/" + ArchiveManifest.memberName)
        let (same, diff) = try ArchiveTestSupport.run(["diff", "-r", base + "/logs", base + "/gnu"])
        #expect(same == 0, "\(diff)")
        let restored = try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract()
        #expect(restored.files == summary.files)
        #expect(try ArchiveTestSupport.readTree(base + "/out") == ArchiveTestSupport.readTree(base + "/logs"))
    }
}

/// Archives written before the files' part was spooled (one pipeline from the gzip header on,
/// manifest then files in a single tar stream) still extract and verify.
@Suite struct ArchivePreviousLayoutTests {
    @Test func anArchiveInThePreviousSinglePipelineLayoutStillExtractsAndVerifies() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let files: [String: [UInt8]] = [
            "run/events.out.tfevents.1.host": (0..<300_000).map { UInt8(truncatingIfNeeded: $0 &* 31 >> 5) },
            "top.json": Array("{}".utf8),
        ]
        let names = files.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let manifest = ArchiveManifest(
            directories: ["run"], files: names.map { ArchiveTestSupport.row($0, files[$0]!) }, runs: nil)
        let path = base + "/old.tar.gz"
        let output = try FileDescriptor.open(
            FilePath(path), .writeOnly, options: [.create, .truncate], permissions: [.ownerReadWrite])
        let pipeline = CompressionPipeline(level: 6, output: output, path: path, chunkSize: 65_536)
        var tar = TarWriter { try pipeline.write($0) }
        try tar.append(TarEntry(path: ArchiveManifest.memberName, kind: .regular), data: try manifest.encoded())
        try tar.append(TarEntry(path: "run", kind: .directory, mode: 0o755))
        for name in names { try tar.append(TarEntry(path: name, kind: .regular, mode: 0o644), data: files[name]!) }
        try tar.finish()
        try pipeline.finish()
        try output.close()
        let restored = try LogExtractor(archive: path, destination: base + "/out").extract()
        #expect(restored.files == 2)
        #expect(try ArchiveTestSupport.readTree(base + "/out") == files)
    }
}
