/// One value's tag and step, without the value: what a scan that counts tags and step ranges
/// needs. A plain v1 scalar keeps its tag as the bytes stored in the record (no String is built);
/// every other value has its tag as `EventFileReader.nextValue()` gives it.
package enum TaggedStep {
    /// A record holding exactly one v1 scalar (see `RawScalarEvent`); `tag` borrows the record's
    /// bytes and is valid only until the reader's next read. `String(decoding: tag, as: UTF8.self)`
    /// is the tag `nextValue()` would give.
    case raw(tag: UnsafeRawBufferPointer, step: Int64)
    /// Any other value (histogram, tensor scalar, graph, ...), with its decoded tag.
    case decoded(tag: String, step: Int64)
}

extension EventFileReader {
    /// The tag and step of the next value, in the same order and for the same values as
    /// `nextValue()`, or nil when no complete record is left. Plain v1 scalars come out raw
    /// (`TaggedStep.raw`), skipping the Event, String and `TaggedValue` that `nextValue()` builds.
    package func nextTaggedStep() -> TaggedStep? {
        switch nextValueOrRawScalar() {
        case nil:
            return nil
        case .scalar(let scalar)?:
            return .raw(tag: scalar.tag, step: scalar.step)
        case .value(let value)?:
            switch value {
            case .scalar(let point): return .decoded(tag: point.tag, step: point.step)
            case .histogram(let point): return .decoded(tag: point.tag, step: point.step)
            case .other(let point): return .decoded(tag: point.tag, step: point.step)
            }
        }
    }
}
