import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// A small event file damaged at every byte, and cut at every byte: the readers never crash and
/// always name the record and kind of damage.
@Suite struct DamagedFileTests {
    static let file = sampleEventFile(scalars: 3)
    /// Start offsets of the records, and the end of the file.
    static let boundaries: [Int] = {
        var offsets = [0]
        var at = 0
        while at < file.count {
            let length = file[at..<at + 8].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
            at += 16 + length
            offsets.append(at)
        }
        return offsets
    }()

    func recordIndex(containing offset: Int) -> Int {
        (Self.boundaries.lastIndex { $0 <= offset }) ?? 0
    }

    @Test func fixtureHasFourRecords() {
        #expect(Self.boundaries.count == 5)
        #expect(Self.boundaries.last == Self.file.count)
    }

    @Test func flippedByteAtEveryOffsetIsReportedAtItsRecordWithTheRightKind() {
        let dir = TemporaryDirectory()
        for offset in 0..<Self.file.count {
            for mask: UInt8 in [0x01, 0x80, 0xFF] {
                var bytes = Self.file
                bytes[offset] ^= mask
                let path = dir.write("f.tfevents", bytes)
                let v = FileVerification.verify(path: path)
                let record = recordIndex(containing: offset)
                let start = Self.boundaries[record]
                let within = offset - start
                #expect(!v.isSound, "flip at \(offset) went unnoticed")
                guard let first = v.firstIssue else { continue }
                #expect(
                    first.offset == Int64(start),
                    "flip at \(offset): reported at \(first.offset), record starts at \(start)")
                if within < 12 {
                    // Length or length CRC: framing lost, nothing after it is read.
                    #expect(
                        first.kind == .badLengthCRC || first.kind == .lengthTooLarge,
                        "flip at \(offset): \(first.kind)")
                    #expect(v.issues.count == 1)
                    #expect(v.soundRecords == record)
                } else {
                    // Payload or data CRC: only that record is lost.
                    #expect(first.kind == .badDataCRC, "flip at \(offset): \(first.kind)")
                    #expect(v.soundRecords == Self.boundaries.count - 2)
                    #expect(v.damagedRecords == 1)
                }
                // The event reader steps over the same damage without failing.
                let reader = EventFileReader(file: path)
                var events = 0
                while reader.next() != nil { events += 1 }
                #expect(events == v.soundRecords)
                #expect(reader.problems.count == 1)
            }
        }
    }

    @Test func truncationAtEveryOffsetIsATruncatedTailAfterTheCompleteRecords() {
        let dir = TemporaryDirectory()
        for cut in 0..<Self.file.count {
            let path = dir.write("t.tfevents", Array(Self.file[0..<cut]))
            let v = FileVerification.verify(path: path)
            let complete = Self.boundaries.filter { $0 <= cut && $0 > 0 }.count
            if cut == 0 {
                #expect(v.firstIssue?.kind == .missingFileVersion)
            } else if Self.boundaries.contains(cut) {
                #expect(v.isSound, "cut at boundary \(cut) should be sound")
                #expect(v.soundRecords == complete)
            } else {
                #expect(v.truncatedTail, "cut at \(cut)")
                #expect(v.issues.count == 1)
                #expect(v.firstIssue?.kind == .truncatedTail)
                #expect(v.firstIssue?.offset == Int64(Self.boundaries[complete]))
                #expect(v.completeRecordsBeforeTail == complete)
            }
            let reader = EventFileReader(file: path)
            var events = 0
            while reader.next() != nil { events += 1 }
            #expect(events == complete)
            #expect(reader.problems.isEmpty)
            #expect((reader.pendingTail != nil) == (cut > 0 && !Self.boundaries.contains(cut)))
        }
    }

    @Test func payloadThatPassesItsCRCButIsNotAnEventIsNamedUndecodable() {
        let dir = TemporaryDirectory()
        var bytes = RecordWriter.frame(Event(wallTime: 1, what: .fileVersion("brain.Event:2")).encoded())
        RecordWriter.append(payload: [0x0B, 0x00], to: &bytes)  // field 1, wire type 3: a group
        let path = dir.write("u.tfevents", bytes)
        let v = FileVerification.verify(path: path)
        #expect(v.issues.map(\.kind) == [.undecodableEvent])
        #expect(v.firstIssue?.offset == 40)
        #expect(v.firstIssue?.reason.contains("wire type 3") == true)
    }

    @Test func firstRecordThatIsNotFileVersionIsReported() {
        let dir = TemporaryDirectory()
        let bytes = RecordWriter.frame(Event(wallTime: 1, step: 1, what: .summary(Summary(values: []))).encoded())
        let v = FileVerification.verify(path: dir.write("n.tfevents", bytes))
        #expect(v.issues.map(\.kind) == [.missingFileVersion])
    }

    @Test func randomGarbageNeverCrashesTheReaders() {
        let dir = TemporaryDirectory()
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<200 {
            var bytes = Self.file
            for _ in 0..<Int.random(in: 1...8, using: &rng) {
                bytes[Int.random(in: 0..<bytes.count, using: &rng)] = UInt8.random(in: 0...255, using: &rng)
            }
            let path = dir.write("r.tfevents", bytes)
            _ = FileVerification.verify(path: path)
            let reader = EventFileReader(file: path)
            while reader.nextValue() != nil {}
        }
        // Payloads that pass their CRC but hold random bytes: the decoder must refuse or accept, never crash.
        for _ in 0..<2000 {
            let payload = (0..<Int.random(in: 0...64, using: &rng)).map { _ in UInt8.random(in: 0...255, using: &rng) }
            _ = try? Event(decoding: payload)
        }
    }
}
