import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// Files written by tensorboardX and by TensorBoard's own summary builders (see
/// Fixtures/make_fixtures.py) decode to exactly the values TensorBoard's protobuf runtime reads.
@Suite struct FixtureTests {
    typealias JSON = [String: Any]

    static func expected(_ key: String) -> [JSON] {
        let data = (try? Data(contentsOf: URL(fileURLWithPath: Fixtures.directory + "/expected.json"))) ?? Data()
        let root = (try? JSONSerialization.jsonObject(with: data)) as? JSON ?? [:]
        return root[key] as? [JSON] ?? []
    }

    static func events(_ path: String) -> [Event] {
        let reader = EventFileReader(file: path)
        var out: [Event] = []
        while let e = reader.next() { out.append(e) }
        return out
    }

    /// Floats are stored as Python repr() strings, which Double(_:) parses bit-exact.
    static func double(_ any: Any?) -> Double? { (any as? String).flatMap { Double($0) } }
    static func doubles(_ any: Any?) -> [Double] { (any as? [String])?.compactMap { Double($0) } ?? [] }

    /// Compares every decoded event with the dump made by TensorBoard's protobuf runtime.
    func check(_ events: [Event], against expected: [JSON]) {
        #expect(events.count == expected.count)
        for (event, want) in zip(events, expected) {
            #expect(event.wallTime == Self.double(want["wall_time"]))
            #expect(event.step == (want["step"] as? NSNumber)?.int64Value)
            if let version = want["file_version"] as? String {
                #expect(event.what == .fileVersion(version))
                continue
            }
            guard case .summary(let summary) = event.what else {
                Issue.record("event at step \(event.step) is not a summary")
                continue
            }
            let values = want["values"] as? [JSON] ?? []
            #expect(summary.values.count == values.count)
            for (value, w) in zip(summary.values, values) {
                #expect(value.tag == w["tag"] as? String)
                let plugin = w["plugin"] as? String ?? ""
                if !plugin.isEmpty { #expect(value.metadata?.pluginName.rawValue == plugin) }
                switch (value.kind, w["kind"] as? String) {
                case (.simpleValue(let x), "simple_value"):
                    #expect(Double(x) == Self.double(w["simple_value"]))
                case (.histogram(let h), "histo"):
                    let e = w["histo"] as? JSON ?? [:]
                    #expect(h.min == Self.double(e["min"]))
                    #expect(h.max == Self.double(e["max"]))
                    #expect(h.num == Self.double(e["num"]))
                    #expect(h.sum == Self.double(e["sum"]))
                    #expect(h.sumSquares == Self.double(e["sum_squares"]))
                    #expect(h.bucketLimits == Self.doubles(e["bucket_limit"]))
                    #expect(h.buckets == Self.doubles(e["bucket"]))
                case (.image(let image), "image"):
                    let e = w["image"] as? JSON ?? [:]
                    #expect(Int(image.height) == e["height"] as? Int)
                    #expect(Int(image.width) == e["width"] as? Int)
                    #expect(Int(image.colorspace) == e["colorspace"] as? Int)
                    #expect(image.encodedImage.count == e["png_size"] as? Int)
                    #expect(Array(image.encodedImage.prefix(8)).map(Int.init) == e["png_head"] as? [Int])
                case (.tensor(let t), "tensor"):
                    let e = w["tensor"] as? JSON ?? [:]
                    #expect(Int(t.dtype.rawValue) == e["dtype"] as? Int)
                    #expect(t.shape.map(Int.init) == e["shape"] as? [Int])
                    #expect(t.content.count == e["content_size"] as? Int)
                    #expect(t.floatValues.map(Double.init) == Self.doubles(e["float_val"]))
                    #expect(t.doubleValues == Self.doubles(e["double_val"]))
                    #expect(t.stringValues.map { String(decoding: $0, as: UTF8.self) } == e["string_val"] as? [String])
                    if let content = e["content_values"] {
                        #expect(t.numericValues() == Self.doubles(content))
                    }
                default:
                    Issue.record("tag \(value.tag): kind \(value.kind) but TensorBoard read \(w["kind"] ?? "nothing")")
                }
            }
        }
    }

    @Test func tensorboardXFileDecodesExactlyAsTensorBoardReadsIt() {
        check(Self.events(Fixtures.tensorboardX), against: Self.expected("tensorboardx"))
    }

    @Test func tensorBoardV2FileDecodesExactlyAsTensorBoardReadsIt() {
        check(Self.events(Fixtures.tensorflow), against: Self.expected("tensorflow"))
    }

    @Test func tensorboardXScalarsComeOutAsFloat32Points() {
        let reader = EventFileReader(file: Fixtures.tensorboardX)
        var points: [ScalarPoint] = []
        while let v = reader.nextValue() { if case .scalar(let p) = v { points.append(p) } }
        #expect(
            points.map(\.value) == [
                0.0, 0.5, -1.25, Double(Float(1e-8)), Double(Float.greatestFiniteMagnitude), Double(Float(0.1)),
            ])
        #expect(points.map(\.step) == [0, 1, 2, 3, 4, 5])
        #expect(points.map(\.wallTime) == (0..<6).map { 1_700_000_000 + Double($0) })
        #expect(points.allSatisfy { $0.tag == "train/loss" && $0.dtype == .float })
    }

