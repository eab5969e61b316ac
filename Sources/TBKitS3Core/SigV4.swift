import Foundation
import TBKitCrypto

/// AWS Signature Version 4 for S3 (`AWS4-HMAC-SHA256`), built from its published steps:
/// canonical request -> string to sign -> signing key (HMAC chain over date, region, service)
/// -> signature. Pure: time and keys in, headers out, so it is tested against AWS's examples.
package struct SigV4: Sendable {
    /// The payload hash S3 uses for an empty body.
    package static let emptyPayloadHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"

    /// The keys that sign.
    package var credentials: S3Credentials
    /// The signing region.
    package var region: String
    /// The service name in the credential scope (`s3`).
    package var service: String

    /// A signer for `service` in `region`.
    package init(credentials: S3Credentials, region: String, service: String = "s3") {
        self.credentials = credentials
        self.region = region
        self.service = service
    }

    /// A request to sign: the method, the already-encoded path, the query parameters (raw,
    /// encoded here) and every header to sign (`host` and `x-amz-content-sha256` included).
    package struct Request: Sendable {
        /// `GET`, `PUT`, ...
        package var method: String
        /// The URI path, percent-encoded once (`SigV4.percentEncode(_:keepSlash: true)`).
        package var encodedPath: String
        /// Query parameters as (name, value), not encoded; a bare flag like `uploads` has value "".
        package var query: [(String, String)]
        /// Header names and values to sign.
        package var headers: [(String, String)]
        /// Hex SHA-256 of the body (or `UNSIGNED-PAYLOAD`).
        package var payloadHash: String

        /// A request from its parts.
        package init(
            method: String, encodedPath: String, query: [(String, String)], headers: [(String, String)],
            payloadHash: String
        ) {
            self.method = method
            self.encodedPath = encodedPath
            self.query = query
            self.headers = headers
            self.payloadHash = payloadHash
        }
    }

    /// The query string in canonical form (names and values encoded, sorted by name then value);
    /// also what goes on the URL, so the two cannot differ.
    package static func canonicalQuery(_ query: [(String, String)]) -> String {
        var pairs: [(name: String, value: String)] = []
        for (name, value) in query {
            pairs.append((percentEncode(name, keepSlash: false), percentEncode(value, keepSlash: false)))
        }
        pairs.sort { a, b in a.name == b.name ? a.value < b.value : a.name < b.name }
        var parts: [String] = []
        for pair in pairs { parts.append(pair.name + "=" + pair.value) }
        return parts.joined(separator: "&")
    }

    /// The canonical request text (step 1).
    package func canonicalRequest(_ request: Request) -> (text: String, signedHeaders: String) {
        var merged = [String: String]()
        for (name, value) in request.headers {
            let key = name.lowercased()
            let trimmed = value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            merged[key] = merged[key].map { $0 + "," + trimmed } ?? trimmed
        }
        let sorted = merged.sorted { $0.key < $1.key }
        let canonicalHeaders = sorted.map { "\($0.key):\($0.value)\n" }.joined()
        let signedHeaders = sorted.map(\.key).joined(separator: ";")
        let lines: [String] = [
            request.method, request.encodedPath, Self.canonicalQuery(request.query), canonicalHeaders, signedHeaders,
            request.payloadHash,
        ]
        let text = lines.joined(separator: "\n")
        return (text, signedHeaders)
    }

    /// `yyyyMMdd'T'HHmmss'Z'` in UTC (proleptic Gregorian calendar, computed from the epoch seconds).
    package static func amzDate(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        func pad(_ v: Int64, _ width: Int) -> String {
            let s = String(v)
            return String(repeating: "0", count: max(0, width - s.count)) + s
        }
        return pad(year, 4) + pad(month, 2) + pad(day, 2) + "T" + pad(secondOfDay / 3600, 2)
            + pad(secondOfDay / 60 % 60, 2) + pad(secondOfDay % 60, 2) + "Z"
    }

    /// The signing key for a day (step 3): HMAC("AWS4" + secret, date) -> region -> service -> "aws4_request".
    package func signingKey(day: String) -> [UInt8] {
        func hmac(_ key: [UInt8], _ text: String) -> [UInt8] {
            HMACSHA256.authenticationCode(for: Array(text.utf8), key: key)
        }
        let start = Array(("AWS4" + credentials.secretAccessKey).utf8)
        return hmac(hmac(hmac(hmac(start, day), region), service), "aws4_request")
    }

    /// Everything signing produces, kept for tests and error reports.
    package struct Signature: Sendable {
        /// The canonical request (step 1).
        package var canonicalRequest: String
        /// The string to sign (step 2).
        package var stringToSign: String
        /// Hex HMAC-SHA256 of the string to sign with the signing key (step 4).
        package var signature: String
        /// The `Authorization` header value.
        package var authorization: String
    }

    /// Signs `request` at `amzDate` (`yyyyMMddTHHmmssZ`; it must also be the request's
    /// `x-amz-date` header).
    package func sign(_ request: Request, amzDate: String) -> Signature {
        let (canonical, signedHeaders) = canonicalRequest(request)
        let day = String(amzDate.prefix(8))
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope, Self.hexSHA256(Data(canonical.utf8))].joined(
            separator: "\n")
        let mac = HMACSHA256.authenticationCode(for: Array(stringToSign.utf8), key: signingKey(day: day))
        let signature = HexDigits.lowercase(mac)
        let authorization =
            "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope),SignedHeaders=\(signedHeaders),Signature=\(signature)"
        return Signature(
            canonicalRequest: canonical, stringToSign: stringToSign, signature: signature, authorization: authorization)
    }

    /// Hex SHA-256 of `data`.
    package static func hexSHA256(_ data: Data) -> String { SHA256.hash(data: data).hex }

    /// Hex SHA-256 of raw bytes.
    package static func hexSHA256(_ bytes: UnsafeRawBufferPointer) -> String { SHA256.hash(data: bytes).hex }

    /// `A-Z a-z 0-9 - . _ ~`.
    static func isUnreserved(_ b: UInt8) -> Bool {
        switch b {
        case 65...90, 97...122, 48...57, 45, 46, 95, 126: return true
        default: return false
        }
    }

    /// RFC 3986 encoding as SigV4 wants it: every byte outside `A-Za-z0-9-._~` becomes `%XX`
    /// (upper-case hex); `/` is kept when `keepSlash` (object keys in paths).
    package static func percentEncode(_ text: String, keepSlash: Bool) -> String {
        let hexDigits = Array("0123456789ABCDEF".utf8)
        var out = [UInt8]()
        out.reserveCapacity(text.utf8.count)
        for b in text.utf8 {
            if isUnreserved(b) || (keepSlash && b == 47) {
                out.append(b)
            } else {
                out.append(37)
                out.append(hexDigits[Int(b >> 4)])
                out.append(hexDigits[Int(b & 15)])
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
