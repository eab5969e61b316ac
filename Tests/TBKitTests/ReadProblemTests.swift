import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// Problems met while reading a run come out as typed values that agree with `FileVerification`.
@Suite struct ReadProblemTests {
    /// A run of five files, each damaged in one way, in reading order: a truncated older file, a bad
    /// length CRC, a bad data CRC, a payload that is not an Event, and a last file that ends inside
    /// a record (a writer may still be writing it).
    static func damagedRun(in dir: TemporaryDirectory) -> [String] {
        let sound = sampleEventFile(scalars: 3)
        var badLength = sound
        badLength[0] ^= 0x01
        var badData = sound
        badData[badData.count - 1] ^= 0x01
        var undecodable = RecordWriter.frame(Event(wallTime: 1, what: .fileVersion("brain.Event:2")).encoded())
        RecordWriter.append(payload: [0x0B, 0x00], to: &undecodable)
        let contents = [Array(sound.dropLast(3)), badLength, badData, undecodable, Array(sound.dropLast(5))]
        return contents.enumerated().map { dir.write("run/events.out.tfevents.\($0.offset + 1).h", $0.element) }
    }

    @Test func inspectionProblemsNameTheFileOffsetAndKindThatVerificationFinds() throws {
        let dir = TemporaryDirectory()
        let files = Self.damagedRun(in: dir)
        let run = try #require(try LogdirInspection.inspect(logdir: dir.path).runs.first)
        let expected = files.flatMap { path in FileVerification.verify(path: path).issues.map { (path, $0) } }
        #expect(
            expected.map(\.1.kind) == [.truncatedTail, .badLengthCRC, .badDataCRC, .undecodableEvent, .truncatedTail])
        #expect(run.problems.map(\.kind) == expected.map(\.1.kind))
        #expect(run.problems.map(\.file) == expected.map(\.0))
        #expect(run.problems.map(\.offset) == expected.map(\.1.offset))
        #expect(run.problems.last?.description.hasSuffix("a writer may still be writing)") == true)
    }

    @Test func readProblemDescriptionsAreTheReadersSentences() throws {
        let dir = TemporaryDirectory()
        let files = Self.damagedRun(in: dir)
        let reader = EventFileReader(files: files)
        while reader.next() != nil {}
        let typed = reader.readProblems
        #expect(typed.count == reader.problems.count + 1)
        #expect(Array(typed.map(\.description).prefix(reader.problems.count)) == reader.problems.map(\.description))
        let tail = try #require(reader.pendingTail)
        #expect(
            typed.last
                == .pendingTail(file: files[4], offset: tail.offset, available: tail.available, needed: tail.needed))
        #expect("\(typed[1])" == typed[1].description)
    }

    @Test func standingValueReaderGivesTheSameTypedProblemsAsTheRawReader() throws {
        let dir = TemporaryDirectory()
        let files = Self.damagedRun(in: dir)
        let raw = EventFileReader(files: files)
        while raw.next() != nil {}
        let standing = StandingValueReader(files: files)
        while standing.nextValue() != nil {}
        #expect(
            standing.readProblems.map(\.kind) == [
                .truncatedTail, .badLengthCRC, .badDataCRC, .undecodableEvent, .truncatedTail,
            ])
        #expect(standing.readProblems == raw.readProblems)
    }

    @Test func inspectionJSONKeepsEachProblemAsItsSentence() throws {
        let dir = TemporaryDirectory()
        _ = Self.damagedRun(in: dir)
        let inspection = try LogdirInspection.inspect(logdir: dir.path)
        let json = try JSONSerialization.jsonObject(with: JSONEncoder().encode(inspection)) as? [String: Any]
        let runs = try #require(json?["runs"] as? [[String: Any]])
        let problems = try #require(runs.first?["problems"] as? [String])
        #expect(problems == inspection.runs[0].problems.map(\.description))
    }

    @Test func exportCountsProblemsAsTypedValuesWithoutTheUnfinishedTail() throws {
        let dir = TemporaryDirectory()
        let files = Self.damagedRun(in: dir)
        let counts = try TidyExporter().export(logdir: dir.path, bytes: { _ in })
        #expect(counts.problems.map(\.kind) == [.truncatedTail, .badLengthCRC, .badDataCRC, .undecodableEvent])
        #expect(counts.problems.map(\.file) == Array(files.prefix(4)))
    }
}
