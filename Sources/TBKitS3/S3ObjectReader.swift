import Dispatch
import Foundation
import Synchronization
import TBKit
import TBKitS3Core

/// An object read in place by ranged GETs: `chunkSize`-byte ranges fetched `depth` at a time
/// ahead of the reader, so a front-to-back read waits little on the network while memory holds
/// at most `depth` chunks, whatever the object's size (the read-ahead starts past the first
/// 64 KiB, so a look at an object's head fetches one range). Every range carries the ETag the object
/// had when it was listed (`If-Match`): an object that changes while it is read is an error that
/// names it, never a mix of two versions.
///
/// Not thread-safe (one reader per thread, as `RecordReader`); the fetches run on other threads.
package final class S3ObjectReader: RemoteByteReader {
    /// The object's `s3://bucket/key`.
    package let url: String
    /// Its size when listed.
    package let size: Int64
    private let object: S3Location
    private let etag: String
    private let client: S3Client
    private let chunkSize: Int64
    private let depth: Int
    private var chunks: [Int64: Fetch] = [:]
    private let failed: @Sendable (String) -> Void

    /// A reader of `object` (`size` bytes, ETag `etag`), fetching `chunkSize`-byte ranges with up
    /// to `depth` in flight; `failed` hears each failure's sentence once.
    package init(
        client: S3Client, object: S3Location, size: UInt64, etag: String, chunkSize: Int = 8 << 20, depth: Int = 3,
        failed: @escaping @Sendable (String) -> Void = { _ in }
    ) {
        self.client = client
        self.object = object
        self.url = object.description
        self.size = Int64(clamping: size)
        self.etag = etag
        self.chunkSize = Int64(max(chunkSize, 1))
        self.depth = max(depth, 1)
        self.failed = failed
    }

    /// Ranges fetched or in flight: never more than `depth`.
    package var chunksHeld: Int { chunks.count }

    /// Copies up to `buffer.count` bytes from `offset` (within one chunk); 0 at or past the end.
    package func read(fromAbsoluteOffset offset: Int64, into buffer: UnsafeMutableRawBufferPointer)
        throws(RecordReaderError) -> Int
    {
        guard offset >= 0, offset < size, buffer.count > 0 else { return 0 }
        let index = offset / chunkSize
        // Drop what is behind the reader and what lies beyond the read-ahead window.
        for key in chunks.keys where key < index || key >= index + Int64(depth) { chunks[key] = nil }
        let last = (size - 1) / chunkSize
        // Read-ahead starts once the reader is past the object's first 64 KiB: a look at the
        // head of an object (what kind of source is it?) costs one range, not `depth`.
        let window = index > 0 || offset >= 1 << 16 ? Int64(depth) : 1
        var next = index
        while next <= min(last, index + window - 1) {
            if chunks[next] == nil { chunks[next] = start(next) }
            next += 1
        }
        guard let fetch = chunks[index] else { return 0 }
        let data: Data
        switch fetch.wait() {
        case .success(let bytes):
            data = bytes
        case .failure(let error):
            chunks[index] = nil
            let sentence = Self.sentence(for: error, url: url, etag: etag)
            failed(sentence)
            throw .remote(path: url, operation: "GetObject", reason: sentence)
        }
        let within = Int(offset - index * chunkSize)
        let count = min(buffer.count, data.count - within)
        guard count > 0, let target = buffer.baseAddress else { return 0 }
        data.withUnsafeBytes { bytes in
            if let base = bytes.baseAddress { target.copyMemory(from: base + within, byteCount: count) }
        }
        return count
    }

    /// What to tell people about a failed range.
    static func sentence(for error: S3Error, url: String, etag: String) -> String {
        if error.code == "PreconditionFailed" {
            return
                "\(url) changed while it was being read (its ETag was \(etag) when listed): \(error); read it again once nothing writes it"
        }
        return "\(url): cannot read: \(error)"
    }

    /// Starts fetching chunk `index` on another thread.
    private func start(_ index: Int64) -> Fetch {
        let fetch = Fetch()
        let lower = UInt64(index * chunkSize)
        let upper = UInt64(min(size, (index + 1) * chunkSize) - 1)
        let (client, object, etag) = (client, object, etag)
        DispatchQueue.global(qos: .userInitiated).async {
            do throws(S3Error) {
                let bytes = try client.getObject(
                    bucket: object.bucket, key: object.key, range: lower...upper, ifMatch: etag)
                fetch.finish(.success(bytes))
            } catch {
                fetch.finish(.failure(error))
            }
        }
        return fetch
    }

    /// One range being fetched: its bytes or its error, once there.
    private final class Fetch: Sendable {
        private let result = Mutex<Result<Data, S3Error>?>(nil)
        private let done = DispatchSemaphore(value: 0)

        func finish(_ outcome: Result<Data, S3Error>) {
            result.withLock { $0 = outcome }
            done.signal()
        }

        func wait() -> Result<Data, S3Error> {
            if let outcome = result.withLock({ $0 }) { return outcome }
            done.wait()
            done.signal()  // later waits pass at once
            return result.withLock { $0 } ?? .failure(.localFile(path: "", detail: "no result"))
        }
    }
}

extension S3ObjectReader {
    /// The object as a stream from its first byte (for `StreamedSources`).
    package func stream() -> StreamedSources.Read {
        var offset: Int64 = 0
        return { [self] buffer in
            var filled = 0
            while filled < buffer.count {
                let n = try read(
                    fromAbsoluteOffset: offset,
                    into: UnsafeMutableRawBufferPointer(rebasing: buffer[filled...]))
                if n == 0 { break }
                filled += n
                offset += Int64(n)
            }
            return filled
        }
    }
}
