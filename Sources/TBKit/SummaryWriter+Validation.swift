extension SummaryWriter {
    func validate(_ tag: String) throws {
        var bytes = tag
        try bytes.withUTF8 { try validate(utf8: $0, tag: tag) }
    }

    /// A tag must be non-empty and free of control characters (which no dashboard can show).
    func validate(utf8: UnsafeBufferPointer<UInt8>, tag: String) throws {
        if utf8.isEmpty { throw SummaryWriterError.invalidTag(tag: tag, reason: "a tag must not be empty") }
        for b in utf8 where b < 0x20 || b == 0x7F {
            throw SummaryWriterError.invalidTag(
                tag: tag, reason: "control character 0x\(String(b, radix: 16, uppercase: true)) is not allowed")
        }
    }

    func validate(wallTime: Double, tag: String?) throws {
        // TensorBoard's Rust loader abandons a file at a NaN wall time, so never write one.
        guard wallTime.isFinite else {
            throw SummaryWriterError.invalidWallTime(wallTime: wallTime, tag: tag)
        }
    }
}
