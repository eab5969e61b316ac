import Foundation
import TBKitCrypto
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitArchive

@Suite struct ArchiveGeneratedFileTests {
    static let pageBytes = Array("<html>report</html>".utf8)
    let page = LogArchiver.GeneratedFile(name: "report.html", bytes: ArchiveGeneratedFileTests.pageBytes)

    func archiver(_ logdir: String) -> LogArchiver {
        var a = LogArchiver(logdir: logdir)
        a.generatedFiles = [page]
        return a
    }

    @Test func aGeneratedFileIsListedWithItsChecksumAndExtractedLikeAnyFile() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        var expected = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        let summary = try archiver(base + "/logs").write(to: base + "/a.tar.gz")
        let row = summary.manifest.files.first { $0.path == "report.html" }
        #expect(row?.size == UInt64(Self.pageBytes.count))
        #expect(row?.sha256 == SHA256.hash(data: Self.pageBytes).hex)
        #expect(summary.files == expected.count + 1)
        try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract()
        expected["report.html"] = Self.pageBytes
        #expect(try ArchiveTestSupport.readTree(base + "/out") == expected)
    }

    @Test func theSameLogdirAndGeneratedFileGiveTheSameBytesAndReArchivingReplacesTheExtractedCopy() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try archiver(base + "/logs").write(to: base + "/a.tar.gz")
        try archiver(base + "/logs").write(to: base + "/b.tar.gz")
        try LogExtractor(archive: base + "/a.tar.gz", destination: base + "/out").extract()
        try archiver(base + "/out").write(to: base + "/c.tar.gz")
        let a = FileManager.default.contents(atPath: base + "/a.tar.gz")
        #expect(a != nil)
        #expect(a == FileManager.default.contents(atPath: base + "/b.tar.gz"))
        #expect(a == FileManager.default.contents(atPath: base + "/c.tar.gz"))
    }

    @Test func aDirectoryWhereTheGeneratedFileGoesIsRefusedByName() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try FileManager.default.createDirectory(atPath: base + "/logs/report.html", withIntermediateDirectories: true)
        #expect {
            try archiver(base + "/logs").write(to: base + "/a.tar.gz")
        } throws: { error in
            guard case .generatedFileClash(let path, _) = error as? LogArchiveError else { return false }
            return path.hasSuffix("logs/report.html")
        }
        #expect(!FileManager.default.fileExists(atPath: base + "/a.tar.gz"))
    }

    @Test func aGeneratedNameWithASlashOrTheManifestsNameIsRefused() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        for name in ["a/b.html", "", "..", ArchiveManifest.memberName] {
            var a = LogArchiver(logdir: base + "/logs")
            a.generatedFiles = [.init(name: name, bytes: [1])]
            #expect(throws: LogArchiveError.self) { try a.write(to: base + "/a.tar.gz") }
        }
    }

    @Test func contentMadeWhileTheFilesAreReadIsArchivedLikeGivenBytes() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        try archiver(base + "/logs").write(to: base + "/given.tar.gz")
        var made = LogArchiver(logdir: base + "/logs")
        made.generatedFiles = [
            .init(name: "report.html") {
                Thread.sleep(forTimeInterval: 0.05)  // still being made when the archive starts
                return Self.pageBytes
            }
        ]
        let summary = try made.write(to: base + "/made.tar.gz")
        #expect(summary.manifest.files.first { $0.path == "report.html" }?.size == UInt64(Self.pageBytes.count))
        let given = FileManager.default.contents(atPath: base + "/given.tar.gz")
        #expect(given != nil && given == FileManager.default.contents(atPath: base + "/made.tar.gz"))
    }

    struct ReportFailed: Error {}

    @Test func contentThatFailsStopsTheArchiveAndLeavesNothing() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        var a = LogArchiver(logdir: base + "/logs")
        a.generatedFiles = [.init(name: "report.html") { throw ReportFailed() }]
        #expect(throws: ReportFailed.self) { try a.write(to: base + "/a.tar.gz") }
        let left = try FileManager.default.contentsOfDirectory(atPath: base).filter { $0 != "logs" }
        #expect(left.isEmpty)
    }
}
