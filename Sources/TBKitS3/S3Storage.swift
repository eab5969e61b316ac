import Foundation
import Synchronization
import SystemPackage
import TBKit
@_exported import TBKitS3Core

/// Plugs `s3://` logdirs into TBKit: after `S3Storage.register()`,
/// `SummaryWriter(logdir: "s3://bucket/prefix/run")` writes its event files into a local spool
/// and uploads each sealed file once, to `prefix/run/<file name>`.
///
/// The endpoint and keys come from the environment as AWS tools take them (see
/// `S3Configuration.fromEnvironment`). Settings, all optional:
/// - `TBKIT_S3_SPOOL`: the spool root (default `$XDG_CACHE_HOME/tbkit/s3-spool` or
///   `~/.cache/tbkit/s3-spool`); a run's spool is `<root>/<bucket>/<key>`.
/// - `TBKIT_S3_SEGMENT_SECONDS` (default 30) and `TBKIT_S3_SEGMENT_BYTES` (default 16 MiB): when
///   a file is sealed; `TBKIT_S3_FLUSH_MIN_BYTES` (default 64 KiB): `flush()` seals past it.
/// - `TBKIT_S3_CLOSE_TIMEOUT` (seconds, default 60): how long `close()` waits for uploads.
public enum S3Storage {
    /// Registers the `s3` scheme with TBKit: `RemoteLogdirs` for writing, and for reading
    /// `LogSources` (an `s3://` prefix, event file or archive as a source) and the event-file
    /// readers (objects read in place by ranged GETs, see `S3ObjectReader`). Idempotent.
    public static func register() {
        RemoteLogdirs.register(S3LogdirScheme())
        registerReading.withLock { done in
            guard !done else { return }
            done = true
            LogSources.register { path throws(LogSourceError) in
                path.hasPrefix("s3://") ? try S3Reading.open(path) : nil
            }
            RemoteEventFiles.register(scheme: "s3") { path throws(RecordReaderError) in
                try S3Reading.reader(for: path)
            }
        }
    }

    private static let registerReading = Mutex(false)
}

/// The `s3` scheme for `RemoteLogdirs`.
package struct S3LogdirScheme: RemoteLogdirScheme {
    /// `s3`.
    package var scheme: String { "s3" }

    /// A scheme whose stores read their configuration from the environment.
    package init() {}

    /// Parses the URL, reads the configuration, checks that the bucket answers to these
    /// credentials (so a wrong secret or missing bucket fails here) and starts the uploader,
    /// which first sends any sealed files an earlier writer left in this run's spool.
    package func open(url: String) throws -> any RemoteLogdirStore {
        let location = try S3Location(url: url)
        let environment = ProcessInfo.processInfo.environment
        let client = try S3Client(configuration: S3Configuration.fromEnvironment(environment))
        try client.checkAccess(bucket: location.bucket, prefix: location.directoryPrefix)
        let settings = try S3LogdirSettings(environment: environment)
        return try S3LogdirStore(location: location, client: client, settings: settings)
    }
}

/// Tunables of an s3:// logdir (see `S3Storage`).
package struct S3LogdirSettings: Sendable {
    /// The spool root.
    package var spoolRoot: String
    /// Rotation limits for the spooled files.
    package var rotation: FileRotation
    /// `flush()` seals a file once it holds this many bytes.
    package var minimumFlushBytes: Int
    /// Seconds `close()` waits for the uploads.
    package var closeTimeout: Double
    /// The first wait after a failed upload (doubling up to `maxRetryWait`).
    package var retryWait: Double = 0.5
    /// The longest wait between two upload attempts of a file.
    package var maxRetryWait: Double = 30

    /// The settings from `TBKIT_S3_*` variables, with their defaults.
    package init(environment: [String: String]) throws(S3Error) {
        func number(_ name: String, _ fallback: Double) throws(S3Error) -> Double {
            guard let text = environment[name], !text.isEmpty else { return fallback }
            guard let v = Double(text), v.isFinite, v > 0 else {
                throw .invalidConfiguration(detail: "\(name) is '\(text)'; it must be a number above zero")
            }
            return v
        }
        if let root = environment["TBKIT_S3_SPOOL"], !root.isEmpty {
            spoolRoot = root
        } else if let cache = environment["XDG_CACHE_HOME"], !cache.isEmpty {
            spoolRoot = FilePath(cache).appending("tbkit/s3-spool").string
        } else {
            spoolRoot =
                FilePath(environment["HOME"] ?? NSTemporaryDirectory()).appending(".cache/tbkit/s3-spool").string
        }
        rotation = FileRotation(
            maxBytes: Int(try number("TBKIT_S3_SEGMENT_BYTES", Double(16 << 20))),
            maxSeconds: try number("TBKIT_S3_SEGMENT_SECONDS", 30))
        minimumFlushBytes = Int(try number("TBKIT_S3_FLUSH_MIN_BYTES", Double(64 << 10)))
        closeTimeout = try number("TBKIT_S3_CLOSE_TIMEOUT", 60)
    }
}
