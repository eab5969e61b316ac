import Foundation
import TBKit
import TBKitTestSupport
import Testing

/// The payloads of the TFRecords in `data` (framing only; CRCs are covered elsewhere).
private func recordPayloads(_ data: [UInt8]) -> [[UInt8]] {
    var out = [[UInt8]]()
    var i = 0
    while i + 12 <= data.count {
        var n = 0
        for k in 0..<8 { n |= Int(data[i + k]) << (8 * k) }
        guard i + 16 + n <= data.count else { break }
        out.append(Array(data[(i + 12)..<(i + 12 + n)]))
        i += 16 + n
    }
    return out
}

/// The encoding of `Summary{value}` as it appears inside an Event (field 5).
private func summaryBytes(_ value: SummaryValue) -> [UInt8] {
    var w = ProtoWriter()
    w.writeMessageField(5) { s in s.writeMessageField(1) { value.encode(into: &$0) } }
    return w.bytes
}

private func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
    guard needle.count <= haystack.count else { return false }
    for start in 0...(haystack.count - needle.count)
    where haystack[start..<(start + needle.count)].elementsEqual(needle) {
        return true
    }
    return false
}

/// Logs through a fresh writer and returns the event payloads after the file_version record.
private func logged(_ body: (SummaryWriter) throws -> Void) throws -> [[UInt8]] {
    let tmp = TemporaryDirectory()
    let dir = tmp.path
    let writer = try SummaryWriter(logdir: dir)
    try body(writer)
    try writer.close()
    let data = try [UInt8](Data(contentsOf: URL(fileURLWithPath: writer.path)))
    return Array(recordPayloads(data).dropFirst())
}

@Suite struct PluginSummaryWriterTests {
    @Test func textIsARankZeroStringTensorWithTextPluginOnTheFirstValueOnly() throws {
        let events = try logged { w in
            try w.text("notes", "**hi**", step: 1, wallTime: 1)
            try w.text("notes", "again", step: 2, wallTime: 2)
        }
        // 42 0e = tensor{dtype 7, shape {}, string_val "**hi**"}; 4a 06 0a 04 "text" = metadata.
        let first = SummaryValue(
            tag: "notes", metadata: SummaryMetadata(pluginName: .text),
            kind: .tensor(.strings(["**hi**"], shape: [])))
        #expect(contains(events[0], summaryBytes(first)))
        #expect(contains(events[0], [0x42, 0x0C, 0x08, 0x07, 0x12, 0x00, 0x42, 0x06] + Array("**hi**".utf8)))
        let second = SummaryValue(tag: "notes", kind: .tensor(.strings(["again"], shape: [])))
        #expect(contains(events[1], summaryBytes(second)))
    }

    @Test func imageIsAStringTensorOfWidthHeightAndPNG() throws {
        let pixels: [UInt8] = [0, 255, 128, 64, 1, 2]
        let events = try logged {
            try $0.image("img", pixels: pixels, width: 3, height: 2, channels: 1, step: 0, wallTime: 1)
        }
        let png = try PNGEncoder.encode(pixels, width: 3, height: 2, channels: 1)
        let value = SummaryValue(
            tag: "img", metadata: SummaryMetadata(pluginName: .images),
            kind: .tensor(
                TensorProto(
                    dtype: .string, shape: [3],
                    stringValues: [Array("3".utf8), Array("2".utf8), png])))
        #expect(contains(events[0], summaryBytes(value)))
    }

    @Test func audioIsAOneElementWAVTensorWithEncodingWAV() throws {
        let events = try logged { try $0.audio("clip", samples: [0, 0.5], sampleRate: 16000, step: 3, wallTime: 1) }
        let wav = try WAVEncoder.encode([0, 0.5], sampleRate: 16000)
        let value = SummaryValue(
            tag: "clip", metadata: SummaryMetadata(pluginName: .audio, content: [0x10, 0x0B]),
            kind: .tensor(TensorProto(dtype: .string, shape: [1], stringValues: [wav])))
        #expect(contains(events[0], summaryBytes(value)))
    }

    @Test func prCurveIsAFloat6ByNTensorWithNumThresholds() throws {
        let events = try logged {
            try $0.prCurve(
                "pr", labels: [true, false], predictions: [0.9, 0.2], numThresholds: 4, step: 0, wallTime: 1)
        }
        let curve = try PRCurve(labels: [true, false], predictions: [0.9, 0.2], numThresholds: 4)
        let value = SummaryValue(
            tag: "pr", metadata: SummaryMetadata(pluginName: .prCurves, content: [0x10, 0x04]),
            kind: .tensor(curve.tensor))
        #expect(contains(events[0], summaryBytes(value)))
    }

    @Test func customScalarsLayoutGoesUnderTheConfigTag() throws {
        let layout = CustomScalarLayout([.init(title: "T", charts: [.init(title: "c", multiline: ["x"])])])
        let events = try logged { try $0.customScalarsLayout(layout, wallTime: 1) }
        let value = SummaryValue(
            tag: "custom_scalars__config__", metadata: SummaryMetadata(pluginName: .customScalars),
            kind: .tensor(TensorProto(dtype: .string, shape: [], stringValues: [layout.encoded()])))
        #expect(contains(events[0], summaryBytes(value)))
    }

    @Test func hparamsSessionTagsCarryTheNullTensorAndPluginData() throws {
        let events = try logged { w in
            try w.hparamsSessionStart(["lr": 0.5], startTime: 10)
            try w.hparamsSessionEnd(status: .failure, endTime: 20)
        }
        let start = SummaryValue(
            tag: "_hparams_/session_start_info",
            metadata: SummaryMetadata(
                pluginName: .hparams,
                content: HParams.sessionStartContent(hparams: ["lr": 0.5], groupName: "", startTime: 10)),
            kind: .tensor(HParams.nullTensor))
        let end = SummaryValue(
            tag: "_hparams_/session_end_info",
            metadata: SummaryMetadata(
                pluginName: .hparams,
                content: HParams.sessionEndContent(status: .failure, endTime: 20)),
            kind: .tensor(HParams.nullTensor))
        #expect(contains(events[0], summaryBytes(start)))
        #expect(contains(events[1], summaryBytes(end)))
    }

    @Test func graphIsAnEventWithGraphDefNotASummary() throws {
        let graph = GraphDef(nodes: [.init(name: "a", op: "Const")])
        let events = try logged { try $0.graph(graph, wallTime: 1) }
        #expect(events[0] == Event(wallTime: 1, what: .graphDef(graph.encoded())).encoded())
    }

    @Test func experimentIsWrittenInItsOwnFileAtTheLogdirRoot() throws {
        let tmp = TemporaryDirectory()
        let dir = tmp.path
        let path = try HParams.writeExperiment(
            logdir: dir, hparams: [.init(name: "lr")], metrics: [.init(tag: "acc")],
            timeCreated: 5)
        #expect((path as NSString).deletingLastPathComponent == dir)
        #expect(path.hasSuffix(".hparams") && path.contains("tfevents"))
        let payloads = recordPayloads(try [UInt8](Data(contentsOf: URL(fileURLWithPath: path))))
        let content = try HParams.experimentContent(
            hparams: [.init(name: "lr")], metrics: [.init(tag: "acc")], timeCreated: 5)
        let value = SummaryValue(
            tag: "_hparams_/experiment", metadata: SummaryMetadata(pluginName: .hparams, content: content),
            kind: .tensor(HParams.nullTensor))
        #expect(payloads.count == 2 && contains(payloads[1], summaryBytes(value)))
    }
}
