// HMAC-SHA256 from the platform: CryptoKit on Apple platforms, OpenSSL's libcrypto elsewhere.

import Foundation

#if canImport(CryptoKit)
    import CryptoKit
#else
    import CLibCrypto
#endif

/// HMAC (RFC 2104) over SHA-256, as AWS Signature Version 4 chains it.
package enum HMACSHA256 {
    /// The 32-byte authentication code of `message` under `key` (a key of any length).
    package static func authenticationCode(for message: some ContiguousBytes, key: some ContiguousBytes) -> [UInt8] {
        #if canImport(CryptoKit)
            let code = message.withUnsafeBytes { bytes in
                HMAC<CryptoKit.SHA256>.authenticationCode(for: bytes, using: SymmetricKey(data: key))
            }
            return Array(code)
        #else
            var code = [UInt8](repeating: 0, count: SHA256Digest.byteCount)
            var length: UInt32 = 0
            let done = key.withUnsafeBytes { keyBytes in
                message.withUnsafeBytes { messageBytes in
                    // libcrypto takes no null pointer for an empty key or message: point at a zero byte.
                    withUnsafeBytes(of: UInt8(0)) { zero in
                        HMAC(
                            EVP_sha256(), keyBytes.baseAddress ?? zero.baseAddress, Int32(keyBytes.count),
                            (messageBytes.baseAddress ?? zero.baseAddress)?.assumingMemoryBound(to: UInt8.self),
                            messageBytes.count, &code, &length) != nil
                    }
                }
            }
            precondition(done && length == SHA256Digest.byteCount, "libcrypto could not compute an HMAC-SHA256")
            return code
        #endif
    }
}
