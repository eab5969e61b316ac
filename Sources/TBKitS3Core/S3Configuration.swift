import Foundation

/// Where requests go and how they are signed, timed and retried.
package struct S3Configuration: Sendable {
    /// How a bucket appears in a request URL.
    package enum Addressing: Sendable, Equatable {
        /// `http(s)://endpoint/bucket/key`: what MinIO, Ceph RGW and most local servers expect.
        case path
        /// `http(s)://bucket.endpoint/key`: AWS's default (needs a bucket name that is a valid host label).
        case virtualHost
    }

    /// The service endpoint: scheme, host and optional port, e.g. `https://s3.us-east-1.amazonaws.com`
    /// or `http://127.0.0.1:9000`. A path on it is not allowed.
    package var endpoint: URL
    /// The signing region (`AWS_REGION`; `us-east-1` for most S3-compatible servers).
    package var region: String
    /// Path-style or virtual-host addressing.
    package var addressing: Addressing
    /// The keys that sign each request.
    package var credentials: S3Credentials
    /// Seconds one request may take before it is abandoned (and retried).
    package var requestTimeout: Double = 30
    /// Attempts per request (the first one included) for 5xx answers, 503 SlowDown and
    /// connection failures; 4xx answers are never retried.
    package var maxAttempts: Int = 5
    /// The first retry's wait in seconds; each later wait doubles, up to `maxBackoff`, with jitter.
    package var initialBackoff: Double = 0.2
    /// The longest wait between two attempts, in seconds.
    package var maxBackoff: Double = 5
    /// Added to the clock when signing. Zero except to test how a server answers a skewed
    /// clock (`RequestTimeTooSkewed`); set from `TBKIT_S3_CLOCK_OFFSET_SECONDS` by `fromEnvironment`.
    package var clockOffset: Double = 0

    /// A configuration from its parts; throws if `endpoint` is not `http(s)://host[:port]`.
    package init(
        endpoint: URL, region: String = "us-east-1", addressing: Addressing = .path, credentials: S3Credentials
    ) throws(S3Error) {
        guard let scheme = endpoint.scheme?.lowercased(), scheme == "http" || scheme == "https",
            let host = endpoint.host, !host.isEmpty
        else {
            throw .invalidConfiguration(
                detail: "the endpoint '\(endpoint.absoluteString)' must be http://host[:port] or https://host[:port]")
        }
        let path = endpoint.path
        guard path.isEmpty || path == "/" else {
            throw .invalidConfiguration(detail: "the endpoint '\(endpoint.absoluteString)' must not have a path")
        }
        self.endpoint = endpoint
        self.region = region
        self.addressing = addressing
        self.credentials = credentials
    }

    /// The `Host` header value for the endpoint (the port only when it is not the scheme's default).
    func hostHeader(bucket: String?) -> String {
        var host = endpoint.host ?? ""
        if addressing == .virtualHost, let bucket { host = bucket + "." + host }
        if let port = endpoint.port {
            let scheme = endpoint.scheme?.lowercased()
            if !(scheme == "http" && port == 80) && !(scheme == "https" && port == 443) { host += ":\(port)" }
        }
        return host
    }

    /// The URI path for a bucket and key, already percent-encoded as SigV4 wants (each byte
    /// outside `A-Za-z0-9-._~` and `/` encoded once).
    func encodedPath(bucket: String?, key: String?) -> String {
        var path = "/"
        if addressing == .path, let bucket {
            path += bucket
            if key != nil { path += "/" }
        }
        if let key { path += SigV4.percentEncode(key, keepSlash: true) }
        return path
    }
}
