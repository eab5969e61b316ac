import Foundation

/// Streams bytes into one S3 object through a multipart upload: bytes are gathered into parts of
/// `partSize` (at least S3's 5 MiB minimum), each sent as soon as it is full, so memory holds one
/// part whatever the object's size. `finish()` sends the last part and completes the upload;
/// `abort()` abandons it (call it on any failure, so the server frees the parts).
package final class S3MultipartWriter {
    /// Objects up to this size are better sent with one PUT.
    package static let singlePutLimit: UInt64 = 64 << 20
    /// The smallest part S3 accepts (except the last).
    package static let minimumPartSize = 5 << 20

    /// The client sending the parts.
    package let client: S3Client
    /// The bucket written to.
    package let bucket: String
    /// The object written.
    package let key: String
    /// Bytes per part.
    package let partSize: Int
    /// Bytes handed to `write` so far.
    package private(set) var bytesWritten: UInt64 = 0

    private let uploadID: String
    private var buffer = Data()
    private var parts: [(Int, String)] = []
    private var finished = false

    /// Starts the upload (CreateMultipartUpload).
    package init(client: S3Client, bucket: String, key: String, partSize: Int = 8 << 20) throws(S3Error) {
        self.client = client
        self.bucket = bucket
        self.key = key
        self.partSize = max(partSize, Self.minimumPartSize)
        uploadID = try client.createMultipartUpload(bucket: bucket, key: key)
        buffer.reserveCapacity(self.partSize)
    }

    /// Appends bytes, sending every part that fills.
    package func write(_ bytes: UnsafeRawBufferPointer) throws(S3Error) {
        var rest = bytes
        while !rest.isEmpty {
            let take = min(rest.count, partSize - buffer.count)
            buffer.append(contentsOf: UnsafeRawBufferPointer(rebasing: rest[0..<take]))
            rest = UnsafeRawBufferPointer(rebasing: rest[take...])
            bytesWritten += UInt64(take)
            if buffer.count == partSize { try sendPart() }
        }
    }

    /// Appends bytes, sending every part that fills.
    package func write(_ data: Data) throws(S3Error) {
        var offset = data.startIndex
        while offset < data.endIndex {
            let n = min(data.endIndex - offset, partSize - buffer.count)
            buffer.append(data[offset..<(offset + n)])
            offset += n
            bytesWritten += UInt64(n)
            if buffer.count == partSize { try sendPart() }
        }
    }

    /// Sends what is buffered as the last part and completes the object.
    package func finish() throws(S3Error) {
        guard !finished else { return }
        if !buffer.isEmpty || parts.isEmpty { try sendPart() }
        try client.completeMultipartUpload(bucket: bucket, key: key, uploadID: uploadID, parts: parts)
        finished = true
    }

    /// Abandons the upload (best effort: an error here leaves parts the server expires).
    package func abort() {
        guard !finished else { return }
        finished = true
        try? client.abortMultipartUpload(bucket: bucket, key: key, uploadID: uploadID)
    }

    private func sendPart() throws(S3Error) {
        let number = parts.count + 1
        guard number <= 10_000 else {
            throw .unexpectedResponse(
                operation: "UploadPart", bucket: bucket, key: key,
                detail: "more than 10,000 parts of \(partSize) bytes; use a larger part size")
        }
        let etag = try client.uploadPart(bucket: bucket, key: key, uploadID: uploadID, partNumber: number, body: buffer)
        parts.append((number, etag))
        buffer.removeAll(keepingCapacity: true)
    }
}
