import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// The byte-level row formatting of `TidyExporter`: integers, cached numbers, the byte sink.
@Suite struct TidyExportBytesTests {
    static func text(_ build: (inout TidyRowBuffer) -> Void) -> String {
        var b = TidyRowBuffer(capacity: 1)
        build(&b)
        return String(decoding: UnsafeBufferPointer(start: b.base, count: b.count), as: UTF8.self)
    }

    @Test func integerDigitsMatchStringForEdgeValues() {
        let values: [Int64] = [0, 1, -1, 9, 10, 99, 100, -100, 1_000_000_007, .max, .min, .max - 1, .min + 1]
        for v in values {
            #expect(Self.text { $0.append(integer: v) } == String(v))
        }
    }

    @Test func cachedNumbersMatchDescriptionEvenWhenSlotsCollide() {
        let cache = TidyNumberCache()
        // More values than slots, each twice, so hits, misses and overwritten slots all occur.
        var values: [Double] =
            (0..<5000).map { Double($0) * 0.1 - 250 } + [
                -0.0, Double(sign: .plus, exponent: -1030, significand: 1),  // a subnormal
                .greatestFiniteMagnitude, -2.2250738585072014e-308,
            ]
        values += values
        for x in values {
            #expect(Self.text { cache.append(x, float32: false, format: .csv, to: &$0) } == x.description)
        }
        let floats = TidyNumberCache()
        for x in [0.1, 0.1, 1.0 / 3.0, 1.0 / 3.0] {
            #expect(Self.text { floats.append(x, float32: true, format: .csv, to: &$0) } == Float(x).description)
        }
    }

    @Test func nonFiniteNumbersFollowTheFormat() {
        let csv = TidyNumberCache()
        let json = TidyNumberCache()
        #expect(Self.text { csv.append(-.infinity, float32: false, format: .csv, to: &$0) } == "-inf")
        #expect(Self.text { json.append(.nan, float32: false, format: .jsonl, to: &$0) } == "\"NaN\"")
    }

    @Test func growingPastCapacityKeepsEveryByte() {
        let s = Self.text { b in
            for i in 0..<1000 {
                b.append(integer: Int64(i))
                b.append(byte: 0x2C)
            }
        }
        #expect(s == (0..<1000).map { "\($0)," }.joined())
    }

    @Test func byteSinkGivesTheSameRowsAsTheTextSink() throws {
        let dir = TemporaryDirectory()
        let h = HistogramProto(
            min: -1.5, max: 3, num: 5, sum: 4, sumSquares: 10, bucketLimits: [0.1, 2, 3], buckets: [1, 2.5, 1.5])
        dir.write(
            "r/events.out.tfevents.1.h",
            LogdirReadingTests.file([
                Event(
                    wallTime: 1_795_464_811.7018123, step: -3,
                    what: .summary(Summary(values: [SummaryValue(tag: "w\"x", kind: .histogram(h))]))),
                LogdirReadingTests.scalarEvent("loss", 0.1, step: 7, wall: 2),
            ]))
        for format in TidyExporter.Format.allCases {
            for (kind, stats) in [(TidyExporter.Kind.scalars, false), (.histograms, false), (.histograms, true)] {
                let exporter = TidyExporter(format: format, kind: kind, statistics: stats)
                var text = ""
                _ = try exporter.export(logdir: dir.path) { text += $0 }
                var bytes: [UInt8] = []
                _ = try exporter.export(logdir: dir.path, bytes: { bytes += $0 })
                #expect(String(decoding: bytes, as: UTF8.self) == text)
                #expect(text.hasSuffix("\n"))
            }
        }
        var buckets = ""
        _ = try TidyExporter(kind: .histograms).export(logdir: dir.path) { buckets += $0 }
        #expect(
            buckets == """
                run,tag,step,wall_time,left,right,count
                r,"w""x",-3,1795464811.7018123,-1.5,0.1,1.0
                r,"w""x",-3,1795464811.7018123,0.1,2.0,2.5
                r,"w""x",-3,1795464811.7018123,2.0,3.0,1.5

                """)
    }
}
