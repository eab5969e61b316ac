import Foundation
import SystemPackage
import TBKitTestSupport
import Testing

@testable import TBKit

/// `AtomicFile`: the final name holds the old file or the whole new one, never a part, and no
/// temporary outlives a write.
@Suite struct AtomicFileTests {
    func names(in directory: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: directory)) ?? []).sorted()
    }

    @Test func writeReplacesTheWholeFileAndLeavesNoTemporary() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("report.html", Array("old".utf8))
        try AtomicFile.write(Array("new content".utf8), to: path)
        #expect(Fixtures.bytes(path) == Array("new content".utf8))
        #expect(names(in: dir.path) == ["report.html"])
        // Text through its UTF-8 view, and a file that did not exist.
        try AtomicFile.write("läuft".utf8, to: dir.path + "/fresh.txt")
        #expect(Fixtures.bytes(dir.path + "/fresh.txt") == Array("läuft".utf8))
    }

    @Test func aFileNeitherCommittedNorSealedLeavesTheOldFileAndNoTemporary() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("checkpoint", Array("old".utf8))
        do {
            let file = try AtomicFile(path: path)
            try Array("half of the n".utf8).withUnsafeBytes { try file.descriptor.writeFully($0) }
            #expect(names(in: dir.path).count == 2)  // the final name and the temporary
        }
        #expect(Fixtures.bytes(path) == Array("old".utf8))
        #expect(names(in: dir.path) == ["checkpoint"])
    }

    @Test func sealedFilesAreRenamedOnlyWhenAskedAndTheDirectorySyncedOnce() throws {
        let dir = TemporaryDirectory()
        let files = try ["a", "b"].map { name in
            let file = try AtomicFile(path: dir.path + "/" + name)
            try Array(name.utf8).withUnsafeBytes { try file.descriptor.writeFully($0) }
            try file.seal()
            return file
        }
        #expect(!names(in: dir.path).contains("a"))
        for file in files { try file.rename() }
        try AtomicFile.syncDirectory(of: dir.path + "/a")
        #expect(names(in: dir.path) == ["a", "b"])
        #expect(Fixtures.bytes(dir.path + "/b") == Array("b".utf8))
    }

    @Test func theTemporaryOfTheLongestNameStillFitsAFileName() {
        for leaf in [String(repeating: "x", count: 255), String(repeating: "😀", count: 63)] {
            let temporary = AtomicFile.temporaryName(for: "/logs/run/" + leaf)
            let name = FilePath(temporary).lastComponent?.string ?? ""
            #expect(name.utf8.count <= 255, "\(name.utf8.count) bytes")
            #expect(name.hasPrefix("."))
            #expect(temporary.hasPrefix("/logs/run/."))
        }
        #expect(AtomicFile.temporaryName(for: "a") != AtomicFile.temporaryName(for: "a"))
    }

    @Test func aFailureNamesTheStepAndThePath() {
        let dir = TemporaryDirectory()
        do {
            try AtomicFile.write([1, 2, 3], to: dir.path + "/missing/file")
            Issue.record("writing into a missing directory succeeded")
        } catch {
            #expect(error.operation == "create")
            #expect(error.path == dir.path + "/missing/file")
            #expect(error.temporary?.hasPrefix(dir.path + "/missing/.file.tbkit-partial.") == true)
            #expect(error.description.hasPrefix("cannot create \(dir.path)/missing/file (as \(dir.path)/missing/.file"))
        }
    }
}
