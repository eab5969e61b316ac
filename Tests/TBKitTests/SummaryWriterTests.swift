import Foundation
import SystemPackage
import TBKitTestSupport
import Testing

@testable import TBKit

@Suite struct SummaryWriterTests {
    func eventFiles(_ dir: String) -> [String] {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir)) ?? [])
            .filter { $0.contains("tfevents") }.sorted()
    }

    @Test func createsTheDirectoryAndAFileStartingWithFileVersion() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path + "/a/b/run1"
        let writer = try SummaryWriter(logdir: dir)
        try writer.close()
        let files = eventFiles(dir)
        #expect(files.count == 1)
        let name = files[0]
        let parts = name.split(separator: ".")
        // events.out.tfevents.<10 digits>.<host...>.<pid>.<6-digit n>.<8 hex digits>
        #expect(name.hasPrefix("events.out.tfevents."))
        #expect(parts[3].count == 10 && parts[3].allSatisfy(\.isNumber))
        #expect(parts[parts.count - 3] == Substring(String(getpid())))
        #expect(parts[parts.count - 2].count == 6 && parts[parts.count - 2].allSatisfy(\.isNumber))
        #expect(parts[parts.count - 1].count == 8 && parts[parts.count - 1].allSatisfy(\.isHexDigit))
        let records = try #require(splitRecords(readFile(writer.path)))
        #expect(records.count == 1)
        // wall time (09 + 8 bytes), then file_version (1a 0d "brain.Event:2")
        #expect(records[0].count == 24)
        #expect(Array(records[0][9...]) == [0x1A, 0x0D] + Array("brain.Event:2".utf8))
    }

    @Test func twoWritersInOneSecondGetDifferentFiles() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let a = try SummaryWriter(logdir: dir)
        let b = try SummaryWriter(logdir: dir)
        #expect(a.path != b.path)
        try a.close()
        try b.close()
        #expect(eventFiles(dir).count == 2)
    }

    @Test func scalarRecordIsTheV1EventWithTheGivenWallTimeAndStep() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        try writer.scalar("loss", 0.5, step: 1, wallTime: 1_700_000_000)
        try writer.scalar("zero", 0.0, step: 2, wallTime: 1_700_000_000)
        try writer.close()
        let records = try #require(splitRecords(readFile(writer.path)))
        #expect(records.count == 3)
        let expected = Event(
            wallTime: 1_700_000_000, step: 1,
            what: .summary(
                Summary(values: [
                    SummaryValue(tag: "loss", kind: .simpleValue(0.5))
                ]))
        ).encoded()
        #expect(records[1] == expected)
        // 0.0 is still written: the value ends with 15 00 00 00 00.
        #expect(Array(records[2].suffix(5)) == [0x15, 0, 0, 0, 0])
    }

    @Test func tensorScalarsCarryPluginMetadataOnlyOnTheFirstValueOfATag() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir, scalarFormat: .tensor)
        try writer.scalar("acc", 0.25, step: 0, wallTime: 10)
        try writer.scalar("acc", 0.5, step: 1, wallTime: 10)
        try writer.close()
        let records = try #require(splitRecords(readFile(writer.path)))
        let first = Event(
            wallTime: 10, step: 0,
            what: .summary(
                Summary(values: [
                    SummaryValue(
                        tag: "acc", metadata: SummaryMetadata(pluginName: .scalars), kind: .tensor(.scalar(0.25)))
                ]))
        ).encoded()
        let second = Event(
            wallTime: 10, step: 1,
            what: .summary(
                Summary(values: [
                    SummaryValue(tag: "acc", kind: .tensor(.scalar(0.5)))
                ]))
        ).encoded()
        #expect(records[1] == first)
        #expect(records[2] == second)
    }

    @Test func histogramWithNonFiniteValuesAlsoLogsTheirCount() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir)
        let h = try writer.histogram("w", [1, 2, .nan] as [Float], step: 3, wallTime: 5)
        try writer.close()
        #expect(h.nonFiniteCount == 1)
        let records = try #require(splitRecords(readFile(writer.path)))
        #expect(records.count == 3)
        let expected = Event(
            wallTime: 5, step: 3,
            what: .summary(
                Summary(values: [
                    SummaryValue(tag: "w/nonfinite_count", kind: .simpleValue(1))
                ]))
        ).encoded()
        #expect(records[2] == expected)
    }

    @Test func emptyTagAndControlCharactersAreRefused() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path)
        #expect(throws: SummaryWriterError.self) { try writer.scalar("", 1, step: 0) }
        #expect(throws: SummaryWriterError.self) { try writer.scalar("a\nb", 1, step: 0) }
        #expect(throws: SummaryWriterError.self) { try writer.histogram("", [1.0] as [Float], step: 0) }
        #expect(throws: SummaryWriterError.self) { try writer.scalar("t", 1, step: 0, wallTime: .nan) }
        try writer.close()
    }

    @Test func writingAfterCloseThrowsAndKeepsTheFileIntact() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path)
        try writer.scalar("a", 1, step: 0)
        try writer.close()
        #expect(throws: SummaryWriterError.closed(path: writer.path)) { try writer.scalar("a", 2, step: 1) }
        try writer.close()
        #expect(splitRecords(readFile(writer.path))?.count == 2)
    }

    @Test func aLogdirUnderAFileSaysThatPathIsAFileNotADirectory() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let blocker = dir + "/file"
        _ = FileManager.default.createFile(atPath: blocker, contents: Data([1]))
        do {
            _ = try SummaryWriter(logdir: blocker + "/run")
            Issue.record("expected an error")
        } catch let error as SummaryWriterError {
            guard case .cannotCreateDirectory(let path, _) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(path == blocker + "/run")
            #expect(
                error.description == "cannot create log directory \(blocker)/run: \(blocker) is a file, not a directory"
            )
        }
    }

    @Test func recordsAppearWithoutAnExplicitFlushWithinTheFlushInterval() async throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0.05)
        try writer.scalar("a", 1, step: 0)
        var seen = 0
        for _ in 0..<200 where seen < 2 {
            try await Task.sleep(nanoseconds: 25_000_000)
            seen = splitRecords(readFile(writer.path))?.count ?? 0
        }
        #expect(seen == 2)
        try writer.close()
    }

    @Test func manyThreadsLoseNoRecordsAndInterleaveNone() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path)
        let threads = 8
        let perThread = 5_000
        DispatchQueue.concurrentPerform(iterations: threads) { t in
            for i in 0..<perThread {
                try? writer.scalar("thread\(t)", Float(i), step: i)
                if i % 1000 == 0 { _ = try? writer.histogram("h\(t)", [Float(i), 1, 2], step: i) }
            }
        }
        try writer.close()
        let records = try #require(splitRecords(readFile(writer.path)))
        #expect(records.count == 1 + threads * perThread + threads * (perThread / 1000))
    }

    @Test(.enabled(if: FileManager.default.fileExists(atPath: "/dev/full"), "needs Linux's /dev/full"))
    func aDeviceThatIsFullMakesTheFirstWriteADiskFullErrorAtOffsetZero() throws {
        // /dev/full refuses every write with ENOSPC: the real write path, no stand-in.
        let fd = try FileDescriptor.open("/dev/full", .writeOnly)
        #expect {
            _ = try EventFileWriter(fileDescriptor: fd.rawValue, path: "/dev/full", wallTime: 1)
        } throws: { error in
            guard case .writeFailed(let path, let offset, let reason, let diskFull)? = error as? SummaryWriterError
            else { return false }
            return path == "/dev/full" && offset == 0 && diskFull && reason == "\(Errno.noSpace)"
        }
    }

    @Test func aFailedWriteThatWroteNothingLeavesTheFileAsItWasAndIsRetried() throws {
        let tmp = TemporaryDirectory()
        let file = try EventFileWriter(directory: tmp.path)
        let sound = file.bytesWritten
        file.append(
            Event(wallTime: 1, step: 1, what: .summary(Summary(values: [.init(tag: "x", kind: .simpleValue(1))]))))
        file.writeAll = { _, _ throws(Errno) in throw .ioError }
        #expect {
            try file.flush()
        } throws: { error in
            guard case .writeFailed(_, let offset, _, let diskFull)? = error as? SummaryWriterError else {
                return false
            }
            return offset == sound && !diskFull
        }
        #expect(readFile(file.path).count == sound)
        file.writeAll = { fd, bytes throws(Errno) in try fd.writeFully(bytes) }
        try file.close()
        #expect(splitRecords(readFile(file.path))?.count == 2)
    }

    @Test func aFullDiskKeepsEveryEarlierRecordAndTheFileEndsOnARecordBoundary() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let file = try EventFileWriter(directory: dir)
        for i in 0..<10 {
            file.append(
                Event(
                    wallTime: 1, step: Int64(i),
                    what: .summary(
                        Summary(values: [
                            SummaryValue(tag: "x", kind: .simpleValue(Float(i)))
                        ]))))
        }
        try file.flush()
        // The disk fills up 20 bytes into the next write.
        file.writeAll = { fd, bytes throws(Errno) in
            try fd.writeFully(UnsafeRawBufferPointer(rebasing: bytes.prefix(20)))
            throw .noSpace
        }
        for i in 10..<15 {
            file.append(
                Event(
                    wallTime: 1, step: Int64(i),
                    what: .summary(
                        Summary(values: [
                            SummaryValue(tag: "x", kind: .simpleValue(Float(i)))
                        ]))))
        }
        do {
            try file.flush()
            Issue.record("expected a disk-full error")
        } catch let error as SummaryWriterError {
            guard case .writeFailed(_, let offset, _, let diskFull) = error else {
                Issue.record("wrong error \(error)")
                return
            }
            #expect(diskFull)
            #expect(offset == file.bytesWritten)
        }
        // Everything before the failure is whole and readable; the partial record is gone.
        #expect(splitRecords(readFile(file.path))?.count == 11)
        // Space comes back: the buffered records are written on the next flush.
        file.writeAll = { fd, bytes throws(Errno) in try fd.writeFully(bytes) }
        try file.close()
        #expect(splitRecords(readFile(file.path))?.count == 16)
    }
}

@Suite struct SummaryWriterInputTests {
    @Test func slicesContiguousArraysAndLazyCollectionsGiveTheSameHistogramAsArrays() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path)
        let values: [Float] = (0..<1000).map { Float($0) * 0.37 - 100 }
        let fromArray = try writer.histogram("a", values, step: 0)
        let fromSlice = try writer.histogram("b", values[0..<1000], step: 0)
        let fromContiguous = try writer.histogram("c", ContiguousArray(values), step: 0)
        let fromLazy = try writer.histogram("d", values.lazy.map { $0 }, step: 0)
        #expect(fromSlice.bucketCounts == fromArray.bucketCounts)
        #expect(fromContiguous.bucketCounts == fromArray.bucketCounts)
        #expect(fromLazy.bucketCounts == fromArray.bucketCounts)
        #expect(fromLazy.min == fromArray.min && fromLazy.max == fromArray.max)
        try writer.close()
    }
}
