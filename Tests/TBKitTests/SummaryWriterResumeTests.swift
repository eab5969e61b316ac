import Foundation
import Testing

@testable import TBKit

@Suite struct SummaryWriterResumeTests {
    @Test func purgeStepWritesTwoSessionStartsAtThatStepRightAfterFileVersion() throws {
        let writer = try SummaryWriter(logdir: makeTemporaryDirectory(), purgeStep: 500)
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
            #expect(start.what == .sessionLog(status: 1, checkpointPath: "", message: ""))
        }
        #expect(events[3].step == 500)
    }

    @Test func noPurgeStepWritesNoSessionLog() throws {
        let writer = try SummaryWriter(logdir: makeTemporaryDirectory())
        try writer.scalar("loss", 1, step: 0)
        try writer.close()
        let events = try #require(splitRecords(readFile(writer.path))).map { try Event(decoding: $0) }
        #expect(events.count == 2)
        #expect(!events.contains { if case .sessionLog = $0.what { true } else { false } })
    }

    @Test func aNegativePurgeStepIsRefusedAtConstruction() throws {
        let dir = makeTemporaryDirectory() + "/run"
        #expect(throws: SummaryWriterError.invalidPurgeStep(-1)) {
            _ = try SummaryWriter(logdir: dir, purgeStep: -1)
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }
}
