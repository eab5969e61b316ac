import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// The resumable TFRecord reader: growing files, CRC failures, absurd lengths.
@Suite struct RecordReaderTests {
    static let specRecord = RecordWriterTests.hex(
        """
        18 00 00 00 00 00 00 00  a3 7f 4b 22  09 00 00 00 00 00 00 f0 3f 1a 0d 62 72 61 69 6e \
        2e 45 76 65 6e 74 3a 32  86 bf 57 7a
        """)

    @Test func specFileVersionRecordReadsBackItsPayload() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("a.tfevents", Self.specRecord)
        let reader = try RecordReader(path: path)
        guard case .record(let offset, let payload) = try reader.next() else {
            Issue.record("expected a record")
            return
        }
        #expect(offset == 0)
        #expect(try Event(decoding: payload) == Event(wallTime: 1.0, what: .fileVersion("brain.Event:2")))
        #expect(try reader.next().summary == "end")
        #expect(reader.offset == 40)
    }

    @Test func growingFileGivesIncompleteThenTheRecordOnceTheRestIsAppended() throws {
        let dir = TemporaryDirectory()
        let record = RecordWriter.frame(Array(repeating: 0x42, count: 100))
        let path = dir.write("g.tfevents", Self.specRecord)
        let reader = try RecordReader(path: path)
        #expect(try reader.next().summary == "record@0:24")
        #expect(try reader.next().summary == "end")
        // Half a header.
        dir.append(path, Array(record[0..<6]))
        #expect(try reader.next().summary == "incomplete@40:6/12")
        // The rest of the header and part of the body.
        dir.append(path, Array(record[6..<60]))
        #expect(try reader.next().summary == "incomplete@40:60/116")
        #expect(reader.offset == 40)
        // The rest, plus the next record's first byte.
        dir.append(path, Array(record[60...]) + [0x18])
        #expect(try reader.next().summary == "record@40:100")
        #expect(try reader.next().summary == "incomplete@156:1/12")
        #expect(reader.recordCount == 2)
    }

    @Test func badLengthCRCIsFatalForTheFileAndSaysWhere() throws {
        let dir = TemporaryDirectory()
        var bytes = Self.specRecord + Self.specRecord
        bytes[40 + 9] ^= 0x01  // second record's length CRC
        let path = dir.write("b.tfevents", bytes)
        let reader = try RecordReader(path: path)
        #expect(try reader.next().summary == "record@0:24")
        #expect(
            throws: RecordReaderError.badLengthCRC(
                path: path, offset: 40, stored: 0x224B_7FA3 ^ 0x100, computed: 0x224B_7FA3)
        ) {
            try reader.next()
        }
        // And it stays stopped.
        #expect(throws: RecordReaderError.self) { try reader.next() }
    }

    @Test func zeroFilledRegionIsABadLengthCRCWithTheKnownValue() throws {
        let dir = TemporaryDirectory()
        let path = dir.write("z.tfevents", Self.specRecord + Array(repeating: 0, count: 64))
        let reader = try RecordReader(path: path)
        _ = try reader.next()
        #expect(throws: RecordReaderError.badLengthCRC(path: path, offset: 40, stored: 0, computed: 0x0798_0329)) {
            try reader.next()
        }
    }

    @Test func badDataCRCSkipsOnlyThatRecord() throws {
        let dir = TemporaryDirectory()
        var bytes = Self.specRecord + Self.specRecord + Self.specRecord
        bytes[40 + 20] ^= 0x10  // payload byte of the second record
        let path = dir.write("d.tfevents", bytes)
        let reader = try RecordReader(path: path)
        #expect(try reader.next().summary == "record@0:24")
        guard case .damaged(let d) = try reader.next() else {
            Issue.record("expected damage")
            return
        }
        #expect(d.offset == 40 && d.length == 24 && d.storedCRC == 0x7A57_BF86)
        #expect(try reader.next().summary == "record@80:24")
        #expect(try reader.next().summary == "end")
    }

    @Test func lengthOfTwoGiBOrMoreIsRefused() throws {
        let dir = TemporaryDirectory()
        var header: [UInt8] = []
        withUnsafeBytes(of: (UInt64(1) << 31).littleEndian) { header += $0 }
        let crc = header.withUnsafeBytes { CRC32C.maskedChecksum($0) }
        withUnsafeBytes(of: crc.littleEndian) { header += $0 }
        let path = dir.write("o.tfevents", header + [1, 2, 3])
        let reader = try RecordReader(path: path)
        #expect(throws: RecordReaderError.lengthTooLarge(path: path, offset: 0, length: 1 << 31)) { try reader.next() }
    }

    @Test func soundLengthBeyondTheFileIsIncompleteWithoutGrowingTheBuffer() throws {
        let dir = TemporaryDirectory()
        let big = RecordWriter.frame(Array(repeating: 7, count: 5000))
        let path = dir.write("p.tfevents", Array(big[0..<100]))
        let reader = try RecordReader(path: path, chunkSize: 256)
        #expect(try reader.next().summary == "incomplete@0:100/5016")
        // More than a chunk present, still short: the count is what the file holds.
        dir.append(path, Array(big[100..<1000]))
        #expect(try reader.next().summary == "incomplete@0:1000/5016")
        dir.append(path, Array(big[1000...]))
        #expect(try reader.next().summary == "record@0:5000")
    }

    @Test func recordsLargerThanTheChunkAndManySmallOnesAllComeBack() throws {
        let dir = TemporaryDirectory()
        var bytes: [UInt8] = []
        var sizes: [Int] = []
        for i in 0..<500 {
            let n = (i * 37) % 700
            sizes.append(n)
            RecordWriter.append(payload: [UInt8](repeating: UInt8(i & 0xFF), count: n), to: &bytes)
        }
        let path = dir.write("m.tfevents", bytes)
        let reader = try RecordReader(path: path, chunkSize: 512)
        var got: [Int] = []
        while case .record(_, let payload) = try reader.next() {
            got.append(payload.count)
            #expect(payload.allSatisfy { $0 == UInt8((got.count - 1) & 0xFF) })
        }
        #expect(got == sizes)
    }

    @Test func missingFileIsAnIOError() {
        #expect(throws: RecordReaderError.self) { try RecordReader(path: "/nonexistent/x.tfevents") }
    }
}
