import Testing

@testable import TBKitCrypto

/// Digests from FIPS 180-2's examples (appendix B), as `sha256sum` prints them.
struct SHA256Tests {
    @Test func emptyInputHasTheKnownDigest() {
        #expect(SHA256.hash(data: [UInt8]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func abcHasTheFIPSDigest() {
        #expect(
            SHA256.hash(data: Array("abc".utf8)).hex
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func twoBlockMessageHasTheFIPSDigest() {
        let message = Array("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq".utf8)
        #expect(
            SHA256.hash(data: message).hex == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func millionAsFedInUnevenChunksHasTheFIPSDigest() {
        let million = [UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)
        var hasher = SHA256()
        var start = 0
        var size = 1
        while start < million.count {
            let end = min(start + size, million.count)
            million[start..<end].withUnsafeBytes { hasher.update(bufferPointer: $0) }
            start = end
            size = size * 3 + 1
        }
        #expect(hasher.finalize().hex == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
        #expect(hasher.finalize().bytes.count == SHA256Digest.byteCount)
    }

    @Test func aCopyContinuesIndependentlyOfTheOriginal() {
        var original = SHA256()
        original.update(data: Array("ab".utf8))
        var copy = original
        copy.update(data: Array("c".utf8))
        original.update(data: Array("x".utf8))
        #expect(copy.finalize() == SHA256.hash(data: Array("abc".utf8)))
        #expect(original.finalize() == SHA256.hash(data: Array("abx".utf8)))
    }

    @Test func finalizeLeavesTheHasherUsable() {
        var hasher = SHA256()
        hasher.update(data: Array("ab".utf8))
        _ = hasher.finalize()
        hasher.update(data: Array("c".utf8))
        #expect(hasher.finalize() == SHA256.hash(data: Array("abc".utf8)))
    }
}
