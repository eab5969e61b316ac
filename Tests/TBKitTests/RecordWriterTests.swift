import Testing

@testable import TBKit

/// Byte-exact records from TENSORBOARD-FORMAT.md §1 (the second is byte-identical to tensorboardX).
@Suite struct RecordWriterTests {
    static func hex(_ s: String) -> [UInt8] {
        let digits = s.filter { !$0.isWhitespace }
        var out = [UInt8]()
        var i = digits.startIndex
        while i < digits.endIndex {
            let j = digits.index(i, offsetBy: 2)
            out.append(UInt8(digits[i..<j], radix: 16)!)
            i = j
        }
        return out
    }

    @Test func fileVersionRecordMatchesTheSpecBytes() {
        let event = Event(wallTime: 1.0, what: .fileVersion("brain.Event:2"))
        let record = RecordWriter.frame(event.encoded())
        #expect(
            record
                == Self.hex(
                    """
                    18 00 00 00 00 00 00 00  a3 7f 4b 22  09 00 00 00 00 00 00 f0 3f 1a 0d 62 72 61 69 6e \
                    2e 45 76 65 6e 74 3a 32  86 bf 57 7a
                    """))
    }

    @Test func simpleValueScalarRecordMatchesTensorboardX() {
        let event = Event(
            wallTime: 1_700_000_000.0, step: 1,
            what: .summary(
                Summary(values: [
                    SummaryValue(tag: "loss", kind: .simpleValue(0.5))
                ])))
        let record = RecordWriter.frame(event.encoded())
        #expect(
            record
                == Self.hex(
                    "1a00000000000000 129bd82d 0900000040fc54d941 1001 2a0d 0a0b 0a046c6f7373 150000003f 8db02e39"))
    }

    @Test func zeroScalarIsStillWrittenAsAOneofMember() {
        let value = SummaryValue(tag: "x", kind: .simpleValue(0))
        var w = ProtoWriter()
        value.encode(into: &w)
        #expect(w.bytes == [0x0A, 0x01, 0x78, 0x15, 0, 0, 0, 0])
    }

    @Test func v2ScalarTensorHasTheSpecBytes() {
        var w = ProtoWriter()
        w.writeMessageField(8) { TensorProto.scalar(1.0).encode(into: &$0) }
        #expect(w.bytes == [0x42, 0x0A, 0x08, 0x01, 0x12, 0x00, 0x2A, 0x04, 0x00, 0x00, 0x80, 0x3F])
    }

    @Test func longSubMessageGetsAMultiByteLength() {
        var w = ProtoWriter()
        let payload = [UInt8](repeating: 0xAB, count: 300)
        w.writeMessageField(5) { $0.writeBytesField(1, payload) }
        // key 2a, length varint(303) = af 02, inner key 0a, inner length ac 02
        #expect(Array(w.bytes.prefix(6)) == [0x2A, 0xAF, 0x02, 0x0A, 0xAC, 0x02])
        #expect(w.bytes.count == 3 + 3 + 300)
    }
}
