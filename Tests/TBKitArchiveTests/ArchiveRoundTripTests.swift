import Foundation
import SystemPackage
import TBKitCrypto
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitArchive

@Suite struct ArchiveRoundTripTests {
    @Test func extractRestoresEveryFileOfANestedLogdirWithLongNamesAndEmptyFiles() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        let summary = try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        #expect(summary.files == expected.count)
        let restored = try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract()
        #expect(restored.files == expected.count)
        #expect(try ArchiveTestSupport.readTree(base + "/out") == expected)
        var isDirectory: ObjCBool = false
        #expect(
            FileManager.default.fileExists(atPath: base + "/out/empty-run", isDirectory: &isDirectory)
                && isDirectory.boolValue)
        let mtime = try FileManager.default.attributesOfItem(atPath: base + "/out/top.json")[.modificationDate] as? Date
        #expect(mtime == Date(timeIntervalSince1970: 1_700_000_000))
    }

    @Test func archivingTheSameLogdirTwiceGivesIdenticalBytes() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/b.tar.gz")
        let a = FileManager.default.contents(atPath: base + "/a.tar.gz")
        #expect(a != nil && a == FileManager.default.contents(atPath: base + "/b.tar.gz"))
    }

    @Test func reArchivingAnExtractedLogdirGivesIdenticalBytes() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract()
        try LogArchiver(logdir: base + "/out").write(to: base + "/b.tar.gz")
        #expect(
            FileManager.default.contents(atPath: base + "/a.tar.gz")
                == FileManager.default.contents(atPath: base + "/b.tar.gz"))
    }

    @Test func manifestIsTheFirstMemberAndListsSizesAndChecksums() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        let summary = try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        let bytes = try GZip.decompress(Array(FileManager.default.contents(atPath: base + "/a.tar.gz") ?? Data()))
        let entries = try ArchiveTarTests.readAll(bytes)
        #expect(entries.first?.0.path == ArchiveManifest.memberName)
        let manifest = try ArchiveManifest.decode(entries.first?.1 ?? [], archive: "a")
        #expect(manifest == summary.manifest)
        for (path, content) in expected {
            let row = manifest.files.first { $0.path == path }
            #expect(row?.size == UInt64(content.count), "\(path)")
            #expect(row?.sha256 == SHA256.hash(data: content).hex, "\(path)")
        }
        let paths = entries.dropFirst().map(\.0.path)
        #expect(paths == paths.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) })
        #expect(entries.allSatisfy { $0.0.uid == 0 && $0.0.gid == 0 })
    }

    @Test func gnuTarListsEveryMemberIncludingPaxLongNames() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        let (status, output) = try ArchiveTestSupport.run(["tar", "tzf", base + "/a.tar.gz"])
        #expect(status == 0, "\(output)")
        let listed = Set(
            output.split(separator: "\n").map { String($0).hasSuffix("/") ? String($0.dropLast()) : String($0) })
        #expect(listed.isSuperset(of: expected.keys))
        #expect(listed.contains(ArchiveManifest.memberName))
    }

    @Test func pythonTarfileReadsEveryMemberWithTheRightContent() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        let script = """
            import sys, tarfile, hashlib
            with tarfile.open(sys.argv[1], 'r:gz') as t:
                for m in t.getmembers():
                    if m.isfile():
                        print(m.name + '\\t' + hashlib.sha256(t.extractfile(m).read()).hexdigest())
            """
        let (status, output) = try ArchiveTestSupport.run(["python3", "-c", script, base + "/a.tar.gz"])
        #expect(status == 0, "\(output)")
        var seen = [String: String]()
        for line in output.split(separator: "\n") {
            let parts = line.split(separator: "\t")
            if parts.count == 2 { seen[String(parts[0])] = String(parts[1]) }
        }
        for (path, content) in expected {
            #expect(seen[path] == SHA256.hash(data: content).hex, "\(path)")
        }
    }

    @Test func gnuTarExtractsTheSameFilesAsTBKit() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        try FileManager.default.createDirectory(atPath: base + "/gnu", withIntermediateDirectories: true)
        let (status, output) = try ArchiveTestSupport.run(["tar", "xzf", base + "/a.tar.gz", "-C", base + "/gnu"])
        #expect(status == 0, "\(output)")
        var tree = try ArchiveTestSupport.readTree(base + "/gnu")
        #expect(tree.removeValue(forKey: ArchiveManifest.memberName) != nil)
        #expect(tree == expected)
    }

    @Test func symlinksInsideTheLogdirSurviveTheRoundTrip() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try FileManager.default.createSymbolicLink(atPath: base + "/logs/run-b/latest", withDestinationPath: "../run-a")
        try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract()
        #expect(try FileManager.default.destinationOfSymbolicLink(atPath: base + "/out/run-b/latest") == "../run-a")
    }

    @Test func archivingRefusesASymlinkThatLeavesTheLogdir() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try FileManager.default.createSymbolicLink(atPath: base + "/logs/passwd", withDestinationPath: "/etc/passwd")
        #expect(throws: LogArchiveError.self) { try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz") }
        #expect(!FileManager.default.fileExists(atPath: base + "/a.tar.gz"))
    }

    @Test func anArchiveWrittenInsideTheLogdirDoesNotContainItself() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        let summary = try LogArchiver(logdir: base + "/logs").write(to: base + "/logs/self.tar.gz")
        #expect(summary.files == expected.count)
    }
}

