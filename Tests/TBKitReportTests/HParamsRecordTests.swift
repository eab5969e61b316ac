import TBKit
import Testing

@testable import TBKitReport

@Suite struct HParamsRecordTests {
    @Test func sessionStartValuesDecodeAsWritten() {
        let content = HParams.sessionStartContent(
            hparams: ["lr": .number(0.01), "init": .string("he"), "bias": .bool(true)], groupName: "g",
            startTime: 5)
        let decoded = HParamsRecord.sessionHParams(content)
        #expect(decoded == ["lr": .number(0.01), "init": .string("he"), "bias": .bool(true)])
        #expect(HParamsRecord.experimentMetricTags(content) == nil)
    }

    @Test func experimentMetricTagsDecodeInOrder() throws {
        let content = try HParams.experimentContent(
            hparams: [.init(name: "lr", domain: nil, type: .float64)],
            metrics: [.init(tag: "test_acc"), .init(tag: "loss", group: "train")], timeCreated: 1)
        #expect(HParamsRecord.experimentMetricTags(content) == ["test_acc", "loss"])
        #expect(HParamsRecord.sessionHParams(content) == nil)
    }

    @Test func truncatedContentDecodesToNothingRatherThanFailing() {
        let content = HParams.sessionStartContent(hparams: ["lr": .number(0.01)], groupName: "", startTime: 0)
        #expect(HParamsRecord.sessionHParams(Array(content.dropLast(3))) == nil)
    }
}
