import TBKit

// libFuzzer target: arbitrary bytes as one record's payload.
//
// Decodes an Event (and through it every nested message: Summary.Value, metadata, images, audio,
// HistogramProto, TensorProto), classifies its values, and checks that decoding is stable: what
// TBKit decodes, encodes and decodes again must encode to the same bytes.
#if canImport(Glibc)
    import Glibc
#endif

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzEventDecoding(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    let bytes = UnsafeRawBufferPointer(start: data, count: size)
    guard let event = try? Event(decoding: bytes) else {
        // The error must name an offset inside the input.
        do { _ = try Event(decoding: bytes) } catch {
            check(error.offset >= 0 && error.offset <= size, "error offset \(error.offset) outside \(size) bytes")
            _ = error.description
        }
        return 0
    }
    var classifier = ValueClassifier()
    if case .summary(let summary) = event.what {
        for value in summary.values {
            _ = classifier.classify(value, step: event.step, wallTime: event.wallTime)
        }
    }
    let once = event.encoded()
    guard let again = try? Event(decoding: once) else {
        fail("an event TBKit encoded does not decode")
    }
    check(again.encoded() == once, "decode(encode(event)) encodes differently")
    return 0
}
