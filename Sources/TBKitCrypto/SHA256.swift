// SHA-256 from the platform: CryptoKit on Apple platforms, OpenSSL's libcrypto (EVP digests)
// elsewhere. No digest is computed here by hand; this file only adapts the two APIs to one.

import Foundation

#if canImport(CryptoKit)
    import CryptoKit
#else
    import CLibCrypto
#endif

/// An incremental SHA-256 hash: `update` with the bytes in order, then `finalize`.
///
/// A value type: a copy continues from the state at the time of the copy, independently.
///
///     var hasher = SHA256()
///     hasher.update(bufferPointer: chunk)
///     let hex = hasher.finalize().hex
package struct SHA256 {
    #if canImport(CryptoKit)
        private var state = CryptoKit.SHA256()
    #else
        private var state = DigestContext()
    #endif

    /// A hash of no bytes yet.
    package init() {}

    /// Adds `bytes` to the hashed stream.
    package mutating func update(bufferPointer bytes: UnsafeRawBufferPointer) {
        #if canImport(CryptoKit)
            state.update(bufferPointer: bytes)
        #else
            if !isKnownUniquelyReferenced(&state) { state = state.copy() }
            state.update(bytes)
        #endif
    }

    /// Adds the bytes of `data` to the hashed stream.
    package mutating func update(data: some ContiguousBytes) {
        data.withUnsafeBytes { update(bufferPointer: $0) }
    }

    /// The digest of every byte added so far. The hasher itself is left as it was.
    package func finalize() -> SHA256Digest {
        #if canImport(CryptoKit)
            return SHA256Digest(uncheckedBytes: Array(state.finalize()))
        #else
            return SHA256Digest(uncheckedBytes: state.copy().finish())
        #endif
    }

    /// The digest of `data` in one call.
    package static func hash(data: some ContiguousBytes) -> SHA256Digest {
        var hasher = SHA256()
        hasher.update(data: data)
        return hasher.finalize()
    }
}

#if !canImport(CryptoKit)
    /// An OpenSSL `EVP_MD_CTX` set up for SHA-256, freed with its owner.
    final class DigestContext {
        private let context: OpaquePointer

        /// A context at the start of a SHA-256 stream.
        init() {
            context = Self.newContext()
            // Only fails when libcrypto lacks SHA-256 (a broken installation), never from input.
            precondition(
                EVP_DigestInit_ex(context, EVP_sha256(), nil) == 1,
                "libcrypto could not start a SHA-256 digest (is OpenSSL's libcrypto installed correctly?)")
        }

        private init(copying other: DigestContext) {
            context = Self.newContext()
            precondition(EVP_MD_CTX_copy_ex(context, other.context) == 1, "libcrypto could not copy a SHA-256 state")
        }

        private static func newContext() -> OpaquePointer {
            guard let context = EVP_MD_CTX_new() else {
                preconditionFailure("libcrypto could not allocate a digest context (out of memory)")
            }
            return context
        }

        deinit { EVP_MD_CTX_free(context) }

        /// An independent context in the same state.
        func copy() -> DigestContext { DigestContext(copying: self) }

        /// Hashes `bytes` into the stream.
        func update(_ bytes: UnsafeRawBufferPointer) {
            guard let base = bytes.baseAddress, !bytes.isEmpty else { return }
            precondition(EVP_DigestUpdate(context, base, bytes.count) == 1, "libcrypto refused a SHA-256 update")
        }

        /// Ends the stream and returns its 32-byte digest; the context is spent.
        func finish() -> [UInt8] {
            var digest = [UInt8](repeating: 0, count: SHA256Digest.byteCount)
            var length: UInt32 = 0
            precondition(
                EVP_DigestFinal_ex(context, &digest, &length) == 1 && length == SHA256Digest.byteCount,
                "libcrypto could not finish a SHA-256 digest")
            return digest
        }
    }
#endif
