/// A bucket and a key (or key prefix) named by an `s3://bucket/key` URL.
///
/// The bucket must follow S3's naming rules (3 to 63 characters of lower-case letters, digits,
/// dots and hyphens, starting and ending with a letter or digit); the key is everything after
/// the first `/` after the bucket, kept exactly (it may be empty, meaning the whole bucket).
package struct S3Location: Sendable, Hashable, CustomStringConvertible {
    /// The bucket name.
    package var bucket: String
    /// The object key or key prefix, without a leading `/`.
    package var key: String

    /// A location from its parts (not validated; `init(url:)` validates).
    package init(bucket: String, key: String) {
        self.bucket = bucket
        self.key = key
    }

    /// Parses `s3://bucket/key`; throws `S3Error.invalidURL` saying what is wrong.
    package init(url: String) throws(S3Error) {
        let scheme = "s3://"
        guard url.hasPrefix(scheme) else {
            throw .invalidURL(url: url, reason: "it does not start with s3://")
        }
        let rest = url.dropFirst(scheme.count)
        let bucket: Substring
        let key: Substring
        if let slash = rest.firstIndex(of: "/") {
            bucket = rest[..<slash]
            key = rest[rest.index(after: slash)...]
        } else {
            bucket = rest
            key = ""
        }
        if let reason = Self.bucketNameProblem(String(bucket)) {
            throw .invalidURL(url: url, reason: reason)
        }
        if key.hasPrefix("/") || key.contains("//") {
            throw .invalidURL(url: url, reason: "the key has an empty path component ('//')")
        }
        if key.utf8.count > 1024 {
            throw .invalidURL(url: url, reason: "the key is longer than S3's 1024 bytes")
        }
        self.bucket = String(bucket)
        self.key = String(key)
    }

    /// Why `name` is not a valid bucket name, or nil if it is.
    package static func bucketNameProblem(_ name: String) -> String? {
        if name.isEmpty { return "the bucket name is missing (expected s3://bucket/prefix)" }
        let bytes = Array(name.utf8)
        guard (3...63).contains(bytes.count) else {
            return "the bucket name '\(name)' must be 3 to 63 characters long"
        }
        func isLowerAlnum(_ b: UInt8) -> Bool { (b >= 97 && b <= 122) || (b >= 48 && b <= 57) }
        guard bytes.allSatisfy({ isLowerAlnum($0) || $0 == 46 || $0 == 45 }) else {
            return "the bucket name '\(name)' may only hold lower-case letters, digits, '.' and '-'"
        }
        guard isLowerAlnum(bytes[0]), isLowerAlnum(bytes[bytes.count - 1]) else {
            return "the bucket name '\(name)' must start and end with a letter or digit"
        }
        if name.contains("..") { return "the bucket name '\(name)' has two dots in a row" }
        return nil
    }

    /// The key with a trailing `/`, for use as a "directory" prefix (empty stays empty).
    package var directoryPrefix: String {
        key.isEmpty || key.hasSuffix("/") ? key : key + "/"
    }

    /// This location with `component` appended to the key as a path component.
    ///
    /// Keys are joined as text, not with `FilePath`: a key is no filesystem path (`a//b` and
    /// `a/./b` name other objects than `a/b`), so nothing in it may be normalized.
    package func appending(_ component: String) -> S3Location {
        S3Location(bucket: bucket, key: directoryPrefix + component)
    }

    /// `s3://bucket/key`.
    package var description: String { "s3://\(bucket)/\(key)" }
}
