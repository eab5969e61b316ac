import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit
@testable import TBKitArchive

/// The manifest's per-run part, from event files written by `SummaryWriter`.
@Suite struct ArchiveManifestRunsTests {
    @Test func manifestListsEachRunsTagsWithStepRangesAndCounts() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let a = try SummaryWriter(logdir: base + "/logs/relu-he")
        for step in stride(from: 10, through: 50, by: 10) { try a.scalar("loss", Float(step), step: step) }
        try a.histogram("mat_mul_hist_1", [Float]([0.5, -1, 2]), step: 3)
        try a.histogram("mat_mul_hist_1", [Float]([1, 2]), step: 7)
        try a.close()
        let b = try SummaryWriter(logdir: base + "/logs/nested/tanh-xavier")
        try b.scalar("accuracy", 0.9, step: 100)
        try b.close()
        try ArchiveTestSupport.write(Array("not a run".utf8), to: base + "/logs/notes.txt")

        let summary = try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        let runs = try #require(summary.manifest.runs)
        #expect(runs.map(\.name) == ["nested/tanh-xavier", "relu-he"])
        #expect(runs[0].tags == [.init(tag: "accuracy", firstStep: 100, lastStep: 100, count: 1)])
        #expect(
            runs[1].tags == [
                .init(tag: "loss", firstStep: 10, lastStep: 50, count: 5),
                .init(tag: "mat_mul_hist_1", firstStep: 3, lastStep: 7, count: 2),
            ])
    }

    @Test func eventFilesAtTheLogdirRootFormTheRunNamedDot() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        let writer = try SummaryWriter(logdir: base + "/logs")
        try writer.scalar("loss", 1.0, step: 0)
        try writer.close()
        let summary = try LogArchiver(logdir: base + "/logs").write(to: base + "/a.tar.gz")
        #expect(summary.manifest.runs?.map(\.name) == ["."])
    }

    @Test func archiverWithoutAScannerOmitsTheRunsKey() throws {
        let tmp = TemporaryDirectory()
        let base = tmp.path
        _ = try ArchiveTestSupport.makeLogdir(at: base + "/logs")
        let summary = try LogArchiver(logdir: base + "/logs", runScanner: nil).write(to: base + "/a.tar.gz")
        #expect(summary.manifest.runs == nil)
        #expect(!String(decoding: try summary.manifest.encoded(), as: UTF8.self).contains("\"runs\""))
    }
}
