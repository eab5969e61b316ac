import Foundation
import Synchronization
import TBKitTestSupport
import Testing

@testable import TBKit

/// Collects the paths `onFileSealed` reports.
final class SealedFiles: Sendable {
    let paths = Mutex<[String]>([])
    var all: [String] { paths.withLock { $0 } }
    func record(_ path: String) { paths.withLock { $0.append(path) } }
}

@Suite struct SummaryWriterRotationTests {
    /// Every scalar point of the files, in file order, checking each file starts with file_version.
    func points(_ files: [String]) throws -> [(tag: String, step: Int64, value: Float)] {
        var out: [(String, Int64, Float)] = []
        for file in files {
            let records = try #require(splitRecords(readFile(file)), "damaged \(file)")
            let events = try records.map { try Event(decoding: $0) }
            guard case .fileVersion("brain.Event:2") = events.first?.what else {
                Issue.record("\(file) does not start with file_version")
                continue
            }
            for event in events.dropFirst() {
                guard case .summary(let summary) = event.what else { continue }
                for value in summary.values {
                    if case .simpleValue(let x) = value.kind { out.append((value.tag, event.step, x)) }
                }
            }
        }
        return out
    }

    @Test func aSizeLimitSealsFilesThatSortInWriteOrderAndLoseOrRepeatNothing() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let sealed = SealedFiles()
        let writer = try SummaryWriter(
            logdir: dir, rotation: .init(maxBytes: 2_000), onFileSealed: { sealed.record($0) })
        for step in 0..<1_000 { try writer.scalar("loss", Float(step), step: step) }
        let written = writer.paths
        try writer.close()
        // 42 bytes a point: about 48 points a file.
        #expect(written.count >= 20)
        #expect(written == written.sorted())
        let names = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains("tfevents") }
        #expect(names.sorted().map { dir + "/" + $0 } == written)
        for file in written.dropLast() {
            let size = try #require(try FileManager.default.attributesOfItem(atPath: file)[.size] as? Int)
            #expect(size >= 2_000 && size < 2_000 + 42)
        }
        let read = try points(written)
        #expect(read.map(\.step) == (0..<1_000).map { Int64($0) })
        #expect(read.map(\.value) == (0..<1_000).map { Float($0) })
        // Each file reported once, after it was closed whole; the last one by close().
        #expect(sealed.all == written)
    }

    @Test func rotateSealsTheCurrentFileOnDemand() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let sealed = SealedFiles()
        let writer = try SummaryWriter(logdir: dir, onFileSealed: { sealed.record($0) })
        try writer.scalar("a", 1, step: 0)
        let first = writer.path
        try writer.rotate()
        #expect(sealed.all == [first])
        #expect(writer.path != first)
        try writer.scalar("a", 2, step: 1)
        try writer.close()
        #expect(sealed.all == writer.paths)
        #expect(try points(writer.paths).map(\.step) == [0, 1])
        #expect(throws: SummaryWriterError.closed(path: writer.path)) { try writer.rotate() }
    }

    @Test func anAgeLimitSealsTheFileAtTheFirstRecordAfterIt() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let writer = try SummaryWriter(logdir: dir, flushInterval: 0, rotation: .init(maxSeconds: 0.2))
        try writer.scalar("a", 1, step: 0)
        #expect(writer.paths.count == 1)
        Thread.sleep(forTimeInterval: 0.3)
        try writer.scalar("a", 2, step: 1)
        try writer.scalar("a", 3, step: 2)
        try writer.close()
        #expect(writer.paths.count == 2)
        #expect(try points(writer.paths).map(\.step) == [0, 1, 2])
    }

    @Test func theBackgroundFlushSealsAnIdleFileAtItsAgeLimit() throws {
        let sealed = SealedFiles()
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(
            logdir: tmp.path, flushInterval: 0.1, rotation: .init(maxSeconds: 0.2),
            onFileSealed: { sealed.record($0) })
        let first = writer.path
        try writer.scalar("a", 1, step: 0)
        Thread.sleep(forTimeInterval: 0.6)
        #expect(sealed.all.first == first)
        try writer.close()
    }

    @Test func pluginMetadataIsRepeatedInEachNewFile() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, scalarFormat: .tensor)
        try writer.scalar("t", 1, step: 0)
        try writer.scalar("t", 1, step: 1)
        try writer.rotate()
        try writer.scalar("t", 1, step: 2)
        try writer.close()
        let perFile = try writer.paths.map { file in
            try #require(splitRecords(readFile(file))).map { try Event(decoding: $0) }.filter {
                if case .summary(let s) = $0.what { s.values.first?.metadata != nil } else { false }
            }.count
        }
        #expect(perFile == [1, 1])
    }

    @Test(arguments: [
        FileRotation(maxBytes: 0), FileRotation(maxBytes: -5), FileRotation(maxSeconds: 0),
        FileRotation(maxSeconds: -1), FileRotation(maxSeconds: .infinity), FileRotation(),
    ])
    func aRotationLimitOfZeroOrLessIsRefusedAtConstruction(_ rotation: FileRotation) throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path + "/run"
        #expect {
            _ = try SummaryWriter(logdir: dir, rotation: rotation)
        } throws: { error in
            guard case .invalidRotation = error as? SummaryWriterError else { return false }
            return true
        }
        #expect(!FileManager.default.fileExists(atPath: dir))
    }

    @Test func bothLimitsTogetherCompileAsTheIssueWritesThem() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(
            logdir: tmp.path, rotation: .init(maxBytes: 256 << 20, maxSeconds: 3600))
        #expect(writer.rotation == FileRotation(maxBytes: 256 << 20, maxSeconds: 3600))
        try writer.close()
    }
}