extension ArchiveRoundTripTests {
    @Test func archivingRefusesToReplaceAnExistingArchiveWithoutOverwrite() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try ArchiveTestSupport.write([1, 2, 3], to: base + "/a.tar.gz")
        #expect(throws: LogArchiveError.self) { try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz") }
        #expect(FileManager.default.contents(atPath: base + "/a.tar.gz") == Data([1, 2, 3]))
        try LogArchiver(logdir: base + "/logs", overwrite: true).write(to: base + "/a.tar.gz")
        #expect(try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract().files == 6)
    }

    @Test func compressionPipelineReportsAWriteFailureToTheProducer() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        try ArchiveTestSupport.write([], to: base + "/readonly")
        // A descriptor opened read-only: every write fails with EBADF on the worker thread.
        let output = try FileDescriptor.open(FilePath(base + "/readonly"), .readOnly)
        defer { try? output.close() }
        let pipeline = CompressionPipeline(
            level: 1, output: output, path: base + "/readonly", chunkSize: 1024, depth: 1)
        let noise = (0..<100_000).map { UInt8(truncatingIfNeeded: $0 &* 2_654_435_761 >> 11) }
        #expect(throws: LogArchiveError.self) {
            for _ in 0..<20 { try noise.withUnsafeBytes { try pipeline.write($0) } }
            try pipeline.finish()
        }
    }
}

/// Files that change between the walk and their one read (a training run writing meanwhile),
/// through the archiver's `beforeCopying` seam.
@Suite struct ArchiveLiveLogdirTests {
    @Test func eventFileAppendedAfterTheWalkIsArchivedAsItsWalkTimeBytes() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        let grown = base + "/logs/run-a/events.out.tfevents.1700000000.host"
        var archiver = LogArchiver(logdir: base + "/logs")
        archiver.beforeCopying = {
            if let handle = FileHandle(forWritingAtPath: grown) {
                handle.seekToEndOfFile()
                handle.write(Data([1, 2, 3]))
                handle.closeFile()
            }
        }
        let summary = try archiver.write(to: base + "/a.tar.gz")
        #expect(
            FileManager.default.contents(atPath: grown)?.count == expected["run-a/events.out.tfevents.1700000000.host"]!
                .count + 3)
        let row = summary.manifest.files.first { $0.path == "run-a/events.out.tfevents.1700000000.host" }
        #expect(row?.size == 70_000)
        try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract()
        #expect(try ArchiveTestSupport.readTree(base + "/out") == expected)
    }

    /// Same size, same inode, new bytes: only its mtime and ctime tell. The mtime is set well
    /// apart from the walk's so that a coarse file-system clock cannot hide the write.
    @Test func fileRewrittenInPlaceAfterTheWalkStopsTheArchiveAndLeavesNothing() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        let rewritten = base + "/logs/top.json"
        var archiver = LogArchiver(logdir: base + "/logs")
        archiver.beforeCopying = {
            guard let handle = FileHandle(forWritingAtPath: rewritten) else {
                Issue.record("cannot open \(rewritten)")
                return
            }
            handle.write(Data("[]".utf8))
            handle.closeFile()
            try? FileManager.default.setAttributes(
                [.modificationDate: Date(timeIntervalSince1970: 1_600_000_000)], ofItemAtPath: rewritten)
        }
        #expect {
            try archiver.write(to: base + "/a.tar.gz")
        } throws: { error in
            guard case .fileChanged(let path)? = error as? LogArchiveError else { return false }
            return path.hasSuffix("/logs/top.json")
        }
        #expect(!FileManager.default.fileExists(atPath: base + "/a.tar.gz"))
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: base).filter { $0 != "logs" }
        #expect(leftovers.isEmpty, "left behind: \(leftovers)")
    }

    @Test func fileReplacedOrTruncatedAfterTheWalkStopsTheArchive() throws {
        for change in ["replaced", "truncated"] {
            let tmp = TemporaryDirectory()
            let base = tmp.path
            _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
            let changed = base + "/logs/run-b/empty.txt"
            let shrunk = base + "/logs/run-a/events.out.tfevents.1700000000.host"
            var archiver = LogArchiver(logdir: base + "/logs")
            archiver.beforeCopying = {
                if change == "replaced" {
                    // A new file (new inode) under the old name, as an atomic save makes.
                    try? FileManager.default.removeItem(atPath: changed)
                    _ = FileManager.default.createFile(atPath: changed, contents: Data())
                } else if let handle = FileHandle(forWritingAtPath: shrunk) {
                    handle.truncateFile(atOffset: 100)
                    handle.closeFile()
                }
            }
            #expect(throws: LogArchiveError.self, "\(change)") { try archiver.write(to: base + "/a.tar.gz") }
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: base).filter { $0 != "logs" }
            #expect(leftovers.isEmpty, "\(change): left behind \(leftovers)")
        }
    }

    @Test func anExistingArchiveIsKeptWithAMessageNamingNoFlagAndReplacedWithOverwrite() throws {
        let dir = TemporaryDirectory()
        try ArchiveTestSupport.write([7], to: dir.path + "/logs/run/a")
        let archive = dir.write("a.tar.gz", [1, 2, 3])
        #expect {
            try LogArchiver(logdir: dir.path + "/logs").write(to: archive)
        } throws: { error in
            // The library says what is wrong; the CLI adds "--overwrite".
            guard case .archiveExists(let path)? = error as? LogArchiveError else { return false }
            return path == archive && "\(error)".contains("already exists") && !"\(error)".contains("--")
        }
        #expect(FileManager.default.contents(atPath: archive) == Data([1, 2, 3]))
        try LogArchiver(logdir: dir.path + "/logs", overwrite: true).write(to: archive)
        #expect(FileManager.default.contents(atPath: archive)?.count ?? 0 > 3)
    }
}
