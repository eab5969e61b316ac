import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

@Suite struct SummaryWriterRankTests {
    @Test func rankZeroOnlyGivesOtherRanksAWriterThatMakesNothing() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path + "/run"
        let writer = try SummaryWriter(logdir: dir, ranks: .rankZeroOnly, rank: ProcessRank(rank: 3, worldSize: 4))
        #expect(writer.isDisabled)
        try writer.scalar("loss", 1, step: 0)
        try writer.histogram("w", [1, 2, 3], step: 0)
        try writer.text("t", "x", step: 0)
        try writer.flush()
        try writer.rotate()
        try writer.close()
        #expect(!FileManager.default.fileExists(atPath: dir))
        #expect(writer.paths.isEmpty)
    }

    @Test func rankZeroOnlyLogsOnRankZero() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir, ranks: .rankZeroOnly, rank: ProcessRank(rank: 0, worldSize: 4))
        try writer.scalar("loss", 1, step: 0)
        try writer.close()
        #expect(!writer.isDisabled)
        #expect(splitRecords(readFile(writer.path))?.count == 2)
    }

    @Test func perRankLogsIntoRankSubdirectories() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir, ranks: .perRank, rank: ProcessRank(rank: 2, worldSize: 4))
        try writer.close()
        #expect(writer.logdir == dir + "/rank_2")
        #expect(writer.path.hasPrefix(dir + "/rank_2/events.out.tfevents."))
    }

    @Test func theRankComesFromRankThenLocalRankCheckedAgainstWorldSize() throws {
        #expect(try ProcessRank.fromEnvironment([:]) == nil)
        #expect(try ProcessRank.fromEnvironment(["RANK": "3", "LOCAL_RANK": "1"]) == ProcessRank(rank: 3))
        #expect(
            try ProcessRank.fromEnvironment(["LOCAL_RANK": "1", "WORLD_SIZE": "2"])
                == ProcessRank(rank: 1, worldSize: 2))
        #expect(throws: SummaryWriterError.invalidRank(reason: "rank 4 is outside a world of 4 (ranks 0...3)")) {
            try ProcessRank.fromEnvironment(["RANK": "4", "WORLD_SIZE": "4"])
        }
        #expect(throws: SummaryWriterError.invalidRank(reason: "RANK=\"two\" is not a whole number")) {
            try ProcessRank.fromEnvironment(["RANK": "two"])
        }
    }

    @Test func aRankOutsideTheWorldSizeIsRefusedAtConstruction() throws {
        #expect(throws: SummaryWriterError.invalidRank(reason: "rank 8 is outside a world of 8 (ranks 0...7)")) {
            try ProcessRank(rank: 8, worldSize: 8)
        }
        #expect(throws: SummaryWriterError.invalidRank(reason: "rank -1 is below zero")) {
            try ProcessRank(rank: -1)
        }
    }
}

@Suite struct SummaryWriterConcurrencyTests {
    @Test func eightThreadsTimesOneHundredThousandScalarsAllReadBackNoneInterleaved() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path)
        let threads = 8
        let perThread = 100_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                try? writer.scalar("thread\(t)", Float(i), step: i)
            }
        }
        try writer.close()
        // The reader checks both CRCs of every record: an interleaved record would fail them.
        let reader = EventFileReader(file: writer.path)
        var next = [Int64](repeating: 0, count: threads)
        var count = 0
        while let value = reader.nextValue() {
            guard case .scalar(let point) = value else { continue }
            let t = Int(point.tag.dropFirst("thread".count)) ?? -1
            #expect(point.step == next[t] && point.value == Double(next[t]))
            next[t] += 1
            count += 1
        }
        #expect(reader.problems.isEmpty)
        #expect(count == threads * perThread)
        #expect(next == [Int64](repeating: Int64(perThread), count: threads))
    }
}

@Suite struct SummaryWriterDurabilityTests {
    @Test func fsyncOnFlushWritesTheSameRecords() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, durability: .fsyncOnFlush)
        for step in 0..<10 {
            try writer.scalar("loss", Float(step), step: step)
            try writer.flush()
        }
        try writer.close()
        #expect(writer.durability == .fsyncOnFlush)
        #expect(splitRecords(readFile(writer.path))?.count == 11)
    }
}

@Suite struct SummaryWriterNamedCallsTests {
    @Test func scalarsWritesMainSlashKeyInThisRunAndOneMultilineChart() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        try writer.scalars("loss", ["train": 1, "test": 2], step: 0)
        try writer.scalars("loss", ["train": 0.5, "test": 1.5], step: 1)
        try writer.scalars("loss", ["train": 0.25, "val": 1], step: 2)
        try writer.close()
        // One run only: no extra directories.
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir).count == 1)
        let events = try #require(splitRecords(readFile(writer.path))).map { try Event(decoding: $0) }
        var scalarTags: [String] = []
        var layouts: [[UInt8]] = []
        for event in events {
            guard case .summary(let summary) = event.what, let value = summary.values.first else { continue }
            switch value.kind {
            case .simpleValue: scalarTags.append(value.tag)
            case .tensor(let t):
                #expect(value.tag == CustomScalarLayout.tag)
                layouts.append(try #require(t.stringValues.first))
            default: break
            }
        }
        #expect(scalarTags == ["loss/test", "loss/train", "loss/test", "loss/train", "loss/train", "loss/val"])
        // The layout is written when the keys first appear and again when "val" joins.
        #expect(
            layouts == [
                RunLayout(charts: ["loss": ["train", "test"]]).merged.encoded(),
                RunLayout(charts: ["loss": ["train", "test", "val"]]).merged.encoded(),
            ])
        let layout = RunLayout(charts: ["loss": ["train", "test", "val"]]).merged
        #expect(layout.categories.map(\.title) == ["loss"])
        #expect(
            layout.categories[0].charts == [
                CustomScalarLayout.Chart(title: "loss", multiline: ["^loss/test$", "^loss/train$", "^loss/val$"])
            ])
        #expect(RunLayout.regexEscaped("a.b(c)") == "a\\.b\\(c\\)")
    }

    @Test func hparamsAndEmbeddingAreReachableFromTheWriter() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        try writer.hparams(["lr": 0.01])
        let embedding = try writer.embedding("words", vectors: [1, 2, 3, 4], rows: 2, dims: 2, labels: ["a", "b"])
        try writer.close()
        #expect(embedding?.tensorShape == [2, 2])
        #expect(FileManager.default.fileExists(atPath: dir + "/projector_config.pbtxt"))
        let tags = try #require(splitRecords(readFile(writer.path))).compactMap { record -> String? in
            guard case .summary(let s) = try Event(decoding: record).what else { return nil }
            return s.values.first?.tag
        }
        #expect(tags == [HParams.sessionStartTag])
    }
}
