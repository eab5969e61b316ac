import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

// The expected values come from Swift's Float16, which macOS on x86_64 lacks.
#if !(os(macOS) && arch(x86_64))
    /// Histograms of 16-bit floats, from raw float16/bfloat16 bytes and from `Float16`.
    @Suite struct HalfPrecisionHistogramTests {
        /// Values every 16-bit format holds exactly, with a NaN, infinities, zeros and a subnormal.
        static let values: [Float] = {
            var v: [Float] = (0..<10_000).map { Float(($0 % 97) - 48) / 8 }
            v += [.nan, .infinity, -.infinity, 0, -0.0, 0x1p-24, 65504, -2]
            return v
        }()

        static func float16Bytes(_ values: [Float]) -> [UInt8] {
            values.flatMap { v -> [UInt8] in
                let bits = Float16(v).bitPattern
                return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
            }
        }

        static func bfloat16Bytes(_ values: [Float]) -> [UInt8] {
            values.flatMap { v -> [UInt8] in
                let bits = UInt16(v.bitPattern >> 16)
                return [UInt8(bits & 0xFF), UInt8(bits >> 8)]
            }
        }

        @Test(arguments: [HistogramBins.tensorflow, .count(30), .edges([-10, -1, 0, 1, 10])])
        func float16BytesGiveTheHistogramOfTheSameValuesAsFloat(bins: HistogramBins) throws {
            let expected = try Histogram(Self.values, bins: bins)
            let bytes = Self.float16Bytes(Self.values)
            let got = try bytes.withUnsafeBytes { try Histogram(bytes: $0, precision: .float16, bins: bins) }
            #expect(got.bucketCounts == expected.bucketCounts)
            #expect(got.leftEdges == expected.leftEdges && got.rightEdges == expected.rightEdges)
            #expect(got.min == expected.min && got.max == expected.max && got.count == expected.count)
            #expect(got.nonFiniteCount == 3)
            #expect(abs(got.sum - expected.sum) <= 1e-9 * abs(expected.sumSquares))
        }

        @Test func bfloat16BytesGiveTheHistogramOfTheSameValuesAsFloat() throws {
            let rounded = Self.values.map { Float(bitPattern: $0.bitPattern & 0xFFFF_0000) }
            let expected = try Histogram(rounded)
            let got = try Self.bfloat16Bytes(Self.values).withUnsafeBytes {
                try Histogram(bytes: $0, precision: .bfloat16)
            }
            #expect(got.bucketCounts == expected.bucketCounts && got.min == expected.min && got.max == expected.max)
        }

        @Test func float16ValuesAreBucketedLikeTheirFloatValues() throws {
            let halves = Self.values.map { Float16($0) }
            let expected = try Histogram(halves.map { Float($0) })
            let got = try halves.withUnsafeBufferPointer { try Histogram($0) }
            #expect(got.bucketCounts == expected.bucketCounts && got.count == expected.count)

            let tmp = TemporaryDirectory()
            let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
            let logged = try writer.histogram("w", halves, step: 0)
            try writer.close()
            #expect(logged.bucketCounts == expected.bucketCounts)
        }

        @Test func anOddByteCountIsRefusedNamingBytesAndTheTag() throws {
            let tmp = TemporaryDirectory()
            let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
            let odd: [UInt8] = [0, 0x3C, 0]
            #expect(
                throws: SummaryWriterError.invalidArgument(
                    argument: "bytes", tag: "w",
                    reason: "holds 3 bytes, an odd count; bfloat16 values take 2 bytes each")
            ) {
                try odd.withUnsafeBytes { try writer.histogram("w", bytes: $0, precision: .bfloat16, step: 0) }
            }
            try writer.close()
        }

        @Test func everyFloat16BitPatternConvertsAsSwiftsFloat16Does() {
            for bits in UInt16.min...UInt16.max {
                let expected = Float(Float16(bitPattern: bits))
                let got = HalfPrecision.float16.float(bits)
                if expected.isNaN {
                    #expect(got.isNaN)
                } else if got.bitPattern != expected.bitPattern {
                    Issue.record("0x\(String(bits, radix: 16)): \(got) != \(expected)")
                    return
                }
            }
        }
    }
#endif
