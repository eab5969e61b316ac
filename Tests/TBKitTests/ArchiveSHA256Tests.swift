import Testing

@testable import TBKit

/// Vectors from FIPS 180-4's examples (NIST "SHA256.pdf", "SHA2_Additional") as published.
@Suite struct ArchiveSHA256Tests {
    @Test func digestOfAbcIsTheFIPSVector() {
        #expect(
            SHA256.hex(SHA256.hash(Array("abc".utf8)))
                == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
    }

    @Test func digestOfTheEmptyMessageIsTheFIPSVector() {
        #expect(
            SHA256.hex(SHA256.hash([UInt8]()))
                == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
    }

    @Test func digestOfThe448BitMessageIsTheFIPSVector() {
        let message = "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
        #expect(
            SHA256.hex(SHA256.hash(Array(message.utf8)))
                == "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")
    }

    @Test func digestOfAMillionAsIsTheFIPSVector() {
        #expect(
            SHA256.hex(SHA256.hash([UInt8](repeating: UInt8(ascii: "a"), count: 1_000_000)))
                == "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0")
    }

    @Test func chunkedUpdatesGiveTheSameDigestAsOneUpdate() {
        let message = (0..<1000).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ 3) }
        let whole = SHA256.hash(message)
        // Chunk sizes straddling the 64-byte block and the 56-byte padding boundary.
        for size in [1, 55, 56, 63, 64, 65, 127, 333] {
            var hasher = SHA256()
            var start = 0
            while start < message.count {
                let end = min(start + size, message.count)
                message[start..<end].withUnsafeBytes { hasher.update($0) }
                start = end
            }
            #expect(hasher.finalize() == whole, "chunk size \(size)")
        }
    }
}
