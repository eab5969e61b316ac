import Foundation
import TBKitTestSupport
import Testing

@testable import TBKit

/// The values of every summary event in `path`, in order.
private func values(_ path: String) throws -> [(step: Int64, value: SummaryValue)] {
    let records = try #require(splitRecords(readFile(path)))
    return try records.compactMap { record in
        let event = try Event(decoding: record)
        guard case .summary(let s) = event.what, let v = s.values.first else { return nil }
        return (event.step, v)
    }
}

/// The serialized layouts written to `path`, in order.
private func layouts(_ path: String) throws -> [[UInt8]] {
    try values(path).compactMap { item in
        guard item.value.tag == CustomScalarLayout.tag, case .tensor(let t) = item.value.kind else { return nil }
        return t.stringValues.first
    }
}

/// The writer API a torch user expects: numeric overloads, image layouts, hparams with metrics,
/// merged layouts, non-throwing logging.
@Suite struct WriterAPITests {
    @Test func integerValuesAndStepsOfAnyIntegerTypeAreWrittenAsFloatScalars() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        try writer.scalar("count", 7, step: 1)
        try writer.scalar("tokens", Int64(1 << 40), step: UInt32(2))
        try writer.scalar("lr", 0.5, step: Int64(3))
        #if !(os(macOS) && arch(x86_64))
            try writer.scalar("half", Float16(0.25), step: UInt8(4))
        #else
            try writer.scalar("half", 0.25, step: UInt8(4))
        #endif
        try writer.close()
        let got = try values(writer.path).map { item -> (String, Int64, Float) in
            guard case .simpleValue(let x) = item.value.kind else { return ("?", -1, .nan) }
            return (item.value.tag, item.step, x)
        }
        #expect(got.map(\.0) == ["count", "tokens", "lr", "half"])
        #expect(got.map(\.1) == [1, 2, 3, 4])
        #expect(got.map(\.2) == [7, Float(1 << 40), 0.5, 0.25])
    }

    @Test func scalarsTakesIntegerAndFloatingPointDictionariesAtAnyIntegerStep() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        try writer.scalars("counts", ["a": 1, "b": 2], step: 0)
        try writer.scalars("rates", ["a": 0.5], step: Int64(1))
        try writer.scalars("halves", ["a": Float(0.25)], step: UInt16(2))
        writer.log.scalar("logged", 1.5, step: UInt64(3))
        writer.log.scalar("count", 4, step: 4)
        try writer.close()
        let got = try values(writer.path).compactMap { item -> String? in
            guard case .simpleValue(let x) = item.value.kind else { return nil }
            return "\(item.value.tag)@\(item.step)=\(x)"
        }
        #expect(
            got == [
                "counts/a@0=1.0", "counts/b@0=2.0", "rates/a@1=0.5", "halves/a@2=0.25", "logged@3=1.5", "count@4=4.0",
            ])
    }

    @Test func histogramsAndTextTakeStepsOfAnyIntegerType() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        try writer.histogram("w", [0.5, 1.5], step: Int64(7))
        try writer.histogram("w", [Float(2)], step: 8)
        try writer.text("note", "hi", step: UInt32(9))
        #expect(throws: SummaryWriterError.self) { try writer.histogram("w", [1.0], step: UInt64.max) }
        try writer.close()
        #expect(try values(writer.path).map(\.step) == [7, 8, 9])
    }

    @Test func aStepBeyondSixtyFourBitsIsRefusedNamingStep() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        #expect(
            throws: SummaryWriterError.invalidArgument(
                argument: "step", tag: "x", reason: "\(UInt64.max) does not fit an event's 64-bit step")
        ) {
            try writer.scalar("x", 1.0, step: UInt64.max)
        }
        try writer.close()
    }

    @Test func aCHWBufferIsDrawnLikeTheSameImageInHWC() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        let (w, h) = (4, 3)
        var hwc = [UInt8]()
        var chw = [UInt8](repeating: 0, count: w * h * 3)
        for y in 0..<h {
            for x in 0..<w {
                for c in 0..<3 {
                    let v = UInt8(50 * c + 10 * y + x)
                    hwc.append(v)
                    chw[c * w * h + y * w + x] = v
                }
            }
        }
        try writer.image("hwc", pixels: hwc, width: w, height: h, channels: 3, step: 0)
        try writer.image("chw", pixels: chw, width: w, height: h, channels: 3, layout: .chw, step: 0)
        try writer.image(
            "chw-float", pixels: chw.map { Float($0) / 255 }, width: w, height: h, channels: 3, layout: .chw, step: 0)
        try writer.close()
        let pngs = try values(writer.path).map { item -> [UInt8] in
            guard case .tensor(let t) = item.value.kind, t.stringValues.count == 3 else { return [] }
            return t.stringValues[2]
        }
        #expect(pngs.count == 3 && !pngs[0].isEmpty)
        #expect(pngs[1] == pngs[0] && pngs[2] == pngs[0])
        #expect(chw != hwc)
    }

    @Test func anImageBufferOfTheWrongSizeIsRefusedNamingPixels() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        do {
            try writer.image("img", pixels: [UInt8](repeating: 0, count: 35), width: 4, height: 3, channels: 3, step: 0)
            Issue.record("a 35-sample buffer for 4 × 3 × 3 was accepted")
        } catch SummaryWriterError.invalidArgument(let argument, let tag, let reason) {
            #expect(argument == "pixels" && tag == "img")
            #expect(reason.contains("35") && reason.contains("36"))
        }
        #expect(throws: SummaryWriterError.self) {
            try writer.image(
                "img", pixels: [Float](repeating: 0, count: 11), width: 2, height: 2, channels: 3, layout: .chw, step: 0
            )
        }
        try writer.close()
        #expect(try values(writer.path).isEmpty)
    }

    @Test func summaryImageFormatWritesAV1ImageWithSizeAndColorspace() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        try writer.image(
            "v1", pixels: [UInt8](repeating: 9, count: 5 * 2 * 4), width: 5, height: 2, channels: 4,
            format: .summaryImage, step: 3)
        try writer.close()
        let item = try #require(try values(writer.path).first)
        guard case .image(let image) = item.value.kind else {
            Issue.record("expected a v1 image, got \(item.value.kind)")
            return
        }
        #expect(item.step == 3 && image.width == 5 && image.height == 2 && image.colorspace == 4)
        #expect(Array(image.encodedImage.prefix(4)) == [0x89, 0x50, 0x4E, 0x47])
    }

    @Test func scalarsMergesItsChartIntoTheCallersLayoutInsteadOfReplacingIt() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        let mine = CustomScalarLayout.Category(title: "Mine", charts: [.init(title: "acc", multiline: ["acc$"])])
        try writer.customScalarsLayout(CustomScalarLayout([mine]))
        try writer.scalars("loss", ["train": 1.0, "test": 2.0], step: 0)
        let other = CustomScalarLayout.Category(title: "Other", charts: [.init(title: "lr", multiline: ["lr$"])])
        let newMine = CustomScalarLayout.Category(title: "Mine", charts: [.init(title: "acc2", multiline: ["acc2$"])])
        let replaced = try writer.customScalarsLayout(CustomScalarLayout([other, newMine]))
        try writer.close()
        #expect(replaced == [mine])
        let lossChart = CustomScalarLayout.Category(
            title: "loss", charts: [.init(title: "loss", multiline: ["^loss/test$", "^loss/train$"])])
        let written = try layouts(writer.path)
        #expect(
            written == [
                CustomScalarLayout([mine]).encoded(),
                CustomScalarLayout([mine, lossChart]).encoded(),
                CustomScalarLayout([newMine, other, lossChart]).encoded(),
            ])
    }

    @Test func hparamsWithMetricsWritesSessionStartMetricScalarsAndSessionEnd() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        try writer.hparams(
            ["lr": 0.01, "init": "he"], metrics: ["hparam/accuracy": 0.75, "hparam/loss": 0.5], step: 9)
        try writer.close()
        let items = try values(writer.path)
        #expect(
            items.map(\.value.tag) == [
                HParams.sessionStartTag, "hparam/accuracy", "hparam/loss", HParams.sessionEndTag,
            ])
        #expect(items[1].step == 9 && items[1].value.kind == .simpleValue(0.75))
        #expect(items[0].value.metadata?.pluginName == .hparams)
    }

    @Test func hparamsRefusesEmptyMetricsOrValuesNamingTheArgumentAndWritesNothing() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        do {
            try writer.hparams(["lr": 0.01], metrics: [:])
            Issue.record("empty metrics accepted")
        } catch SummaryWriterError.invalidArgument(let argument, _, _) {
            #expect(argument == "metrics")
        }
        do {
            try writer.hparams([:], metrics: ["acc": 1])
            Issue.record("empty values accepted")
        } catch SummaryWriterError.invalidArgument(let argument, _, _) {
            #expect(argument == "values")
        }
        try writer.close()
        #expect(try values(writer.path).isEmpty)
    }

    @Test func logKeepsFailuresWithoutThrowingAndFlushThrowsThemOnce() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        writer.log.scalar("loss", 1.0, step: 0)
        writer.log.scalar("", 2.0, step: 1)
        writer.log.image("img", pixels: [UInt8](repeating: 0, count: 3), width: 2, height: 2, channels: 1, step: 0)
        writer.log.scalar("loss", 0.5, step: 2)
        do {
            try writer.flush()
            Issue.record("flush did not report the kept failures")
        } catch SummaryWriterError.loggingFailed(let count, let first) {
            #expect(count == 2)
            #expect(first.contains("tag"))
        }
        try writer.flush()  // reported once
        try writer.close()
        #expect(try values(writer.path).map(\.step) == [0, 2])
    }

    @Test func closeClosesTheFileAndThenThrowsKeptFailures() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(logdir: tmp.path, flushInterval: 0)
        writer.log.scalars("loss", ["": 1.0], step: 0)
        writer.log.scalar("ok", 1, step: 0)
        #expect(throws: SummaryWriterError.self) { try writer.close() }
        #expect(throws: SummaryWriterError.closed(path: writer.path)) { try writer.scalar("x", 1, step: 0) }
        #expect(try values(writer.path).map(\.value.tag) == ["ok"])
    }

    @Test func durationsSetTheFlushIntervalAndTheRotationAge() throws {
        let tmp = TemporaryDirectory()
        let writer = try SummaryWriter(
            logdir: tmp.path, flushEvery: .milliseconds(1500), rotation: FileRotation(maxAge: .seconds(90)))
        #expect(writer.flushInterval == 1.5)
        #expect(writer.rotation?.maxSeconds == 90)
        try writer.close()
    }
}
