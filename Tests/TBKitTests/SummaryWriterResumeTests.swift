import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

@Suite struct SummaryWriterResumeTests {
    @Test func purgeStepWritesTwoSessionStartsAtThatStepRightAfterFileVersion() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, purgeStep: 500)
        try writer.scalar("loss", 1, step: 500)
        try writer.close()
        let records = try #require(splitRecords(readFile(writer.path)))
        #expect(records.count == 4)
        let events = try records.map { try Event(decoding: $0) }
        guard case .fileVersion = events[0].what else {
            Issue.record("first record is not file_version: \(events[0])")
            return
        }
        for start in events[1...2] {
            #expect(start.step == 500)
            #expect(start.what == .sessionLog(status: .start, checkpointPath: "", message: ""))
        }
        #expect(events[3].step == 500)
    }

    @Test func noPurgeStepWritesNoSessionLog() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path)
        try writer.scalar("loss", 1, step: 0)
        try writer.close()
        let events = try #require(splitRecords(readFile(writer.path))).map { try Event(decoding: $0) }
        #expect(events.count == 2)
        #expect(!events.contains { if case .sessionLog = $0.what { true } else { false } })
    }

    @Test func aNegativePurgeStepIsRefusedAtConstruction() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path + "/run"
        #expect(throws: SummaryWriterError.invalidPurgeStep(-1)) {
            _ = try SummaryWriter(logdir: dir, purgeStep: -1)
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}

@Suite struct LoggedStepsTests {
    @Test func aMissingRunDirectoryHasNoStep() throws {
        let tmp = TemporaryDirectory()
        let steps = try LoggedSteps(runDirectory: tmp.path + "/never-written")
        #expect(steps.overall == nil)
        #expect(steps.byTag.isEmpty)
    }

    @Test func lastStepsArePerTagAndOverallIsTheLargest() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        for step in 0..<600 { try writer.scalar("loss", Float(step), step: step) }
        for step in stride(from: 0, to: 600, by: 100) { try writer.histogram("w", [1, 2, 3], step: step) }
        try writer.close()
        let steps = try LoggedSteps(runDirectory: dir)
        #expect(steps.byTag == ["loss": 599, "w": 500])
        #expect(steps.overall == 599)
    }

    @Test func aResumeWithPurgeStepDropsEarlierFilesPointsAtOrAfterIt() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let first = try SummaryWriter(logdir: dir)
        for step in 0..<600 { try first.scalar("loss", 1, step: step) }
        // A tag logged only before the crash, at steps before and after the resume step.
        try first.scalar("rare", 1, step: 400)
        try first.scalar("rare", 1, step: 550)
        try first.close()
        let resumed = try SummaryWriter(logdir: dir, purgeStep: 500)
        for step in 500..<520 { try resumed.scalar("loss", 2, step: step) }
        try resumed.close()
        let steps = try LoggedSteps(runDirectory: dir)
        #expect(steps.byTag == ["loss": 519, "rare": 400])
        // Just after the START, before anything new: the run stands before step 500.
        let tmp2 = TemporaryDirectory()
        let onlyStart = try SummaryWriter(logdir: tmp2.path, purgeStep: 0)
        try onlyStart.close()
        #expect(LoggedSteps(files: [first.path, onlyStart.path]).overall == nil)
    }

    @Test func aStepWrittenAgainWithoutStartReplacesItsTagsLaterPoints() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        for step in [0, 1, 2, 3, 4, 5, 3, 4] { try writer.scalar("x", 1, step: step) }
        try writer.scalar("y", 1, step: 9)
        try writer.close()
        #expect(try LoggedSteps(runDirectory: dir).byTag == ["x": 4, "y": 9])
    }
}
