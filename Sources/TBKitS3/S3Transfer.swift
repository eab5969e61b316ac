import Foundation
import SystemPackage
import TBKit
import TBKitS3Core

/// Whole-object transfers between S3 and local files, streamed: downloads go through ranged GETs
/// of `chunkSize` bytes straight to disk, uploads through `S3MultipartWriter` (or one PUT when
/// small), so memory holds one chunk or part whatever the object's size.
package enum S3Transfer {
    /// Bytes per ranged GET.
    package static let chunkSize: UInt64 = 8 << 20

    /// Downloads the object at `location` into a new file at `path` (parents created).
    /// Returns the bytes written.
    @discardableResult
    package static func download(_ location: S3Location, client: S3Client, to path: String) throws -> UInt64 {
        guard let info = try client.headObject(bucket: location.bucket, key: location.key) else {
            throw S3Error.service(
                operation: "GetObject", bucket: location.bucket, key: location.key, status: 404, code: "NoSuchKey",
                message: "The specified key does not exist.", requestID: nil, attempts: 1)
        }
        let directory = (path as NSString).deletingLastPathComponent
        if !directory.isEmpty {
            try? FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        }
        guard FileManager.default.createFile(atPath: path, contents: nil),
            let handle = FileHandle(forWritingAtPath: path)
        else { throw S3Error.localFile(path: path, detail: "cannot create the file") }
        defer { try? handle.close() }
        var offset: UInt64 = 0
        while offset < info.size {
            let end = min(offset + chunkSize, info.size) - 1
            let chunk = try client.getObject(bucket: location.bucket, key: location.key, range: offset...end)
            guard chunk.count == Int(end - offset + 1) else {
                throw S3Error.unexpectedResponse(
                    operation: "GetObject", bucket: location.bucket, key: location.key,
                    detail: "asked for bytes \(offset)-\(end), got \(chunk.count) bytes (did the object change?)")
            }
            do { try handle.write(contentsOf: chunk) } catch {
                throw S3Error.localFile(path: path, detail: "write failed: \(error.localizedDescription)")
            }
            offset = end + 1
        }
        return offset
    }

    /// Files above this size go up as multipart uploads: `TBKIT_S3_MULTIPART_BYTES` when set
    /// (at least 5 MiB), else 64 MiB.
    package static var multipartThreshold: UInt64 {
        let text = ProcessInfo.processInfo.environment["TBKIT_S3_MULTIPART_BYTES"] ?? ""
        guard let v = IntegerText.uint64(text) else { return S3MultipartWriter.singlePutLimit }
        return max(v, UInt64(S3MultipartWriter.minimumPartSize))
    }

    /// Uploads the file at `path` as the object at `location`; returns the bytes sent. Files
    /// above `multipartThreshold` go in parts of `partSize` bytes.
    @discardableResult
    package static func upload(_ path: String, client: S3Client, to location: S3Location, partSize: Int = 8 << 20)
        throws -> UInt64
    {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw S3Error.localFile(path: path, detail: "cannot open the file")
        }
        defer { try? handle.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? UInt64) ?? 0
        if size <= multipartThreshold {
            let body = (try? handle.readToEnd()) ?? Data()
            try client.putObject(bucket: location.bucket, key: location.key, body: body)
            return UInt64(body.count)
        }
        let writer = try S3MultipartWriter(
            client: client, bucket: location.bucket, key: location.key, partSize: partSize)
        do {
            while let chunk = try handle.read(upToCount: writer.partSize), !chunk.isEmpty {
                try writer.write(chunk)
            }
            try writer.finish()
        } catch {
            writer.abort()
            throw error
        }
        return writer.bytesWritten
    }

    /// Copies every object under the directory prefix `location` into `directory`, keeping the
    /// key paths below the prefix (`prefix/run/file` -> `directory/run/file`). Keys that would
    /// leave `directory` (`..`, absolute, empty components) are refused. Returns the files written.
    @discardableResult
    package static func mirror(_ location: S3Location, client: S3Client, into directory: String) throws -> Int {
        let prefix = location.directoryPrefix
        let objects = try client.listAllObjects(bucket: location.bucket, prefix: prefix)
        if objects.isEmpty {
            throw S3Error.service(
                operation: "ListObjectsV2", bucket: location.bucket, key: prefix, status: 404, code: "NoSuchKey",
                message: "no objects under this prefix", requestID: nil, attempts: 1)
        }
        var count = 0
        for object in objects {
            let relative = String(object.key.dropFirst(prefix.count))
            if relative.isEmpty || relative.hasSuffix("/") { continue }  // "directory" markers
            let parts = relative.split(separator: "/", omittingEmptySubsequences: false)
            guard !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
                throw S3Error.unexpectedResponse(
                    operation: "ListObjectsV2", bucket: location.bucket, key: object.key,
                    detail: "the key has an empty, '.' or '..' component and cannot be mirrored safely")
            }
            try download(
                S3Location(bucket: location.bucket, key: object.key), client: client,
                to: FilePath(directory).appending(relative).string)
            count += 1
        }
        return count
    }
}
