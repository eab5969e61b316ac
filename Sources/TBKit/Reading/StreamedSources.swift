import Synchronization

/// Sources read from a stream of bytes instead of a local path: how an object elsewhere (a
/// `tbkit archive` file in a bucket) is read in place, without a local copy.
///
/// A module that reads a kind of source from a stream registers an opener (TBKitArchive does for
/// its archives); a module that serves remote objects (TBKitS3) hands each object it cannot read
/// itself to `open(label:head:stream:)`.
package enum StreamedSources {
    /// Fills the buffer it is given with the next bytes of the stream as far as it can; returns
    /// the count, 0 at the end.
    package typealias Read = (UnsafeMutableRawBufferPointer) throws -> Int
    /// Starts the stream again from its first byte (a source may read it more than once).
    package typealias Stream = @Sendable () throws(LogSourceError) -> Read
    /// Makes a source of the stream labelled `label` whose first bytes are `head`, or nil when
    /// the stream is not of its kind.
    package typealias Opener =
        @Sendable (_ label: String, _ head: [UInt8], _ stream: @escaping Stream) throws(LogSourceError) -> (
            any LogSource
        )?

    private static let openers = Mutex<[Opener]>([])

    /// Adds an opener, tried in order of registration.
    package static func register(_ opener: @escaping Opener) {
        openers.withLock { $0.append(opener) }
    }

    /// The source the stream holds; refused with what it looks like when no opener takes it.
    /// `head` is the stream's first bytes (up to 512).
    package static func open(label: String, head: [UInt8], stream: @escaping Stream) throws(LogSourceError)
        -> any LogSource
    {
        for opener in openers.withLock({ $0 }) {
            if let source = try opener(label, head, stream) { return source }
        }
        throw .notASource(path: label, looksLike: try describe(head, stream: stream))
    }

    /// True when the stream is gzip data whose first tar member is `tbkit-manifest.json`.
    package static func isTBKitArchive(head: [UInt8], stream: @escaping Stream) throws(LogSourceError) -> Bool {
        guard head.count >= 2, head[0] == 0x1F, head[1] == 0x8B else { return false }
        return SourceSniffer.describeGzip(reading: try stream()) == SourceSniffer.tbkitArchive
    }

    /// True when `head` starts with a TFRecord header whose length CRC matches and whose length
    /// fits in `size` bytes: an event file under another name.
    package static func startsWithRecord(_ head: [UInt8], size: Int64) -> Bool {
        SourceSniffer.startsWithRecord(head, fileSize: size)
    }

    /// A few words on what the stream looks like, for an error message.
    static func describe(_ head: [UInt8], stream: Stream) throws(LogSourceError) -> String {
        if head.count >= 2 && head[0] == 0x1F && head[1] == 0x8B {
            return SourceSniffer.describeGzip(reading: try stream())
        }
        return SourceSniffer.describe(head, path: "")
    }
}
