import CTBKitSupport
import Testing

@testable import TBKit

/// Vectors from TENSORBOARD-FORMAT.md §1 (computed with the `crc32c` package and TensorBoard's own
/// pure-Python CRC).
@Suite struct CRC32CTests {
    @Test func checkValueOf123456789IsE3069283() {
        #expect(CRC32C.checksum("123456789") == 0xE306_9283)
        #expect(CRC32C.mask(0xE306_9283) == 0xC78A_B0E5)
    }

    @Test func knownVectorsMatchTheSpecTable() {
        #expect(CRC32C.checksum("") == 0)
        #expect(CRC32C.mask(0) == 0xA282_EAD8)
        #expect(CRC32C.checksum("a") == 0xC1D0_4330)
        #expect(CRC32C.mask(0xC1D0_4330) == 0x28E4_6E78)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 8)) == 0x8C28_B28A)
        #expect(CRC32C.mask(0x8C28_B28A) == 0x0798_0329)
        let len24: [UInt8] = [0x18, 0, 0, 0, 0, 0, 0, 0]
        #expect(CRC32C.checksum(len24) == 0x4A65_BFE4)
        #expect(CRC32C.mask(0x4A65_BFE4) == 0x224B_7FA3)
    }

    @Test func unmaskInvertsMask() {
        for c: UInt32 in [0, 1, 0xE306_9283, 0xFFFF_FFFF, 0x1234_5678] {
            #expect(CRC32C.unmask(CRC32C.mask(c)) == c)
        }
    }

    @Test func hardwareAndSoftwareAgreeOnEveryLengthAndAlignment() {
        var rng = SystemRandomNumberGenerator()
        let buffer = (0..<(1024 + 16)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        buffer.withUnsafeBytes { all in
            for offset in [0, 1, 3, 5, 7] {
                for length in 0...1024 {
                    let slice = UnsafeRawBufferPointer(rebasing: all[offset..<(offset + length)])
                    let soft = CRC32C.software(slice)
                    #expect(CRC32C.checksum(slice) == soft)
                    if !CRC32C.usesHardware { continue }
                    #expect(tbkitHardwareCRC(slice) == soft)
                }
            }
        }
    }

    @Test func longBuffersMatchAcrossTheInterleavedBlocks() {
        // Lengths around the 3 x 256 and 3 x 8192 three-stream block sizes.
        var rng = SystemRandomNumberGenerator()
        let buffer = (0..<(3 * 8192 * 2 + 100)).map { _ in UInt8.random(in: 0...255, using: &rng) }
        buffer.withUnsafeBytes { all in
            for length in [767, 768, 769, 1536, 24575, 24576, 24577, 49152 + 99] {
                let slice = UnsafeRawBufferPointer(rebasing: all[1..<(1 + length)])
                #expect(CRC32C.checksum(slice) == CRC32C.software(slice))
            }
        }
    }

    @Test func continuingEqualsOneShot() {
        let bytes = Array("The quick brown fox jumps over the lazy dog".utf8)
        let whole = CRC32C.checksum(bytes)
        let first = CRC32C.checksum(bytes[0..<10])
        #expect(CRC32C.checksum(bytes[10...], continuing: first) == whole)
    }
}

private func tbkitHardwareCRC(_ bytes: UnsafeRawBufferPointer) -> UInt32 {
    guard let base = bytes.baseAddress else { return 0 }
    return tbkit_crc32c_hw(0, base, bytes.count)
}
