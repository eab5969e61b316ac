import Foundation
import Synchronization
import TBKit
import TBKitS3Core

/// What reading `s3://` sources shares in a process: one client from the environment, the size
/// and ETag of each listed event file (so opening it costs no request), the failures met, and
/// the range size and read-ahead.
///
/// Settings, both optional: `TBKIT_S3_READ_CHUNK_BYTES` (bytes per ranged GET, default 8 MiB, at
/// least 4096) and `TBKIT_S3_READ_AHEAD` (ranges in flight per object, default 3, 1 to 16).
package enum S3Reading {
    private static let shared = Mutex<S3Client?>(nil)
    private static let catalog = Mutex<[String: S3Object]>([:])
    private static let failed = Mutex<[String]>([])

    /// The process's client, made from the environment on first use.
    package static func client(for source: String) throws(LogSourceError) -> S3Client {
        if let client = shared.withLock({ $0 }) { return client }
        do throws(S3Error) {
            let client = try S3Client.fromEnvironment()
            shared.withLock { $0 = client }
            return client
        } catch {
            throw .remote(source: source, reason: "\(source): \(error)")
        }
    }

    /// Bytes per ranged GET.
    package static var chunkSize: Int {
        let text = ProcessInfo.processInfo.environment["TBKIT_S3_READ_CHUNK_BYTES"] ?? ""
        return IntegerText.int(text).map { max($0, 4096) } ?? Int(S3Transfer.chunkSize)
    }

    /// Ranges in flight per object.
    package static var readAhead: Int {
        let text = ProcessInfo.processInfo.environment["TBKIT_S3_READ_AHEAD"] ?? ""
        return IntegerText.int(text).map { min(max($0, 1), 16) } ?? 3
    }

    /// Remembers a listed object's size and ETag under its URL.
    static func remember(_ object: S3Object, url: String) {
        catalog.withLock { $0[url] = object }
    }

    /// Notes a read failure (each sentence once).
    static func fail(_ sentence: String) {
        failed.withLock { if !$0.contains(sentence) { $0.append(sentence) } }
    }

    /// The failures of objects whose URL starts with `prefix`.
    static func failures(under prefix: String) -> [String] {
        failed.withLock { $0.filter { $0.hasPrefix(prefix) } }
    }

    /// A reader of the event file at `url`: its listed size and ETag, or a HEAD request's.
    static func reader(for url: String) throws(RecordReaderError) -> S3ObjectReader {
        let location: S3Location
        do throws(S3Error) {
            location = try S3Location(url: url)
        } catch {
            throw .remote(path: url, operation: "open", reason: error.description)
        }
        var object = catalog.withLock { $0[url] }
        if object == nil {
            let client: S3Client
            do throws(LogSourceError) {
                client = try Self.client(for: url)
            } catch {
                throw .remote(path: url, operation: "open", reason: error.description)
            }
            do throws(S3Error) {
                object = try client.headObject(bucket: location.bucket, key: location.key)
            } catch {
                throw .remote(path: url, operation: "HeadObject", reason: error.description)
            }
            guard object != nil else {
                throw .remote(path: url, operation: "HeadObject", reason: "no such object")
            }
        }
        guard let object, let client = shared.withLock({ $0 }) else {
            throw .remote(path: url, operation: "open", reason: "no S3 client")
        }
        return S3ObjectReader(
            client: client, object: location, size: object.size, etag: object.etag, chunkSize: chunkSize,
            depth: readAhead, failed: { fail($0) })
    }

    /// The source `url` names: a prefix, or one object (an event file, or a source read from the
    /// object's bytes, such as an archive made by `tbkit archive`).
    package static func open(_ url: String) throws(LogSourceError) -> any LogSource {
        let location: S3Location
        do throws(S3Error) {
            location = try S3Location(url: url)
        } catch {
            throw .remote(source: url, reason: error.description)
        }
        let client = try Self.client(for: url)
        guard !location.key.isEmpty, !location.key.hasSuffix("/") else {
            return S3LogSource(location: location, label: url)
        }
        let head: S3Object?
        do throws(S3Error) {
            head = try client.headObject(bucket: location.bucket, key: location.key)
        } catch {
            throw .remote(source: url, reason: error.description)
        }
        guard let object = head else { return S3LogSource(location: location, label: url) }
        remember(object, url: url)
        let name = location.key.split(separator: "/").last.map(String.init) ?? location.key
        if RunDirectory.isEventFileName(name) { return S3EventFileSource(url: url) }
        let start: StreamedSources.Stream = { () throws(LogSourceError) in
            do throws(RecordReaderError) {
                return try reader(for: url).stream()
            } catch {
                throw .remote(source: url, reason: error.description)
            }
        }
        // The first 512 bytes, in one small range, say what kind of source the object is.
        var bytes: [UInt8] = []
        if object.size > 0 {
            do throws(S3Error) {
                bytes = Array(
                    try client.getObject(
                        bucket: location.bucket, key: location.key, range: 0...min(511, object.size - 1),
                        ifMatch: object.etag))
            } catch {
                throw .remote(source: url, reason: S3ObjectReader.sentence(for: error, url: url, etag: object.etag))
            }
        }
        if StreamedSources.startsWithRecord(bytes, size: Int64(clamping: object.size)) {
            return S3EventFileSource(url: url)
        }
        return try StreamedSources.open(label: url, head: bytes, stream: start)
    }
}
