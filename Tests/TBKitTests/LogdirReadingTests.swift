import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// Run discovery, multi-file runs, and the library side of inspect / export / compare.
@Suite struct LogdirReadingTests {
    static func scalarEvent(_ tag: String, _ value: Float, step: Int64, wall: Double) -> Event {
        Event(
            wallTime: wall, step: step,
            what: .summary(Summary(values: [SummaryValue(tag: tag, kind: .simpleValue(value))])))
    }

    static func file(_ events: [Event]) -> [UInt8] {
        var out: [UInt8] = []
        RecordWriter.append(payload: Event(wallTime: 1, what: .fileVersion("brain.Event:2")).encoded(), to: &out)
        for e in events { RecordWriter.append(payload: e.encoded(), to: &out) }
        return out
    }

    @Test func runsAreDirectoriesDirectlyHoldingATfeventsFile() throws {
        let dir = TemporaryDirectory()
        dir.write("events.out.tfevents.1.host", Self.file([]))
        dir.write("a/x.tfevents", Self.file([]))  // "tfevents" anywhere in the name
        dir.write("a/b/events.out.tfevents.2.host", Self.file([]))  // nested: a separate run
        dir.write("c/notes.txt", [1])  // no event file: not a run
        dir.write("d/events.out.tfevents.3.host.profile-empty", [])  // skipped like TensorBoard
        let runs = try RunDirectory.discover(logdir: dir.path)
        #expect(runs.map(\.name) == [".", "a", "a/b"])
        #expect(runs[1].eventFiles == [dir.path + "/a/x.tfevents"])
    }

    @Test func filesOfARunAreReadInLexicographicOrderWithMetadataCarriedAcross() throws {
        let dir = TemporaryDirectory()
        let meta = SummaryMetadata(pluginName: .scalars)
        func v2(_ x: Float, step: Int64, metadata: SummaryMetadata?) -> Event {
            Event(
                wallTime: Double(step), step: step,
                what: .summary(
                    Summary(values: [
                        SummaryValue(tag: "acc", metadata: metadata, kind: .tensor(.scalar(x)))
                    ])))
        }
        dir.write("run/events.out.tfevents.1700000010.h", Self.file([v2(0.5, step: 2, metadata: nil)]))
        dir.write("run/events.out.tfevents.1700000001.h", Self.file([v2(0.25, step: 1, metadata: meta)]))
        let reader = try EventFileReader(runDirectory: dir.path + "/run")
        var values: [Double] = []
        while let v = reader.nextValue() {
            if case .scalar(let p) = v { values.append(p.value) }
        }
        #expect(values == [0.25, 0.5])
        #expect(reader.problems.isEmpty)
    }

    @Test func truncatedTailOfAnOlderFileIsAProblemAndTheNextFileIsStillRead() throws {
        let dir = TemporaryDirectory()
        let older = Self.file([Self.scalarEvent("x", 1, step: 1, wall: 1)])
        dir.write("r/events.out.tfevents.1.h", Array(older.dropLast(3)))
        dir.write("r/events.out.tfevents.2.h", Self.file([Self.scalarEvent("x", 2, step: 2, wall: 2)]))
        let reader = try EventFileReader(runDirectory: dir.path + "/r")
        var steps: [Int64] = []
        while let v = reader.nextValue() { if case .scalar(let p) = v { steps.append(p.step) } }
        #expect(steps == [2])
        #expect(reader.problems.count == 1)
        if case .truncatedTail(_, let offset, _, _) = reader.problems.first {
            #expect(offset == 40)
        } else {
            Issue.record("expected a truncated tail, got \(reader.problems)")
        }
    }

