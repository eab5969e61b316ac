import TBKit
import Testing

@testable import TBKitParquet

/// The byte-level pieces of the Parquet writer, against the specifications' own examples:
/// Thrift's compact protocol (THRIFT-110, thrift/doc/specs/thrift-compact-protocol.md) and the
/// RLE / bit-packing hybrid of parquet-format's Encodings.md.
@Suite struct ParquetEncodingTests {
    @Test func compactFieldHeadersUseDeltasUpTo15AndTheLongFormBeyond() {
        var w = ThriftCompactWriter()
        w.field(1, i32: 2)  // delta 1, type i32 (5): 0x15, zigzag(2) = 4
        w.field(3, i64: -1)  // delta 2, type i64 (6): 0x26, zigzag(-1) = 1
        w.field(19, bool: true)  // delta 16: long form, type true (1), zigzag(19) = 38
        w.field(20, string: "ab")  // delta 1, binary (8): 0x18, length 2
        w.stop()
        #expect(w.bytes == [0x15, 0x04, 0x26, 0x01, 0x01, 0x26, 0x18, 0x02, 0x61, 0x62, 0x00])
    }

    @Test func nestedStructsRestartFieldDeltasAndEndWithAStopByte() {
        var w = ThriftCompactWriter()
        w.field(2) { inner in inner.field(1, i32: -2) }  // 0x2C, then 0x15 0x03, stop
        w.field(3, i32: 300)  // delta 1 from 2 again: 0x15, zigzag(300) = 600 = 0xD8 0x04
        w.stop()
        #expect(w.bytes == [0x2C, 0x15, 0x03, 0x00, 0x15, 0xD8, 0x04, 0x00])
    }

    @Test func listsUseTheShortSizeBelow15AndTheLongFormFrom15() {
        var w = ThriftCompactWriter()
        w.field(1, listOf: .i32, count: 2) { l in
            l.element(i32: 1)
            l.element(i32: 2)
        }
        w.field(2, listOf: .i32, count: 15) { l in for _ in 0..<15 { l.element(i32: 0) } }
        #expect(Array(w.bytes.prefix(4)) == [0x19, 0x25, 0x02, 0x04])
        #expect(Array(w.bytes[4..<7]) == [0x19, 0xF5, 0x0F])
        #expect(w.bytes.count == 7 + 15)
    }

    @Test func bitPackedValuesZeroToSevenAtWidthThreeAreTheSpecsExample() {
        // Encodings.md: 0..7 at bit width 3 pack to 10001000 11000110 11111010.
        var out: [UInt8] = []
        [UInt32](0..<8).withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 3, into: &out) }
        #expect(out == [0x03, 0x88, 0xC6, 0xFA])
    }

    @Test func eightOrMoreEqualValuesBecomeOneRLERun() {
        var out: [UInt8] = []
        [UInt32](repeating: 5, count: 300).withUnsafeBufferPointer {
            RLEHybridEncoder.encode($0, bitWidth: 3, into: &out)
        }
        // Header 300 << 1 = 600 as a varint, then the value in one byte.
        #expect(out == [0xD8, 0x04, 0x05])
    }

    @Test func aShortTailIsPaddedToAWholeGroupAndRunsAfterAGroupStayRLE() {
        var out: [UInt8] = []
        let values: [UInt32] = [1, 0, 1] + [UInt32](repeating: 1, count: 13)
        values.withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 1, into: &out) }
        // One bit-packed group of 8 (1,0,1,1,1,1,1,1 -> 0b11111101), then an RLE run of the 8 left.
        #expect(out == [0x03, 0xFD, 0x10, 0x01])
        var tail: [UInt8] = []
        [UInt32]([1, 1, 0]).withUnsafeBufferPointer { RLEHybridEncoder.encode($0, bitWidth: 1, into: &tail) }
        #expect(tail == [0x03, 0x03])
    }

    @Test func doubleStatisticsSkipNaNAndWriteZerosAsTheSpecSays() {
        #expect(ParquetColumn.doubleRange([.nan, .nan]) == nil)
        let r = ParquetColumn.doubleRange([0.0, .nan, 0.0])
        #expect(r?.0.sign == .minus && r?.0 == 0 && r?.1.sign == .plus)
        #expect(ParquetColumn.doubleRange([3, -.infinity, .nan, 2])! == (-.infinity, 3))
    }

    @Test func partitionValuesKeepPlainNamesAndPercentEncodeTheRest() {
        #expect(ParquetExporter.partitionValue("run_1-a.b~") == "run_1-a.b~")
        #expect(ParquetExporter.partitionValue("a/b c,é") == "a%2Fb%20c%2C%C3%A9")
    }
}
