import Testing

@testable import TBKit

/// Edge cases of the bounds-checked protobuf decoder.
@Suite struct ProtoReaderTests {
    func read<T>(_ bytes: [UInt8], _ body: (inout ProtoReader) throws(ProtoDecodingError) -> T) -> Result<
        T, ProtoDecodingError
    > {
        bytes.withUnsafeBytes { raw in
            var r = ProtoReader(raw)
            return Result { () throws(ProtoDecodingError) -> T in try body(&r) }
        }
    }

    @Test func varintsOfEveryLengthRoundTripThroughProtoWriter() {
        let values: [UInt64] = [0, 1, 127, 128, 300, 16_383, 16_384, UInt64(UInt32.max), 1 << 56, UInt64.max]
        for v in values {
            var w = ProtoWriter()
            w.writeVarint(v)
            #expect(
                read(w.bytes) { (r: inout ProtoReader) throws(ProtoDecodingError) in try r.readVarint() } == .success(v)
            )
        }
    }

    @Test func negativeInt64TakesTenBytesAndDecodes() {
        var w = ProtoWriter()
        w.writeVarintField(2, -5)
        #expect(w.bytes.count == 11)
        let r = read(w.bytes) { (r: inout ProtoReader) throws(ProtoDecodingError) -> Int64 in
            _ = try r.readKey()
            return try r.readInt64()
        }
        #expect(r == .success(-5))
    }

    @Test func varintLongerThanTenBytesIsRejectedAsOverlong() {
        let bytes = [UInt8](repeating: 0x80, count: 10) + [0x01]
        #expect(
            read(bytes) { (r: inout ProtoReader) throws(ProtoDecodingError) in try r.readVarint() }
                == .failure(.overlongVarint(offset: 0)))
    }

    @Test func tenthVarintByteAboveOneOverflows() {
        let bytes = [UInt8](repeating: 0xFF, count: 9) + [0x02]
        #expect(
            read(bytes) { (r: inout ProtoReader) throws(ProtoDecodingError) in try r.readVarint() }
                == .failure(.varintOverflow(offset: 0)))
    }

    @Test func varintCutShortIsTruncatedAtTheMissingByte() {
        #expect(
            read([0x08, 0x96]) { (r: inout ProtoReader) throws(ProtoDecodingError) -> UInt64 in
                _ = try r.readKey()
                return try r.readVarint()
            } == .failure(.truncated(offset: 2, needed: 1, available: 0)))
    }

    @Test func fixedWidthValuesCutShortReportWhatIsLeft() {
        #expect(
            read([0x09, 1, 2, 3]) { (r: inout ProtoReader) throws(ProtoDecodingError) -> Double in
                _ = try r.readKey()
                return try r.readDouble()
            } == .failure(.truncated(offset: 1, needed: 8, available: 3)))
        #expect(
            read([0x15, 1]) { (r: inout ProtoReader) throws(ProtoDecodingError) -> Float in
                _ = try r.readKey()
                return try r.readFloat()
            } == .failure(.truncated(offset: 1, needed: 4, available: 1)))
    }

    @Test func lengthBeyondTheBufferIsRefusedBeforeAnyCopy() {
        // Field 1, length 2^62: must fail on the length check, not try to allocate.
        var w = ProtoWriter()
        w.writeKey(field: 1, wireType: .lengthDelimited)
        w.writeVarint(1 << 62)
        w.bytes += [1, 2, 3]
        let r = read(w.bytes) { (r: inout ProtoReader) throws(ProtoDecodingError) -> [UInt8] in
            _ = try r.readKey()
            return try r.readBytes()
        }
        #expect(r == .failure(.truncated(offset: 1, needed: 1 << 62, available: 3)))
    }

    @Test func unknownFieldsOfEveryWireTypeAreSkipped() throws {
        // An Event with unknown fields 20 (varint), 21 (fixed64), 22 (bytes), 23 (fixed32)
        // around a step of 7.
        var w = ProtoWriter()
        w.writeVarintField(20, 123_456)
        w.writeDoubleField(21, 2.5)
        w.writeBytesField(22, [1, 2, 3])
        w.writeFloatField(23, 1.5)
        w.writeVarintField(2, 7)
        w.writeKey(field: 24, wireType: .varint)
        w.writeVarint(UInt64.max)
        let event = try Event(decoding: w.bytes)
        #expect(event.step == 7)
        #expect(event.what == .none)
    }

    @Test func groupsAndUndefinedWireTypesAreRejectedWithTheirOffset() {
        for type: UInt8 in [3, 4, 6, 7] {
            let bytes: [UInt8] = [0x10, 0x01, (12 << 3) | type, 0x00]
            #expect(throws: ProtoDecodingError.invalidWireType(Int(type), field: 12, offset: 2)) {
                try Event(decoding: bytes)
            }
        }
    }

    @Test func fieldNumberZeroIsRejected() {
        #expect(throws: ProtoDecodingError.invalidFieldNumber(0, offset: 0)) { try Event(decoding: [0x00, 0x01]) }
    }

    @Test func nestedErrorsReportOffsetsInTheOutermostBuffer() {
        // Event { summary (5) { value (1) { tag (1): length 9 but only 2 bytes } } }
        let bytes: [UInt8] = [0x2A, 0x06, 0x0A, 0x04, 0x0A, 0x09, 0x61, 0x62]
        #expect(throws: ProtoDecodingError.truncated(offset: 5, needed: 9, available: 2)) { try Event(decoding: bytes) }
    }

    @Test func packedAndUnpackedRepeatedDoublesDecodeAlike() throws {
        var packed = ProtoWriter()
        [1.0, -2.5, 1e300].withUnsafeBufferPointer { packed.writePackedDoubles(6, $0) }
        var unpacked = ProtoWriter()
        for x in [1.0, -2.5, 1e300] { unpacked.writeDoubleField(6, x) }
        for bytes in [packed.bytes, unpacked.bytes] {
            let h = try bytes.withUnsafeBytes { try HistogramProto(decoding: $0) }
            #expect(h.bucketLimits == [1.0, -2.5, 1e300])
        }
    }

    @Test func packedAndUnpackedRepeatedFloatsAndVarintsDecodeAlike() throws {
        var w = ProtoWriter()
        w.writeVarintField(1, 1)
        w.writeMessageField(2) { _ in }
        w.writeFloatField(5, 1.5)  // unpacked float
        [2.5 as Float].withUnsafeBufferPointer { w.writePackedFloats(5, $0) }  // packed float
        w.writeVarintField(7, -3)  // unpacked int_val
        w.writePackedVarints(7, [4, 5])  // packed int_val
        w.writeVarintField(10, 1 << 40)  // unpacked int64_val
        let t = try w.bytes.withUnsafeBytes { try TensorProto(decoding: $0) }
        #expect(t.floatValues == [1.5, 2.5])
        #expect(t.intValues == [-3, 4, 5])
        #expect(t.int64Values == [1 << 40])
    }

    @Test func packedDoublesWithARaggedLengthAreRejected() {
        let bytes: [UInt8] = [0x32, 0x03, 1, 2, 3]
        #expect(throws: ProtoDecodingError.misalignedPackedField(field: 6, length: 3, elementSize: 8, offset: 1)) {
            try bytes.withUnsafeBytes { try HistogramProto(decoding: $0) }
        }
    }

    @Test func repeatedSingularFieldIsLastOneWins() throws {
        var w = ProtoWriter()
        w.writeVarintField(2, 1)
        w.writeVarintField(2, 9)
        w.writeStringField(3, "brain.Event:1")
        w.writeStringField(3, "brain.Event:2")
        let e = try Event(decoding: w.bytes)
        #expect(e.step == 9)
        #expect(e.what == .fileVersion("brain.Event:2"))
    }

    @Test func emptyInputIsAnEmptyMessage() throws {
        let e = try Event(decoding: [])
        #expect(e == Event(wallTime: 0, step: 0, what: .none))
    }
}
