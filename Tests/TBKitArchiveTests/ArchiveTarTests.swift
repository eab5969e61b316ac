import Testing

@testable import TBKit
@testable import TBKitArchive

@Suite struct ArchiveTarTests {
    static func write(_ body: (inout TarWriter) throws -> Void) throws -> [UInt8] {
        final class Box { var bytes = [UInt8]() }
        let box = Box()
        var writer = TarWriter { box.bytes.append(contentsOf: $0) }
        try body(&writer)
        try writer.finish()
        return box.bytes
    }

    static func readAll(_ bytes: [UInt8]) throws -> [(TarEntry, [UInt8])] {
        var offset = 0
        var reader = TarReader { buffer in
            let n = min(buffer.count, bytes.count - offset)
            bytes[offset..<(offset + n)].withUnsafeBytes { buffer.copyMemory(from: $0) }
            offset += n
            return n
        }
        var result = [(TarEntry, [UInt8])]()
        while let entry = try reader.next() {
            var data = [UInt8]()
            try reader.readData { data.append(contentsOf: $0) }
            result.append((entry, data))
        }
        return result
    }

    @Test func ustarHeaderHasMagicOctalSizeAndAValidChecksum() {
        let block = TarHeader(
            name: Array("a.txt".utf8), mode: 0o644, size: 5, mtime: 1_700_000_000,
            typeflag: UInt8(ascii: "0")
        ).encode()
        #expect(block.count == 512)
        #expect(Array(block[257..<263]) == Array("ustar\0".utf8))
        #expect(Array(block[124..<136]) == Array("00000000005\0".utf8))
        let sum = block.enumerated().reduce(0) { $0 + Int((148..<156).contains($1.offset) ? 32 : $1.element) }
        #expect(Array(block[148..<156]) == Array(String(sum, radix: 8).leftPadded(6).utf8) + [0, 32])
    }

    @Test func namesLongerThan100BytesAndNonASCIIRoundTripThroughPax() throws {
        let long = String(repeating: "d/", count: 60) + "events.out.tfevents.1234567890.host"
        let accented = "run-é/日本.txt"
        let bytes = try Self.write { w in
            try w.append(TarEntry(path: long, kind: .regular, mtime: 5), data: [1, 2, 3])
            try w.append(TarEntry(path: accented, kind: .regular, mtime: 6), data: [])
            try w.append(TarEntry(path: "ln", kind: .symlink, linkTarget: String(repeating: "t", count: 150)))
        }
        let entries = try Self.readAll(bytes)
        #expect(entries.map(\.0.path) == [long, accented, "ln"])
        #expect(entries[0].1 == [1, 2, 3])
        #expect(entries[1].0.size == 0)
        #expect(entries[2].0.linkTarget == String(repeating: "t", count: 150))
    }

    @Test func corruptedHeaderChecksumIsReportedWithTheMemberName() throws {
        var bytes = try Self.write { w in
            try w.append(TarEntry(path: "first", kind: .regular), data: [9])
            try w.append(TarEntry(path: "second", kind: .regular), data: [8])
        }
        bytes[1024 + 130] ^= 0x01  // a size digit of "second"'s header
        #expect(throws: TarError.badHeaderChecksum(offset: 1024, nameField: "second", previousMember: "first")) {
            _ = try Self.readAll(bytes)
        }
    }

    @Test func streamEndingInsideDataIsTruncationOfThatMember() throws {
        let bytes = try Self.write { w in
            try w.append(TarEntry(path: "big", kind: .regular), data: [UInt8](repeating: 1, count: 5000))
        }
        #expect(throws: TarError.truncated(offset: 512 + 3000, member: "big")) {
            _ = try Self.readAll(Array(bytes[0..<(512 + 3000)]))
        }
    }

    @Test func writerRefusesMoreDataThanTheHeaderDeclared() throws {
        #expect(throws: TarError.self) {
            _ = try Self.write { w in
                try w.beginEntry(TarEntry(path: "x", kind: .regular, size: 2))
                try [UInt8]([1, 2, 3]).withUnsafeBytes { try w.writeData($0) }
            }
        }
    }

    @Test func paxRecordLengthCountsItsOwnDigits() {
        // "path=" + 95 chars: body " path=<95>\n" is 102 bytes, so the record is "105 ..." (3 digits).
        let record = TarPaxRecords.encode([("path", String(repeating: "p", count: 95))])
        #expect(record.count == 105)
        #expect(Array(record.prefix(4)) == Array("105 ".utf8))
        #expect(TarPaxRecords.decode(record) == ["path": String(repeating: "p", count: 95)])
    }
}

extension String {
    fileprivate func leftPadded(_ width: Int) -> String {
        String(repeating: "0", count: max(0, width - count)) + self
    }
}

extension ArchiveTarTests {
    @Test func directoryWhoseNamePlusSlashExceeds100BytesGetsAPaxPath() throws {
        let path = String(repeating: "x", count: 100)  // 101 bytes with the trailing slash
        let bytes = try Self.write { w in try w.append(TarEntry(path: path, kind: .directory)) }
        #expect(try Self.readAll(bytes).map(\.0.path) == [path])
    }
}

extension ArchiveTarTests {
    @Test func sizeBeyondElevenOctalDigitsIsWrittenAsAPaxSizeRecord() throws {
        final class Box { var bytes = [UInt8]() }
        let box = Box()
        var writer = TarWriter { box.bytes.append(contentsOf: $0) }
        let huge: UInt64 = TarHeader.maxOctalSize + 1  // 8 GiB
        try writer.beginEntry(TarEntry(path: "big.bin", kind: .regular, size: huge))
        // pax header block, its data block, then the member's own ustar header.
        #expect(box.bytes.count == 3 * 512)
        #expect(box.bytes[156] == UInt8(ascii: "x"))
        let records = TarPaxRecords.decode(Array(box.bytes[512..<1024].prefix { $0 != 0 }))
        #expect(records == ["size": String(huge)])
        #expect(Array(box.bytes[1024 + 124..<1024 + 136]) == Array("77777777777\0".utf8))
    }

    @Test func readerTakesTheSizeFromAPaxRecordOverTheHeader() throws {
        // A hand-built pax header saying 3 bytes for a member whose ustar header says 0.
        var bytes = TarHeader(
            name: Array("PaxHeader/f".utf8), mode: 0o644, size: 12, mtime: 0, typeflag: UInt8(ascii: "x")
        ).encode()
        bytes += Array("12 size=512\n".utf8) + [UInt8](repeating: 0, count: 500)
        bytes += TarHeader(name: Array("f".utf8), mode: 0o644, size: 0, mtime: 0, typeflag: UInt8(ascii: "0")).encode()
        bytes += [UInt8](repeating: 7, count: 512) + [UInt8](repeating: 0, count: 1024)
        let entries = try Self.readAll(bytes)
        #expect(entries.count == 1)
        #expect(entries.first?.0.size == 512)
        #expect(entries.first?.1 == [UInt8](repeating: 7, count: 512))
    }
}
