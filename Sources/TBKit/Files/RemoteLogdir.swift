import Synchronization

/// Where a `SummaryWriter` whose logdir is a URL (`s3://bucket/prefix/run`) sends its event
/// files. TBKit links no network code: a storage module (TBKitS3 for `s3://`) registers a
/// `RemoteLogdirScheme` with `RemoteLogdirs.register(_:)`, and the writer then writes ordinary
/// event files into the store's local spool directory, rotated, and hands each file to the store
/// once it is sealed (closed whole, never to change). A URL whose scheme nobody registered is
/// refused by `SummaryWriter.init` with `SummaryWriterError.unsupportedLogdirScheme`.
public protocol RemoteLogdirScheme: Sendable {
    /// The URL scheme handled, lower-case, without `://` (e.g. `s3`).
    var scheme: String { get }
    /// Opens the remote run directory `url`: checks what can be checked now (the URL, the
    /// credentials, that the bucket exists and answers) and prepares a spool directory.
    func open(url: String) throws -> any RemoteLogdirStore
}

/// One remote run directory being written: a local spool that a writer fills with event files,
/// and the uploads of those files once sealed.
public protocol RemoteLogdirStore: AnyObject, Sendable {
    /// The local directory the writer creates its event files in.
    var spoolDirectory: String { get }
    /// When the writer seals its files (by size, by age) so each one is uploaded once, whole.
    var rotation: FileRotation { get }
    /// On `flush()`, the current file is sealed (and uploaded) if it holds at least this many
    /// bytes, so a flush makes data visible remotely without making many tiny objects.
    var minimumFlushBytes: Int { get }
    /// A sealed file (inside `spoolDirectory`) ready to send. Must return quickly: uploads happen
    /// on the store's own threads.
    func fileSealed(path: String)
    /// Called once by the writer's `close()` after its last file is sealed: waits a bounded time
    /// (the store's own) for every sealed file to be stored; throws
    /// `SummaryWriterError.remoteUploadIncomplete` naming what is still only local.
    func finish() throws
}

/// The registry of remote logdir schemes.
public enum RemoteLogdirs {
    private static let schemes = Mutex<[String: any RemoteLogdirScheme]>([:])

    /// Makes `handler` the one for its scheme (a later registration replaces an earlier one).
    public static func register(_ handler: any RemoteLogdirScheme) {
        schemes.withLock { $0[handler.scheme.lowercased()] = handler }
    }

    /// The handler for `scheme`, if registered.
    package static func handler(for scheme: String) -> (any RemoteLogdirScheme)? {
        schemes.withLock { $0[scheme.lowercased()] }
    }

    /// The scheme of `logdir` when it is a URL (`scheme://...`), else nil: a local path.
    package static func scheme(of logdir: String) -> String? {
        guard let range = logdir.range(of: "://") else { return nil }
        let scheme = logdir[..<range.lowerBound]
        guard let first = scheme.first, first.isLetter,
            scheme.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "+" || $0 == "-" || $0 == ".") })
        else { return nil }
        return scheme.lowercased()
    }
}
