/// The 32 bytes of a SHA-256 digest.
package struct SHA256Digest: Sendable, Hashable {
    /// A SHA-256 digest's length in bytes.
    package static let byteCount = 32

    /// The digest's bytes, most significant first (as printed in hex).
    package let bytes: [UInt8]

    /// Wraps bytes the hash functions produced (always `byteCount` of them).
    init(uncheckedBytes bytes: [UInt8]) {
        self.bytes = bytes
    }

    /// The digest as 64 lowercase hex digits (what `sha256sum` prints and the archive manifest stores).
    package var hex: String { HexDigits.lowercase(bytes) }
}
