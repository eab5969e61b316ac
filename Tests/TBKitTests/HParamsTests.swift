import TBKit
import Testing

/// Parses lowercase hex into bytes.
func hexBytes(_ s: String) -> [UInt8] {
    var out = [UInt8]()
    var i = s.startIndex
    while i < s.endIndex {
        let j = s.index(i, offsetBy: 2)
        out.append(UInt8(s[i..<j], radix: 16) ?? 0)
        i = j
    }
    return out
}

@Suite struct HParamsTests {
    @Test func nullTensorIsFloatWithShapeZero() {
        var w = ProtoWriter()
        HParams.nullTensor.encode(into: &w)
        #expect(w.bytes == [0x08, 0x01, 0x12, 0x02, 0x12, 0x00])
    }

    // Expected bytes below: serialized by the official protobuf runtime with tensorboard 2.21's
    // plugin_data_pb2 / api_pb2 (deterministic serialization, map keys sorted).
    @Test func sessionStartMatchesTheOfficialSerialization() {
        let content = HParams.sessionStartContent(
            hparams: ["lr": 0.5, "init": "he", "bias": false],
            groupName: "g", startTime: 1.0)
        #expect(
            content
                == hexBytes(
                    "1a370a0a0a0462696173120220000a0c0a04696e697412041a0268650a0f0a026c72120911000000000000e03f22016729000000000000f03f"
                ))
    }

    @Test func sessionEndMatchesTheOfficialSerialization() {
        #expect(HParams.sessionEndContent(status: .success, endTime: 2.0) == hexBytes("220b0801110000000000000040"))
    }

    @Test func experimentWithDomainsAndMetricsMatchesTheOfficialSerialization() throws {
        let content = try HParams.experimentContent(
            hparams: [
                .init(name: "init", domain: .discrete(["he", "x"])),
                .init(name: "lr", domain: .interval(min: 0.25, max: 1.0)),
                .init(name: "bn", domain: .discrete([true, false]), displayName: "Batch norm"),
            ],
            metrics: [
                .init(tag: "acc", displayName: "Accuracy", datasetType: .validation),
                .init(tag: "loss", group: "eval"),
            ], timeCreated: 3.0)
        #expect(
            content
                == hexBytes(
                    "127f19000000000000084022150a04696e697420012a0b0a041a0268650a031a0178221a0a026c722003321209000000000000d03f11000000000000f03f221c0a02626e120a4261746368206e6f726d20022a080a0220010a0220002a130a0512036163631a08416363757261637928022a0e0a0c0a046576616c12046c6f7373"
                ))
    }

    @Test func mixedDiscreteDomainsBadIntervalsAndDuplicatesAreErrors() {
        #expect(throws: HParams.Error.self) {
            try HParams.experimentContent(
                hparams: [.init(name: "a", domain: .discrete([1, "x"]))], metrics: [], timeCreated: 0)
        }
        #expect(throws: HParams.Error.self) {
            try HParams.experimentContent(
                hparams: [.init(name: "a", domain: .interval(min: 2, max: 1))], metrics: [], timeCreated: 0)
        }
        #expect(throws: HParams.Error.self) {
            try HParams.experimentContent(hparams: [.init(name: "a"), .init(name: "a")], metrics: [], timeCreated: 0)
        }
        #expect(throws: HParams.Error.self) {
            try HParams.experimentContent(
                hparams: [.init(name: "a", domain: .discrete(["x"]), type: .bool)],
                metrics: [], timeCreated: 0)
        }
    }

    @Test func valueOneofIsWrittenEvenWhenZeroOrFalse() {
        var w = ProtoWriter()
        HParamValue.number(0).encode(into: &w)
        HParamValue.bool(false).encode(into: &w)
        HParamValue.string("").encode(into: &w)
        #expect(w.bytes == [0x11, 0, 0, 0, 0, 0, 0, 0, 0, 0x20, 0x00, 0x1A, 0x00])
    }
}
