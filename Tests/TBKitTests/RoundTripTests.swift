import Testing

@testable import TBKit

/// Every message type survives encoding (the writers) and decoding (the readers) unchanged.
@Suite struct RoundTripTests {
    func roundTrip(_ e: Event) throws -> Event { try Event(decoding: e.encoded()) }

    @Test func fileVersionEventRoundTrips() throws {
        let e = Event(wallTime: 1.0, what: .fileVersion("brain.Event:2"))
        #expect(try roundTrip(e) == e)
    }

    @Test func specScalarRecordPayloadDecodesToItsEvent() throws {
        // TENSORBOARD-FORMAT.md §1, payload of the 42-byte tensorboardX record.
        let payload = RecordWriterTests.hex("0900000040fc54d941 1001 2a0d 0a0b 0a046c6f7373 150000003f")
        let e = try Event(decoding: payload)
        #expect(
            e
                == Event(
                    wallTime: 1_700_000_000.0, step: 1,
                    what: .summary(
                        Summary(values: [
                            SummaryValue(tag: "loss", kind: .simpleValue(0.5))
                        ]))))
    }

    @Test func everySummaryValueKindRoundTrips() throws {
        let meta = SummaryMetadata(
            pluginName: .audio, content: [0x10, 0x0B], displayName: "d",
            summaryDescription: "s", dataClass: .blobSequence)
        let values: [SummaryValue] = [
            SummaryValue(tag: "zero", kind: .simpleValue(0)),
            SummaryValue(tag: "neg", kind: .simpleValue(-1.5)),
            SummaryValue(
                tag: "h",
                kind: .histogram(
                    HistogramProto(
                        min: -1, max: 2, num: 3, sum: 1, sumSquares: 5,
                        bucketLimits: [0, 1, 2], buckets: [1, 1, 1]))),
            SummaryValue(
                tag: "img", kind: .image(ImageValue(height: 2, width: 3, colorspace: 3, encodedImage: [0x89, 0x50]))),
            SummaryValue(
                tag: "snd", metadata: meta,
                kind: .audio(
                    AudioValue(
                        sampleRate: 16_000, numChannels: 1,
                        lengthFrames: 10, encodedAudio: [1, 2, 3]))),
            SummaryValue(tag: "t", metadata: SummaryMetadata(pluginName: .scalars), kind: .tensor(.scalar(0.25))),
            SummaryValue(tag: "s", kind: .tensor(.strings(["a", "bc"], shape: [2]))),
            SummaryValue(
                tag: "all",
                kind: .tensor(
                    TensorProto(
                        dtype: .double, shape: [2, 3], content: Array(repeating: 7, count: 48),
                        floatValues: [1], doubleValues: [2], intValues: [-3],
                        int64Values: [1 << 40], boolValues: [true, false]))),
            SummaryValue(tag: "old", kind: .other(field: 3, bytes: [1, 2])),
        ]
        let e = Event(wallTime: 1_700_000_000.5, step: 42, what: .summary(Summary(values: values)))
        #expect(try roundTrip(e) == e)
    }

    @Test func graphSessionLogAndOtherMembersRoundTrip() throws {
        for what: Event.What in [
            .graphDef([1, 2, 3]), .sessionLog(status: .start, checkpointPath: "ck", message: "m"),
            .other(field: 9, bytes: [4, 5]),
        ] {
            let e = Event(wallTime: 3, step: -1, what: what)
            #expect(try roundTrip(e) == e)
        }
    }

    @Test func largeHistogramWithMultiByteLengthsRoundTrips() throws {
        let limits = (0..<1000).map { Double($0) * 0.5 }
        let counts = (0..<1000).map { Double($0 % 7) }
        let h = HistogramProto(
            min: 0, max: 499.5, num: 3000, sum: 12, sumSquares: 99, bucketLimits: limits, buckets: counts)
        let e = Event(
            wallTime: 1, step: 2, what: .summary(Summary(values: [SummaryValue(tag: "big", kind: .histogram(h))])))
        #expect(try roundTrip(e) == e)
    }
}
