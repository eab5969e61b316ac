import Foundation

extension S3Client {
    /// The bytes `range` (inclusive offsets) of an object, only while its ETag is still `etag`:
    /// the request carries `If-Match`, so a server whose copy changed answers 412
    /// PreconditionFailed; the answer's own ETag is checked as well. Returns the bytes.
    package func getObject(bucket: String, key: String, range: ClosedRange<UInt64>, ifMatch etag: String)
        throws(S3Error) -> Data
    {
        let headers = [("range", "bytes=\(range.lowerBound)-\(range.upperBound)"), ("if-match", "\"\(etag)\"")]
        let response = try send(operation: "GetObject", method: "GET", bucket: bucket, key: key, headers: headers)
        if let answered = response.headers["etag"].map(Self.unquote), !answered.isEmpty, answered != etag {
            throw .service(
                operation: "GetObject", bucket: bucket, key: key, status: 412, code: "PreconditionFailed",
                message: "the object's ETag is now \(answered), not \(etag)", requestID: nil, attempts: 1)
        }
        let expected = Int(range.upperBound - range.lowerBound + 1)
        guard response.body.count == expected else {
            throw .unexpectedResponse(
                operation: "GetObject", bucket: bucket, key: key,
                detail:
                    "asked for bytes \(range.lowerBound)-\(range.upperBound), got \(response.body.count) bytes (did the object change?)"
            )
        }
        return response.body
    }
}
