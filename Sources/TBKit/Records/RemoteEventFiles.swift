import Synchronization

/// The bytes of an event file that lives outside the local file system (an object in a bucket),
/// read at any offset. `RecordReader` reads through one of these when a registered scheme names
/// the file.
package protocol RemoteByteReader: AnyObject {
    /// The file's size in bytes, as it was when the reader was opened.
    var size: Int64 { get }

    /// Copies up to `buffer.count` bytes starting at `offset` into `buffer`; returns how many
    /// (0 at or past the end). Throws `RecordReaderError.remote` naming the object on a failure.
    func read(fromAbsoluteOffset offset: Int64, into buffer: UnsafeMutableRawBufferPointer) throws(RecordReaderError)
        -> Int
}

/// Event files named by URL (`s3://bucket/key`), read through readers another module registers
/// for the URL's scheme (TBKitS3 does for `s3`), so TBKit itself links no network code.
package enum RemoteEventFiles {
    /// Makes a reader for the file at `path`, or nil when the path is not one this opener serves.
    package typealias Opener = @Sendable (_ path: String) throws(RecordReaderError) -> (any RemoteByteReader)?

    private static let openers = Mutex<[String: Opener]>([:])

    /// Serves paths starting with `<scheme>://` with `opener` (a later registration replaces an
    /// earlier one for the same scheme).
    package static func register(scheme: String, _ opener: @escaping Opener) {
        openers.withLock { $0[scheme] = opener }
    }

    /// The URL scheme of `path` (`s3` for `s3://b/k`), or nil for a local path.
    package static func scheme(of path: String) -> String? {
        guard let colon = path.firstIndex(of: ":"), path[colon...].hasPrefix("://") else { return nil }
        let scheme = path[..<colon]
        guard !scheme.isEmpty, scheme.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" }) else {
            return nil
        }
        return String(scheme)
    }

    /// A reader for `path` when its scheme is registered; nil for local paths and unknown schemes.
    package static func open(_ path: String) throws(RecordReaderError) -> (any RemoteByteReader)? {
        guard let scheme = scheme(of: path), let opener = openers.withLock({ $0[scheme] }) else { return nil }
        return try opener(path)
    }
}
