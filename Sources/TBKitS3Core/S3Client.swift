import Dispatch
import Foundation
import Synchronization

#if canImport(FoundationNetworking)
    import FoundationNetworking
#endif

/// An object in a listing.
package struct S3Object: Sendable, Equatable {
    /// The full key.
    package var key: String
    /// Size in bytes.
    package var size: UInt64
    /// The entity tag (quotes removed).
    package var etag: String
}

/// One page of ListObjectsV2.
package struct S3ListPage: Sendable {
    /// The objects of this page, in key order.
    package var objects: [S3Object]
    /// The common prefixes (with a delimiter), in order.
    package var commonPrefixes: [String]
    /// The token for the next page, nil on the last one.
    package var nextContinuationToken: String?
}

/// What an S3 client has sent and received, for byte accounting (request bodies only, headers
/// excluded; retries count again, since their bytes are sent again).
package struct S3TransferStatistics: Sendable, Equatable {
    /// Requests sent, retries included.
    package var requests = 0
    /// Retries after a transient failure.
    package var retries = 0
    /// Request body bytes sent.
    package var bytesSent: UInt64 = 0
    /// Response body bytes received.
    package var bytesReceived: UInt64 = 0
}

/// A synchronous S3 client over the platform URLSession: each call signs (SigV4), sends, retries
/// transient failures with exponential backoff and jitter within bounded timeouts, and throws
/// `S3Error` naming the bucket, key and S3 error code. Safe to share between threads.
package final class S3Client: Sendable {
    /// Endpoint, region, credentials and retry policy.
    package let configuration: S3Configuration
    private let session: URLSession
    private let counters = Mutex(S3TransferStatistics())

    /// A client for `configuration`.
    package init(configuration: S3Configuration) {
        self.configuration = configuration
        let sessionConfiguration = URLSessionConfiguration.ephemeral
        sessionConfiguration.timeoutIntervalForRequest = configuration.requestTimeout
        sessionConfiguration.timeoutIntervalForResource = configuration.requestTimeout * 4
        sessionConfiguration.httpMaximumConnectionsPerHost = 8
        sessionConfiguration.requestCachePolicy = .reloadIgnoringLocalCacheData
        sessionConfiguration.urlCache = nil
        session = URLSession(configuration: sessionConfiguration)
    }

    deinit { session.invalidateAndCancel() }

    /// Bytes and requests so far.
    package var statistics: S3TransferStatistics { counters.withLock { $0 } }

    // MARK: Operations

    /// Creates a bucket (tests and tools; TBKit never creates buckets on its own).
    package func createBucket(_ bucket: String) throws(S3Error) {
        _ = try send(operation: "CreateBucket", method: "PUT", bucket: bucket, key: nil)
    }

    /// Stores `body` as the object `key` in one PUT; returns its ETag.
    @discardableResult
    package func putObject(bucket: String, key: String, body: Data, contentType: String? = nil) throws(S3Error)
        -> String
    {
        var headers = [(String, String)]()
        if let contentType { headers.append(("content-type", contentType)) }
        let response = try send(
            operation: "PutObject", method: "PUT", bucket: bucket, key: key, headers: headers, body: body)
        return try etag(response, operation: "PutObject", bucket: bucket, key: key)
    }

    /// The object's bytes, or those in `range` (inclusive byte offsets, as HTTP's Range header).
    package func getObject(bucket: String, key: String, range: ClosedRange<UInt64>? = nil) throws(S3Error) -> Data {
        var headers = [(String, String)]()
        if let range { headers.append(("range", "bytes=\(range.lowerBound)-\(range.upperBound)")) }
        return try send(operation: "GetObject", method: "GET", bucket: bucket, key: key, headers: headers).body
    }

    /// Size and ETag of an object, or nil if there is none.
    package func headObject(bucket: String, key: String) throws(S3Error) -> S3Object? {
        do {
            let response = try send(operation: "HeadObject", method: "HEAD", bucket: bucket, key: key)
            let size = UInt64(response.headers["content-length"] ?? "") ?? 0
            return S3Object(key: key, size: size, etag: Self.unquote(response.headers["etag"] ?? ""))
        } catch {
            if case .service(_, _, _, 404, _, _, _, _) = error { return nil }
            throw error
        }
    }

    /// Deletes an object (no error if it does not exist, as S3 answers).
    package func deleteObject(bucket: String, key: String) throws(S3Error) {
        _ = try send(operation: "DeleteObject", method: "DELETE", bucket: bucket, key: key)
    }

    /// One page of ListObjectsV2 under `prefix`.
    package func listObjects(
        bucket: String, prefix: String, delimiter: String? = nil, continuationToken: String? = nil,
        maxKeys: Int = 1000
    ) throws(S3Error) -> S3ListPage {
        var query: [(String, String)] = [("list-type", "2"), ("prefix", prefix), ("max-keys", String(maxKeys))]
        if let delimiter { query.append(("delimiter", delimiter)) }
        if let continuationToken { query.append(("continuation-token", continuationToken)) }
        let response = try send(
            operation: "ListObjectsV2", method: "GET", bucket: bucket, key: nil, query: query, subject: prefix)
        return try Self.listing(String(decoding: response.body, as: UTF8.self)[...], bucket: bucket, prefix: prefix)
    }

    /// A ListObjectsV2 answer read into a page; throws `.unexpectedResponse` for an answer that is
    /// not a listing or a truncated listing without a continuation token.
    package static func listing(_ text: Substring, bucket: String, prefix: String) throws(S3Error) -> S3ListPage {
        guard text.contains("<ListBucketResult") else {
            throw .unexpectedResponse(
                operation: "ListObjectsV2", bucket: bucket, key: prefix, detail: "no <ListBucketResult> in the answer")
        }
        var objects = [S3Object]()
        for block in S3XML.elements("Contents", in: text) {
            guard let key = S3XML.value("Key", in: block) else { continue }
            let size = UInt64(S3XML.value("Size", in: block) ?? "") ?? 0
            objects.append(S3Object(key: key, size: size, etag: Self.unquote(S3XML.value("ETag", in: block) ?? "")))
        }
        let prefixes = S3XML.elements("CommonPrefixes", in: text).compactMap { S3XML.value("Prefix", in: $0) }
        let truncated = S3XML.value("IsTruncated", in: text) == "true"
        let token = truncated ? S3XML.value("NextContinuationToken", in: text) : nil
        if truncated && token == nil {
            throw .unexpectedResponse(
                operation: "ListObjectsV2", bucket: bucket, key: prefix,
                detail: "a truncated listing without NextContinuationToken")
        }
        return S3ListPage(objects: objects, commonPrefixes: prefixes, nextContinuationToken: token)
    }

    /// Every object under `prefix`, following continuation tokens.
    package func listAllObjects(bucket: String, prefix: String, pageSize: Int = 1000) throws(S3Error) -> [S3Object] {
        var all = [S3Object]()
        var token: String?
        repeat {
            let page = try listObjects(bucket: bucket, prefix: prefix, continuationToken: token, maxKeys: pageSize)
            all += page.objects
            token = page.nextContinuationToken
        } while token != nil
        return all
    }

    /// Checks that the bucket exists and these credentials may list it (one small ListObjectsV2),
    /// so a writer fails at construction, not at its first upload.
    package func checkAccess(bucket: String, prefix: String) throws(S3Error) {
        _ = try listObjects(bucket: bucket, prefix: prefix, maxKeys: 1)
    }

    /// Starts a multipart upload; returns its upload id.
    package func createMultipartUpload(bucket: String, key: String, contentType: String? = nil) throws(S3Error)
        -> String
    {
        var headers = [(String, String)]()
        if let contentType { headers.append(("content-type", contentType)) }
        let response = try send(
            operation: "CreateMultipartUpload", method: "POST", bucket: bucket, key: key, query: [("uploads", "")],
            headers: headers)
        let text = String(decoding: response.body, as: UTF8.self)[...]
        guard let id = S3XML.value("UploadId", in: text), !id.isEmpty else {
            throw .unexpectedResponse(
                operation: "CreateMultipartUpload", bucket: bucket, key: key, detail: "no UploadId in the answer")
        }
        return id
    }

    /// Uploads part `partNumber` (1...10000; every part but the last at least 5 MiB); returns its ETag.
    package func uploadPart(bucket: String, key: String, uploadID: String, partNumber: Int, body: Data)
        throws(S3Error) -> String
    {
        let response = try send(
            operation: "UploadPart", method: "PUT", bucket: bucket, key: key,
            query: [("partNumber", String(partNumber)), ("uploadId", uploadID)], body: body)
        return try etag(response, operation: "UploadPart \(partNumber)", bucket: bucket, key: key)
    }

    /// Completes a multipart upload from its parts' numbers and ETags, in order.
    package func completeMultipartUpload(bucket: String, key: String, uploadID: String, parts: [(Int, String)])
        throws(S3Error)
    {
        var xml = "<CompleteMultipartUpload xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"
        for (number, etag) in parts {
            xml += "<Part><PartNumber>\(number)</PartNumber><ETag>\"\(S3XML.escape(etag))\"</ETag></Part>"
        }
        xml += "</CompleteMultipartUpload>"
        _ = try send(
            operation: "CompleteMultipartUpload", method: "POST", bucket: bucket, key: key,
            query: [("uploadId", uploadID)], headers: [("content-type", "application/xml")], body: Data(xml.utf8),
            errorInBody: true)
    }

    /// Abandons a multipart upload, freeing its parts.
    package func abortMultipartUpload(bucket: String, key: String, uploadID: String) throws(S3Error) {
        _ = try send(
            operation: "AbortMultipartUpload", method: "DELETE", bucket: bucket, key: key,
            query: [("uploadId", uploadID)])
    }

    // MARK: Requests

    struct Response: Sendable {
        var status: Int
        /// Header names lower-cased.
        var headers: [String: String]
        var body: Data
    }

    private func etag(_ response: Response, operation: String, bucket: String, key: String) throws(S3Error) -> String {
        guard let tag = response.headers["etag"], !tag.isEmpty else {
            throw .unexpectedResponse(operation: operation, bucket: bucket, key: key, detail: "no ETag header")
        }
        return Self.unquote(tag)
    }

    static func unquote(_ tag: String) -> String {
        var t = Substring(tag)
        if t.hasPrefix("\"") { t = t.dropFirst() }
        if t.hasSuffix("\"") { t = t.dropLast() }
        return String(t)
    }

    /// Signs and sends one request, retrying transient failures. `errorInBody`: a 200 answer may
    /// still carry an `<Error>` (CompleteMultipartUpload does).
    func send(
        operation: String, method: String, bucket: String, key: String?, query: [(String, String)] = [],
        headers: [(String, String)] = [], body: Data = Data(), errorInBody: Bool = false, subject: String? = nil
    ) throws(S3Error) -> Response {
        let payloadHash = body.isEmpty ? SigV4.emptyPayloadHash : SigV4.hexSHA256(body)
        var attempt = 0
        var wait = configuration.initialBackoff
        while true {
            attempt += 1
            let result = sendOnce(
                operation: operation, method: method, bucket: bucket, key: key, query: query, headers: headers,
                body: body, payloadHash: payloadHash, errorInBody: errorInBody, subject: subject ?? key,
                attempt: attempt)
            switch result {
            case .success(let response):
                return response
            case .failure(let error):
                guard error.isTransient, attempt < configuration.maxAttempts else { throw error }
                counters.withLock { $0.retries += 1 }
                let jittered = wait * Double.random(in: 0.5...1.0)
                Thread.sleep(forTimeInterval: jittered)
                wait = min(wait * 2, configuration.maxBackoff)
            }
        }
    }

    private func sendOnce(
        operation: String, method: String, bucket: String, key: String?, query: [(String, String)],
        headers: [(String, String)], body: Data, payloadHash: String, errorInBody: Bool, subject: String?,
        attempt: Int
    ) -> Result<Response, S3Error> {
        let host = configuration.hostHeader(bucket: bucket)
        let path = configuration.encodedPath(bucket: bucket, key: key)
        let queryString = SigV4.canonicalQuery(query)
        let scheme = configuration.endpoint.scheme?.lowercased() ?? "https"
        let urlText = "\(scheme)://\(host)\(path)" + (queryString.isEmpty ? "" : "?" + queryString)
        guard let url = URL(string: urlText) else {
            return .failure(
                .invalidURL(url: "s3://\(bucket)/\(key ?? "")", reason: "it does not make a valid request URL"))
        }
        let amzDate = SigV4.amzDate(Date().addingTimeInterval(configuration.clockOffset))
        var signed = headers
        signed.append(("host", host))
        signed.append(("x-amz-date", amzDate))
        signed.append(("x-amz-content-sha256", payloadHash))
        if let token = configuration.credentials.sessionToken { signed.append(("x-amz-security-token", token)) }
        let signer = SigV4(credentials: configuration.credentials, region: configuration.region)
        let signature = signer.sign(
            SigV4.Request(method: method, encodedPath: path, query: query, headers: signed, payloadHash: payloadHash),
            amzDate: amzDate)
        var request = URLRequest(url: url, timeoutInterval: configuration.requestTimeout)
        request.httpMethod = method
        for (name, value) in signed where name != "host" { request.setValue(value, forHTTPHeaderField: name) }
        request.setValue(signature.authorization, forHTTPHeaderField: "Authorization")
        if !body.isEmpty || method == "PUT" || method == "POST" {
            request.httpBody = body
            request.setValue(String(body.count), forHTTPHeaderField: "Content-Length")
        }
        counters.withLock {
            $0.requests += 1
            $0.bytesSent += UInt64(body.count)
        }
        let outcome = perform(request)
        switch outcome {
        case .failure(let detail):
            return .failure(
                .unreachable(
                    operation: operation, endpoint: configuration.endpoint.absoluteString, bucket: bucket, key: subject,
                    detail: detail, attempts: attempt))
        case .success(let response):
            counters.withLock { $0.bytesReceived += UInt64(response.body.count) }
            let text = String(decoding: response.body.prefix(64 << 10), as: UTF8.self)[...]
            if (200..<300).contains(response.status) {
                if errorInBody, text.contains("<Error>"), let code = S3XML.value("Code", in: text) {
                    return .failure(
                        .service(
                            operation: operation, bucket: bucket, key: subject, status: response.status, code: code,
                            message: S3XML.value("Message", in: text) ?? "",
                            requestID: S3XML.value("RequestId", in: text), attempts: attempt))
                }
                return .success(response)
            }
            let code =
                S3XML.value("Code", in: text) ?? Self.statusCode(response.status)
            return .failure(
                .service(
                    operation: operation, bucket: bucket, key: subject, status: response.status, code: code,
                    message: S3XML.value("Message", in: text) ?? "",
                    requestID: S3XML.value("RequestId", in: text) ?? response.headers["x-amz-request-id"],
                    attempts: attempt))
        }
    }

    /// A name for a status whose answer had no XML body (HEAD answers never do).
    static func statusCode(_ status: Int) -> String {
        switch status {
        case 400: return "BadRequest"
        case 403: return "Forbidden"
        case 404: return "NotFound"
        case 409: return "Conflict"
        case 500: return "InternalError"
        case 503: return "ServiceUnavailable"
        default: return "HTTP\(status)"
        }
    }

    private enum Outcome: Sendable {
        case success(Response)
        case failure(String)
    }

    /// Sends on URLSession and waits (bounded by the session's timeouts, plus a margin).
    private func perform(_ request: URLRequest) -> Outcome {
        let slot = Slot()
        let task = session.dataTask(with: request) { data, response, error in
            if let error {
                slot.put(.failure(error.localizedDescription))
            } else if let http = response as? HTTPURLResponse {
                var headers = [String: String]()
                for (name, value) in http.allHeaderFields {
                    if let name = name as? String, let value = value as? String { headers[name.lowercased()] = value }
                }
                slot.put(.success(Response(status: http.statusCode, headers: headers, body: data ?? Data())))
            } else {
                slot.put(.failure("no HTTP response"))
            }
        }
        task.resume()
        let limit = DispatchTime.now() + configuration.requestTimeout * 4 + 5
        if slot.semaphore.wait(timeout: limit) == .timedOut {
            task.cancel()
            return .failure("no answer within \(Int(configuration.requestTimeout * 4 + 5)) s")
        }
        return slot.value.withLock { $0 } ?? .failure("no result")
    }

    private final class Slot: Sendable {
        let value = Mutex<Outcome?>(nil)
        let semaphore = DispatchSemaphore(value: 0)
        func put(_ outcome: Outcome) {
            value.withLock { $0 = outcome }
            semaphore.signal()
        }
    }
}