    @Test func tensorboardXHistogramBecomesBucketsFromMinToMax() {
        let reader = EventFileReader(file: Fixtures.tensorboardX)
        var hists: [HistogramPoint] = []
        while let v = reader.nextValue() { if case .histogram(let h) = v { hists.append(h) } }
        #expect(hists.count == 2)
        for h in hists {
            #expect(h.buckets.first?.left == h.min)
            #expect(h.buckets.last?.right == h.max)
            #expect(h.buckets.reduce(0) { $0 + $1.count } == h.num)
            #expect(h.num == 200)
            #expect(h.exactStatistics)
            // Consecutive buckets share edges.
            for (a, b) in zip(h.buckets, h.buckets.dropFirst()) { #expect(a.right == b.left) }
            #expect(h.buckets.first?.count != 0 && h.buckets.last?.count != 0)
        }
    }

    @Test func imagesAndTextAreHandedOverRawWithTheirPlugin() {
        let reader = EventFileReader(file: Fixtures.tensorboardX)
        var others: [OtherValue] = []
        while let v = reader.nextValue() { if case .other(let o) = v { others.append(o) } }
        #expect(others.map(\.pluginName) == [.images, .text])
        #expect(others.map(\.tag) == ["inputs/sample", "notes/text_summary"])
        if case .tensor(let t) = others.last?.kind {
            #expect(t.stringValues == [Array("hello *world*".utf8)])
        } else {
            Issue.record("text should be a tensor")
        }
    }

    @Test func tensorBoardV2ScalarsAndHistogramsComeOutAsPlainValues() {
        let reader = EventFileReader(file: Fixtures.tensorflow)
        var scalars: [ScalarPoint] = []
        var hists: [HistogramPoint] = []
        var plugins: [PluginName] = []
        while let v = reader.nextValue() {
            switch v {
            case .scalar(let p): scalars.append(p)
            case .histogram(let h): hists.append(h)
            case .other(let o): plugins.append(o.pluginName)
            }
        }
        #expect(scalars.map(\.tag) == ["eval/accuracy", "eval/accuracy", "eval/accuracy", "eval/precise"])
        #expect(scalars.map(\.value) == [0.75, 0, -2.5, 0.1])
        #expect(scalars.map(\.dtype) == [.float, .float, .float, .double])
        #expect(plugins == [.text])
        // histogram_pb([0, 1, 1, 2, 3.5, -1], buckets=4): edges linspace(-1, 3.5, 5).
        #expect(
            hists.first?.buckets == [
                HistogramBucket(left: -1, right: 0.125, count: 2), HistogramBucket(left: 0.125, right: 1.25, count: 2),
                HistogramBucket(left: 1.25, right: 2.375, count: 1), HistogramBucket(left: 2.375, right: 3.5, count: 1),
            ])
        #expect(hists.first?.num == 6)
        // A constant input: every edge is the value and the last bucket holds all of it.
        #expect(hists.last?.buckets.map(\.count) == [0, 0, 3])
        #expect(hists.last?.min == 2 && hists.last?.max == 2)
    }
}