    @Test func eventReaderResumesWhenTheLastFileGrows() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("events.out.tfevents.1.h", Self.file([]))
        let reader = EventFileReader(file: path)
        #expect(reader.next() != nil)  // file_version
        #expect(reader.next() == nil)
        let record = RecordWriter.frame(Self.scalarEvent("x", 3, step: 7, wall: 9).encoded())
        dir.append(path, Array(record.prefix(20)))
        #expect(reader.next() == nil)
        #expect(reader.pendingTail?.offset == 40)
        dir.append(path, Array(record.dropFirst(20)))
        #expect(reader.next()?.step == 7)
        #expect(reader.pendingTail == nil)
    }

    @Test func valueWithNoOneofSetIsDroppedAsTensorBoardDoes() {
        let dir = TemporaryDirectory()
        let path = dir.write(
            "events.out.tfevents.1.h",
            Self.file([
                Event(wallTime: 1, step: 1, what: .summary(Summary(values: [SummaryValue(tag: "empty", kind: .none)])))
            ]))
        let reader = EventFileReader(file: path)
        #expect(reader.nextValue() == nil)
    }

    @Test func graphDefIsHandedOverAsTheRunGraph() {
        let dir = TemporaryDirectory()
        let path = dir.write("events.out.tfevents.1.h", Self.file([Event(wallTime: 2, what: .graphDef([1, 2, 3]))]))
        let reader = EventFileReader(file: path)
        guard case .other(let o) = reader.nextValue() else {
            Issue.record("expected the graph")
            return
        }
        #expect(o.tag == "__run_graph__" && o.pluginName == .graphs)
    }

    @Test func v1HistogramDropsEmptyOuterBucketsAndUsesMinAndMaxAsOuterEdges() {
        let h = HistogramProto(
            min: -0.5, max: 2.5, num: 4, sum: 3, sumSquares: 7,
            bucketLimits: [-1, 0, 1, 2, 3, .greatestFiniteMagnitude], buckets: [0, 1, 0, 2, 1, 0])
        let p = HistogramPoint(tag: "h", step: 0, wallTime: 0, histogram: h)
        #expect(
            p.buckets == [
                HistogramBucket(left: -0.5, right: 0, count: 1), HistogramBucket(left: 0, right: 1, count: 0),
                HistogramBucket(left: 1, right: 2, count: 2), HistogramBucket(left: 2, right: 2.5, count: 1),
            ])
        #expect(p.mean == 0.75)
        #expect(
            HistogramPoint(
                tag: "e", step: 0, wallTime: 0,
                histogram: HistogramProto(
                    min: 0, max: 0, num: 0, sum: 0, sumSquares: 0, bucketLimits: [1], buckets: [0])
            ).buckets.isEmpty)
    }

    @Test func v2ScalarFromTensorContentAndFromDoubleValDecode() {
        var c = ValueClassifier()
        let meta = SummaryMetadata(pluginName: .scalars)
        var bytes: [UInt8] = []
        withUnsafeBytes(of: Float(1.5).bitPattern.littleEndian) { bytes += $0 }
        let fromContent = c.classify(
            SummaryValue(
                tag: "a", metadata: meta, kind: .tensor(TensorProto(dtype: .float, shape: [], content: bytes))),
            step: 1, wallTime: 2)
        #expect(fromContent == .scalar(ScalarPoint(tag: "a", step: 1, wallTime: 2, value: 1.5, dtype: .float)))
        let fromDouble = c.classify(
            SummaryValue(
                tag: "b", metadata: meta, kind: .tensor(TensorProto(dtype: .double, shape: [], doubleValues: [0.1]))),
            step: 1, wallTime: 2)
        #expect(fromDouble == .scalar(ScalarPoint(tag: "b", step: 1, wallTime: 2, value: 0.1, dtype: .double)))
        // A rank-1 tensor under "scalars" is not a scalar: handed over raw, not a failure.
        let vector = c.classify(
            SummaryValue(
                tag: "c", metadata: meta, kind: .tensor(TensorProto(dtype: .float, shape: [2], floatValues: [1, 2]))),
            step: 1, wallTime: 2)
        guard case .other(let o) = vector else {
            Issue.record("expected raw")
            return
        }
        #expect(o.pluginName == .scalars)
    }

    @Test func csvExportHasTidyRowsWithExactFloat32Values() throws {
        let dir = TemporaryDirectory()
        dir.write(
            "b/events.out.tfevents.1.h",
            Self.file([
                Self.scalarEvent("loss", 0.1, step: 1, wall: 10.5),
                Self.scalarEvent("a,b", .nan, step: 2, wall: 11),
            ]))
        dir.write("a/events.out.tfevents.1.h", Self.file([Self.scalarEvent("loss", -2, step: 0, wall: 1)]))
        var text = ""
        let counts = try TidyExporter().export(logdir: dir.path) { text += $0 }
        #expect(
            text == """
                run,tag,step,wall_time,value
                a,loss,0,1.0,-2.0
                b,loss,1,10.5,0.1
                b,"a,b",2,11.0,nan

                """)
        #expect(counts.rows == 3 && counts.runs == 2)
    }

    @Test func jsonlHistogramStatisticsExportHasOneObjectPerHistogram() throws {
        let dir = TemporaryDirectory()
        let h = HistogramProto(min: 1, max: 3, num: 2, sum: 4, sumSquares: 10, bucketLimits: [2, 3], buckets: [1, 1])
        dir.write(
            "r/events.out.tfevents.1.h",
            Self.file([
                Event(
                    wallTime: 5, step: 3, what: .summary(Summary(values: [SummaryValue(tag: "w", kind: .histogram(h))]))
                )
            ]))
        var text = ""
        _ = try TidyExporter(format: .jsonl, kind: .histograms, statistics: true).export(logdir: dir.path) {
            text += $0
        }
        #expect(
            text
                == "{\"run\":\"r\",\"tag\":\"w\",\"step\":3,\"wall_time\":5.0,\"min\":1.0,\"max\":3.0,\"num\":2.0,\"sum\":4.0,\"mean\":2.0,\"std\":1.0}\n"
        )
        var buckets = ""
        _ = try TidyExporter(kind: .histograms, tags: ["w"]).export(logdir: dir.path) { buckets += $0 }
        #expect(buckets == "run,tag,step,wall_time,left,right,count\nr,w,3,5.0,1.0,2.0,1.0\nr,w,3,5.0,2.0,3.0,1.0\n")
    }

    @Test func exportFiltersByRunAndTag() throws {
        let dir = TemporaryDirectory()
        dir.write(
            "a/events.out.tfevents.1.h",
            Self.file([Self.scalarEvent("x", 1, step: 0, wall: 1), Self.scalarEvent("y", 2, step: 0, wall: 1)]))
        dir.write("b/events.out.tfevents.1.h", Self.file([Self.scalarEvent("x", 3, step: 0, wall: 1)]))
        var text = ""
        let counts = try TidyExporter(runs: ["a"], tags: ["y"]).export(logdir: dir.path) { text += $0 }
        #expect(counts.rows == 1)
        #expect(text.hasSuffix("a,y,0,1.0,2.0\n"))
    }

    @Test func compareRanksRunsByBestValueWithLowerBetterForLosses() throws {
        let dir = TemporaryDirectory()
        dir.write(
            "fast/events.out.tfevents.1.h",
            Self.file([
                Self.scalarEvent("val/loss", 1.0, step: 1, wall: 1),
                Self.scalarEvent("val/loss", 0.25, step: 2, wall: 2),
                Self.scalarEvent("val/loss", 0.5, step: 3, wall: 3),
            ]))
        dir.write(
            "slow/events.out.tfevents.1.h",
            Self.file([
                Self.scalarEvent("val/loss", 2.0, step: 1, wall: 1),
                Self.scalarEvent("val/loss", 0.75, step: 2, wall: 2),
            ]))
        let c = try ScalarComparison.compare(logdir: dir.path)
        #expect(c.tags.map(\.tag) == ["val/loss"])
        #expect(c.tags[0].goal == .minimize)
        #expect(
            c.tags[0].entries == [
                .init(
                    run: "fast", source: dir.path, count: 3, last: 0.5, lastStep: 3, min: 0.25, max: 1.0, best: 0.25,
                    bestStep: 2),
                .init(
                    run: "slow", source: dir.path, count: 2, last: 0.75, lastStep: 2, min: 0.75, max: 2.0, best: 0.75,
                    bestStep: 2),
            ])
        let flipped = try ScalarComparison.compare(logdir: dir.path, goal: .maximize)
        #expect(flipped.tags[0].entries.map(\.run) == ["slow", "fast"])
        #expect(ScalarComparison.Goal.guess(tag: "train/accuracy") == .maximize)
    }

    @Test func inspectionGroupsTagsByKindWithStepRangesAndLastScalar() throws {
        let inspection = try LogdirInspection.inspect(logdir: Fixtures.directory)
        #expect(inspection.runs.map(\.name) == ["tensorboardx-writer", "tensorflow-style"])
        let tbx = inspection.runs[0]
        #expect(tbx.events == 11)
        #expect(tbx.tags.map(\.kind) == ["scalars", "histograms", "images", "text"])
        #expect(
            tbx.tags[0].tag == "train/loss" && tbx.tags[0].count == 6 && tbx.tags[0].firstStep == 0
                && tbx.tags[0].lastStep == 5)
        #expect(tbx.tags[0].lastValue == Double(Float(0.1)))
        #expect(tbx.problems.isEmpty)
    }

    @Test func missingLogdirIsATypedError() {
        #expect(throws: LogDirectoryError.notFound(path: "/nonexistent/logs")) {
            try RunDirectory.discover(logdir: "/nonexistent/logs")
        }
    }
}
