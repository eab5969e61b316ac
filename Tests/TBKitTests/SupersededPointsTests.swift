import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

@Suite struct SupersededPointsTests {
    static func scalar(_ tag: String, _ step: Int64, _ x: Float) -> Event {
        Event(wallTime: 1, step: step, what: .summary(Summary(values: [SummaryValue(tag: tag, kind: .simpleValue(x))])))
    }

    static func start(_ step: Int64) -> Event {
        Event(wallTime: 1, step: step, what: .sessionLog(status: .start, checkpointPath: "", message: ""))
    }

    /// Writes one event file per list into `directory` (in name order) and returns the paths.
    static func files(_ directory: String, _ lists: [[Event]]) throws -> [String] {
        var paths: [String] = []
        for (i, events) in lists.enumerated() {
            let writer = try EventFileWriter(directory: directory, suffix: ".\(i)")
            for e in events { writer.append(e) }
            try writer.close()
            paths.append(writer.path)
        }
        return paths.sorted()
    }

    static func standing(_ files: [String]) -> [String: [Int64: Double]] {
        var out: [String: [Int64: Double]] = [:]
        let reader = StandingValueReader(files: files)
        while let value = reader.nextValue() {
            guard case .scalar(let p) = value else { continue }
            #expect(out[p.tag]?[p.step] == nil, "one point per step")
            out[p.tag, default: [:]][p.step] = p.value
        }
        return out
    }

    @Test func aRunWithStepsOnlyGoingUpKeepsEveryValueAndNeedsNoCut() throws {
        let dir = TemporaryDirectory()
        let files = try Self.files(dir.path, [(0..<100).map { Self.scalar("loss", $0, Float($0)) }])
        #expect(SupersededPoints.scan(EventFileReader(files: files)).isTrivial)
        #expect(Self.standing(files)["loss"]?.count == 100)
    }

    @Test func aStepWrittenTwiceKeepsItsLastWrite() throws {
        let dir = TemporaryDirectory()
        let events = [Self.scalar("a", 0, 0), Self.scalar("a", 1, 1), Self.scalar("a", 1, 11), Self.scalar("a", 2, 2)]
        let files = try Self.files(dir.path, [events])
        #expect(Self.standing(files)["a"] == [0: 0, 1: 11, 2: 2])
    }

    @Test func theFirstStartOfARunIsNotARestartButASecondOnePurgesEveryTag() throws {
        let dir = TemporaryDirectory()
        let before = (0..<10).map { Self.scalar("a", $0, 1) } + [Self.scalar("b", 8, 1)]
        // One START only: the run's first, so nothing is purged (b keeps step 8).
        let once = try Self.files(
            dir.path + "/once", [before, [Self.start(5)] + (5..<7).map { Self.scalar("a", $0, 2) }])
        #expect(Self.standing(once)["b"] == [8: 1])
        #expect(Self.standing(once)["a"]?.keys.sorted() == Array(0..<7))
        // Two STARTs (what `purgeStep` writes): the second purges b's step 8 too.
        let twice = try Self.files(
            dir.path + "/twice", [before, [Self.start(5), Self.start(5)] + (5..<7).map { Self.scalar("a", $0, 2) }])
        #expect(Self.standing(twice)["b"] == nil)
        #expect(Self.standing(twice)["a"] == [0: 1, 1: 1, 2: 1, 3: 1, 4: 1, 5: 2, 6: 2])
    }

    @Test func stepsGoingBackDropTheOverlappedPointsOfThatTagOnly() throws {
        let dir = TemporaryDirectory()
        let events =
            (0..<6).map { Self.scalar("a", $0, 1) } + [Self.scalar("b", 5, 1)] + (3..<5).map { Self.scalar("a", $0, 2) }
        let files = try Self.files(dir.path, [events])
        #expect(Self.standing(files)["a"] == [0: 1, 1: 1, 2: 1, 3: 2, 4: 2])
        #expect(Self.standing(files)["b"] == [5: 1])
        let reader = StandingValueReader(files: files)
        while reader.nextValue() != nil {}
        #expect(reader.supersededCount == 3)
    }

    @Test func exportInspectAndCompareShowTheSamePointsAsTheStandingReader() throws {
        let dir = TemporaryDirectory()
        let first = (0..<700).map { Self.scalar("loss", $0, Float($0)) }
        let second =
            [Self.start(500), Self.start(500)] + (500..<1000).map { Self.scalar("loss", $0, Float(1000 + $0)) }
        _ = try Self.files(dir.path + "/run", [first, second])
        var csv = ""
        let counts = try TidyExporter().export(logdir: dir.path, to: { csv += $0 })
        #expect(counts.rows == 1000)
        #expect(counts.superseded == 200)
        #expect(csv.contains("run,loss,600,1.0,1600.0\n"))
        #expect(!csv.contains("run,loss,600,1.0,600.0\n"))
        let tag = try LogdirInspection.inspect(logdir: dir.path).runs[0].tags[0]
        #expect((tag.count, tag.superseded, tag.firstStep, tag.lastStep, tag.lastValue) == (1000, 200, 0, 999, 1999))
        let entry = try ScalarComparison.compare(logdir: dir.path).tags[0].entries[0]
        #expect((entry.count, entry.max, entry.lastStep) == (1000, 1999, 999))
    }
}

extension SupersededPointsTests {
    /// The export of `dir` with `heldValues` values held before a first pass decides.
    static func export(_ dir: String, held: Int, raw: Bool = true) throws -> (csv: String, rows: Int, superseded: Int) {
        var exporter = TidyExporter()
        exporter.heldValues = held
        exporter.formatsRawScalars = raw
        var csv = ""
        let counts = try exporter.export(logdir: dir, to: { csv += $0 })
        return (csv, counts.rows, counts.superseded)
    }

    @Test func exportGivesTheSameRowsReadInOnePassHeldOrPastTheHoldWithOrWithoutSupersededPoints() throws {
        let dir = TemporaryDirectory()
        // clean: steps only going up; late: a step repeated after 900 values; resumed: a purge at
        // 500; idle: a second START that cuts nothing (a restart at the next step).
        let clean = (0..<1000).map { Self.scalar("loss", $0, Float($0)) }
        let late = (0..<900).map { Self.scalar("loss", $0, Float($0)) } + [Self.scalar("loss", 450, -1)]
        let resumed =
            [Self.start(0)] + (0..<700).map { Self.scalar("loss", $0, Float($0)) } + [Self.start(500)]
            + (500..<1000).map { Self.scalar("acc", $0, 1) }
        let idle = [Self.start(0), Self.scalar("loss", 0, 0), Self.start(1), Self.scalar("loss", 1, 1)]
        for (name, events) in [("clean", clean), ("late", late), ("resumed", resumed), ("idle", idle)] {
            _ = try Self.files(dir.path + "/" + name, [events])
        }
        let whole = try Self.export(dir.path, held: 1 << 20)
        #expect(whole.rows == 1000 + 451 + 500 + 500 + 2)
        #expect(whole.superseded == 450 + 200)
        #expect(whole.csv.contains("late,loss,450,1.0,-1.0\n"))
        #expect(!whole.csv.contains("late,loss,451,"))
        #expect(!whole.csv.contains("resumed,loss,500,"))
        for held in [1, 100, 950] {
            for raw in [true, false] {
                let part = try Self.export(dir.path, held: held, raw: raw)
                #expect(part.csv == whole.csv, "held \(held), raw \(raw)")
                #expect((part.rows, part.superseded) == (whole.rows, whole.superseded))
            }
        }
    }
}
