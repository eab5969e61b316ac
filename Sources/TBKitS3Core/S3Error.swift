/// What went wrong talking to S3-compatible storage, naming the bucket, the key and, for an
/// answer from the server, its HTTP status and S3 error code.
public enum S3Error: Error, CustomStringConvertible, Sendable, Equatable {
    /// An `s3://` URL that cannot name a bucket and key.
    case invalidURL(url: String, reason: String)
    /// No usable access key pair was found.
    case missingCredentials(detail: String)
    /// The endpoint or another setting is unusable.
    case invalidConfiguration(detail: String)
    /// The server answered with an error (`code` from its XML body, e.g. `NoSuchBucket`,
    /// `SignatureDoesNotMatch`, `RequestTimeTooSkewed`; for a body-less answer, the HTTP status
    /// name). `attempts` counts tries, retries of 5xx answers included.
    case service(
        operation: String, bucket: String, key: String?, status: Int, code: String, message: String,
        requestID: String?, attempts: Int)
    /// No answer: the connection failed or timed out on every attempt.
    case unreachable(operation: String, endpoint: String, bucket: String, key: String?, detail: String, attempts: Int)
    /// An answer that is not what the protocol promises (a missing ETag, unreadable XML ...).
    case unexpectedResponse(operation: String, bucket: String, key: String?, detail: String)
    /// A local file the transfer reads or writes failed.
    case localFile(path: String, detail: String)

    /// The S3 error code of a server answer, if this is one.
    public var code: String? {
        if case .service(_, _, _, _, let code, _, _, _) = self { return code }
        return nil
    }

    /// True when a later try may succeed (5xx, SlowDown, throttling, no answer).
    package var isTransient: Bool {
        switch self {
        case .service(_, _, _, let status, let code, _, _, _):
            return status >= 500 || status == 408 || status == 429 || code == "SlowDown" || code == "RequestTimeout"
                || code == "InternalError"
        case .unreachable: return true
        default: return false
        }
    }

    /// One sentence naming the operation, the `s3://` bucket and key, the S3 code and what to do.
    public var description: String {
        func target(_ bucket: String, _ key: String?) -> String {
            "s3://\(bucket)/\(key ?? "")"
        }
        switch self {
        case .invalidURL(let url, let reason):
            return "invalid S3 URL '\(url)': \(reason)"
        case .missingCredentials(let detail):
            return
                "no S3 credentials: \(detail); set AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY or add them to ~/.aws/credentials"
        case .invalidConfiguration(let detail):
            return "invalid S3 configuration: \(detail)"
        case .service(
            let operation, let bucket, let key, let status, let code, let message, let requestID, let attempts):
            var text = "\(operation) \(target(bucket, key)) failed: HTTP \(status) \(code)"
            if !message.isEmpty { text += ": \(message)" }
            if let requestID, !requestID.isEmpty { text += " (request id \(requestID))" }
            if attempts > 1 { text += " after \(attempts) attempts" }
            if let hint = Self.hint(code: code, bucket: bucket) { text += "; \(hint)" }
            return text
        case .unreachable(let operation, let endpoint, let bucket, let key, let detail, let attempts):
            return
                "\(operation) \(target(bucket, key)) failed: no answer from \(endpoint) after \(attempts) attempt\(attempts == 1 ? "" : "s") (\(detail)); check the endpoint (AWS_ENDPOINT_URL or S3_ENDPOINT) and that the server is running"
        case .unexpectedResponse(let operation, let bucket, let key, let detail):
            return "\(operation) \(target(bucket, key)): unexpected answer from the server: \(detail)"
        case .localFile(let path, let detail):
            return "\(path): \(detail)"
        }
    }

    /// What to do about common codes.
    static func hint(code: String, bucket: String) -> String? {
        switch code {
        case "NoSuchBucket": return "create the bucket '\(bucket)' first or fix the bucket name"
        case "SignatureDoesNotMatch":
            return "the secret key does not match the access key id (check AWS_SECRET_ACCESS_KEY)"
        case "InvalidAccessKeyId": return "the server does not know this access key id (check AWS_ACCESS_KEY_ID)"
        case "AccessDenied": return "these credentials may not access bucket '\(bucket)'"
        case "RequestTimeTooSkewed": return "this machine's clock differs from the server's by more than 15 minutes"
        case "SlowDown": return "the server asks for fewer requests; retried with backoff"
        default: return nil
        }
    }
}
